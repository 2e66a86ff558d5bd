"""The cost model: what each option costs and saves, year by year. No database, no Flask.

Per option, from the Needs model (patients, fractures prevented, bed-day costs avoided) and
the costs (defaults or the site's own):

- yearly cost = staff (salaries plus on-costs) + running costs + patient costs (DXA scans
  and treatment) grown with the population + the one-off set-up cost in year 1;
- fractures prevented in year t = one year of patients' fractures prevented over their
  course ÷ years of protection × the cohorts on treatment by then (at most the course
  length) × population growth; savings follow the fractures (bed days and, where a site
  gives a figure, social care);
- money in year t is discounted by (1 + rate)^(t - 1): year 1 is today's money.

A missing input makes the option say what is missing; it is never treated as zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.needs.model import Benefits, NeedsInputs, NeedsResults, Scenario, benefits, compute

OPTION_KEYS = {
    "nothing": "Do nothing",
    "improve": "Improve what exists",
    "full": "A full fracture liaison service",
    "own": "The site's own option",
}
MAX_HORIZON = 10
MIN_HORIZON = 5


@dataclass(frozen=True)
class Option:
    key: str
    name: str
    identification: float | None
    treatment: float | None
    followup: float | None
    nurse_wte: float | None  # None: not worked out (no population for the staffing)
    admin_wte: float | None
    sessions: float
    setup: float
    description: str = ""


@dataclass(frozen=True)
class Year:
    number: int
    growth: float  # population compared with year 1
    cohorts: float  # share of a full course's patients on treatment this year
    staff: float
    running: float
    patients: float
    setup: float
    hip: float
    other: float
    bed_savings: float
    social_savings: float
    discount: float
    bed_days: float = 0.0

    @property
    def cost(self) -> float:
        return self.staff + self.running + self.patients + self.setup

    @property
    def savings(self) -> float:
        return self.bed_savings + self.social_savings

    @property
    def fractures(self) -> float:
        return self.hip + self.other

    @property
    def cost_pv(self) -> float:
        return self.cost * self.discount

    @property
    def savings_pv(self) -> float:
        return self.savings * self.discount


@dataclass(frozen=True)
class Totals:
    years: int
    cost: float  # discounted
    savings: float  # discounted
    hip: float
    fractures: float

    @property
    def net(self) -> float:
        """Net cost: positive when the service costs more than it saves."""
        return self.cost - self.savings

    @property
    def cost_per_fracture(self) -> float | None:
        return self.cost / self.fractures if self.fractures else None

    @property
    def net_per_fracture(self) -> float | None:
        return self.net / self.fractures if self.fractures else None


@dataclass
class OptionResult:
    option: Option
    missing: tuple[str, ...] = ()
    assessed: float | None = None  # patients a year, in year 1
    started: float | None = None
    years: list[Year] = field(default_factory=list)
    # One year of patients over their course (from the needs model): the per-year figures'
    # starting point, kept for the spreadsheet.
    hip_cohort: float | None = None
    other_cohort: float | None = None
    bed_cohort: float | None = None
    course: float | None = None

    @property
    def ok(self) -> bool:
        return not self.missing

    def totals(self, years: int, factor: float = 1.0) -> Totals | None:
        """Totals over the first `years` years; `factor` scales savings and fractures."""
        if not self.ok or years > len(self.years):
            return None
        span = self.years[:years]
        return Totals(
            years=years,
            cost=sum(y.cost_pv for y in span),
            savings=sum(y.savings_pv for y in span) * factor,
            hip=sum(y.hip for y in span) * factor,
            fractures=sum(y.fractures for y in span) * factor,
        )

    def break_even(self, factor: float = 1.0) -> int | None:
        """The first year by whose end discounted savings have caught up with costs."""
        cost = savings = 0.0
        for year in self.years:
            cost += year.cost_pv
            savings += year.savings_pv * factor
            if cost and savings >= cost:
                return year.number
        return None

    def cumulative(self) -> list[tuple[int, float, float]]:
        """(year, discounted cost so far, discounted savings so far) for the chart."""
        rows, cost, savings = [], 0.0, 0.0
        for year in self.years:
            cost += year.cost_pv
            savings += year.savings_pv
            rows.append((year.number, cost, savings))
        return rows


@dataclass
class Appraisal:
    horizon: int
    costs: dict[str, float]
    needs: NeedsResults
    options: dict[str, OptionResult]
    preferred: str
    assumptions: dict[str, float] = field(default_factory=dict)  # the needs model's, in use
    lifetime: bool = False  # the cohort model follows patients for their lifetimes

    @property
    def case(self) -> OptionResult:
        """The preferred option: the one the business case argues for."""
        return self.options.get(self.preferred) or self.options["full"]

    def caseload_in(self, year: int) -> float | None:
        """Expected fragility fractures a year in `year`, with the population growing."""
        caseload = self.needs.figures["caseload"].value
        if caseload is None:
            return None
        return caseload * (1 + self.costs["population_growth"] / 100) ** (year - 1)

    def compared(self, key: str) -> tuple[float, float] | None:
        """(extra discounted net cost, extra fractures) against doing nothing, over the horizon."""
        base = self.options["nothing"].totals(self.horizon)
        this = self.options[key].totals(self.horizon)
        if base is None or this is None:
            return None
        return this.net - base.net, this.fractures - base.fractures


# --- the options --------------------------------------------------------------------------


def _staff(value: float | None) -> float:
    return value or 0.0  # no staff entered means no staff in post today


def _between(now: float | None, goal: float | None) -> float | None:
    return None if now is None or goal is None else (now + goal) / 2


def standard_options(
    inputs: NeedsInputs, needs: NeedsResults, a: dict[str, float], c: dict[str, float]
) -> dict[str, Option]:
    """Do nothing (today's service), improve what exists (half way), a full FLS (80/50/80)."""
    staffing = {row["key"]: row for row in needs.staffing}
    nurse_full = staffing["nurse"]["high"]  # the busier end of the ROS range: a cautious cost
    admin_full = staffing["admin"]["high"]
    now = inputs.rates
    nurse_now = _staff(inputs.staffing.get("nurse"))
    admin_now = _staff(inputs.staffing.get("admin"))
    sessions_now = _staff(inputs.staffing.get("doctor")) * 10  # 10 sessions in a WTE
    half = None if nurse_full is None else (nurse_now + nurse_full) / 2
    half_admin = None if admin_full is None else (admin_now + admin_full) / 2
    goals = (a["target_identification"], a["target_treatment"], a["target_followup"])
    nothing = Option(
        "nothing",
        OPTION_KEYS["nothing"],
        now.get("assessment"),
        now.get("treatment"),
        now.get("followup"),
        nurse_now,
        admin_now,
        sessions_now,
        0.0,
        "Today's service carries on as it is.",
    )
    full = Option(
        "full",
        OPTION_KEYS["full"],
        *goals,
        nurse_full,
        admin_full,
        c["sessions_per_week"],
        c["setup_cost"],
        "A service meeting the 80/50/80 goals, staffed as the Royal Osteoporosis Society "
        "recommends for the population.",
    )
    improve = Option(
        "improve",
        OPTION_KEYS["improve"],
        _between(now.get("assessment"), goals[0]),
        _between(now.get("treatment"), goals[1]),
        _between(now.get("followup"), goals[2]),
        half,
        half_admin,
        (sessions_now + full.sessions) / 2,
        c["setup_cost"] / 2,
        "Half way from today's service to a full service: rates, staff and set-up.",
    )
    return {"nothing": nothing, "improve": improve, "full": full}


def run_option(
    option: Option,
    caseload: float | None,
    inputs: NeedsInputs,
    a: dict[str, float],
    c: dict[str, float],
    horizon: int,
) -> OptionResult:
    missing = []
    if caseload is None:
        missing.append("the expected caseload (the population or hip fracture admissions)")
    rates = (option.identification, option.treatment, option.followup)
    if caseload is not None and any(r is None for r in rates):
        what = "today's" if option.key in ("nothing", "improve") else "the option's"
        missing.append(f"{what} identification, treatment and follow-up rates")
    if option.nurse_wte is None or option.admin_wte is None:
        missing.append("the population aged 50 and over (to work out the staffing)")
    if missing:
        return OptionResult(option, tuple(missing))
    assert caseload is not None
    scenario = Scenario(option.name, *rates)
    gain: Benefits = benefits(caseload, scenario, inputs, a)
    if gain.missing or gain.cost_5y is None or gain.hip_1y is None or gain.other_1y is None:
        return OptionResult(option, tuple(gain.missing) or ("the cost per bed day",))
    assert gain.started_per_year is not None
    assessed = caseload * (option.identification or 0) / 100
    started = gain.started_per_year
    oncost = 1 + c["oncost_percent"] / 100
    staff = (
        (option.nurse_wte or 0.0) * c["nurse_salary"]
        + (option.admin_wte or 0.0) * c["admin_salary"]
        + option.sessions * c["session_cost"]
    ) * oncost
    has_service = staff > 0
    running = (c["space_cost"] + c["it_cost"] + c["audit_cost"]) if has_service else 0.0
    per_patient = assessed * c["dxa_share"] / 100 * c["dxa_cost"] + started * c["drug_cost"]
    course = a["course_years"]
    cohort_bed = gain.cost_5y / 5  # bed-day costs avoided over one year's patients' course
    cohort_days = (gain.bed_days_5y or 0.0) / 5
    years = []
    for t in range(1, horizon + 1):
        growth = (1 + c["population_growth"] / 100) ** (t - 1)
        cohorts = min(t, course) / course
        hip = gain.hip_1y * cohorts * growth
        years.append(
            Year(
                number=t,
                growth=growth,
                cohorts=cohorts,
                staff=staff,
                running=running,
                patients=per_patient * growth,
                setup=option.setup if t == 1 else 0.0,
                hip=hip,
                other=gain.other_1y * cohorts * growth,
                bed_savings=cohort_bed * cohorts * growth,
                social_savings=hip * c["social_care_per_hip"],
                discount=1 / (1 + c["discount_rate"] / 100) ** (t - 1),
                bed_days=cohort_days * cohorts * growth,
            )
        )
    return OptionResult(
        option, (), assessed, started, years, gain.hip_1y, gain.other_1y, cohort_bed, course
    )


def appraise(
    inputs: NeedsInputs,
    a: dict[str, float],
    c: dict[str, float],
    horizon: int = MAX_HORIZON,
    own: Option | None = None,
    preferred: str = "full",
    lifetime: bool = False,
) -> Appraisal:
    needs = compute(inputs, a)
    caseload = needs.figures["caseload"].value
    options = standard_options(inputs, needs, a, c)
    if own is not None:
        options["own"] = own
    results = {
        key: run_option(option, caseload, inputs, a, c, horizon) for key, option in options.items()
    }
    chosen = preferred if preferred in results else "full"
    return Appraisal(horizon, c, needs, results, chosen, a, lifetime)
