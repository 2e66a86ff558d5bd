"""The needs and benefits model: plain dataclasses in, results out. No database, no Flask.

Every result carries its formula in words, the inputs it used and the assumptions it
relied on, so the page, the spreadsheet and the summary can all show their working. A
missing input gives a result that says what is missing; it is never treated as zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.needs.inputs import (  # noqa: F401 - also this module's public names
    AGE_BANDS,
    FRACTURE_SITES,
    RATES,
    SEXES,
    STAFF_ROLES,
    WEEKS_PER_YEAR,
    Admissions,
    NeedsInputs,
    Scenario,
    band_key,
    validate,
)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float | None
    unit: str
    formula: str
    inputs: tuple[tuple[str, str], ...] = ()
    assumptions: tuple[str, ...] = ()
    missing: str | None = None

    @property
    def display(self) -> str:
        if self.value is None:
            return "Not worked out"
        return approx(self.value, self.unit)


@dataclass(frozen=True)
class Benefits:
    started_per_year: float | None
    hip_1y: float | None
    hip_5y: float | None
    other_1y: float | None
    other_5y: float | None
    bed_days_5y: float | None
    cost_5y: float | None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    benefits: Benefits


@dataclass
class NeedsResults:
    figures: dict[str, Figure]
    by_site: list[tuple[str, int | None, float | None]]  # label, admissions, share of caseload
    gaps: list[dict]
    staffing: list[dict]
    scenarios: list[ScenarioResult]
    proposed: Benefits

    @property
    def population(self) -> int | None:
        value = self.figures["population"].value
        return int(value) if value is not None else None

    @property
    def caseload(self) -> int | None:
        value = self.figures["caseload"].value
        return round(value) if value is not None else None

    @property
    def hip_prevented_5y(self) -> int | None:
        value = self.proposed.hip_5y
        return round(value) if value is not None else None


# --- rounding: never more precision than the inputs support --------------------------------


def significant(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def approx(value: float, unit: str = "") -> str:
    """A value rounded for people: 2-3 significant figures, money to the nearest £100/£1,000."""
    if unit == "£":
        step = 1000 if value >= 10_000 else 100
        return f"£{round(value / step) * step:,.0f}"
    if unit == "%":
        return f"{value:.0f}%"
    if unit == "WTE":
        return f"{value:.1f} WTE"
    if unit == "people":
        return f"{round(value):,}"
    if 0 < value < 1:
        return "fewer than 1"
    rounded = significant(value, 3 if value >= 1000 else 2)
    return f"{rounded:,.0f}"


# --- the calculations ------------------------------------------------------------------------


def population_figure(inputs: NeedsInputs) -> Figure:
    entered = [v for v in inputs.bands.values() if v is not None]
    if inputs.population_total is not None:
        value, how = float(inputs.population_total), "The total entered."
    elif entered and len(entered) == len(SEXES) * len(AGE_BANDS):
        value, how = float(sum(entered)), "The sum of the 16 age and sex bands entered."
    else:
        return Figure(
            "population", "Population aged 50 and over", None, "people", "Entered.",
            missing="Enter the population aged 50 and over (or all 16 age and sex bands).",
        )  # fmt: skip
    return Figure("population", "Population aged 50 and over", value, "people", how)


def hip_figure(inputs: NeedsInputs, pop: Figure, a: dict[str, float]) -> Figure:
    hip = inputs.admissions.get("hip", Admissions()).count
    if hip is not None:
        return Figure(
            "hip_per_year", "Hip fractures a year", float(hip), "people",
            "The site's own annual hip fracture admissions.",
            inputs=(("Hip fracture admissions a year", f"{hip:,}"),),
        )  # fmt: skip
    if pop.value is None:
        return Figure(
            "hip_per_year", "Hip fractures a year", None, "", "",
            missing="Enter annual hip fracture admissions, or the population so they can be "
            "estimated.",
        )  # fmt: skip
    return Figure(
        "hip_per_year", "Hip fractures a year (estimated)",
        pop.value * a["hip_incidence_per_100k"] / 100_000, "",
        "Estimated because local hip fracture admissions were not entered: population aged "
        "50+ × hip fractures per 100,000 ÷ 100,000.",
        inputs=(("Population aged 50+", approx(pop.value, "people")),),
        assumptions=("hip_incidence_per_100k",),
    )  # fmt: skip


def caseload_figure(hip: Figure, a: dict[str, float]) -> Figure:
    value = None if hip.value is None else hip.value * a["rule_of_5"]
    return Figure(
        "caseload", "Expected fragility fracture caseload a year", value, "",
        "Rule of 5: hip fractures a year × 5.",
        inputs=((hip.label, hip.display),), assumptions=("rule_of_5",),
        missing=hip.missing,
    )  # fmt: skip


def adherence(followup_pct: float, a: dict[str, float]) -> float:
    """Share still taking treatment: those followed up do better than those who are not."""
    followed = followup_pct / 100
    return (followed * a["adherence_reviewed"] + (1 - followed) * a["adherence_not_reviewed"]) / 100


def benefits(
    caseload: float | None, scenario: Scenario, inputs: NeedsInputs, a: dict[str, float]
) -> Benefits:
    """Fractures prevented, bed days and costs avoided for a service run at the scenario's rates.

    Patients started on treatment each year = caseload × identification × treatment ×
    uptake. Those still taking it are protected for a course of `course_years`; fractures
    prevented = protected patient-years × yearly risk × treatment effect. Benefits are
    counted over each patient's course, for one year's and for five years' patients.
    """
    missing = []
    if caseload is None:
        missing.append("the expected caseload (enter population or hip admissions)")
    for label, rate in (
        ("identification rate", scenario.identification),
        ("treatment rate", scenario.treatment),
        ("follow-up rate", scenario.followup),
    ):
        if rate is None:
            missing.append(f"the {label}")
    if missing:
        return Benefits(None, None, None, None, None, None, None, tuple(missing))
    assert caseload is not None and scenario.followup is not None  # for the type checker
    started = (
        caseload
        * scenario.identification / 100
        * scenario.treatment / 100
        * a["treatment_uptake"] / 100
    )  # fmt: skip
    protected_years = started * adherence(scenario.followup, a) * a["course_years"]
    hip_1y = protected_years * a["hip_risk_untreated"] / 100 * a["hip_risk_reduction"] / 100
    other_1y = protected_years * a["other_risk_untreated"] / 100 * a["other_risk_reduction"] / 100
    bed_days, cost, why = bed_days_and_cost(hip_1y * 5, other_1y * 5, caseload, inputs)
    return Benefits(
        started, hip_1y, hip_1y * 5, other_1y, other_1y * 5, bed_days, cost,
        tuple(missing + why),
    )  # fmt: skip


def bed_days_and_cost(
    hip: float, other: float, caseload: float, inputs: NeedsInputs
) -> tuple[float | None, float | None, list[str]]:
    """Hip fractures avoided × hip stay; other fractures × the share admitted × their stay."""
    hip_adm = inputs.admissions.get("hip", Admissions())
    if hip_adm.los_days is None:
        return None, None, ["the average length of stay for hip fractures"]
    bed_days = hip * hip_adm.los_days
    cost = None if hip_adm.cost_per_bed_day is None else bed_days * hip_adm.cost_per_bed_day
    non_hip = [
        adm
        for site, adm in inputs.admissions.items()
        if site != "hip" and adm.count and adm.los_days is not None
    ]
    hip_count = hip_adm.count or caseload / 5
    others_expected = max(caseload - hip_count, 0)
    if non_hip and others_expected:
        admitted = sum(adm.count or 0 for adm in non_hip)
        share_admitted = min(admitted / others_expected, 1.0)
        for adm in non_hip:
            days = other * share_admitted * (adm.count or 0) / admitted * (adm.los_days or 0)
            bed_days += days
            if cost is not None and adm.cost_per_bed_day is not None:
                cost += days * adm.cost_per_bed_day
    why = [] if cost is not None else ["the cost per bed day for hip fractures"]
    return bed_days, cost, why


def gaps(inputs: NeedsInputs, caseload: float | None, a: dict[str, float]) -> list[dict]:
    """Current rate against the 80/50/80 goal, in percentage points and in patients a year."""
    identified = None if caseload is None else caseload * a["target_identification"] / 100
    treated = None if identified is None else identified * a["target_treatment"] / 100
    rows = []
    for key, target_key, base in (
        ("assessment", "target_identification", caseload),
        ("treatment", "target_treatment", identified),
        ("followup", "target_followup", treated),
        ("falls", None, identified),
    ):
        current = inputs.rates.get(key)
        target = a[target_key] if target_key else None
        gap = None if current is None or target is None else max(target - current, 0.0)
        patients = None if gap is None or base is None else base * gap / 100
        rows.append(
            {
                "key": key, "label": RATES[key], "current": current, "target": target,
                "target_key": target_key, "gap": gap, "patients": patients,
            }
        )  # fmt: skip
    return rows


def staffing(inputs: NeedsInputs, pop: float | None, a: dict[str, float]) -> list[dict]:
    """ROS: 1 WTE nurse (and 0.5 WTE administrator) per 40,000-46,000 people aged 50+."""
    low = high = None
    if pop is not None:
        low = pop / a["population_per_nurse_high"]
        high = pop / a["population_per_nurse_low"]
    rows = [{"key": "nurse", "label": STAFF_ROLES["nurse"], "low": low, "high": high}]
    admin = a["admin_per_nurse"]
    rows.append(
        {
            "key": "admin", "label": STAFF_ROLES["admin"],
            "low": None if low is None else low * admin,
            "high": None if high is None else high * admin,
        }
    )  # fmt: skip
    rows += [
        {"key": k, "label": STAFF_ROLES[k], "low": None, "high": None} for k in ("doctor", "other")
    ]
    for row in rows:
        row["current"] = inputs.staffing.get(row["key"])
    return rows


def target_scenario(a: dict[str, float]) -> Scenario:
    return Scenario(
        "Service meeting the 80/50/80 goals",
        a["target_identification"], a["target_treatment"], a["target_followup"],
    )  # fmt: skip


def current_scenario(inputs: NeedsInputs) -> Scenario:
    return Scenario(
        "Current service",
        inputs.rates.get("assessment"), inputs.rates.get("treatment"),
        inputs.rates.get("followup"),
        inputs.staffing.get("nurse"), inputs.staffing.get("admin"),
    )  # fmt: skip


BENEFIT_FIGURES = (
    ("started_per_year", "Patients starting treatment a year", "",
     "Expected caseload × identification goal × treatment goal × treatment started.",
     ("target_identification", "target_treatment", "treatment_uptake")),
    ("hip_1y", "Hip fractures prevented, from one year of patients", "",
     "Patients starting treatment × share still taking it × years of protection × hip "
     "fracture risk × treatment effect on hip fractures.",
     ("adherence_reviewed", "adherence_not_reviewed", "target_followup", "course_years",
      "hip_risk_untreated", "hip_risk_reduction")),
    ("hip_5y", "Hip fractures prevented, from five years of patients", "",
     "Hip fractures prevented from one year of patients × 5.", ()),
    ("other_1y", "Other fractures prevented, from one year of patients", "",
     "Patients starting treatment × share still taking it × years of protection × other "
     "fracture risk × treatment effect on other fractures.",
     ("adherence_reviewed", "adherence_not_reviewed", "target_followup", "course_years",
      "other_risk_untreated", "other_risk_reduction")),
    ("other_5y", "Other fractures prevented, from five years of patients", "",
     "Other fractures prevented from one year of patients × 5.", ()),
    ("bed_days_5y", "Hospital bed days avoided, from five years of patients", "",
     "Hip fractures prevented × hip length of stay, plus other fractures prevented × the "
     "share of other fractures admitted × their length of stay.", ()),
    ("cost_5y", "Bed-day costs avoided, from five years of patients", "£",
     "Bed days avoided × cost per bed day for each fracture site.", ()),
)  # fmt: skip


def benefit_figures(result: Benefits, case: Figure) -> dict[str, Figure]:
    missing = ("Enter " + " and ".join(result.missing) + ".") if result.missing else None
    figures = {}
    for key, label, unit, formula, used in BENEFIT_FIGURES:
        value = getattr(result, key)
        figures[key] = Figure(
            key, label, value, unit, formula, ((case.label, case.display),), used,
            missing if value is None else None,
        )  # fmt: skip
    return figures


def compute(
    inputs: NeedsInputs, a: dict[str, float], options: list[Scenario] | None = None
) -> NeedsResults:
    pop = population_figure(inputs)
    hip = hip_figure(inputs, pop, a)
    case = caseload_figure(hip, a)
    figures = {f.key: f for f in (pop, hip, case)}
    c = case.value
    identify = None if c is None else c * a["target_identification"] / 100
    treat = None if identify is None else identify * a["target_treatment"] / 100
    follow = None if treat is None else treat * a["target_followup"] / 100
    for key, value, label, formula, used in (
        ("identify", identify, "Patients to identify and assess a year",
         "Expected caseload × identification goal.", ("target_identification",)),
        ("treat", treat, "Patients to recommend bone therapy a year",
         "Patients to assess × treatment goal.", ("target_treatment",)),
        ("follow", follow, "Patients to follow up a year",
         "Patients recommended therapy × follow-up goal.", ("target_followup",)),
    ):  # fmt: skip
        # Each step works from the one before: caseload -> identify -> treat -> follow up.
        source = {
            "identify": case,
            "treat": figures.get("identify"),
            "follow": figures.get("treat"),
        }[key]
        worked_from = ((source.label, source.display),)
        figures[key] = Figure(key, label, value, "", formula, worked_from, used, case.missing)
        figures[f"{key}_week"] = Figure(
            f"{key}_week", label.replace("a year", "a week"),
            None if value is None else value / WEEKS_PER_YEAR, "",
            f"{label} ÷ {WEEKS_PER_YEAR} weeks.", ((label, figures[key].display),), (),
            case.missing,
        )  # fmt: skip
    proposed = benefits(c, target_scenario(a), inputs, a)
    figures.update(benefit_figures(proposed, case))
    scenarios = [
        ScenarioResult(current_scenario(inputs), benefits(c, current_scenario(inputs), inputs, a)),
        ScenarioResult(target_scenario(a), proposed),
    ]
    scenarios += [ScenarioResult(s, benefits(c, s, inputs, a)) for s in (options or [])[:3]]
    by_site = []
    for key, label in FRACTURE_SITES.items():
        count = inputs.admissions.get(key, Admissions()).count
        share = None if count is None or not c else count / c * 100
        by_site.append((label, count, share))
    return NeedsResults(
        figures=figures,
        by_site=by_site,
        gaps=gaps(inputs, c, a),
        staffing=staffing(inputs, pop.value, a),
        scenarios=scenarios,
        proposed=proposed,
    )
