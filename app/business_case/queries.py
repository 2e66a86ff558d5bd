"""What the business case documents read: a fixed few statements, whatever the data size.

The case, its entered costs, needs figures, decision and the six gateways come in one
statement (the gateways as labelled scalar subqueries), then one each for the project team,
the plan and the top risks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from app.business_case import service
from app.business_case.models import BusinessCase, CostValue
from app.core.dates import uk_date
from app.documents import raid, sources
from app.extensions import db
from app.gateways.models import GATEWAY_STATUSES, SIGNED, Gateway, GatewayDecision
from app.needs import service as needs_service
from app.needs.models import NeedsVersion
from app.people.models import Group, GroupMember, Person
from app.plan.models import Task
from app.risks.models import Mitigation, RaidEntry
from app.risks.queries import CURRENT_SCORE
from app.sites.models import Site
from app.toolkit import get_toolkit
from app.toolkit.vocabulary import gateway_phase_numbers

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import Label

TOP_RISKS = 5


@dataclass
class CaseFacts:
    state: service.CaseState
    gateways: dict[int, sources.GatewayRow]


def _gateway_columns() -> list[Label]:
    """Each phase's gateway status and latest standing sign-off, correlated to the site."""
    columns = []
    for phase in gateway_phase_numbers():
        status = select(Gateway.status).where(Gateway.site_id == Site.id, Gateway.phase == phase)
        signed = select(func.max(GatewayDecision.at)).where(
            GatewayDecision.site_id == Site.id,
            GatewayDecision.phase == phase,
            GatewayDecision.action.in_(SIGNED),
        )
        columns.append(status.correlate(Site).scalar_subquery().label(f"status_{phase}"))
        columns.append(signed.correlate(Site).scalar_subquery().label(f"signed_{phase}"))
    return columns


def case_facts(site: Site) -> CaseFacts:
    """The case, its appraisal and the gateways (one statement).
    The case's decision is loaded with it, so `service.decision_for` finds it without a query."""
    latest_needs = (
        select(func.max(NeedsVersion.id)).where(NeedsVersion.site_id == Site.id).correlate(Site)
    )
    decision = aliased(RaidEntry)
    # One row per entered cost (a dozen at most), each repeating the case's facts.
    rows = db.session.execute(
        select(BusinessCase, NeedsVersion, decision, CostValue, *_gateway_columns())
        .select_from(Site)
        .outerjoin(BusinessCase, BusinessCase.site_id == Site.id)
        .outerjoin(NeedsVersion, NeedsVersion.id == latest_needs.scalar_subquery())
        .outerjoin(decision, decision.id == BusinessCase.decision_id)
        .outerjoin(CostValue, CostValue.site_id == Site.id)
        .where(Site.id == site.id)
    ).all()
    case, needs = rows[0][0], rows[0][1]
    figures = rows[0][4:]
    gateways = {}
    for index, phase in enumerate(gateway_phase_numbers()):
        status = figures[2 * index] or "not_ready"
        signed_at = figures[2 * index + 1]
        signed = status in SIGNED
        words = GATEWAY_STATUSES.get(status, status)
        if signed and signed_at is not None:
            words = f"{words} {uk_date(signed_at)}"
        gateways[phase] = sources.GatewayRow(phase=phase, status=words, signed=signed)
    values = service.values_by_key(row[3] for row in rows)
    state = service.state_from(case, values, needs_service.state_from_version(needs))
    return CaseFacts(state, gateways)


def project_team(site: Site) -> list[sources.TeamRow]:
    """The project team by toolkit role (one statement, people and groups joined)."""
    toolkit = get_toolkit()
    members = db.session.scalars(
        select(GroupMember)
        .join(Group, Group.id == GroupMember.group_id)
        .join(Person, Person.id == GroupMember.person_id)
        .where(
            GroupMember.site_id == site.id,
            Group.site_id == site.id,
            Group.kind == "project_team",
            Person.erased.is_(False),
        )
        .options(contains_eager(GroupMember.person), contains_eager(GroupMember.group))
        .order_by(Person.name)
    )
    role_order = {role.key: number for number, role in enumerate(toolkit.roles)}
    home = site.organisation or ""
    team = []
    for member in members:
        role = toolkit.roles_by_key.get(member.team_role)
        row = sources.TeamRow(
            role=role.name if role else (member.team_role or "Team member"),
            name=member.person.name,
            job_title=sources._role_at(member.person, home),
            responsibilities=role.responsibilities if role else "",
        )
        team.append((role_order.get(member.team_role, 99), row))
    return [row for _order, row in sorted(team, key=lambda pair: pair[0])]


def plan_phases(site_id: int) -> list[sources.PhaseRow]:
    """The plan by phase (one statement: the tasks; the document names no owners)."""
    tasks = db.session.scalars(
        select(Task).where(Task.site_id == site_id).order_by(Task.phase, Task.position, Task.id)
    )
    return sources.phase_rows(list(tasks))


def top_risks(site_id: int) -> list[raid.RiskRow]:
    """The highest-scoring open risks (one statement: owners, mitigations, their tasks and
    the tasks' owners joined)."""
    entries = db.session.scalars(
        select(RaidEntry)
        .where(RaidEntry.site_id == site_id, RaidEntry.kind == "risk", RaidEntry.status == "open")
        .options(
            joinedload(RaidEntry.owner),
            joinedload(RaidEntry.mitigations).joinedload(Mitigation.task).joinedload(Task.owner),
        )
        .order_by(CURRENT_SCORE.desc().nulls_last(), RaidEntry.raised_on, RaidEntry.id)
        .limit(TOP_RISKS)
    ).unique()
    rows = []
    for entry in entries:
        score, band = entry.current_score, entry.band
        shown = (
            f"{score} ({band.name})" if score and band else (str(score) if score else "Not scored")
        )
        mitigations = list(entry.mitigations)
        task_owners = [m.task.owner for m in mitigations if m.task is not None and m.task.owner]
        owner = raid.owner_name(entry.owner, *task_owners)
        rows.append(raid.RiskRow(entry.title, shown, owner, raid.doing_text(entry, mitigations)))
    return rows
