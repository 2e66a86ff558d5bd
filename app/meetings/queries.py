"""Reads for the meetings pages and for other features: each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, case, func, literal_column, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.selectable import ScalarSelect

from app.core.dates import now_param, today_param, utcnow
from app.extensions import db
from app.meetings.models import Action, AgendaItem, Invitee, Meeting
from app.people.models import Group, Person
from app.plan.models import Task
from app.sites.models import Site


def is_upcoming(now: Any) -> ColumnElement[bool]:
    """SQL: a meeting not cancelled that has not ended by `now` (a moment or a bound
    parameter). The one definition the meetings pages, the overview and the portfolio use."""
    return and_(Meeting.cancelled.is_(False), Meeting.ends_at >= now)


def was_held(now: Any) -> ColumnElement[bool]:
    """SQL: a meeting not cancelled that had ended by `now`."""
    return and_(Meeting.cancelled.is_(False), Meeting.ends_at < now)


def people(site_id: int) -> list[Row]:
    """Each person's id and name, for drop-downs: rows, not whole records, as a site may
    have hundreds and the meeting page lists them in three of its forms."""
    return list(
        db.session.execute(
            select(Person.id, Person.name)
            .where(Person.site_id == site_id, Person.erased.is_(False))
            .order_by(Person.name)
        )
    )


def groups(site_id: int) -> list[Group]:
    return list(
        db.session.scalars(select(Group).where(Group.site_id == site_id).order_by(Group.name))
    )


@dataclass(frozen=True, slots=True)
class IdName:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class IdTitle:
    id: int
    title: str


def people_and_tasks(site_id: int) -> tuple[list[IdName], list[IdTitle]]:
    """Each person's id and name (as `people`) and each task's id and title (plan order),
    in one statement (a UNION ALL), for the drop-downs of the meeting page and the action
    log. Each branch numbers its rows in its own order, so the database's collation still
    decides how names sort."""
    people_rows = select(
        literal_column("0").label("kind"),
        func.row_number().over(order_by=Person.name).label("n"),
        Person.id.label("id"),
        Person.name.label("name"),
    ).where(Person.site_id == site_id, Person.erased.is_(False))
    task_rows = select(
        literal_column("1").label("kind"),
        func.row_number().over(order_by=(Task.phase, Task.position, Task.id)).label("n"),
        Task.id.label("id"),
        Task.title.label("name"),
    ).where(Task.site_id == site_id)
    rows = sorted(db.session.execute(union_all(people_rows, task_rows)), key=lambda r: r[:2])
    people_list = [IdName(row.id, row.name) for row in rows if row.kind == 0]
    task_list = [IdTitle(row.id, row.name) for row in rows if row.kind == 1]
    return people_list, task_list


def meetings_for_list(site_id: int) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming (soonest first) and past (latest first) meetings, in one query."""
    rows = list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.site_id == site_id)
            .options(joinedload(Meeting.group), joinedload(Meeting.chair))
            .order_by(Meeting.starts_at)
        )
    )
    now = utcnow()
    upcoming = [m for m in rows if m.ends_at >= now]
    past = [m for m in rows if m.ends_at < now]
    past.reverse()
    return upcoming, past


# What a meeting's page shows: get_for_site_or_404(Meeting, id, *MEETING_PAGE). The
# invitees (a few dozen at most) are joined to the meeting's own row, saving a statement;
# the agenda gets its own, as joining both lists would multiply their rows.
MEETING_PAGE = (
    joinedload(Meeting.group),
    joinedload(Meeting.chair),
    joinedload(Meeting.minute_taker),
    joinedload(Meeting.invitees).joinedload(Invitee.person),
    selectinload(Meeting.agenda).options(
        joinedload(AgendaItem.presenter), joinedload(AgendaItem.task)
    ),
)


