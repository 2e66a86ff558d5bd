"""Reads for the home page's "Waiting for you" and the reminder digests: a fixed
number of queries however many sites, tasks, actions and meetings there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Subquery, and_, func, literal, or_, select, union_all

from app.accounts.models import User
from app.documents.models import PidRequest
from app.extensions import db
from app.gateways.models import Gateway, GatewayDecision
from app.meetings.models import Action
from app.notifications.compose import external_url
from app.people.models import Person
from app.plan.models import Task
from app.sites.models import Membership, Site
from app.toolkit import get_toolkit

CLOSED_TASK = ("complete", "not_applicable")


@dataclass(frozen=True)
class WorkItem:
    kind: str  # "task" or "action"
    id: int
    site_id: int
    site_name: str
    title: str
    due_date: date
    user_id: int

    def overdue(self, on: date) -> bool:
        return self.due_date < on


def owners() -> Subquery:
    """Which user each person on a site is: linked by the person record, or by the same
    email when nobody linked them yet, and only where that user is a member of the site."""
    return (
        select(Person.id.label("person_id"), User.id.label("user_id"))
        .join(
            User,
            or_(
                Person.user_id == User.id,
                and_(Person.user_id.is_(None), func.lower(Person.email) == func.lower(User.email)),
            ),
        )
        .join(Membership, and_(Membership.site_id == Person.site_id, Membership.user_id == User.id))
        .where(Person.erased.is_(False), User.active.is_(True))
        .subquery()
    )


def work_due(horizon: date, user_id: int | None = None) -> list[WorkItem]:
    """Open tasks and actions (meeting actions included) due on or before `horizon`, with
    the user who owns each; one user's when `user_id` is given. One query (UNION ALL)."""
    who = owners()
    parts = []
    for kind, model, title, still_open in (
        ("task", Task, Task.title, Task.status.notin_(CLOSED_TASK)),
        ("action", Action, Action.description, Action.status == "open"),
    ):
        query = (
            select(
                literal(kind).label("kind"),
                model.id,
                model.site_id,
                Site.name.label("site_name"),
                title.label("title"),
                model.due_date,
                who.c.user_id,
            )  # fmt: skip
            .join(who, who.c.person_id == model.owner_id)
            .join(Site, Site.id == model.site_id)
            .where(still_open, model.due_date.is_not(None), model.due_date <= horizon)
        )
        if user_id is not None:
            query = query.where(who.c.user_id == user_id)
        parts.append(query)
    rows = [WorkItem(*row) for row in db.session.execute(union_all(*parts))]
    return sorted(rows, key=lambda item: (item.due_date, item.site_name, item.kind, item.id))


@dataclass(frozen=True)
class Review:
    """Something waiting for a sponsor's decision: a gateway review or the PID's agreement."""

    site_id: int
    site_name: str
    phase: int  # 0 for the PID
    kind: str = "gateway"  # or "pid"

    @property
    def phase_label(self) -> str:
        return get_toolkit().phase(self.phase).label

    @property
    def label(self) -> str:
        return "PID agreement" if self.kind == "pid" else f"{self.phase_label} gateway"

    @property
    def link(self) -> str:
        """The page where the sponsor decides, as an email link."""
        if self.kind == "pid":
            return external_url("sites.documents.index", site_id=self.site_id)
        return external_url("sites.gateways.show", site_id=self.site_id, phase_no=self.phase)


def reviews_waiting(user_ids: list[int]) -> dict[int, list[Review]]:
    """Gateways waiting for each of these users to sign as the site's sponsor, and PIDs
    waiting for their agreement: one statement."""
    sponsor = (Membership.is_sponsor.is_(True), Membership.user_id.in_(user_ids))
    gateways = (
        select(
            Membership.user_id.label("user_id"),
            Gateway.site_id.label("site_id"),
            Site.name.label("site_name"),
            Gateway.phase.label("phase"),
            literal("gateway").label("kind"),
        )
        .join(Site, Site.id == Gateway.site_id)
        .join(Membership, Membership.site_id == Gateway.site_id)
        .where(Gateway.status == "review_requested", *sponsor)
    )
    pids = (
        select(
            Membership.user_id,
            PidRequest.site_id,
            Site.name,
            literal(0),
            literal("pid"),
        )
        .join(Site, Site.id == PidRequest.site_id)
        .join(Membership, Membership.site_id == PidRequest.site_id)
        .where(PidRequest.status == "waiting", *sponsor)
    )
    both = union_all(gateways, pids).subquery()
    rows = db.session.execute(select(both).order_by(both.c.site_name, both.c.phase))
    waiting: dict[int, list[Review]] = {user_id: [] for user_id in user_ids}
    for row in rows:
        waiting[row.user_id].append(Review(row.site_id, row.site_name, row.phase, row.kind))
    return waiting


def decisions_since(user_ids: list[int], since: datetime) -> dict[int, list[tuple]]:
    """Gateway decisions (not requests) at sites each user manages, since `since`."""
    rows = db.session.execute(
        select(
            Membership.user_id, Site.id, Site.name, GatewayDecision.phase, GatewayDecision.action
        )
        .join(Site, Site.id == GatewayDecision.site_id)
        .join(Membership, Membership.site_id == GatewayDecision.site_id)
        .where(
            GatewayDecision.at >= since,
            GatewayDecision.action != "review_requested",
            Membership.role == "manager",
            Membership.user_id.in_(user_ids),
        )
        .order_by(GatewayDecision.at)
    )
    found: dict[int, list[tuple]] = {user_id: [] for user_id in user_ids}
    for user_id, *decision in rows:
        found[user_id].append(tuple(decision))
    return found
