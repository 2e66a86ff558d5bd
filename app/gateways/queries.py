"""Reads of gateway rows and decisions: for the gateway pages, the overview, the home page,
the portfolio and the documents. One statement each."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import case, exists, func, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect

from app.accounts.models import User
from app.extensions import db
from app.gateways.models import SIGNED, Gateway, GatewayDecision
from app.gateways.readiness import PHASES
from app.sites.models import Site
from app.toolkit.vocabulary import current_phase, gateway_phase_numbers


def gateway_for(site: Site, phase: int) -> Gateway | None:
    return db.session.scalar(
        select(Gateway).where(Gateway.site_id == site.id, Gateway.phase == phase)
    )


def gateways(site: Site) -> dict[int, Gateway]:
    """{phase: Gateway} of the site's gateway rows (a row exists once anything happened)."""
    return {
        gateway.phase: gateway
        for gateway in db.session.scalars(select(Gateway).where(Gateway.site_id == site.id))
    }


def statuses(site: Site) -> dict[int, str]:
    rows = db.session.execute(
        select(Gateway.phase, Gateway.status).where(Gateway.site_id == site.id)
    ).all()
    found = {phase: status for phase, status in rows}
    return {phase: found.get(phase, "not_ready") for phase in PHASES}


def phase_facts(site_id: int, actions: Iterable[str]) -> dict[str, ScalarSelect]:
    """Each gated phase's status (None when it has no row yet) and the time of its latest
    decision among `actions`, as one-value SQL a page reads among its other facts:
    `gateway_<phase>_status` and `gateway_<phase>_at`."""
    actions = list(actions)
    facts: dict[str, ScalarSelect] = {}
    for phase in PHASES:
        facts[f"gateway_{phase}_status"] = (
            select(Gateway.status)
            .where(Gateway.site_id == site_id, Gateway.phase == phase)
            .scalar_subquery()
        )
        facts[f"gateway_{phase}_at"] = (
            select(func.max(GatewayDecision.at))
            .where(
                GatewayDecision.site_id == site_id,
                GatewayDecision.phase == phase,
                GatewayDecision.action.in_(actions),
            )
            .scalar_subquery()
        )
    return facts


def current_phase_fact(site_id: int) -> ColumnElement:
    """`vocabulary.current_phase` as one SQL value (the first gated phase not signed off, the
    last once all are), so the overview can read it among its facts."""
    gated = gateway_phase_numbers()
    signed = [
        (
            ~exists().where(
                Gateway.site_id == site_id, Gateway.phase == number, Gateway.status.in_(SIGNED)
            ),
            number,
        )
        for number in gated
    ]
    return case(*signed, else_=gated[-1])


def signed_off_facts(site_id: int) -> dict[int, ColumnElement]:
    """{gated phase: when its standing sign-off was made (None while it is not signed off)}
    as one-value SQL, so the plan page reads them in the statement that loads the plan."""
    facts: dict[int, ColumnElement] = {}
    for phase in PHASES:
        signed = exists().where(
            Gateway.site_id == site_id, Gateway.phase == phase, Gateway.status.in_(SIGNED)
        )
        when = (
            select(func.max(GatewayDecision.at))
            .where(
                GatewayDecision.site_id == site_id,
                GatewayDecision.phase == phase,
                GatewayDecision.action.in_(SIGNED),
            )
            .scalar_subquery()
        )
        facts[phase] = case((signed, when), else_=None)
    return facts


def decisions(site: Site, phase: int) -> list[tuple[GatewayDecision, str | None]]:
    """The gateway's decisions, newest first, each with the name of who made it."""
    return [
        (row[0], row[1])
        for row in db.session.execute(
            select(GatewayDecision, User.name)
            .outerjoin(User, User.id == GatewayDecision.user_id)
            .where(GatewayDecision.site_id == site.id, GatewayDecision.phase == phase)
            .order_by(GatewayDecision.at.desc(), GatewayDecision.id.desc())
        ).all()
    ]


def requested_exceptions_in(history: list[tuple[GatewayDecision, str | None]]) -> dict[str, str]:
    """{criterion key: the team's reason} from the latest review request in `history`
    (newest first, as `decisions` gives it)."""
    latest = next((d for d, _who in history if d.action == "review_requested"), None)
    return {e["key"]: e["reason"] for e in (latest.exceptions if latest else [])}


def requested_by(site: Site, phase: int) -> int | None:
    """The user who made the latest review request for this gateway."""
    return db.session.scalar(
        select(GatewayDecision.user_id)
        .where(
            GatewayDecision.site_id == site.id,
            GatewayDecision.phase == phase,
            GatewayDecision.action == "review_requested",
        )
        .order_by(GatewayDecision.at.desc(), GatewayDecision.id.desc())
        .limit(1)
    )


# -- Across sites: one query each, for the home page, overview and portfolio.


def current_phase_of(statuses: dict[int, str]) -> int:
    """The current-phase rule applied to one site's statuses (no statement)."""
    return current_phase({phase for phase, status in statuses.items() if status in SIGNED})


def current_phases(site_ids: list[int]) -> dict[int, int]:
    """The first phase whose gateway is not signed off (6 once every gateway is). One query."""
    signed: dict[int, set[int]] = {site_id: set() for site_id in site_ids}
    if site_ids:
        rows = db.session.execute(
            select(Gateway.site_id, Gateway.phase).where(
                Gateway.site_id.in_(site_ids), Gateway.status.in_(SIGNED)
            )
        ).all()
        for site_id, phase in rows:
            signed[site_id].add(phase)
    return {site_id: current_phase(phases) for site_id, phases in signed.items()}
