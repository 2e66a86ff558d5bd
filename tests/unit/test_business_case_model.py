"""The cost model against a hand computation of one site, every figure for every year.

The site: 200,000 people aged 50+, 600 hip fracture admissions a year staying 20 days at
£400 a bed day, all defaults. Worked by hand (see the comments), not by the app's code.
"""

from __future__ import annotations

import pytest

from app.business_case.calc import appraise
from app.business_case.costs import check_value, default_costs, effective_costs
from app.needs.assumptions import effective_values
from app.needs.model import Admissions, NeedsInputs

INPUTS = NeedsInputs(
    population_total=200_000,
    admissions={"hip": Admissions(600, 20, 400)},
    rates={"assessment": 20, "treatment": 40, "followup": 10},
    staffing={"nurse": 1.0, "admin": 0.5},
)
# Caseload 600 × 5 = 3,000. A full service: assess 80% = 2,400; 50% recommended and 80% of
# those start: 960 a year. Still taking it: 80% followed up × 75% + 20% × 50% = 70%.
# One year of patients protected for 5 years: 960 × 0.7 × 5 = 3,360 patient-years.
# Hip fractures prevented: 3,360 × 2.75% × 40% = 36.96; other: 3,360 × 5% × 25% = 42.
# Bed-day cost avoided by one year of patients: 36.96 × 20 days × £400 = £295,680.
# Staff: 200,000 ÷ 40,000 = 5 nurses, 2.5 administrators, 1 consultant session:
# (5 × £49,479 + 2.5 × £24,873 + £12,269) × 1.27 = £408,745.06. Running £10,000.
# Patients: 2,400 × 50% × £80 + 960 × £60 = £153,600, growing 1% a year. Set-up £15,000.
# Year t: patients on treatment = min(t, 5) ÷ 5 of a full course; discount 1 ÷ 1.035^(t-1).
HAND = [
    # year, cost, hip prevented, other prevented, savings, discount factor
    (1, 587345.05, 7.3920, 8.4000, 59136.00, 1.000000),
    (2, 573881.05, 14.9318, 16.9680, 119454.72, 0.966184),
    (3, 575432.42, 22.6217, 25.7065, 180973.90, 0.933511),
    (4, 576999.29, 30.4639, 34.6181, 243711.52, 0.901943),
    (5, 578581.83, 38.4607, 43.7054, 307685.79, 0.871442),
    (6, 580180.20, 38.8453, 44.1424, 310762.65, 0.841973),
    (7, 581794.55, 39.2338, 44.5838, 313870.28, 0.813501),
    (8, 583425.05, 39.6261, 45.0297, 317008.98, 0.785991),
    (9, 585071.84, 40.0224, 45.4800, 320179.07, 0.759412),
    (10, 586735.11, 40.4226, 45.9348, 323380.86, 0.733731),
]


# The hand computation's own prices (the defaults have moved on: DXA at 2024/25 prices, a
# realistic treatment mix): this test checks the staffing and running-cost arithmetic.
HAND_PRICES = {"dxa_cost": 80.0, "drug_cost": 60.0}


def _full(costs: dict[str, float] | None = None):  # noqa: ANN202
    appraisal = appraise(INPUTS, effective_values(), costs or effective_costs(HAND_PRICES))
    return appraisal, appraisal.options["full"]


def test_each_year_matches_the_hand_computation() -> None:
    _appraisal, full = _full()
    assert full.ok
    assert full.assessed == pytest.approx(2400)
    assert full.started == pytest.approx(960)
    assert full.hip_cohort == pytest.approx(36.96)
    assert full.other_cohort == pytest.approx(42)
    assert full.bed_cohort == pytest.approx(295_680)
    assert full.option.nurse_wte == pytest.approx(5) and full.option.admin_wte == pytest.approx(2.5)
    assert len(full.years) == 10
    for year, (number, cost, hip, other, savings, discount) in zip(full.years, HAND, strict=True):
        assert year.number == number
        assert year.staff == pytest.approx(408_745.055)
        assert year.running == pytest.approx(10_000)
        assert year.cost == pytest.approx(cost, abs=0.01)
        assert year.hip == pytest.approx(hip, abs=0.0001)
        assert year.other == pytest.approx(other, abs=0.0001)
        assert year.savings == pytest.approx(savings, abs=0.01)
        assert year.discount == pytest.approx(discount, abs=1e-6)
        assert year.bed_days == pytest.approx(hip * 20, abs=0.01)  # hip stays of 20 days


