"""The needs model, pinned with hand-worked examples."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.needs.assumptions import check_override, default_assumptions, effective_values
from app.needs.model import (
    Admissions,
    NeedsInputs,
    Scenario,
    approx,
    band_key,
    compute,
    validate,
)

A = effective_values()


def test_every_assumption_has_value_unit_meaning_and_citation() -> None:
    for item in default_assumptions().values():
        assert item.unit and item.meaning and len(item.citation) > 20, item.key


def test_rule_of_5_uses_local_hip_admissions() -> None:
    result = compute(NeedsInputs(admissions={"hip": Admissions(400)}), A)
    assert result.figures["hip_per_year"].value == 400
    assert result.figures["caseload"].value == 2000
    assert "× 5" in result.figures["caseload"].formula
    entered = compute(NeedsInputs(admissions={"hip": Admissions(564)}), A).figures
    assert entered["hip_per_year"].display == "564"  # a count entered is shown as entered


def test_hip_fractures_estimated_from_population_when_not_entered() -> None:
    result = compute(NeedsInputs(population_total=100_000), A)
    assert result.figures["hip_per_year"].value == pytest.approx(300)  # 300 per 100,000
    assert "estimated" in result.figures["hip_per_year"].label
    assert result.figures["caseload"].value == pytest.approx(1500)


def test_workload_per_year_and_per_week() -> None:
    f = compute(NeedsInputs(admissions={"hip": Admissions(400)}), A).figures
    assert f["identify"].value == pytest.approx(1600)  # 2,000 × 80%
    assert f["treat"].value == pytest.approx(800)  # 1,600 × 50%
    assert f["follow"].value == pytest.approx(640)  # 800 × 80%
    assert f["identify_week"].value == pytest.approx(1600 / 52)
    assert f["identify_week"].display == "31"


def test_staffing_range_is_one_nurse_per_40000_to_46000() -> None:
    rows = compute(NeedsInputs(population_total=184_000), A).staffing
    nurse, admin = rows[0], rows[1]
    assert nurse["low"] == pytest.approx(4.0)  # 184,000 ÷ 46,000
    assert nurse["high"] == pytest.approx(4.6)  # 184,000 ÷ 40,000
    assert admin["low"] == pytest.approx(2.0) and admin["high"] == pytest.approx(2.3)
    assert approx(nurse["high"], "WTE") == "4.6 WTE"


def test_gap_against_the_goals() -> None:
    inputs = NeedsInputs(
        admissions={"hip": Admissions(400)},
        rates={"assessment": 50, "treatment": 60, "followup": None},
    )
    gaps = {row["key"]: row for row in compute(inputs, A).gaps}
    assert gaps["assessment"]["gap"] == 30 and gaps["assessment"]["patients"] == pytest.approx(600)
    assert gaps["treatment"]["gap"] == 0  # above the 50% goal: no gap, never negative
    assert gaps["followup"]["gap"] is None  # missing, not zero
    assert gaps["falls"]["target"] is None


def test_fractures_prevented_hand_worked() -> None:
    inputs = NeedsInputs(admissions={"hip": Admissions(400, los_days=20, cost_per_bed_day=400)})
    b = compute(inputs, A).proposed
    # 2,000 × 80% × 50% × 80% start = 640; still taking it 0.8×75% + 0.2×50% = 70%
    assert b.started_per_year == pytest.approx(640)
    # 640 × 0.7 × 5 years = 2,240 protected years; × 2.75% × 40% = 24.64 hip fractures
    assert b.hip_1y == pytest.approx(24.64)
    assert b.hip_5y == pytest.approx(123.2)
    assert b.other_1y == pytest.approx(28.0)  # 2,240 × 5% × 25%
    assert b.bed_days_5y == pytest.approx(2464)  # 123.2 × 20 days (no other admissions)
    assert b.cost_5y == pytest.approx(985_600)
    assert approx(b.cost_5y, "£") == "£986,000"


def test_other_fracture_bed_days_use_the_share_admitted() -> None:
    inputs = NeedsInputs(
        admissions={
            "hip": Admissions(400, 20, 400),
            "spine": Admissions(160, 10, 300),  # 160 of the 1,600 non-hip fractures admitted
        }
    )
    b = compute(inputs, A).proposed
    other_days = 140 * 0.1 * 10  # other prevented (5y) × 10% admitted × 10 days
    assert b.bed_days_5y == pytest.approx(2464 + other_days)
    assert b.cost_5y == pytest.approx(2464 * 400 + other_days * 300)


def test_calibrated_to_the_published_benefits_figure() -> None:
    """1.6 million people over 50 -> 1,482 hip fractures prevented over 5 years (seed 001)."""
    result = compute(NeedsInputs(population_total=1_600_000), A)
    assert result.proposed.hip_5y == pytest.approx(1482, rel=0.02)
    assert result.figures["hip_5y"].display == "1,480"


def test_missing_inputs_are_named_not_zero() -> None:
    result = compute(NeedsInputs(), A)
    assert result.figures["caseload"].value is None
    assert "Enter" in result.figures["caseload"].missing
    assert result.proposed.hip_5y is None
    current = result.scenarios[0]
    assert current.scenario.name == "Current service" and current.benefits.hip_5y is None
    result = compute(NeedsInputs(population_total=100_000), A)
    assert result.figures["bed_days_5y"].value is None
    assert "length of stay" in result.figures["bed_days_5y"].missing


def test_population_from_the_sixteen_bands() -> None:
    bands = {band_key(s, b): 1000 for s in ("female", "male") for b in (
        "50_54", "55_59", "60_64", "65_69", "70_74", "75_79", "80_84", "85_plus")}  # fmt: skip
    assert compute(NeedsInputs(bands=bands), A).population == 16_000
    partial = dict(list(bands.items())[:5])
    assert compute(NeedsInputs(bands=partial), A).population is None


def test_scenarios_side_by_side() -> None:
    options = [Scenario("Nurse-led, 1.5 WTE", 40, 50, 60, 1.5, 0.5)]
    inputs = NeedsInputs(
        admissions={"hip": Admissions(400)},
        rates={"assessment": 20, "treatment": 40, "followup": 10},
    )
    names = [r.scenario.name for r in compute(inputs, A, options).scenarios]
    assert names == ["Current service", "Service meeting the 80/50/80 goals", "Nurse-led, 1.5 WTE"]
    results = compute(inputs, A, options).scenarios
    assert results[0].benefits.hip_5y < results[2].benefits.hip_5y < results[1].benefits.hip_5y


def test_scenario_chart_labels_show_each_name_whole() -> None:
    """Names wrap onto up to three lines beside the bars instead of being cut short."""
    import re

    from app.needs.charts import scenario_chart

    options = [
        Scenario("Nurse-led, 1.5 WTE with a consultant session each week", 40, 50, 60, 1.5, 0.5)
    ]
    inputs = NeedsInputs(
        admissions={"hip": Admissions(400)},
        rates={"assessment": 20, "treatment": 40, "followup": 10},
    )
    svg = str(scenario_chart(compute(inputs, A, options)))
    shown = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg))
    for name in ("Service meeting the 80/50/80 goals", options[0].name):
        assert name in shown, shown
    assert "…" not in shown


@pytest.mark.parametrize(
    "inputs, field, words",
    [
        (NeedsInputs(population_total=-5), "population_total", "negative"),
        (NeedsInputs(population_total=0), "population_total", "more than 0"),
        (NeedsInputs(rates={"treatment": 120}), "rate_treatment", "0 to 100"),
        (NeedsInputs(admissions={"hip": Admissions(-1)}), "adm_hip_count", "negative"),
        (NeedsInputs(staffing={"nurse": -1}), "staff_nurse", "negative"),
        (
            NeedsInputs(population_total=5000, bands={band_key("female", "50_54"): 4000}),
            "population_total",
            "add up to 4,000",
        ),
    ],
)
def test_bad_inputs_are_named_per_field(inputs, field, words) -> None:  # noqa: ANN001
    errors = validate(inputs)
    assert field in errors and words in errors[field]


def test_overrides_are_checked() -> None:
    items = default_assumptions()
    assert check_override(items["target_treatment"], 120)
    assert check_override(items["rule_of_5"], 0)
    assert check_override(items["rule_of_5"], 6) is None


@pytest.mark.parametrize(
    "value, unit, text",
    [
        (1478.4, "", "1,480"),
        (24.64, "", "25"),
        (0.4, "", "fewer than 1"),
        (31.2, "", "31"),
        (4321.0, "£", "£4,300"),
        (184_000, "people", "184,000"),
        (0, "", "0"),
    ],  # fmt: skip
)
def test_rounding_never_shows_false_precision(value, unit, text) -> None:  # noqa: ANN001
    assert approx(value, unit) == text


def _numbers(result) -> list[float]:  # noqa: ANN001
    values = [f.value for f in result.figures.values()]
    values += [row[k] for row in result.staffing for k in ("low", "high")]
    values += [row["patients"] for row in result.gaps]
    return [v for v in values if v is not None]


@settings(max_examples=60, deadline=None)
@given(
    population=st.integers(min_value=1, max_value=5_000_000),
    extra=st.integers(min_value=0, max_value=2_000_000),
    rates=st.lists(st.floats(min_value=0, max_value=100), min_size=3, max_size=3),
    los=st.one_of(st.none(), st.floats(min_value=0, max_value=60)),
)
def test_results_grow_with_population_and_are_never_negative(population, extra, rates, los):  # noqa: ANN001
    def run(pop: int):  # noqa: ANN202
        inputs = NeedsInputs(
            population_total=pop,
            admissions={"hip": Admissions(None, los, 350), "wrist": Admissions(50, 1, 300)},
            rates=dict(zip(("assessment", "treatment", "followup"), rates, strict=True)),
        )
        return compute(inputs, A, [Scenario("Option", *rates)])

    small, large = run(population), run(population + extra)
    assert all(v >= 0 for v in _numbers(small) + _numbers(large))
    for key, figure in small.figures.items():
        if figure.value is not None:
            assert large.figures[key].value >= figure.value * (1 - 1e-9), key
    for a, b in zip(small.scenarios, large.scenarios, strict=True):
        for attr in ("started_per_year", "hip_5y", "other_5y", "bed_days_5y", "cost_5y"):
            before, after = getattr(a.benefits, attr), getattr(b.benefits, attr)
            if before is not None:
                assert after >= before * (1 - 1e-9) and before >= 0, attr


def test_each_workload_step_shows_the_figure_it_was_worked_from() -> None:
    f = compute(NeedsInputs(admissions={"hip": Admissions(400)}), A).figures
    assert f["identify"].inputs[0][1] == f["caseload"].display
    assert f["treat"].inputs[0][1] == f["identify"].display
    assert f["follow"].inputs[0][1] == f["treat"].display
