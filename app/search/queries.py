"""The site search's reads: one query per kind of record, so the count never grows. Tasks,
actions and risks are found by their owner's name too, and meetings by their chair's.

PostgreSQL matches with its full-text search (`to_tsvector @@ plainto_tsquery`, which
understands word endings: "meeting" finds "meetings"); other databases (SQLite) match every
word of the query anywhere in the text, ignoring case. Erased people are never found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import aliased

from app.core.dates import uk_date
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


def _fetch(model, site_id: int, columns: list, q: str, *extra, order=None, owner=None) -> list:  # noqa: ANN001
    """Records whose text matches; with `owner` (the column naming a person: a task's or an
    action's owner, a meeting's chair) that person's name counts as the record's text, and
    each row is (record, owner's name), all in the one statement."""
    if owner is None:
        query = select(model).where(text_match(columns, q, _dialect()))
    else:
        person = aliased(Person)
        named = (person.id == owner) & person.erased.is_(False)  # the erased have no name
        query = (
            select(model, person.name)
            .outerjoin(person, named)
            .where(text_match([*columns, person.name], q, _dialect()))
        )
    query = (
        query.where(model.site_id == site_id, *extra)
        .order_by(order if order is not None else model.id)
        .limit(LIMIT + 1)
    )
    if owner is None:
        return list(db.session.scalars(query))
    return list(db.session.execute(query))


def _with_owner(detail: str, owner: str | None, word: str = "Owner") -> str:
    return f"{detail} · {word}: {owner}" if owner else detail


def search_site(site_id: int, q: str) -> list[Group]:
    """Every kind of record in one site matching `q`; six queries whatever the data."""
    if not words(q):
        return []
    tasks = _fetch(
        Task, site_id, [Task.title, Task.notes], q, order=Task.phase, owner=Task.owner_id
    )
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
        owner=RaidEntry.owner_id,
    )
    decisions = _fetch(
        RaidEntry,
        site_id,
        [RaidEntry.title, RaidEntry.description, RaidEntry.outcome],
        q,
        RaidEntry.kind == "decision",
    )
    meetings = _fetch(
        Meeting,
        site_id,
        [Meeting.title, Meeting.location],
        q,
        order=Meeting.starts_at.desc(),
        owner=Meeting.chair_id,
    )
    actions = _fetch(Action, site_id, [Action.description], q, owner=Action.owner_id)
    return [
        _group(
            "tasks",
            "Tasks",
            tasks,
            lambda row: Hit(
                row[0].title,
                "sites.plan.task",
                {"task_id": row[0].id},
                _with_owner(f"Phase {row[0].phase}", row[1]),
            ),
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
            lambda row: Hit(
                row[0].title,
                "sites.risks.show",
                {"entry_id": row[0].id},
                _with_owner(KINDS.get(row[0].kind, row[0].kind), row[1]),
            ),
        ),
        _group(
            "meetings",
            "Meetings",
            meetings,
            lambda row: Hit(
                row[0].title,
                "sites.meetings.show",
                {"meeting_id": row[0].id},
                _with_owner(uk_date(row[0].starts_at), row[1], "Chair"),
            ),
        ),
        _group(
            "actions",
            "Actions",
            actions,
            lambda row: Hit(
                row[0].description[:160],
                "sites.meetings.edit_action",
                {"action_id": row[0].id},
                _with_owner(f"Due {uk_date(row[0].due_date, 'date not set')}", row[1]),
            ),
        ),
        _group(
            "decisions",
            "Decisions",
            decisions,
            lambda e: Hit(e.title, "sites.risks.show", {"entry_id": e.id}, e.status_name),
        ),
    ]
