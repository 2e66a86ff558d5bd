"""The change history in words: labels and names looked up when it is read, never stored.

The audit table keeps codes and ids (so erasing a person leaves no name behind). This module
turns a page of rows into sentences: "Status: Not ready → Review requested", "Owner: Grace
Okafor", "meeting 'Steering group, 3 Mar 2026'", and "erased person" for someone erased.
It knows no feature: each declares its words and names in the registry
(`registry.history`, app/core/history_words.py). The names for a page are loaded in one
query, whatever the number of rows and kinds of record.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Boolean, DateTime, String, cast, func, literal, null, or_, select, union_all

from app.core.audit import CHANGE_ACTIONS, AuditEvent
from app.core.dates import uk_date, uk_datetime
from app.core.history_words import HistoryWords
from app.core.registry import registry
from app.extensions import db
from app.toolkit import get_toolkit

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_LARGEST_ID = 2**31 - 1


def _record_id(value: str | None) -> int | None:
    """The id a stored value points at, or None: the history shows any stored value, so
    only plain ASCII digits within an id's range are read as an id ("²", 25 digits are not).
    """
    if value and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
        return number if 0 < number <= _LARGEST_ID else None
    return None


def _date_text(value: str) -> str:
    """A stored date or time in UK words; anything that only looks like one (a task titled
    "2026-02-30") is shown as it was stored."""
    try:
        if _ISO_DATE.match(value):
            return uk_date(date.fromisoformat(value))
        if _ISO_DATETIME.match(value):
            return uk_datetime(datetime.fromisoformat(value))
    except ValueError:
        pass
    return value


ERASED = "erased person"


@dataclass
class HistoryRow:
    at: datetime
    who: str
    what: str  # "Task: Visit an FLS"
    change: str  # "Status: Not started → In progress", "Created", "Deleted"


class Names:
    """Names for the ids on one page of history, in one query."""

    def __init__(self, site_id: int | None, events: list[AuditEvent], words: HistoryWords) -> None:
        self.words = words
        # "meeting #51, person #6": the ids older labels carry, turned into names when read.
        nouns = "|".join(map(re.escape, words.names))
        self.label_id = re.compile(rf"\b({nouns}) #([0-9]{{1,10}})\b")
        wanted: dict[str, set[int]] = defaultdict(set)
        for event in events:
            if event.user_id:
                wanted["user"].add(event.user_id)
            if event.object_type == "person" and event.object_id:
                wanted["person"].add(event.object_id)
            kind = words.id_fields.get(event.field or "")
            for value in (event.old_value, event.new_value):
                if kind and (record_id := _record_id(value)) is not None:
                    wanted[kind].add(record_id)
            for noun, number in self.label_id.findall(event.label or ""):
                if (record_id := _record_id(number)) is not None:
                    wanted[noun].add(record_id)
        self.found: dict[str, dict[int, str]] = {kind: {} for kind in words.names}
        queries = [
            self._query(kind, ids, site_id)
            for kind, ids in wanted.items()
            if ids and kind in words.names
        ]
        if not queries:
            return
        statement = queries[0] if len(queries) == 1 else union_all(*queries)
        for kind, record_id, name, when, erased in db.session.execute(statement):
            source = words.names[kind]
            if erased:
                self.found[kind][record_id] = ERASED
            else:
                self.found[kind][record_id] = source.text(name, when) if source.text else name

    def _query(self, kind: str, ids: set[int], site_id: int | None):  # noqa: ANN202 - a Select
        source = self.words.names[kind]
        # One shape for every kind, so the kinds share one UNION ALL: typed NULLs for the
        # columns a kind lacks (PostgreSQL wants the types).
        query = select(
            cast(literal(kind), String).label("kind"),
            source.model.id.label("id"),
            cast(source.name, String).label("name"),
            (source.when if source.when is not None else cast(null(), DateTime)).label("at"),
            (source.erased if source.erased is not None else cast(null(), Boolean)).label("erased"),
        ).where(source.model.id.in_(sorted(ids)))
        if source.site_scoped and site_id is not None:
            query = query.where(source.model.site_id == site_id)
        return query

    def name(self, kind: str, record_id: int) -> str:
        return self.found.get(kind, {}).get(record_id, self.words.names[kind].gone)


def field_label(field: str, words: HistoryWords) -> str:
    if field in words.field_labels:
        return words.field_labels[field]
    words_of_field = field.removesuffix("_id").replace("_", " ")
    return words_of_field[:1].upper() + words_of_field[1:]


def value_text(object_type: str, field: str, value: str | None, names: Names) -> str:
    """One stored value in words."""
    if value in (None, ""):
        return "(blank)"
    words = names.words
    kind = words.id_fields.get(field)
    if kind and (record_id := _record_id(value)) is not None:
        return names.name(kind, record_id)
    vocabulary = words.vocabularies.get((object_type, field)) or words.vocabularies.get(
        ("*", field)
    )
    if vocabulary is not None:
        return str(vocabulary.get(value, value))
    # The toolkit's own vocabulary (it sits below this module, so no registration needed).
    toolkit = get_toolkit()
    if field == "phase" and _record_id(value) in toolkit.phases_by_number:
        return toolkit.phase(int(value)).label
    if field == "team_role" and value in toolkit.roles_by_key:
        return toolkit.roles_by_key[value].name
    if field == "category" and value in toolkit.categories_by_key:
        return toolkit.categories_by_key[value].name
    if field == "criterion_key" and value in toolkit.outcomes_by_key:
        return toolkit.outcomes_by_key[value].text
    if value in ("yes", "no"):
        return value.capitalize()
    return _date_text(value)


def object_text(event: AuditEvent, names: Names) -> str:
    """'Task: Visit an FLS'; a person reads by today's name, or "erased person"."""
    object_type = event.object_type or ""
    kind = names.words.object_names.get(object_type, object_type.replace("_", " "))
    if object_type == "person" and event.object_id:
        return f"{kind}: {names.name('person', event.object_id)}"
    label = names.label_id.sub(lambda m: names.name(m.group(1), int(m.group(2))), event.label or "")
    in_words = names.words.label_words.get(object_type)
    if in_words is not None:
        label = in_words(label)
    return f"{kind}: {label}" if label else kind


