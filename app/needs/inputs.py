"""What a site enters for Phase 3: the shapes of the inputs and the checks on them."""

from __future__ import annotations

from dataclasses import dataclass, field

SEXES = {"female": "Women", "male": "Men"}
AGE_BANDS = {
    "50_54": "50–54",
    "55_59": "55–59",
    "60_64": "60–64",
    "65_69": "65–69",
    "70_74": "70–74",
    "75_79": "75–79",
    "80_84": "80–84",
    "85_plus": "85+",
}
FRACTURE_SITES = {
    "hip": "Hip",
    "wrist": "Wrist or forearm",
    "humerus": "Humerus (upper arm)",
    "spine": "Spine (vertebral)",
    "lower_leg": "Lower leg or ankle",
    "pelvis": "Pelvis",
    "other": "Other non-hip",
}
RATES = {
    "assessment": "Patients assessed (% of expected caseload)",
    "treatment": "Recommended bone therapy (% of those assessed)",
    "falls": "Referred for falls assessment (% of those assessed)",
    "followup": "Followed up (% of those recommended therapy)",
}
STAFF_ROLES = {
    "nurse": "Specialist nurse",
    "admin": "Administrator",
    "doctor": "Doctor",
    "other": "Other staff",
}
WEEKS_PER_YEAR = 52


def band_key(sex: str, band: str) -> str:
    return f"pop_{sex}_{band}"


@dataclass(frozen=True)
class Admissions:
    count: int | None = None
    los_days: float | None = None
    cost_per_bed_day: float | None = None


@dataclass
class NeedsInputs:
    population_total: int | None = None
    bands: dict[str, int | None] = field(default_factory=dict)  # band_key(...) -> people
    admissions: dict[str, Admissions] = field(default_factory=dict)
    rates: dict[str, float | None] = field(default_factory=dict)  # percent, 0-100
    staffing: dict[str, float | None] = field(default_factory=dict)  # WTE


@dataclass(frozen=True)
class Scenario:
    name: str
    identification: float | None  # percent of expected caseload
    treatment: float | None  # percent of those assessed
    followup: float | None  # percent of those recommended therapy
    nurse_wte: float | None = None
    admin_wte: float | None = None


# --- validation ------------------------------------------------------------------------------


def validate(inputs: NeedsInputs) -> dict[str, str]:
    """Field name -> message for every value that cannot be used. Empty when all is well."""
    errors: dict[str, str] = {}
    if inputs.population_total is not None:
        if inputs.population_total < 0:
            errors["population_total"] = "Population aged 50 and over cannot be negative."
        elif inputs.population_total == 0:
            errors["population_total"] = (
                "Population aged 50 and over must be more than 0, or left blank if not known."
            )
    for key, people in inputs.bands.items():
        if people is not None and people < 0:
            errors[key] = "A population cannot be negative."
    entered = [v for v in inputs.bands.values() if v is not None]
    if entered and "population_total" not in errors:
        band_total = sum(entered)
        if inputs.population_total is not None and band_total != inputs.population_total:
            errors["population_total"] = (
                f"The age bands add up to {band_total:,}, not {inputs.population_total:,}. "
                "Correct the total or the bands."
            )
        elif inputs.population_total is None and band_total == 0:
            errors["population_total"] = "The age bands add up to 0: enter the population."
    for site, adm in inputs.admissions.items():
        for attr, what in (
            ("count", "Admissions"),
            ("los_days", "Length of stay"),
            ("cost_per_bed_day", "Cost per bed day"),
        ):
            value = getattr(adm, attr)
            if value is not None and value < 0:
                errors[f"adm_{site}_{attr}"] = f"{what} cannot be negative."
    for key, rate in inputs.rates.items():
        if rate is not None and not 0 <= rate <= 100:
            errors[f"rate_{key}"] = "Enter a percentage from 0 to 100."
    for key, wte in inputs.staffing.items():
        if wte is not None and wte < 0:
            errors[f"staff_{key}"] = "Staffing cannot be negative."
    return errors
