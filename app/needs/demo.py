"""Needs figures for three demo sites and for every benchmark site.

Populations match each site's population_50_plus. Admissions are in proportion to the
population (about 300 hip fractures a year per 100,000 aged 50+), with typical stays.
"""

from __future__ import annotations

from app.needs.assumptions import Override
from app.needs.model import AGE_BANDS, SEXES, Admissions, NeedsInputs, Scenario, band_key
from app.needs.service import NeedsState, save
from app.sites.demo import BenchContext, DemoContext

# Share of people aged 50+ in each band, women then men (roughly England's age structure).
BAND_SHARES = {
    "50_54": (0.072, 0.070), "55_59": (0.070, 0.068), "60_64": (0.062, 0.059),
    "65_69": (0.054, 0.050), "70_74": (0.053, 0.048), "75_79": (0.040, 0.034),
    "80_84": (0.028, 0.021), "85_plus": (0.031, 0.017),
}  # fmt: skip


def bands_for(total: int) -> dict[str, int]:
    """Split a population across the 16 bands so they add up exactly to `total`."""
    scale = sum(sum(pair) for pair in BAND_SHARES.values())
    bands = {}
    for band, (women, men) in BAND_SHARES.items():
        bands[band_key("female", band)] = round(total * women / scale)
        bands[band_key("male", band)] = round(total * men / scale)
    bands[band_key("female", "50_54")] += total - sum(bands.values())
    assert set(bands) == {band_key(s, b) for s in SEXES for b in AGE_BANDS}
    return bands


def admissions_for(total: int, hip_rate: float = 0.0031) -> dict[str, Admissions]:
    hip = round(total * hip_rate)
    return {
        "hip": Admissions(hip, 19.5, 400),
        "wrist": Admissions(round(hip * 0.35), 1.5, 400),
        "humerus": Admissions(round(hip * 0.25), 5.0, 400),
        "spine": Admissions(round(hip * 0.2), 9.0, 400),
        "pelvis": Admissions(round(hip * 0.2), 12.0, 400),
        "other": Admissions(round(hip * 0.3), 6.0, 400),
    }


DEMO_FIGURES = {
    # site key: (rates, staffing, scenarios, overrides)
    "riverside": (
        {"assessment": 12, "treatment": 35, "falls": 20, "followup": 5},
        {"nurse": 0.6, "admin": 0.2, "doctor": 0.1, "other": None},
        [
            Scenario("Nurse-led, 1.5 WTE", 45, 50, 60, 1.5, 0.6),
            Scenario("Nurse-led with vertebral case finding", 65, 50, 80, 3.0, 1.2),
        ],
        {},
    ),
    "glenmoor": (
        {"assessment": 58, "treatment": 52, "falls": 61, "followup": 44},
        {"nurse": 2.2, "admin": 0.8, "doctor": 0.2, "other": 0.4},
        [Scenario("Add vertebral case finding", 75, 52, 60, 2.8, 1.0)],
        {"course_years": Override(4, "Local policy reviews treatment after four years.")},
    ),
    "afon": (
        {"assessment": 30, "treatment": 45, "falls": 40, "followup": None},
        {"nurse": 1.0, "admin": 0.5, "doctor": None, "other": None},
        [],
        {},
    ),
}


def demo_needs(ctx: DemoContext) -> None:
    for key, (rates, staffing, scenarios, overrides) in DEMO_FIGURES.items():
        site = ctx.sites[key]
        total = site.population_50_plus
        inputs = NeedsInputs(
            population_total=total,
            bands=bands_for(total),
            admissions=admissions_for(total),
            rates=rates,
            staffing=staffing,
        )
        save(site, NeedsState(None, inputs, overrides, scenarios), ctx.users["pm"],
             "ONS mid-year estimates and last year's admissions")  # fmt: skip


def bench_needs(ctx: BenchContext) -> None:
    site, rng = ctx.site, ctx.rng
    total = site.population_50_plus or 150_000
    inputs = NeedsInputs(
        population_total=total,
        bands=bands_for(total),
        admissions=admissions_for(total, rng.uniform(0.0025, 0.0036)),
        rates={
            "assessment": rng.randint(20, 90),
            "treatment": rng.randint(30, 70),
            "falls": rng.randint(20, 80),
            "followup": rng.randint(10, 85),
        },
        staffing={"nurse": round(rng.uniform(0.5, 4), 1), "admin": round(rng.uniform(0.2, 2), 1)},
    )
    save(site, NeedsState(None, inputs, {}, []), None, "Benchmark figures")
