"""The cohort model: what a fracture liaison service costs and gains for one year's patients,
against usual care, over a stated horizon. Plain values in and out; no Flask, no database.

One patient cohort (shares of the patients who start, so 1.0 = everyone) is followed year
by year in each arm:

- alive: patients die at the general population's age-specific rate × the fracture
  patients' mortality ratio, plus the index fracture's excess deaths in year 1, and each
  later hip fracture adds its own excess deaths that year;
- on treatment: of the patients who start, a share is still on it at 12 months, then a
  share of those each later year, until the review at the end of the course. Treatment is
  costed for every year a patient is on it (half the year for those who stop in it);
- fractures by site (hip, spine, wrist, upper arm, pelvis, other): alive × the yearly risk
  × (1 − the treatment effect × the share on treatment). Each costs the NHS and social
  care in its year (a hip fracture also in the next), and loses quality of life in its
  year and, for some sites, every later year;
- QALYs: years alive (half-cycle corrected) × baseline utility − the losses from fractures;
- costs and QALYs in year t are discounted by 1 ÷ (1 + rate)^(t − 1): year 1 is today's.

`compare` gives the incremental cost, QALYs and cost per QALY; `budget_impact` the yearly
money for a site taking a new cohort every year, and the break-even year where there is one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

FRACTURE_SITES = {
    "hip": "Hip",
    "vertebral": "Spine",
    "wrist": "Wrist",
    "humerus": "Upper arm",
    "pelvis": "Pelvis",
    "other": "Other",
}
# The treatment effect key for each site: spine has its own, the rest share the
# non-vertebral effect the trials report.
EFFECT_KEY = {
    "hip": "effect_hip",
    "vertebral": "effect_vertebral",
    "wrist": "effect_non_vertebral",
    "humerus": "effect_non_vertebral",
    "pelvis": "effect_non_vertebral",
    "other": "effect_non_vertebral",
}
LATER_LOSS = {"hip": "qaly_hip_later", "vertebral": "qaly_vertebral_later"}
LIFETIME = 0  # the horizon meaning "for the rest of the patients' lives"
OLDEST_AGE = 100  # a lifetime horizon follows patients to this age
# UK mortality rises about 9.5% with each year of age after 50 (it doubles in about 7.3
# years: ONS National life tables 2020-2022); the level at 75 is a parameter.
MORTALITY_GROWTH = math.log(2) / 7.3
WILLINGNESS = (20_000, 30_000)  # NICE's range, £ per QALY


@dataclass(frozen=True)
class Arm:
    """One way of caring for the cohort."""

    name: str
    treated: float  # share of the cohort who start bone treatment, 0-1
    persistence_12m: float  # share of those who start still on it at 12 months, 0-1
    service_cost: float = 0.0  # £ a patient, in year 1: finding, assessing, scanning, follow-up
    # Deaths in the first year against usual care (a hazard ratio): 1.0 unless there is
    # evidence the service changes them (Hawley et al. 2016 found 0.84 after hip fracture).
    first_year_mortality: float = 1.0


@dataclass(frozen=True)
class ArmYears:
    """One arm's cohort, year by year (lists indexed by year − 1, shares of the cohort)."""

    arm: Arm
    alive: list[float]  # at the start of each year
    on_treatment: list[float]  # patient-years on treatment
    hip: list[float]
    service: list[float]
    drug: list[float]
    nhs: list[float]  # fracture costs to the NHS
    social: list[float]  # fracture costs to social care
    qalys: list[float]
    discount: list[float]
    risk: dict[str, float] = field(default_factory=dict)
    effect: dict[str, float] = field(default_factory=dict)
    on_share: list[float] = field(default_factory=list)

    def fractures(self, site: str) -> list[float]:
        risk, effect = self.risk[site], self.effect[site]
        return [
            a * risk * (1 - effect * on) for a, on in zip(self.alive, self.on_share, strict=True)
        ]

    def cost(self, discounted: bool = True) -> float:
        spend = (
            s + d + n + c
            for s, d, n, c in zip(self.service, self.drug, self.nhs, self.social, strict=True)
        )
        return _total(spend, self.discount, discounted)

    def qaly(self, discounted: bool = True) -> float:
        return _total(self.qalys, self.discount, discounted)


def _total(values, discount: list[float], discounted: bool) -> float:  # noqa: ANN001
    if not discounted:
        return sum(values)
    return sum(v * d for v, d in zip(values, discount, strict=True))


def horizon_years(horizon: int, start_age: float) -> int:
    """Years followed: the stated number, or to OLDEST_AGE for a lifetime horizon."""
    if horizon == LIFETIME:
        return max(1, round(OLDEST_AGE - start_age))
    return horizon


