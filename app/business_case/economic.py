"""The economic case for a site: each option against today's service through the cohort
model, with the money a year the site would see. Plain values in and out; no Flask.

The cohort is one year's expected fragility fracture patients (the needs page's
caseload). For each option, from its rates: the share who start treatment (found ×
recommended × started), the share still on it at 12 months (followed up or not), and the
service's cost a patient (staff and running costs ÷ patients a year, plus DXA scans for
those assessed). Today's service is the comparator: "usual care".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.business_case.calc import Appraisal, OptionResult
from app.business_case.cohort import (
    FRACTURE_SITES,
    LIFETIME,
    Arm,
    Budget,
    Comparison,
    budget_impact,
    compare,
)
from app.business_case.economics import economics

BUDGET_YEARS = 10  # a budget is set for years, not lifetimes: the budget impact's span
# Site-level inputs the sensitivity analysis varies alongside economics.toml's: the drug
# cost (a mix of tablets and infusions) and the service's own cost, as multipliers.
SITE_RANGES = {
    "drug_scale": ("Cost of a year of bone treatment", 0.5, 1.0, 2.0),
    "service_scale": ("Cost of running the service (staff, space, scans)", 0.8, 1.0, 1.3),
    "uptake_scale": ("Patients who start the treatment recommended", 0.75, 1.0, 1.1),
}


@dataclass(frozen=True)
class Plan:
    """One option's patients, before the uncertain persistence is applied."""

    name: str
    treated: float  # share of the caseload who start treatment, 0-1
    followed: float  # share of those followed up, 0-1
    service_cost: float  # £ a patient in the caseload

    def arm(self, p: Mapping[str, float]) -> Arm:
        """The cohort model arm with the parameters `p` (site multipliers applied)."""
        persistence = (
            self.followed * p["persistence_12m_followed"]
            + (1 - self.followed) * p["persistence_12m_usual"]
        )
        return Arm(
            self.name,
            min(1.0, self.treated * p["uptake_scale"]),
            persistence,
            self.service_cost * p["service_scale"],
        )


@dataclass(frozen=True)
class SiteInputs:
    """What the cohort model needs from a site's appraisal, for one option."""

    patients: float  # a year: the expected caseload
    service: Plan
    usual: Plan
    drug_cost: float
    discount_rate: float
    growth: float  # % a year
    setup: float
    horizon: int  # years, or LIFETIME
    social_hip: float | None = None  # the site's own social care cost of a hip fracture


def plan_for(
    result: OptionResult, caseload: float, a: Mapping[str, float], c: Mapping[str, float]
) -> Plan:
    """One option's patients and cost, per patient in the caseload."""
    option = result.option
    ident = (option.identification or 0) / 100
    treated = ident * (option.treatment or 0) / 100 * a["treatment_uptake"] / 100
    first = result.years[0]
    yearly = first.staff + first.running  # the service's own cost a year
    scans = ident * c["dxa_share"] / 100 * c["dxa_cost"]
    return Plan(option.name, treated, (option.followup or 0) / 100, yearly / caseload + scans)


def site_inputs(appraisal: Appraisal, key: str) -> SiteInputs | None:
    """The option `key` against today's service, or None when either cannot be worked out."""
    caseload = appraisal.needs.figures["caseload"].value
    this, today = appraisal.options.get(key), appraisal.options["nothing"]
    if not caseload or this is None or not this.ok or not today.ok:
        return None
    c, a = appraisal.costs, appraisal.assumptions
    return SiteInputs(
        patients=caseload,
        service=plan_for(this, caseload, a, c),
        usual=plan_for(today, caseload, a, c),
        drug_cost=c["drug_cost"],
        discount_rate=c["discount_rate"],
        growth=c["population_growth"],
        setup=this.option.setup,
        horizon=LIFETIME if appraisal.lifetime else appraisal.horizon,
        social_hip=c["social_care_per_hip"] or None,  # 0: the national estimate
    )


def parameters(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """economics.toml's central values and the site multipliers at 1, with any overrides."""
    values = economics().central() | {key: spec[2] for key, spec in SITE_RANGES.items()}
    return values | dict(overrides or {})


def evaluate(inputs: SiteInputs, p: Mapping[str, float]) -> Comparison:
    """The per-patient comparison with the parameters `p` (site multipliers applied)."""
    if inputs.social_hip is not None:  # the site's own figure replaces the estimate
        p = {**p, "social_hip": inputs.social_hip}
    return compare(
        p,
        inputs.service.arm(p),
        inputs.usual.arm(p),
        inputs.horizon,
        inputs.drug_cost * p["drug_scale"],
        inputs.discount_rate,
    )


@dataclass(frozen=True)
class EconomicCase:
    """One option against today's service: per patient, for a year's patients, and the
    budget by year."""

    key: str
    name: str
    inputs: SiteInputs
    comparison: Comparison
    budget: Budget

    @property
    def patients(self) -> float:
        return self.inputs.patients

    @property
    def lifetime(self) -> bool:
        return self.inputs.horizon == LIFETIME

    @property
    def horizon_words(self) -> str:
        if self.lifetime:
            return f"patients' lifetimes ({self.comparison.years} years)"
        return f"{self.comparison.years} years"

    def cost(self, discounted: bool = True) -> float:
        """Extra cost for one year's patients, over the horizon."""
        return self.comparison.cost(discounted) * self.patients

    def qalys(self, discounted: bool = True) -> float:
        return self.comparison.qalys(discounted) * self.patients

    @property
    def icer(self) -> float | None:
        return self.comparison.icer

    def prevented(self) -> dict[str, float]:
        """Fractures prevented among one year's patients, by site (not discounted)."""
        return {site: self.comparison.prevented(site) * self.patients for site in FRACTURE_SITES}

    @property
    def prevented_total(self) -> float:
        return sum(self.prevented().values())

    def component(self, name: str, discounted: bool = True) -> float:
        return self.comparison.component(name, discounted) * self.patients

    def saving_by_site(self, site: str) -> float:
        """NHS and social care costs avoided at `site` for one year's patients (discounted)."""
        return self.comparison.saving_by_site(site, parameters()) * self.patients

    @property
    def break_even(self) -> int | None:
        return self.budget.break_even


def economic_case(appraisal: Appraisal, key: str | None = None) -> EconomicCase | None:
    """Option `key` (the preferred one by default) against today's service."""
    key = key or appraisal.preferred
    inputs = site_inputs(appraisal, key)
    if inputs is None:
        return None
    comparison = evaluate(inputs, parameters())
    years = min(appraisal.horizon, BUDGET_YEARS)  # the budget covers the years asked for
    budget = budget_impact(
        comparison,
        inputs.patients,
        years,
        growth=inputs.growth,
        setup=inputs.setup,
        discount_rate=inputs.discount_rate,
    )
    return EconomicCase(key, appraisal.options[key].option.name, inputs, comparison, budget)
