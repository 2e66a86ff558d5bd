"""Each run-chart rule with data that triggers it and data that nearly does."""

from xml.etree import ElementTree

import pytest

from app.kpis import rules
from app.kpis.charts import run_chart_svg


def _rules(values: list[float]) -> list[str]:
    return [s.rule for s in rules.analyse_run_chart(values).signals]


def test_shift_of_six_above_the_median_is_a_signal() -> None:
    values = [40, 42, 38, 41, 39, 43, 40, 60, 61, 62, 63, 64, 65]
    shifts = rules.find_shifts(values, rules.median(values))
    up = [s for s in shifts if s.direction == "up"]
    assert [(s.count, s.start, s.end) for s in up] == [(6, 7, 12)]
    assert rules.describe(up[0]) == "improving: 6 points above the median"


def test_five_on_one_side_is_not_a_shift() -> None:
    values = [50, 40, 60, 40, 60, 61, 62, 63, 64, 40, 41, 39]
    centre = rules.median(values)
    assert max(len(s.indices) for s in rules.find_shifts(values, centre, 1)) == 5
    assert rules.find_shifts(values, centre) == []


def test_points_on_the_median_neither_count_nor_break_a_shift() -> None:
    # Median is 50: the 50 in the middle sits on it; 5 + 1 points above make a shift of 6.
    values = [55, 56, 57, 58, 59, 50, 60, 40, 41, 42, 43, 44, 45, 50]
    assert rules.median(values) == 50
    shift = rules.find_shifts(values, 50)
    assert shift[0].count == 6 and 5 not in shift[0].indices


def test_trend_of_five_rising_is_a_signal_and_four_is_not() -> None:
    assert [(s.direction, s.count) for s in rules.find_trends([10, 20, 30, 40, 50])] == [("up", 5)]
    assert rules.find_trends([10, 20, 30, 40, 35, 45]) == []


def test_repeated_values_neither_make_nor_break_a_trend() -> None:
    # 10, 20, 20, 30, 40: only four distinct rising values, no trend.
    assert rules.find_trends([10, 20, 20, 30, 40]) == []
    # 50 40 40 30 20 10 has five distinct falling values.
    trend = rules.find_trends([50, 40, 40, 30, 20, 10])
    assert [(s.direction, s.count, s.start, s.end) for s in trend] == [("down", 5, 0, 5)]


def test_runs_limits_follow_the_swed_eisenhart_table() -> None:
    # Values published by Perla, Provost and Murray (2011) for these sizes.
    assert rules.runs_limits(10) == (3, 9)
    assert rules.runs_limits(14) == (4, 12)
    assert rules.runs_limits(24) == (8, 18)
    assert rules.runs_limits(9) is None  # too few useful observations for the test


def test_too_few_runs_is_a_signal() -> None:
    values = [30, 31, 32, 33, 34, 70, 71, 72, 73, 74]  # 2 runs; 10 useful points need 3
    signal = rules.runs_signal(values, rules.median(values))
    assert signal is not None and signal.note == "too few" and signal.count == 2


def test_three_runs_in_ten_is_not_too_few() -> None:
    values = [30, 31, 32, 70, 71, 72, 73, 33, 34, 74]
    runs, useful = rules.count_runs(values, rules.median(values))
    assert (runs, useful) == (4, 10) or runs >= 3
    assert rules.runs_signal(values, rules.median(values)) is None


def test_too_many_runs_is_a_signal_and_one_fewer_is_not() -> None:
    alternating = [40, 60] * 5  # 10 runs from 10 points; the most expected is 9
    signal = rules.runs_signal(alternating, 50)
    assert signal is not None and signal.note == "too many"
    nine_runs = [40, 60, 40, 60, 40, 60, 40, 60, 40, 41]
    assert rules.count_runs(nine_runs, 50) == (9, 10)
    assert rules.runs_signal(nine_runs, 50) is None