def share_on_treatment(year: int, persistence_12m: float, after: float, course: float) -> float:
    """Of the patients who start, the share of year `year` they spend on treatment: the mean
    of the start and end of the year, and nothing after the course's review."""
    if year == 1:
        level = (1 + persistence_12m) / 2
    else:
        start = persistence_12m * after ** (year - 2)
        level = start * (1 + after) / 2
    return level * min(1.0, max(0.0, course - (year - 1)))


def run_arm(
    p: Mapping[str, float], arm: Arm, horizon: int, drug_cost: float, discount_rate: float
) -> ArmYears:
    """Follow one arm's cohort for `horizon` years (LIFETIME: to OLDEST_AGE)."""
    years = horizon_years(horizon, p["start_age"])
    risk = {site: p[f"risk_{site}"] for site in FRACTURE_SITES}
    effect = {site: p[EFFECT_KEY[site]] for site in FRACTURE_SITES}
    # Each sum over sites once: a fracture's weight (cost, loss) × risk, without and with
    # the treatment effect, so the yearly loop is a handful of multiplications.
    nhs_w = sum(risk[s] * p[f"cost_{s}"] for s in FRACTURE_SITES)
    nhs_e = sum(risk[s] * effect[s] * p[f"cost_{s}"] for s in FRACTURE_SITES)
    soc_w = sum(risk[s] * p[f"social_{s}"] for s in FRACTURE_SITES)
    soc_e = sum(risk[s] * effect[s] * p[f"social_{s}"] for s in FRACTURE_SITES)
    loss_w = sum(risk[s] * p[f"qaly_{s}"] for s in FRACTURE_SITES)
    loss_e = sum(risk[s] * effect[s] * p[f"qaly_{s}"] for s in FRACTURE_SITES)
    later_w = sum(risk[s] * p[k] for s, k in LATER_LOSS.items())
    later_e = sum(risk[s] * effect[s] * p[k] for s, k in LATER_LOSS.items())
    alive, pool, last_hips = 1.0, 0.0, 0.0
    out: dict[str, list[float]] = {
        k: [] for k in ("alive", "on", "share", "hip", "service", "drug", "nhs", "social", "q", "d")
    }
    for t in range(1, years + 1):
        age = p["start_age"] + t - 1
        q = min(1.0, p["background_mortality_75"] * math.exp(MORTALITY_GROWTH * (age - 75)))
        q = min(1.0, q * p["mortality_ratio"])
        if t == 1:  # the index fracture's own excess deaths, as the arm changes them
            q = min(1.0, (q + p["index_excess_mortality"]) * arm.first_year_mortality)
        on = arm.treated * share_on_treatment(
            t, arm.persistence_12m, p["persistence_after"], p["course_years"]
        )
        hips = alive * p["risk_hip"] * (1 - p["effect_hip"] * on)
        deaths = min(alive, alive * q + hips * p["excess_hip_mortality"])
        pool *= 1 - q  # survivors of earlier fractures still living with their losses
        lived = alive - deaths / 2
        out["alive"].append(alive)
        out["share"].append(on)
        out["on"].append(lived * on)
        out["hip"].append(hips)
        out["service"].append(arm.service_cost if t == 1 else 0.0)
        out["drug"].append(lived * on * drug_cost)
        survivors = last_hips * (1 - p["excess_hip_mortality"]) * (1 - q)
        # NHS care of each year alive, fracture or not; in year 1 the index fracture's own
        # care, which patients who die early do not use in full.
        care = lived * (p["cost_index_fracture"] if t == 1 else p["cost_year_alive"])
        out["nhs"].append(
            alive * (nhs_w - nhs_e * on) + survivors * p["cost_hip_second_year"] + care
        )
        out["social"].append(alive * (soc_w - soc_e * on))
        loss = alive * (loss_w - loss_e * on) + pool
        out["q"].append(lived * p["baseline_utility"] - loss)
        out["d"].append(1 / (1 + discount_rate / 100) ** (t - 1))
        pool += alive * (later_w - later_e * on)
        last_hips = hips
        alive -= deaths
    return ArmYears(
        arm, out["alive"], out["on"], out["hip"], out["service"], out["drug"], out["nhs"],
        out["social"], out["q"], out["d"], risk, effect, out["share"],
    )  # fmt: skip


