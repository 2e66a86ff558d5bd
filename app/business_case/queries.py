"""What the business case documents read: a fixed few statements, whatever the data size.

The case, its entered costs, needs figures, decision and the six gateways come in one
statement (the gateways as the documents' labelled scalar subqueries), then one each for
the project team, the plan and the top risks, read as the PID reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.business_case import service
from app.business_case.models import BusinessCase, CostValue
from app.documents import queries as document_queries
from app.documents import raid
from app.extensions import db
from app.kpis.models import KpiTarget
from app.needs import service as needs_service
from app.needs.models import NeedsVersion
from app.plan.models import Task
from app.risks.models import RaidEntry
from app.sites.models import Site
from app.toolkit import get_toolkit

if TYPE_CHECKING:
    pass

TOP_RISKS = 5


@dataclass
class CaseFacts:
    state: service.CaseState
    gateways: dict[int, document_queries.GatewayRow]
    targets: dict[int, float]  # the site's own KPI targets


def kpi_target_facts(site_id: int) -> dict[str, Any]:
    """The site's own target of each KPI, as labelled scalar subqueries."""
    return {
        f"kpi_target_{kpi.number}": select(KpiTarget.target)
        .where(KpiTarget.site_id == site_id, KpiTarget.kpi_number == kpi.number)
        .scalar_subquery()
        for kpi in get_toolkit().kpis
    }


def targets_from(row: Mapping[str, Any]) -> dict[int, float]:
    return {
        kpi.number: row[f"kpi_target_{kpi.number}"]
        for kpi in get_toolkit().kpis
        if row[f"kpi_target_{kpi.number}"] is not None
    }


def case_facts(site: Site) -> CaseFacts:
    """The case, its appraisal and the gateways (one statement).
    The case's decision is loaded with it, so `service.decision_for` finds it without a query."""
    latest_needs = (
        select(func.max(NeedsVersion.id)).where(NeedsVersion.site_id == Site.id).correlate(Site)
    )
    decision = aliased(RaidEntry)
    # One row per entered cost (a dozen at most), each repeating the case's facts.
    rows = db.session.execute(
        select(
            BusinessCase,
            NeedsVersion,
            decision,
            CostValue,
            *(
                column.label(name)
                for name, column in document_queries.gateway_facts(site.id).items()
            ),
            *(column.label(name) for name, column in kpi_target_facts(site.id).items()),
        )
        .select_from(Site)
        .outerjoin(BusinessCase, BusinessCase.site_id == Site.id)
        .outerjoin(NeedsVersion, NeedsVersion.id == latest_needs.scalar_subquery())
        .outerjoin(decision, decision.id == BusinessCase.decision_id)
        .outerjoin(CostValue, CostValue.site_id == Site.id)
        .where(Site.id == site.id)
    ).all()
    case, needs = rows[0][0], rows[0][1]
    gateways = document_queries.gateway_rows(rows[0]._mapping)
    values = service.values_by_key(row[3] for row in rows)
    state = service.state_from(case, values, needs_service.state_from_version(needs), site.nation)
    return CaseFacts(state, gateways, targets_from(rows[0]._mapping))


def project_team(site: Site) -> list[document_queries.TeamRow]:
    """The project team by toolkit role, as the PID shows it (one statement)."""
    return document_queries.people_sections(site.id, site.organisation or "")[0]


def plan_phases(site_id: int) -> list[document_queries.PhaseRow]:
    """The plan by phase (one statement: the tasks; the document names no owners)."""
    tasks = db.session.scalars(
        select(Task).where(Task.site_id == site_id).order_by(Task.phase, Task.position, Task.id)
    )
    return document_queries.phase_rows(list(tasks))


def top_risks(site_id: int) -> list[raid.RiskRow]:
    """The highest-scoring open risks, as the PID shows them (one statement)."""
    return raid.key_risks(site_id, TOP_RISKS)