def test_totals_cost_per_fracture_and_break_even() -> None:
    appraisal, full = _full()
    assert appraisal.caseload_in(1) == pytest.approx(3000)
    assert appraisal.caseload_in(10) == pytest.approx(3000 * 1.01**9)  # 3,281 a year
    five, ten = full.totals(5), full.totals(10)
    assert five.cost == pytest.approx(2_703_612.76, abs=0.05)
    assert five.savings == pytest.approx(831_436.48, abs=0.05)
    assert five.fractures == pytest.approx(243.2682, abs=0.001)
    assert five.hip == pytest.approx(113.8702, abs=0.001)
    assert ten.cost == pytest.approx(4_998_782.02, abs=0.05)
    assert ten.savings == pytest.approx(2_078_012.40, abs=0.05)
    assert ten.net == pytest.approx(4_998_782.02 - 2_078_012.40, abs=0.1)
    assert ten.fractures == pytest.approx(666.5892, abs=0.001)
    assert ten.cost_per_fracture == pytest.approx(7499.04, abs=0.01)
    assert ten.net_per_fracture == pytest.approx(4381.66, abs=0.01)
    assert full.break_even() is None  # bed days alone never catch up in 10 years


def test_social_care_savings_bring_break_even() -> None:
    # With £40,000 of social care per hip fracture, one year of patients saves
    # £295,680 + 36.96 × £40,000 = £1,774,080. Discounted running totals (cost, savings):
    # year 2 £1,141,820 against £1,047,307; year 3 £1,678,992 against £2,060,954.
    costs = effective_costs(HAND_PRICES | {"social_care_per_hip": 40_000})
    _appraisal, full = _full(costs)
    assert full.years[0].social_savings == pytest.approx(7.392 * 40_000)
    cumulative = full.cumulative()
    assert cumulative[1][1:] == pytest.approx((1_141_820, 1_047_307), abs=1)
    assert cumulative[2][1:] == pytest.approx((1_678_992, 2_060_954), abs=1)
    assert full.break_even() == 3


def test_options_do_nothing_and_improve() -> None:
    appraisal, _full_result = _full()
    nothing, improve = appraisal.options["nothing"], appraisal.options["improve"]
    # Today: 1 nurse, 0.5 administrator, no consultant, no set-up; 20/40/10 rates.
    assert nothing.years[0].staff == pytest.approx((49_479 + 0.5 * 24_873) * 1.27)
    assert nothing.years[0].setup == 0
    assert nothing.assessed == pytest.approx(600)  # 3,000 × 20%
    # Improve: half way on rates (50/45/45), staff (3 nurses, 1.5 admin, 0.5 sessions), set-up.
    assert improve.option.identification == 50 and improve.option.followup == 45
    assert improve.option.nurse_wte == pytest.approx(3) and improve.option.sessions == 0.5
    assert improve.years[0].setup == pytest.approx(7500)
    extra_net, extra_fractures = appraisal.compared("full")
    assert extra_fractures == pytest.approx(
        appraisal.options["full"].totals(10).fractures - nothing.totals(10).fractures
    )
    assert extra_net > 0


def test_missing_inputs_say_what_is_missing() -> None:
    appraisal = appraise(NeedsInputs(), effective_values(), effective_costs())
    full = appraisal.options["full"]
    assert not full.ok and full.totals(10) is None and not full.years
    assert "expected caseload" in full.missing[0]
    no_rates = appraise(
        NeedsInputs(population_total=100_000, admissions={"hip": Admissions(300, 20, 400)}),
        effective_values(),
        effective_costs(),
    )
    assert "today's identification" in no_rates.options["nothing"].missing[0]
    assert no_rates.options["full"].ok
    assert no_rates.compared("full") is None


@pytest.mark.parametrize(
    "key, value, ok",
    [
        ("nurse_salary", 5, False),
        ("nurse_salary", 52_000, True),
        ("discount_rate", 10.5, False),
        ("discount_rate", 0, True),
        ("dxa_cost", -1, False),
        ("population_growth", 0.4, True),
    ],
)
def test_absurd_values_are_refused(key: str, value: float, ok: bool) -> None:
    assert (check_value(default_costs()[key], value) is None) is ok


def test_every_default_has_a_source_and_a_year() -> None:
    for item in default_costs().values():
        assert item.source.strip() and item.year.strip()
    assert default_costs()["discount_rate"].value == 3.5
    assert "Green Book" in default_costs()["discount_rate"].source