@dataclass(frozen=True)
class Comparison:
    """A service against usual care, for one patient (multiply by patients for a cohort)."""

    service: ArmYears
    usual: ArmYears

    @property
    def years(self) -> int:
        return len(self.service.alive)

    def cost(self, discounted: bool = True) -> float:
        """Extra cost a patient: service, treatment and fracture costs, net."""
        return self.service.cost(discounted) - self.usual.cost(discounted)

    def qalys(self, discounted: bool = True) -> float:
        return self.service.qaly(discounted) - self.usual.qaly(discounted)

    @property
    def icer(self) -> float | None:
        """£ per QALY gained (discounted); None when the service gains no QALYs."""
        gained = self.qalys()
        if gained <= 0:
            return None
        return self.cost() / gained

    @property
    def dominant(self) -> bool:
        """Cheaper and better: cost-saving."""
        return self.cost() <= 0 < self.qalys()

    def net_benefit(self, willingness: float) -> float:
        """Net monetary benefit a patient at `willingness` £ a QALY: positive is cost-effective."""
        return willingness * self.qalys() - self.cost()

    def prevented(self, site: str) -> float:
        """Fractures prevented a patient at `site` over the horizon (not discounted)."""
        return sum(self.usual.fractures(site)) - sum(self.service.fractures(site))

    def component(self, name: str, discounted: bool = True) -> float:
        """The extra (service − usual) of one cost line: service, drug, nhs or social."""
        mine = _total(getattr(self.service, name), self.service.discount, discounted)
        theirs = _total(getattr(self.usual, name), self.usual.discount, discounted)
        return mine - theirs

    def saving_by_site(self, site: str, p: Mapping[str, float]) -> float:
        """NHS and social care first-year costs avoided at `site`, discounted, a patient."""
        each = p[f"cost_{site}"] + p[f"social_{site}"]
        gaps = (
            u - s
            for u, s in zip(self.usual.fractures(site), self.service.fractures(site), strict=True)
        )
        return sum(g * each * d for g, d in zip(gaps, self.service.discount, strict=True))


def compare(
    p: Mapping[str, float],
    service: Arm,
    usual: Arm,
    horizon: int,
    drug_cost: float,
    discount_rate: float,
) -> Comparison:
    return Comparison(
        run_arm(p, service, horizon, drug_cost, discount_rate),
        run_arm(p, usual, horizon, drug_cost, discount_rate),
    )


@dataclass(frozen=True)
class BudgetYear:
    number: int
    spend: float  # extra service and treatment money, not discounted
    offsets: float  # NHS and social care fracture costs avoided, not discounted
    discount: float
    medicines: float = 0.0  # the part of `spend` that is medicines (the prescribing budget)

    @property
    def net(self) -> float:
        return self.spend - self.offsets


@dataclass(frozen=True)
class Budget:
    years: list[BudgetYear]

    def cumulative(self) -> list[tuple[int, float, float]]:
        """(year, discounted spend so far, discounted offsets so far)."""
        rows, spend, offsets = [], 0.0, 0.0
        for y in self.years:
            spend += y.spend * y.discount
            offsets += y.offsets * y.discount
            rows.append((y.number, spend, offsets))
        return rows

    @property
    def break_even(self) -> int | None:
        """The first year by whose end discounted offsets have caught up with spending."""
        for number, spend, offsets in self.cumulative():
            if spend > 0 and offsets >= spend:
                return number
        return None


def budget_impact(
    comparison: Comparison,
    patients: float,
    years: int,
    growth: float = 0.0,
    setup: float = 0.0,
    fixed: float = 0.0,
    discount_rate: float = 3.5,
) -> Budget:
    """A site taking `patients` new patients a year (growing `growth` % a year), each cohort
    following the per-patient comparison; `setup` once in year 1; `fixed` a year on top."""
    spend_stream = [
        s - u + d - v
        for s, u, d, v in zip(
            comparison.service.service, comparison.usual.service,
            comparison.service.drug, comparison.usual.drug, strict=True,
        )
    ]  # fmt: skip
    offset_stream = [
        (un + us) - (sn + ss)
        for un, us, sn, ss in zip(
            comparison.usual.nhs, comparison.usual.social,
            comparison.service.nhs, comparison.service.social, strict=True,
        )
    ]  # fmt: skip
    drug_stream = [
        d - v for d, v in zip(comparison.service.drug, comparison.usual.drug, strict=True)
    ]
    rows = []
    for y in range(1, years + 1):
        spend = setup if y == 1 else 0.0
        spend += fixed
        offsets = medicines = 0.0
        for entry in range(1, y + 1):
            size = patients * (1 + growth / 100) ** (entry - 1)
            since = y - entry
            if since < len(spend_stream):
                spend += size * spend_stream[since]
                offsets += size * offset_stream[since]
                medicines += size * drug_stream[since]
        discount = 1 / (1 + discount_rate / 100) ** (y - 1)
        rows.append(BudgetYear(y, spend, offsets, discount, medicines))
    return Budget(rows)
