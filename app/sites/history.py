"""The change history in words: labels and names looked up when it is read, never stored.

The audit table keeps codes and ids (so erasing a person leaves no name behind). This module
turns a page of rows into sentences: "Status: Not ready → Review requested", "Owner: Grace
Okafor", "meeting 'Steering group, 3 Mar 2026'", and "erased person" for someone erased.
Names are loaded in one query per kind of record, whatever the number of rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.accounts.models import User
from app.core.audit import AuditEvent
from app.core.dates import uk_date, uk_datetime
from app.extensions import db
from app.gateways.models import CRITERION_STATES, GATEWAY_STATUSES
from app.meetings.models import ACTION_STATUSES, ATTENDANCE, MEETING_KINDS, Meeting
from app.people.models import ENGAGEMENT_STATUSES, GROUP_KINDS, LEVELS, Group, Person
from app.plan.models import RAG_VALUES, TASK_STATUSES, Task
from app.risks.models import ALL_STATUSES, KINDS, SEVERITIES, RaidEntry
from app.sites.models import SERVICE_STATUSES, SITE_ROLE_CHOICES
from app.toolkit import get_toolkit

OBJECT_NAMES = {
    "plan": "Plan",
    "task": "Task",
    "meeting": "Meeting",
    "meeting_invitee": "Invitation",
    "agenda_item": "Agenda item",
    "action": "Action",
    "site": "Site",
    "membership": "Member",
    "kpi_value": "KPI value",
    "kpi_target": "KPI target",
    "raid_entry": "Risk log entry",
    "raid_mitigation": "Mitigation",
    "needs": "Needs figures",
    "gateway": "Gateway",
    "gateway_criterion": "Gateway criterion",
    "user": "User",
    "pid_narrative": "PID text",
    "pid_version": "PID version",
    "person": "Person",
    "group": "Group",
    "group_member": "Group member",
}
FIELD_LABELS = {
    "owner_id": "Owner",
    "person_id": "Person",
    "user_id": "User",
    "meeting_id": "Meeting",
    "task_id": "Linked task",
    "predecessor_id": "Comes after",
    "group_id": "Group",
    "entry_id": "Risk log entry",
    "agreed_by_id": "Agreed by",
    "confirmed_by_id": "Confirmed by",
    "reported_rag": "Reported RAG",
    "reported_rag_reason": "Reason for reported RAG",
    "kpi_number": "KPI",
    "population_50_plus": "Population aged 50 and over",
    "is_sponsor": "Sponsor",
    "criterion_key": "Criterion",
}
PERSON_FIELDS = {"owner_id", "person_id"}
USER_FIELDS = {"user_id", "agreed_by_id", "confirmed_by_id", "author_id"}
# Which record each id field points at: (kind for the lookups below).
ID_FIELDS = {
    **dict.fromkeys(PERSON_FIELDS, "person"),
    **dict.fromkeys(USER_FIELDS, "user"),
    "meeting_id": "meeting",
    "task_id": "task",
    "predecessor_id": "task",
    "group_id": "group",
    "entry_id": "entry",
}
# Codes stored for a field, by (object type or "*", field).
VOCABULARIES: dict[tuple[str, str], dict] = {
    ("task", "status"): TASK_STATUSES,
    ("gateway", "status"): GATEWAY_STATUSES,
    ("gateway_criterion", "state"): CRITERION_STATES,
    ("raid_entry", "status"): ALL_STATUSES,
    ("raid_entry", "kind"): KINDS,
    ("raid_entry", "severity"): SEVERITIES,
    ("action", "status"): ACTION_STATUSES,
    ("meeting", "kind"): MEETING_KINDS,
    ("meeting_invitee", "attendance"): ATTENDANCE,
    ("group", "kind"): GROUP_KINDS,
    ("person", "engagement"): ENGAGEMENT_STATUSES,
    ("person", "influence"): LEVELS,
    ("person", "interest"): LEVELS,
    ("membership", "role"): dict(SITE_ROLE_CHOICES),
    ("site", "service_status"): SERVICE_STATUSES,
    ("*", "reported_rag"): RAG_VALUES,
}
# "meeting #51, person #6": the ids older labels carry, turned into names when read.
_LABEL_ID = re.compile(r"\b(meeting|person|group|user|entry|task) #(\d+)")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ERASED = "erased person"


@dataclass
class HistoryRow:
    at: datetime
    who: str
    what: str  # "Task: Visit an FLS"
    change: str  # "Status: Not started → In progress", "Created", "Deleted"


class Names:
    """Names for the ids on one page of history: one query per kind of record."""

    def __init__(self, site_id: int | None, events: list[AuditEvent]) -> None:
        wanted: dict[str, set[int]] = defaultdict(set)
        for event in events:
            if event.user_id:
                wanted["user"].add(event.user_id)
            if event.object_type == "person" and event.object_id:
                wanted["person"].add(event.object_id)
            kind = ID_FIELDS.get(event.field or "")
            for value in (event.old_value, event.new_value):
                if kind and value and value.isdigit():
                    wanted[kind].add(int(value))
            for noun, number in _LABEL_ID.findall(event.label or ""):
                wanted[noun].add(int(number))
        self.found: dict[str, dict[int, str]] = {kind: {} for kind in ID_FIELDS.values()}
        self.found.setdefault("entry", {})
        on_site = {"site_id": site_id} if site_id is not None else {}
        if wanted["person"]:
            self.found["person"] = {
                pid: (ERASED if erased else name)
                for pid, name, erased in db.session.execute(
                    select(Person.id, Person.name, Person.erased).where(
                        Person.id.in_(wanted["person"]), *_site(Person, on_site)
                    )
                )
            }
        if wanted["user"]:
            self.found["user"] = dict(
                db.session.execute(
                    select(User.id, User.name).where(User.id.in_(wanted["user"]))
                ).all()
            )
        if wanted["meeting"]:
            self.found["meeting"] = {
                mid: f"meeting \u2018{title}, {uk_date(starts)}\u2019"
                for mid, title, starts in db.session.execute(
                    select(Meeting.id, Meeting.title, Meeting.starts_at).where(
                        Meeting.id.in_(wanted["meeting"]), *_site(Meeting, on_site)
                    )
                )
            }
        for kind, model, column in (
            ("task", Task, Task.title),
            ("group", Group, Group.name),
            ("entry", RaidEntry, RaidEntry.title),
        ):
            if wanted[kind]:
                self.found[kind] = dict(
                    db.session.execute(
                        select(model.id, column).where(
                            model.id.in_(wanted[kind]), *_site(model, on_site)
                        )
                    ).all()
                )

    def name(self, kind: str, record_id: int) -> str:
        gone = {
            "person": "a person no longer on this site",
            "user": "a former user",
            "meeting": "a deleted meeting",
            "task": "a deleted task",
            "group": "a deleted group",
            "entry": "a deleted risk log entry",
        }[kind]
        return self.found.get(kind, {}).get(record_id, gone)


def _site(model, on_site: dict) -> list:  # noqa: ANN001 - a mapped class
    return [model.site_id == on_site["site_id"]] if on_site else []


def field_label(field: str) -> str:
    if field in FIELD_LABELS:
        return FIELD_LABELS[field]
    words = field.removesuffix("_id").replace("_", " ")
    return words[:1].upper() + words[1:]


def value_text(object_type: str, field: str, value: str | None, names: Names) -> str:
    """One stored value in words."""
    if value in (None, ""):
        return "(blank)"
    kind = ID_FIELDS.get(field)
    if kind and value.isdigit():
        return names.name(kind, int(value))
    vocabulary = VOCABULARIES.get((object_type, field)) or VOCABULARIES.get(("*", field))
    if vocabulary is not None:
        return str(vocabulary.get(value, value))
    toolkit = get_toolkit()
    if field == "phase" and value.isdigit():
        return toolkit.phase(int(value)).label
    if field == "team_role" and value in toolkit.roles_by_key:
        return toolkit.roles_by_key[value].name
    if field == "category" and value in toolkit.categories_by_key:
        return toolkit.categories_by_key[value].name
    if field == "criterion_key" and value in toolkit.outcomes_by_key:
        return toolkit.outcomes_by_key[value].text
    if value in ("yes", "no"):
        return value.capitalize()
    if _ISO_DATE.match(value):
        return uk_date(date.fromisoformat(value))
    if _ISO_DATETIME.match(value):
        try:
            return uk_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    return value


def object_text(event: AuditEvent, names: Names) -> str:
    """'Task: Visit an FLS'; a person reads by today's name, or "erased person"."""
    kind = OBJECT_NAMES.get(event.object_type or "", (event.object_type or "").replace("_", " "))
    if event.object_type == "person" and event.object_id:
        return f"{kind}: {names.name('person', event.object_id)}"
    label = _LABEL_ID.sub(lambda m: names.name(m.group(1), int(m.group(2))), event.label or "")
    if event.object_type == "gateway" and label.startswith("gateway "):
        number = label.removeprefix("gateway ").split()[0]
        if number.isdigit():
            label = get_toolkit().phase(int(number)).label
    if event.object_type == "gateway_criterion":
        key = label.rsplit(" ", 1)[-1]
        outcome = get_toolkit().outcomes_by_key.get(key)
        label = outcome.text if outcome else label
    return f"{kind}: {label}" if label else kind


