"""Every figure the documents state, from one place. `figures_from(...)` works them out
from what was loaded (no queries); `figure_facts(site_id)` declares what they read as
labelled scalar subqueries, so a document or a gateway check fetches them inside its own
statement; `site_figures(site_id, values)` puts the two together. The business case, the
specification, the PID, the highlight report, the needs page and the gateway record all
read the same SiteFigures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.business_case import checks, service
from app.business_case.costs import default_costs
from app.business_case.economic import economic_case
from app.business_case.models import BusinessCase, CostValue
from app.core.db import select_facts
from app.core.registry import CheckResult
from app.kpis.models import KpiTarget
from app.needs import service as needs_service
from app.needs.figures import SiteFigures
from app.needs.models import NeedsVersion
from app.sites.models import Site
from app.toolkit import get_toolkit

if TYPE_CHECKING:
    from app.business_case.service import CaseState

# The case's columns the appraisal reads (the option, the horizon, the recommendation).
CASE_COLUMNS = (
    "id", "horizon_years", "preferred", "own_name", "own_description", "own_identification",
    "own_treatment", "own_followup", "own_nurse_wte", "own_admin_wte", "own_sessions",
    "own_setup",
)  # fmt: skip


def targets(own: Mapping[int, float]) -> dict[int, float]:
    """Each KPI's target: the site's own where it set one, else the national goal."""
    found = {k.number: k.goal for k in get_toolkit().kpis if k.goal is not None}
    return found | dict(own)


def figures_from(
    nation: str | None, state: CaseState, own_targets: Mapping[int, float]
) -> SiteFigures:
    """The site's figures from what was loaded (no queries)."""
    a = state.appraisal
    needs = a.needs
    option = a.case.option
    base: dict[str, Any] = {
        "nation": nation or "England",
        "population": needs.population,
        "patients_a_year": needs.caseload,
        "targets": targets(own_targets),
        "option": option.name,
        "nurse_wte": option.nurse_wte,
        "admin_wte": option.admin_wte,
        "sessions": option.sessions,
        "rates": {
            key: value
            for key, value in (
                ("identification", option.identification),
                ("treatment", option.treatment),
                ("followup", option.followup),
            )
            if value is not None
        },
    }
    case = economic_case(a)
    if case is None:
        missing = a.case.missing or ("today's identification, treatment and follow-up rates",)
        return SiteFigures(**base, missing=tuple(missing))
    prevented = case.prevented()
    budget = case.budget.years
    return SiteFigures(
        **base,
        fractures_prevented=sum(prevented.values()),
        hip_prevented=prevented["hip"],
        horizon=case.horizon_words,
        first_year_cost=budget[0].spend,
        first_year_medicines=budget[0].medicines,
        later_year_cost=budget[1].spend if len(budget) > 1 else budget[0].spend,
    )


def figure_facts(site_id: int) -> dict[str, Any]:
    """What the figures read, as labelled scalar subqueries (names start with fig_)."""
    # Each table's "of this site" condition made once and shared by its subqueries: building
    # an SQL comparison is most of the cost of building a subquery, and there are ninety.
    of_case, of_costs, of_targets = (
        BusinessCase.site_id == site_id,
        CostValue.site_id == site_id,
        KpiTarget.site_id == site_id,
    )

    def case(column: str) -> Any:
        return select(getattr(BusinessCase, column)).where(of_case)

    facts = {f"fig_case_{c}": case(c).scalar_subquery() for c in CASE_COLUMNS}
    facts["fig_case_version"] = case("version").scalar_subquery()
    facts["fig_nation"] = select(Site.nation).where(Site.id == site_id).scalar_subquery()
    for name, column in (("fig_needs", NeedsVersion.data), ("fig_needs_id", NeedsVersion.id)):
        facts[name] = (
            select(column)
            .where(NeedsVersion.site_id == site_id)
            .order_by(NeedsVersion.id.desc())
            .limit(1)
            .scalar_subquery()
        )
    for key in default_costs():
        facts[f"fig_cost_{key}"] = (
            select(CostValue.value).where(of_costs, CostValue.key == key).scalar_subquery()
        )
    for kpi in get_toolkit().kpis:
        facts[f"fig_kpi_{kpi.number}"] = (
            select(KpiTarget.target)
            .where(of_targets, KpiTarget.kpi_number == kpi.number)
            .scalar_subquery()
        )
    return facts


def figures_from_facts(values: Mapping[str, Any]) -> SiteFigures:
    """The figures from `figure_facts` values (no queries: the rows are rebuilt unsaved)."""
    case = None
    if values["fig_case_id"] is not None:
        case = BusinessCase(**{c: values[f"fig_case_{c}"] for c in CASE_COLUMNS})
    version = None if values["fig_needs"] is None else NeedsVersion(data=values["fig_needs"])
    costs = {
        key: CostValue(key=key, value=values[f"fig_cost_{key}"])
        for key in default_costs()
        if values[f"fig_cost_{key}"] is not None
    }
    own = {
        kpi.number: values[f"fig_kpi_{kpi.number}"]
        for kpi in get_toolkit().kpis
        if values[f"fig_kpi_{kpi.number}"] is not None
    }
    state = service.state_from(
        case, costs, needs_service.state_from_version(version), values["fig_nation"]
    )
    figures = figures_from(values["fig_nation"], state, own)
    # What they were worked out from, so a stored headline can say which versions it is of.
    return replace(
        figures, needs_version_id=values["fig_needs_id"], case_version=values["fig_case_version"]
    )


def site_figures(site_id: int, values: Mapping[str, Any] | None = None) -> SiteFigures:
    """The site's figures: from `values` (the caller's statement read `figure_facts`), or
    one statement of its own."""
    return figures_from_facts(select_facts(figure_facts(site_id)) if values is None else values)


def approval_facts(site_id: int) -> dict[str, Any]:
    """The Phase 4 approval check's facts: the decision and the figures it was asked for."""
    return checks.decision_facts(site_id) | figure_facts(site_id)


def case_approved_with_ask(site: Site, facts: Mapping[str, Any] | None = None) -> CheckResult:
    """Whether the case is approved, saying what it asks for, so the gateway record states
    the same figures as the business case."""
    facts = select_facts(approval_facts(site.id)) if facts is None else facts
    result = checks.case_approved(site, facts)
    ask = figures_from_facts(facts).ask_words
    if ask:
        return CheckResult(
            result.met, f"{result.detail} The business case asks for {ask}.", result.link
        )
    return result