def feed_meetings(site_id: int) -> list[Meeting]:
    """Every meeting with what the calendar feed shows (chair, invitees, agenda), in a fixed
    number of queries however many meetings there are."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.site_id == site_id)
            .options(
                joinedload(Meeting.chair),
                selectinload(Meeting.invitees).joinedload(Invitee.person),
                selectinload(Meeting.agenda),
            )
            .order_by(Meeting.starts_at)
        )
    )


def _action_options():  # noqa: ANN202 - loader options
    return (joinedload(Action.owner), joinedload(Action.meeting), joinedload(Action.task))


def meeting_actions(meeting: Meeting) -> list[Action]:
    return actions_for_meeting(meeting)[0]


def carried_forward(meeting: Meeting) -> list[Action]:
    """Open actions raised before this meeting: what its action-log review goes through."""
    return actions_for_meeting(meeting)[1]


def actions_for_meeting(meeting: Meeting) -> tuple[list[Action], list[Action]]:
    """(actions raised at this meeting, open actions carried forward to it), in one query.

    Carried forward: open actions raised at an earlier meeting, or added directly before
    this one started; most pressing due date first.
    """
    raised_here = Action.meeting_id == meeting.id
    carried = and_(
        Action.status == "open",
        or_(
            Meeting.starts_at < meeting.starts_at,
            and_(Action.meeting_id.is_(None), Action.created_at < meeting.starts_at),
        ),
    )
    rows = list(
        db.session.scalars(
            select(Action)
            .outerjoin(Meeting, Meeting.id == Action.meeting_id)
            .where(Action.site_id == meeting.site_id, or_(raised_here, carried))
            .options(*_action_options())
        )
    )
    here = sorted((a for a in rows if a.meeting_id == meeting.id), key=lambda a: a.id)
    earlier = sorted(
        (a for a in rows if _is_carried(a, meeting)),
        key=lambda a: (a.due_date is None, a.due_date or date.min, a.id),
    )
    return here, earlier


def _is_carried(action: Action, meeting: Meeting) -> bool:
    if action.status != "open":
        return False
    if action.meeting is not None:
        return action.meeting.starts_at < meeting.starts_at
    return action.created_at < meeting.starts_at


@dataclass
class ActionFilters:
    status: str = ""  # "", open, done, dropped, overdue
    owner_id: int | None = None
    meeting_id: int | None = None


def action_log(site_id: int, filters: ActionFilters, on: date) -> list[Action]:
    query = select(Action).where(Action.site_id == site_id).options(*_action_options())
    if filters.status == "overdue":
        query = query.where(Action.status == "open", Action.due_date < on)
    elif filters.status:
        query = query.where(Action.status == filters.status)
    if filters.owner_id:
        query = query.where(Action.owner_id == filters.owner_id)
    if filters.meeting_id:
        query = query.where(Action.meeting_id == filters.meeting_id)
    order = case((Action.status == "open", 0), else_=1)
    return list(
        db.session.scalars(
            query.order_by(order, Action.due_date.is_(None), Action.due_date, Action.id)
        )
    )


ACTION_PAGE = tuple(_action_options())


def load_actions(site_id: int, action_ids: list[int]) -> list[Action]:
    """Several of a site's actions in one query (ids from elsewhere are ignored)."""
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.id.in_(action_ids), Action.site_id == site_id)
            .options(*_action_options())
        )
    )


# ---- For other features (names are a contract) ----


def next_meeting(site_id: int) -> Meeting | None:
    """The next meeting that has not ended and is not cancelled."""
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.site_id == site_id, is_upcoming(utcnow()))
        .options(joinedload(Meeting.group))
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def open_actions(site_id: int) -> list[Action]:
    """Open actions, most overdue first, with owner, meeting and task loaded."""
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.site_id == site_id, Action.status == "open")
            .options(*_action_options())
            .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
        )
    )


@dataclass(frozen=True)
class BeforeMinutes:
    """What issuing a meeting's minutes will do, and what looks unfinished."""

    emailed: list[str]  # invitees with an email address: the minutes go to them
    no_email: list[str]  # invitees the minutes cannot reach
    agenda_items: int
    unrecorded: int  # invitees whose attendance is not recorded

    @property
    def warnings(self) -> list[str]:
        found = []
        if not self.agenda_items:
            found.append("The agenda is empty: the minutes will have no items.")
        if self.unrecorded:
            invited = len(self.emailed) + len(self.no_email)
            found.append(
                f"Attendance is not recorded for {self.unrecorded} of the {invited} people "
                "invited: they will show as \u201cNot recorded\u201d."
            )
        return found


def before_minutes(meeting: Meeting) -> BeforeMinutes:
    """From a meeting loaded with MEETING_PAGE: no statement of its own."""
    people = [inv for inv in meeting.invitees if not inv.person.erased]
    people.sort(key=lambda inv: inv.person.name.lower())
    return BeforeMinutes(
        emailed=[inv.person.name for inv in people if inv.person.email],
        no_email=[inv.person.name for inv in people if not inv.person.email],
        agenda_items=len(meeting.agenda),
        unrecorded=sum(1 for inv in people if inv.attendance is None),
    )


@dataclass(frozen=True)
class NextMeeting:
    id: int
    title: str
    starts_at: datetime
    location: str


def overview_facts(site_id: int) -> dict[str, ScalarSelect]:
    """The panel's facts: the next meeting not ended nor cancelled, and open actions."""
    next_id = (
        select(Meeting.id)
        .where(Meeting.site_id == site_id, is_upcoming(now_param()))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(1)
        .scalar_subquery()
    )
    on = today_param()
    open_actions = select(func.count(Action.id)).where(
        Action.site_id == site_id, Action.status == "open"
    )
    return {
        "next_id": next_id,
        **{
            f"next_{name}": select(column).where(Meeting.id == next_id).scalar_subquery()
            for name, column in (
                ("title", Meeting.title),
                ("starts_at", Meeting.starts_at),
                ("location", Meeting.location),
            )
        },
        "open_actions": open_actions.scalar_subquery(),
        "overdue": open_actions.where(Action.due_date < on).scalar_subquery(),
    }


def overview_panel(site: Site, facts: dict[str, Any]) -> dict:
    """The overview's meetings panel, from its facts alone."""
    meeting = None
    if facts["next_id"] is not None:
        meeting = NextMeeting(
            facts["next_id"], facts["next_title"], facts["next_starts_at"], facts["next_location"]
        )
    return {
        "next_meeting": meeting,
        "open_actions": facts["open_actions"],
        "overdue": facts["overdue"],
    }


def last_steering_group(site_id: int, now: datetime):  # noqa: ANN201 - a Select
    """A SELECT of when the last steering-group meeting before `now` started (UTC): the
    history page's "since the last steering group" (a statement, so it can be combined)."""
    return (
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