def _evaluate(wb, sheet: str, ref: str) -> float:  # noqa: ANN001
    """A tiny evaluator for the workbook's own formulas (+ - * / ^, MIN, IF, SUM, refs)."""
    import re

    value = wb[sheet][ref].value
    if not isinstance(value, str) or not value.startswith("="):
        return value or 0
    expr = value[1:].replace("^", "**").replace("MIN(", "min(").replace("IF(", "_if(")
    expr = re.sub(r"(?<=[\w)])=(?=[\w(])", "==", expr)
    expr = re.sub(
        r"SUM\(([A-Z])(\d+):\1(\d+)\)",
        lambda m: "(" + "+".join(f"{m[1]}{n}" for n in range(int(m[2]), int(m[3]) + 1)) + ")",
        expr,
    )
    expr = re.sub(r"Inputs!\$([A-Z])\$(\d+)", lambda m: f"_cell('Inputs','{m[1]}{m[2]}')", expr)
    expr = re.sub(r"(?<![\w'])([A-Z])(\d+)\b", lambda m: f"_cell('{sheet}','{m[1]}{m[2]}')", expr)
    scope = {
        "_cell": lambda s, r: _evaluate(wb, s, r),
        "_if": lambda c, a, b: a if c else b,
        "min": min,
    }
    return eval(expr, scope)  # noqa: S307 - our own formulas, in a test


@pytest.mark.parametrize(
    "prices",
    [{"social_care_per_hip": 10_000}, {"nurse_salary": 400_000}],  # cost-saving; not
    ids=["cost-saving", "costs-more"],
)
def test_workbook_formulas_reproduce_the_app_figures_and_carry_them(prices: dict) -> None:
    """model.xlsx had bed-day-only "By year" and "Options" sheets beside the cohort model's,
    and its formulas had no values: a reader that does not recalculate saw blanks. Every
    formula now reproduces the app's figure and carries it as its cached value."""
    from io import BytesIO
    from types import SimpleNamespace

    from openpyxl import load_workbook

    from app.business_case.economic import economic_case
    from app.business_case.service import CaseState
    from app.business_case.workbook import model_workbook

    appraisal, _full_option = _full(effective_costs(HAND_PRICES | prices))
    data = model_workbook(SimpleNamespace(name="Test FLS"), CaseState(None, {}, appraisal))
    formulas, cached = load_workbook(BytesIO(data)), load_workbook(BytesIO(data), data_only=True)
    assert "By year" not in formulas.sheetnames
    case = economic_case(appraisal)
    # The app's figure for every formula the workbook writes.
    # A cost per QALY is a formula only where the ratio means something: a cost-saving
    # service's is negative, and the sheet says "Cost-saving" as the page does.
    expected = {("Cohort model", "B"): case.comparison.icer}
    ratios = 0 if case.comparison.dominant or case.comparison.icer is None else 1
    so_far = case.budget.cumulative()
    for row, (year, (_, spend, offsets)) in enumerate(
        zip(case.budget.years, so_far, strict=True), 2
    ):
        expected[("Budget", f"D{row}")] = year.net
        expected[("Budget", f"F{row}")] = spend - offsets
    for key, result in appraisal.options.items():
        e = economic_case(appraisal, key) if key != "nothing" else None
        if e is not None and e.icer is not None and not e.comparison.dominant:
            expected[("Options", result.option.name)] = e.icer
            ratios += 1
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                value = cached[ws.title][cell.coordinate].value
                assert isinstance(value, float), (ws.title, cell.coordinate, value)
                assert _evaluate(formulas, ws.title, cell.coordinate) == pytest.approx(value)
                if ws.title == "Budget":
                    wanted = expected[("Budget", cell.coordinate)]
                elif ws.title == "Options":
                    wanted = expected[("Options", ws.cell(cell.row, 1).value)]
                else:
                    wanted = expected[(ws.title, cell.column_letter)]
                assert value == pytest.approx(wanted), (ws.title, cell.coordinate)
                checked += 1
    assert checked == 2 * len(case.budget.years) + ratios
    assert ratios == (0 if "social_care_per_hip" in prices else 3)  # both kinds are covered
    if case.comparison.dominant:
        sheet = cached["Cohort model"]
        words = [r[1] for r in sheet.iter_rows(values_only=True) if r[0] == "Cost per QALY £"]
        assert str(words[0]).startswith("Cost-saving")