def change_text(event: AuditEvent, names: Names) -> str:
    if event.action == "create":
        return "Created"
    if event.action == "delete":
        return "Deleted"
    field = event.field or ""
    if event.object_type == "person" and names.name("person", event.object_id or 0) == ERASED:
        # Whatever erasure left behind in the log, an erased person's details are not shown.
        return f"{field_label(field)}: details erased"
    old = value_text(event.object_type or "", field, event.old_value, names)
    new = value_text(event.object_type or "", field, event.new_value, names)
    return f"{field_label(field)}: {old} \u2192 {new}"


def describe(events: list[AuditEvent], site_id: int | None) -> list[HistoryRow]:
    """History rows in words (a fixed number of queries for the page)."""
    names = Names(site_id, events)
    return [
        HistoryRow(
            at=event.at,
            who=names.name("user", event.user_id) if event.user_id else "The system",
            what=object_text(event, names),
            change=change_text(event, names),
        )
        for event in events
    ]


def last_steering_group(site_id: int, now: datetime) -> datetime | None:
    """When the last steering-group meeting before `now` started (UTC), if any."""
    return db.session.scalar(
        select(Meeting.starts_at)
        .where(
            Meeting.site_id == site_id,
            Meeting.kind == "steering_group",
            Meeting.cancelled.is_(False),
            Meeting.starts_at < now,
        )
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
