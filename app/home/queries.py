"""Reads for the home page's panels: what is late at the sites someone manages and the
next meetings at their sites. One statement each, however many sites, tasks, actions,
risks and meetings there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, Integer, String, and_, cast, exists, literal, null, select, union_all

from app.core.dates import london_to_utc, to_london
from app.extensions import db
from app.gateways.models import Gateway
from app.meetings.models import Action, AgendaItem, Meeting
from app.people.models import Person
from app.plan.models import Task
from app.risks.models import ACTIVE_STATUSES, RaidEntry
from app.sites.models import Membership, Site
from app.toolkit import get_toolkit

CLOSED_TASK = ("complete", "not_applicable")
# How far ahead the home page lists meetings, and at most how many late items it lists
# (the full lists are a click away: the plan, the action log, the RAID log).
# NULLs typed, as PostgreSQL reads an untyped NULL in every branch of a UNION as text.
NO_PHASE = cast(null(), Integer)
NO_DATE = cast(null(), Date)
NO_NAME = cast(null(), String)
MEETINGS_AHEAD_DAYS = 14
LATE_LIMIT = 100
# The order a manager reads late things in: what waits on someone else's decision first.
KIND_ORDER = {"review": 0, "task": 1, "action": 2, "risk": 3}


@dataclass(frozen=True)
class LateItem:
    """Something late at a site the user manages: an overdue task or action (whoever owns
    it), a risk past its review date, or a gateway review waiting for the sponsor."""

    kind: str  # "task", "action", "risk" or "review"
    id: int
    site_id: int
    site_name: str
    title: str
    since: date | None  # due date, review date; None for a review waiting
    owner: str | None
    phase: int | None  # the gateway of a review

    @property
    def kind_name(self) -> str:
        return {
            "task": "Task overdue",
            "action": "Action overdue",
            "risk": "Risk past its review date",
            "review": "Gateway review waiting for the sponsor",
        }[self.kind]

    @property
    def label(self) -> str:
        if self.kind == "review":
            return f"{get_toolkit().phase(self.phase).label} gateway"
        return self.title


def managed_site_ids(user_id: int):  # noqa: ANN201 - a SQL subquery
    return select(Membership.site_id).where(
        Membership.user_id == user_id, Membership.role == "manager"
    )


def late_at_managed_sites(user_id: int, on: date) -> list[LateItem]:
    """Everything late at the sites `user_id` manages, anyone's: one UNION ALL."""
    managed = managed_site_ids(user_id)
    owner_name = Person.name.label("owner")
    tasks = (
        select(
            literal("task").label("kind"),
            Task.id,
            Task.site_id,
            Task.title.label("title"),
            Task.due_date.label("since"),
            owner_name,
            NO_PHASE.label("phase"),
        )  # fmt: skip
        .outerjoin(Person, Person.id == Task.owner_id)
        .where(
            Task.site_id.in_(managed),
            Task.status.notin_(CLOSED_TASK),
            Task.due_date < on,
        )
    )
    actions = (
        select(
            literal("action"),
            Action.id,
            Action.site_id,
            Action.description,
            Action.due_date,
            owner_name,
            NO_PHASE,
        )  # fmt: skip
        .outerjoin(Person, Person.id == Action.owner_id)
        .where(Action.site_id.in_(managed), Action.status == "open", Action.due_date < on)
    )
    risks = (
        select(
            literal("risk"),
            RaidEntry.id,
            RaidEntry.site_id,
            RaidEntry.title,
            RaidEntry.review_on,
            owner_name,
            NO_PHASE,
        )  # fmt: skip
        .outerjoin(Person, Person.id == RaidEntry.owner_id)
        .where(
            RaidEntry.site_id.in_(managed),
            RaidEntry.status.in_(ACTIVE_STATUSES),
            RaidEntry.review_on < on,
        )
    )
    reviews = select(
        literal("review"), Gateway.id, Gateway.site_id, literal(""), NO_DATE, NO_NAME,
        Gateway.phase,
    ).where(Gateway.site_id.in_(managed), Gateway.status == "review_requested")  # fmt: skip
    late = union_all(tasks, actions, risks, reviews).subquery()
    rows = db.session.execute(
        select(
            late.c.kind,
            late.c.id,
            late.c.site_id,
            Site.name,
            late.c.title,
            late.c.since,
            late.c.owner,
            late.c.phase,
        )  # fmt: skip
        .join(Site, Site.id == late.c.site_id)
        .order_by(Site.name, late.c.since, late.c.id)
        .limit(LATE_LIMIT)
    )
    items = [LateItem(*row) for row in rows]
    return sorted(items, key=lambda item: KIND_ORDER[item.kind])  # stable: by site, date


@dataclass(frozen=True)
class MeetingRow:
    id: int
    site_id: int
    site_name: str
    title: str
    starts_at: datetime
    has_agenda: bool
    minutes_issued_at: datetime | None
    past: bool

    @property
    def needs(self) -> str | None:
        """What the meeting still needs: an agenda before, minutes after."""
        if not self.past and not self.has_agenda:
            return "agenda"
        if self.past and self.minutes_issued_at is None:
            return "minutes"
        return None


def next_meetings(user_id: int, now: datetime) -> list[MeetingRow]:
    """Meetings at the user's sites from the start of this week to two weeks ahead: every
    one still to come, and this week's past ones whose minutes are not issued. One query."""
    on = to_london(now).date()
    monday = london_to_utc(datetime.combine(on - timedelta(days=on.weekday()), time()))
    end = now + timedelta(days=MEETINGS_AHEAD_DAYS)
    has_agenda = exists().where(AgendaItem.meeting_id == Meeting.id)
    rows = db.session.execute(
        select(
            Meeting.id,
            Meeting.site_id,
            Site.name,
            Meeting.title,
            Meeting.starts_at,
            has_agenda.label("has_agenda"),
            Meeting.minutes_issued_at,
        )  # fmt: skip
        .join(Site, Site.id == Meeting.site_id)
        .join(
            Membership, and_(Membership.site_id == Meeting.site_id, Membership.user_id == user_id)
        )
        .where(Meeting.cancelled.is_(False), Meeting.starts_at >= monday, Meeting.starts_at < end)
        .order_by(Meeting.starts_at)
    )
    meetings = [MeetingRow(*row, past=row[4] <= now) for row in rows]
    return [m for m in meetings if not m.past or m.needs == "minutes"]