def test_astronomical_point_is_flagged() -> None:
    values = [50, 52, 49, 51, 50, 48, 51, 95, 50, 49, 52, 50]
    signals = [s for s in rules.analyse_run_chart(values).signals if s.rule == "astronomical"]
    assert [(s.start, s.direction) for s in signals] == [(7, "up")]


def test_a_high_point_within_the_spread_is_not_astronomical() -> None:
    values = [50, 55, 45, 52, 47, 56, 44, 58, 50, 46, 54, 48]
    assert "astronomical" not in _rules(values)


def test_astronomical_needs_ten_points() -> None:
    assert "astronomical" not in _rules([50, 51, 49, 50, 95, 50, 51, 49, 50])


def test_a_shift_is_not_also_called_astronomical() -> None:
    values = [40, 41, 39, 40, 42, 41, 80, 81, 79, 80, 82, 81]
    assert "shift" in _rules(values) and "astronomical" not in _rules(values)


def test_xmr_needs_fifteen_points_and_finds_a_point_outside_the_limits() -> None:
    assert rules.analyse_xmr([50.0] * 14) is None
    values = [50, 52, 48, 51, 49, 50, 53, 47, 50, 51, 49, 90, 50, 52, 48]
    xmr = rules.analyse_xmr(values)
    assert xmr is not None
    outside = [s for s in xmr.signals if s.rule == "outside"]
    assert [s.start for s in outside] == [11]
    assert xmr.lower < 50 < xmr.upper


def test_xmr_shift_needs_seven_on_one_side_of_the_mean() -> None:
    base = [50, 40, 60, 45, 55, 50, 55, 45]
    six = [*base, 56, 57, 58, 56, 57, 58, 30]
    seven = [*base, 56, 57, 58, 56, 57, 58, 57]
    assert not [s for s in rules.analyse_xmr(six).signals if s.rule == "shift"]
    assert [s for s in rules.analyse_xmr(seven).signals if s.rule == "shift"]


@pytest.mark.parametrize("higher, expected", [(True, "worsening"), (False, "improving")])
def test_meaning_depends_on_which_way_is_better(higher: bool, expected: str) -> None:
    signal = rules.Signal("shift", 0, 5, "down", count=6)
    assert rules.meaning(signal, higher) == expected


SVG = "{http://www.w3.org/2000/svg}"


def test_svg_has_title_median_target_and_signal_marks() -> None:
    values = [40, 42, 38, 41, 39, 43, 40, 60, 61, 62, 63, 64, 65]
    labels = [f"M{i}" for i in range(len(values))]
    svg = run_chart_svg(labels, values, title="KPI 9 run chart", target=80)
    root = ElementTree.fromstring(str(svg))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "KPI 9 run chart"
    assert "Median" in root.find(f"{SVG}desc").text
    lines = {line.get("class"): line for line in root.iter(f"{SVG}line")}
    assert float(lines["kpi-median"].get("data-value")) == rules.median(values)
    assert float(lines["kpi-target"].get("data-value")) == 80
    marks = [e for e in root.iter() if "kpi-signal" in (e.get("class") or "")]
    shift_marks = [m for m in marks if "shift" in m.get("data-signal")]
    assert len(shift_marks) >= 6 and len(marks) < len(values) + 1
    plain = [e for e in root.iter(f"{SVG}circle") if "kpi-point" in e.get("class")]
    assert len(plain) + len(marks) == len(values)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Percentage (%)" in texts and "Period" in texts


def test_svg_xmr_view_has_mean_and_limits_and_works_small() -> None:
    values = [50, 52, 48, 51, 49, 50, 53, 47, 50, 51, 49, 90, 50, 52, 48]
    svg = run_chart_svg(
        [str(i) for i in range(15)], values, title="XmR", view="xmr", width=360, height=180
    )
    root = ElementTree.fromstring(str(svg))
    classes = [line.get("class") for line in root.iter(f"{SVG}line")]
    assert "kpi-mean" in classes and classes.count("kpi-limit") == 2
    assert "kpi-median" not in classes
    assert root.get("width") == "360"
