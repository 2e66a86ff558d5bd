"""The site search's reads: one query per kind of record, so the count never grows.

PostgreSQL matches with its full-text search (`to_tsvector @@ plainto_tsquery`, which
understands word endings: "meeting" finds "meetings"); other databases (SQLite) match every
word of the query anywhere in the text, ignoring case. Erased people are never found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select

from app.extensions import db
from app.meetings.models import Action, Meeting
from app.people.models import Person
from app.plan.models import Task
from app.risks.models import KINDS, RaidEntry

LIMIT = 20  # per kind; more than this and the person should narrow the words
MAX_WORDS = 8


@dataclass
class Hit:
    title: str
    endpoint: str
    values: dict
    detail: str = ""


@dataclass
class Group:
    key: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # there were more than LIMIT matches


def words(q: str) -> list[str]:
    return q.split()[:MAX_WORDS]


def _like(column: ColumnElement, word: str) -> ColumnElement:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def text_match(columns: list[ColumnElement], q: str, dialect: str) -> ColumnElement:
    """A WHERE clause: the record's text columns match the words of `q`."""
    if dialect == "postgresql":
        document = func.concat_ws(" ", *[func.coalesce(c, "") for c in columns])
        return func.to_tsvector("english", document).bool_op("@@")(
            func.plainto_tsquery("english", q)
        )
    return and_(*[or_(*[_like(c, word) for c in columns]) for word in words(q)])


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _group(key: str, label: str, rows: list, hit: Callable) -> Group:  # noqa: ANN001
    return Group(key, label, [hit(r) for r in rows[:LIMIT]], more=len(rows) > LIMIT)


def _fetch(model, site_id: int, columns: list, q: str, *extra, order=None) -> list:  # noqa: ANN001
    query = (
        select(model)
        .where(model.site_id == site_id, text_match(columns, q, _dialect()), *extra)
        .order_by(order if order is not None else model.id)
        .limit(LIMIT + 1)
    )
    return list(db.session.scalars(query))


def search_site(site_id: int, q: str) -> list[Group]:
    """Every kind of record in one site matching `q`; six queries whatever the data."""
    if not words(q):
        return []
    tasks = _fetch(Task, site_id, [Task.title, Task.notes], q, order=Task.phase)
    people = _fetch(
        Person,
        site_id,
        [Person.name, Person.job_title, Person.organisation, Person.email],
        q,
        Person.erased.is_(False),
        order=Person.name,
    )
    entries = _fetch(
        RaidEntry,
        site_id,
        [RaidEntry.title, RaidEntry.description, RaidEntry.action, RaidEntry.outcome],
        q,
        RaidEntry.kind != "decision",
    )
    decisions = _fetch(
        RaidEntry,
        site_id,
        [RaidEntry.title, RaidEntry.description, RaidEntry.outcome],
        q,
        RaidEntry.kind == "decision",
    )
    meetings = _fetch(
        Meeting, site_id, [Meeting.title, Meeting.location], q, order=Meeting.starts_at.desc()
    )
    actions = _fetch(Action, site_id, [Action.description], q)
    return [
        _group(
            "tasks",
            "Tasks",
            tasks,
            lambda t: Hit(t.title, "sites.plan.task", {"task_id": t.id}, f"Phase {t.phase}"),
        ),
        _group(
            "people",
            "People",
            people,
            lambda p: Hit(
                p.name,
                "sites.people.show",
                {"person_id": p.id},
                ", ".join(x for x in (p.job_title, p.organisation) if x),
            ),
        ),
        _group(
            "risks",
            "Risks, issues, assumptions and dependencies",
            entries,
            lambda e: Hit(
                e.title, "sites.risks.show", {"entry_id": e.id}, KINDS.get(e.kind, e.kind)
            ),
        ),
        _group(
            "meetings",
            "Meetings",
            meetings,
            lambda m: Hit(m.title, "sites.meetings.show", {"meeting_id": m.id}, m.starts_at),
        ),
        _group(
            "actions",
            "Actions",
            actions,
            lambda a: Hit(
                a.description[:160], "sites.meetings.edit_action", {"action_id": a.id}, a.due_date
            ),
        ),
        _group(
            "decisions",
            "Decisions",
            decisions,
            lambda e: Hit(e.title, "sites.risks.show", {"entry_id": e.id}, e.status_name),
        ),
    ]
