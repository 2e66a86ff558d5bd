"""The economic case for a site and how sure it is: per option against today's service,
one-way sensitivity, the seeded probabilistic run and its acceptability curve."""

from __future__ import annotations

import time

import pytest

from app.business_case.calc import appraise
from app.business_case.costs import effective_costs
from app.business_case.economic import economic_case
from app.business_case.uncertainty import DRAWS, cases, probabilistic, tornado
from app.needs.assumptions import effective_values
from app.needs.model import Admissions, NeedsInputs

# A site with 1,000 fragility fracture patients a year (200 hip fractures × 5).
SITE = NeedsInputs(
    population_total=90_000,
    admissions={"hip": Admissions(200, 20, 400)},
    rates={"assessment": 40, "treatment": 40, "followup": 20},
    staffing={"nurse": 1.0, "admin": 0.5},
)


def _case(horizon: int = 10):  # noqa: ANN202
    appraisal = appraise(SITE, effective_values(), effective_costs(), 10)
    appraisal.horizon = horizon
    case = economic_case(appraisal)
    assert case is not None
    return case


def test_a_full_service_against_today_gains_qalys_and_prevents_fractures_at_every_site() -> None:
    case = _case()
    assert case.patients == pytest.approx(1000)
    assert case.inputs.service.treated > case.inputs.usual.treated
    assert case.qalys() > 0
    assert all(value > 0 for value in case.prevented().values())
    assert case.component("drug") > 0  # more patients on treatment, for every year on it


def test_the_probabilistic_run_is_seeded_fast_and_gives_chances() -> None:
    case = _case(0)  # lifetime: the longest run
    started = time.perf_counter()
    run = probabilistic(case.inputs)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0
    assert len(run.draws) == DRAWS
    again = probabilistic(case.inputs)
    assert [d.cost for d in run.draws] == [d.cost for d in again.draws]
    assert 0 <= run.chance(20_000) <= run.chance(30_000) <= 1
    curve = run.curve()
    assert curve[0][0] == 0 and curve[-1][0] == 50_000
    chances = [chance for _w, chance in curve]
    assert chances == sorted(chances)  # more willingness to pay, never less likely


def test_the_tornado_puts_the_inputs_that_move_the_answer_most_first() -> None:
    result = tornado(_case().inputs)
    swings = [bar.swing for bar in result.bars]
    assert swings == sorted(swings, reverse=True)
    assert len(result.bars) == 10
    keys = {bar.key for bar in result.bars}
    assert "effect_hip" in keys or "risk_hip" in keys


def test_low_central_and_high_cases_are_ordered_by_net_benefit() -> None:
    case = _case()
    low, central, high = cases(case.inputs, probabilistic(case.inputs))
    assert [low.name, central.name, high.name] == ["Low", "Central", "High"]
    benefit = [20_000 * c.qalys - c.cost for c in (low, central, high)]
    assert benefit[0] < benefit[2]


def test_the_charts_are_labelled_svg_and_draw_as_png() -> None:
    from app.business_case import chart

    case = _case()
    run = probabilistic(case.inputs)
    curve = chart.acceptability_svg(run)
    bars = chart.tornado_svg(tornado(case.inputs))
    assert "<title" in curve and "NICE" in curve and "polyline" in curve
    assert "Treatment effect on hip fractures" in bars or "Hip fracture risk" in bars
    assert chart.png(chart.acceptability_svg(run, for_print=True)).startswith(b"\x89PNG")