def change_text(event: AuditEvent, names: Names) -> str:
    if event.action == "create":
        return "Created"
    if event.action == "delete":
        return "Deleted"
    field = event.field or ""
    label = field_label(field, names.words)
    if event.object_type == "person" and names.name("person", event.object_id or 0) == ERASED:
        # Whatever erasure left behind in the log, an erased person's details are not shown.
        return f"{label}: details erased"
    old = value_text(event.object_type or "", field, event.old_value, names)
    new = value_text(event.object_type or "", field, event.new_value, names)
    return f"{label}: {old} \u2192 {new}"


@dataclass
class HistoryPage:
    events: list[AuditEvent]  # newest first
    total: int  # changes on every page
    steering_at: datetime | None  # when the last steering group before now started


def history_page(
    site_id: int, page: int, page_size: int, *, since_steering: bool, now: datetime
) -> HistoryPage:
    """One page of a site's changes (two queries: the counts, then the page's rows)."""
    wanted = [AuditEvent.site_id == site_id, AuditEvent.action.in_(CHANGE_ACTIONS)]
    last_steering = registry().history.last_steering_group
    steering = (
        last_steering(site_id, now).scalar_subquery()
        if last_steering is not None
        else cast(null(), DateTime)
    )
    counted = select(func.count()).select_from(AuditEvent).where(*wanted)
    if since_steering:
        # none held yet: every change counts, as the page then shows them all
        counted = counted.where(or_(steering.is_(None), AuditEvent.at >= steering))
    steering_at, total = db.session.execute(
        select(steering.label("steering_at"), counted.scalar_subquery().label("total"))
    ).one()
    if since_steering and steering_at is not None:
        wanted.append(AuditEvent.at >= steering_at)
    events = db.session.scalars(
        select(AuditEvent)
        .where(*wanted)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return HistoryPage(list(events), total, steering_at)


def describe(events: list[AuditEvent], site_id: int | None) -> list[HistoryRow]:
    """History rows in words (at most one query for the page)."""
    names = Names(site_id, events, registry().history)
    return [
        HistoryRow(
            at=event.at,
            who=names.name("user", event.user_id) if event.user_id else "The system",
            what=object_text(event, names),
            change=change_text(event, names),
        )
        for event in events
    ]
