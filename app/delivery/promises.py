"""Keeping the promise: when a business case is agreed, its predictions are written down as
the site's promise, read from the business case's own figures and cohort model (never
worked out again here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.business_case import service as case_service
from app.business_case.economic import economic_case, parameters, plan_for
from app.delivery.models import RAMP_UP, STEADY, Promise
from app.extensions import db
from app.kpis.periods import current_period
from app.needs.figures import figures_for
from app.sites.models import Site

RAMP_UP_QUARTERS = 4  # year 1


@dataclass(frozen=True)
class Measure:
    label: str  # "Patients assessed"
    kpi: int | None  # the FLS-DB KPI that measures it
    evidence: str = ""  # for a measure no KPI counts: what would show it
    unit: str = "patients"


MEASURES = {
    "identified": Measure("Patients identified", 2),
    "assessed": Measure("Patients assessed within 90 days", 4),
    "scanned": Measure("Patients with a DXA scan within 90 days", 5),
    "treated": Measure("Patients started on bone therapy", 10),
    "adherent": Measure("Patients still on treatment at 12 months", 11),
    "staff": Measure(
        "Staff in post",
        None,
        "the staff in post each quarter from the electronic staff record (ESR) or the rota, "
        "against the posts funded",
        "WTE",
    ),
    "cost": Measure(
        "Yearly cost of the service",
        None,
        "the service's spend from the finance ledger each quarter, against the budget agreed",
        "£ a year",
    ),
}


def add_quarters(day: date, count: int) -> date:
    months = day.year * 12 + day.month - 1 + 3 * count
    return date(months // 12, months % 12 + 1, 1)


def next_quarter(day: date) -> date:
    """The first day of the quarter after the one `day` falls in."""
    return add_quarters(current_period("quarter", day).start, 1)


@dataclass(frozen=True)
class Figures:
    """One period's promised shares of a year's caseload and the KPI percentages."""

    identified: float  # share of the caseload, 0-1
    treated: float
    adherent: float
    persistence: float  # share of those treated still on it at 12 months


def _shares(result, caseload: float, appraisal) -> Figures:  # noqa: ANN001 - OptionResult, Appraisal
    plan = plan_for(result, caseload, appraisal.assumptions, appraisal.costs)
    p = parameters()
    persistence = (
        plan.followed * p["persistence_12m_followed"]
        + (1 - plan.followed) * p["persistence_12m_usual"]
    )
    identified = (result.option.identification or 0) / 100
    return Figures(identified, plan.treated, plan.treated * persistence, persistence)


def promise_rows(site: Site, agreed_on: date) -> list[dict]:
    """The promise of the site's agreed case, as rows (empty when the case cannot be worked
    out: no needs analysis or rates)."""
    state = case_service.load(site)
    appraisal = state.appraisal
    figures = figures_for(site)
    case = economic_case(appraisal)
    caseload = figures.patients_a_year
    if case is None or not caseload:
        return []
    promised = _shares(appraisal.case, caseload, appraisal)
    today = _shares(appraisal.options["nothing"], caseload, appraisal)
    extra_treated = (promised.treated - today.treated) * caseload
    per_treated = case.prevented_total / extra_treated if extra_treated > 0 else None
    dxa = appraisal.costs["dxa_share"] / 100
    assessed = (figures.targets.get(4) or 100.0) / 100  # the model assesses everyone found
    quarter = caseload / 4
    start = next_quarter(agreed_on)
    rows = []
    for period, first, last in (
        (RAMP_UP, start, add_quarters(start, RAMP_UP_QUARTERS)),
        (STEADY, add_quarters(start, RAMP_UP_QUARTERS), None),
    ):
        # Year 1 ramps up from today's service to the case's: on average halfway.
        def share(name: str, period: str = period) -> float:
            now, then = getattr(today, name), getattr(promised, name)
            return (now + then) / 2 if period == RAMP_UP else then

        ident, treated = share("identified"), share("treated")
        per_found = per_treated * treated / ident if per_treated and ident else None
        staff = (figures.nurse_wte or 0) + (figures.admin_wte or 0) + (figures.sessions or 0) / 10
        cost = figures.first_year_cost if period == RAMP_UP else figures.later_year_cost
        values = {
            "identified": (100 * ident, quarter * ident, None, per_found),
            "assessed": (100 * assessed, quarter * ident * assessed, None, per_found),
            "scanned": (100 * dxa, quarter * ident * dxa, None, None),
            "treated": (
                appraisal.assumptions.get("treatment_uptake"), quarter * treated, None,
                per_treated,
            ),
            "adherent": (100 * share("persistence"), quarter * share("adherent"), None, None),
            "staff": (None, None, staff, None),
            "cost": (None, None, cost, None),
        }  # fmt: skip
        for measure, (percent, patients, amount, per_patient) in values.items():
            rows.append(
                {
                    "measure": measure,
                    "kpi_number": MEASURES[measure].kpi,
                    "period": period,
                    "starts_on": first,
                    "ends_on": last,
                    "percent": percent,
                    "patients": patients,
                    "amount": amount,
                    "fractures_per_patient": per_patient,
                }
            )
    return rows


def keep_promise(site: Site, agreed_on: date) -> int | None:
    """Write the agreed case's promise as a new version (None: nothing could be worked
    out). Agreeing again on the same date keeps the version already written."""
    latest = db.session.execute(
        select(func.max(Promise.version), func.max(Promise.agreed_on)).where(
            Promise.site_id == site.id
        )
    ).one()
    if latest[1] == agreed_on:
        return latest[0]
    rows = promise_rows(site, agreed_on)
    if not rows:
        return None
    version = (latest[0] or 0) + 1
    db.session.add_all(
        Promise(site_id=site.id, version=version, agreed_on=agreed_on, **row) for row in rows
    )
    db.session.flush()
    return version
