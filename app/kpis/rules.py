"""Run-chart and XmR (SPC) rules: pure functions of a list of numbers, no Flask, no database.

Run chart (IHI; Perla, Provost and Murray 2011; NHS "Making Data Count"):
- shift: 6 or more consecutive points on the same side of the median. Points exactly on
  the median neither count towards a shift nor break it.
- trend: 5 or more consecutive points all rising or all falling. When two or more
  successive points have the same value only one of them counts; like values neither
  make nor break a trend.
- runs: a run is a series of points on one side of the median (points on it ignored).
  Too few or too many runs for the number of useful observations is a signal. The limits
  come from the exact Swed–Eisenhart distribution of runs (the basis of the published
  Perla–Provost–Murray table), 2.5% in each tail, with the points split as evenly as
  possible above and below; the test needs at least 10 useful observations.
- astronomical point: a point far from all the others. IHI leaves this to judgement; to
  make it repeatable we count a point as astronomical when, with at least 10 points, it
  lies outside median ± 3.14 × median moving range (the robust form of the XmR limits,
  which a change of level does not distort) and is not part of a shift, since a shift
  already explains a whole block of points that moved together.

XmR chart (Making Data Count), from 15 points: a point outside the process limits, a run
of 7 on one side of the mean, a trend of 6 rising or falling, and two out of three
consecutive points beyond two-thirds of the distance to a limit on the same side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from math import comb
from statistics import fmean
from statistics import median as _median

SHIFT_LENGTH = 6
TREND_LENGTH = 5
RUNS_MIN_USEFUL = 10
ASTRONOMICAL_MIN_POINTS = 10
XMR_MIN_POINTS = 15
XMR_SHIFT_LENGTH = 7
XMR_TREND_LENGTH = 6
XMR_FACTOR = 2.66  # 3 / d2, with d2 = 1.128 for moving ranges of two points
ROBUST_FACTOR = 3.14  # 3 / 0.954: the same limits from the median moving range
RUNS_TAIL = 0.025

RULE_NAMES = {
    "shift": "Shift",
    "trend": "Trend",
    "runs": "Number of runs",
    "astronomical": "Astronomical point",
    "outside": "Point outside the process limits",
    "two_of_three": "Two of three points near a limit",
}


@dataclass(frozen=True)
class Signal:
    """One rule broken by points start..end (indices into the series, inclusive)."""

    rule: str
    start: int
    end: int
    direction: str = ""  # "up", "down", or "" for rules without one (too many runs)
    points: tuple[int, ...] = ()  # the points that make the signal (all of start..end if empty)
    count: int = 0  # how many points (shift, trend) or runs (runs) make the signal
    note: str = ""  # "too few" / "too many" for the runs rule

    @property
    def indices(self) -> tuple[int, ...]:
        return self.points or tuple(range(self.start, self.end + 1))


@dataclass(frozen=True)
class RunChartAnalysis:
    values: tuple[float, ...]
    median: float | None
    runs: int
    useful: int
    runs_limits: tuple[int, int] | None
    signals: tuple[Signal, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class XmRAnalysis:
    values: tuple[float, ...]
    mean: float
    mean_moving_range: float
    lower: float
    upper: float
    signals: tuple[Signal, ...] = field(default_factory=tuple)


def median(values: list[float]) -> float | None:
    return float(_median(values)) if values else None


def _sides(values: list[float], centre: float) -> list[tuple[int, int]]:
    """(index, +1 above / -1 below) for each point not on the centre line."""
    return [(i, 1 if v > centre else -1) for i, v in enumerate(values) if v != centre]


def find_shifts(values: list[float], centre: float, length: int = SHIFT_LENGTH) -> list[Signal]:
    signals = []
    group: list[tuple[int, int]] = []
    for index, side in [*_sides(values, centre), (-1, 0)]:  # sentinel closes the last group
        if group and side == group[-1][1]:
            group.append((index, side))
            continue
        if len(group) >= length:
            points = tuple(i for i, _ in group)
            signals.append(
                Signal(
                    "shift",
                    points[0],
                    points[-1],
                    "up" if group[0][1] > 0 else "down",
                    points=points,
                    count=len(points),
                )
            )
        group = [(index, side)]
    return signals


def find_trends(values: list[float], length: int = TREND_LENGTH) -> list[Signal]:
    # Collapse repeated values: like values neither make nor break a trend.
    kept = [i for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
    signals = []
    start = 0  # position in `kept` where the current monotone stretch begins
    direction = 0
    for position in range(1, len(kept) + 1):
        step = 0
        if position < len(kept):
            step = 1 if values[kept[position]] > values[kept[position - 1]] else -1
        if position < len(kept) and (direction in (0, step)):
            direction = step
            continue
        stretch = kept[start:position]
        if len(stretch) >= length and direction:
            signals.append(
                Signal(
                    "trend",
                    stretch[0],
                    stretch[-1],
                    "up" if direction > 0 else "down",
                    points=tuple(stretch),
                    count=len(stretch),
                )
            )
        start, direction = position - 1, step
    return signals


def count_runs(values: list[float], centre: float) -> tuple[int, int]:
    """(number of runs, number of useful observations) about the centre line."""
    sides = [side for _, side in _sides(values, centre)]
    if not sides:
        return 0, 0
    return 1 + sum(1 for a, b in zip(sides, sides[1:], strict=False) if a != b), len(sides)


def _runs_distribution(above: int, below: int) -> dict[int, float]:
    """Swed–Eisenhart: the probability of each number of runs for a random order."""
    total = comb(above + below, above)
    dist = {}
    for runs in range(2, above + below + 1):
        if runs % 2 == 0:
            k = runs // 2
            ways = 2 * comb(above - 1, k - 1) * comb(below - 1, k - 1)
        else:
            k = (runs - 1) // 2
            ways = comb(above - 1, k) * comb(below - 1, k - 1) + comb(above - 1, k - 1) * comb(
                below - 1, k
            )
        dist[runs] = ways / total
    return dist


@cache
def runs_limits(useful: int) -> tuple[int, int] | None:
    """(fewest, most) runs expected from chance alone; fewer or more is a signal."""
    if useful < RUNS_MIN_USEFUL:
        return None
    dist = _runs_distribution(useful // 2, useful - useful // 2)
    lower = upper = 0
    cumulative = 0.0
    for runs in sorted(dist):
        cumulative += dist[runs]
        if cumulative > RUNS_TAIL:
            lower = runs
            break
    cumulative = 0.0
    for runs in sorted(dist, reverse=True):
        cumulative += dist[runs]
        if cumulative > RUNS_TAIL:
            upper = runs
            break
    return lower, upper


def runs_signal(values: list[float], centre: float) -> Signal | None:
    runs, useful = count_runs(values, centre)
    limits = runs_limits(useful)
    if limits is None or limits[0] <= runs <= limits[1]:
        return None
    note = "too few" if runs < limits[0] else "too many"
    return Signal("runs", 0, len(values) - 1, count=runs, note=note)


def xmr_limits(values: list[float]) -> tuple[float, float, float, float]:
    """(mean, mean moving range, lower limit, upper limit)."""
    mean = fmean(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    mr_bar = fmean(ranges) if ranges else 0.0
    return mean, mr_bar, mean - XMR_FACTOR * mr_bar, mean + XMR_FACTOR * mr_bar


def astronomical_limits(values: list[float]) -> tuple[float, float]:
    centre = float(_median(values))
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    spread = ROBUST_FACTOR * float(_median(ranges)) if ranges else 0.0
    return centre - spread, centre + spread


def find_outside(values: list[float], lower: float, upper: float, rule: str) -> list[Signal]:
    return [
        Signal(rule, i, i, "up" if v > upper else "down", count=1)
        for i, v in enumerate(values)
        if v > upper or v < lower
    ]


def find_two_of_three(values: list[float], mean: float, lower: float, upper: float) -> list[Signal]:
    high = mean + (upper - mean) * 2 / 3
    low = mean - (mean - lower) * 2 / 3
    signals: list[Signal] = []
    for start in range(len(values) - 2):
        window = values[start : start + 3]
        for direction, beyond in (
            ("up", [v > high for v in window]),
            ("down", [v < low for v in window]),
        ):
            if sum(beyond) >= 2:
                points = tuple(start + i for i, b in enumerate(beyond) if b)
                if signals and signals[-1].direction == direction and signals[-1].end >= points[0]:
                    merged = tuple(sorted(set(signals[-1].points) | set(points)))
                    signals[-1] = Signal("two_of_three", merged[0], merged[-1], direction, merged)
                else:
                    signals.append(Signal("two_of_three", points[0], points[-1], direction, points))
    return signals


def analyse_run_chart(values: list[float]) -> RunChartAnalysis:
    centre = median(values)
    if centre is None:
        return RunChartAnalysis((), None, 0, 0, None)
    runs, useful = count_runs(values, centre)
    signals: list[Signal] = [*find_shifts(values, centre), *find_trends(values)]
    runs_rule = runs_signal(values, centre)
    if runs_rule:
        signals.append(runs_rule)
    if len(values) >= ASTRONOMICAL_MIN_POINTS:
        in_shift = {i for s in signals if s.rule == "shift" for i in s.indices}
        lower, upper = astronomical_limits(values)
        signals.extend(
            s for s in find_outside(values, lower, upper, "astronomical") if s.start not in in_shift
        )
    return RunChartAnalysis(
        tuple(values), centre, runs, useful, runs_limits(useful), tuple(signals)
    )


def analyse_xmr(values: list[float]) -> XmRAnalysis | None:
    """The XmR view, or None when there are too few points for meaningful limits."""
    if len(values) < XMR_MIN_POINTS:
        return None
    mean, mr_bar, lower, upper = xmr_limits(values)
    signals = [
        *find_outside(values, lower, upper, "outside"),
        *find_shifts(values, mean, XMR_SHIFT_LENGTH),
        *find_trends(values, XMR_TREND_LENGTH),
        *find_two_of_three(values, mean, lower, upper),
    ]
    return XmRAnalysis(tuple(values), mean, mr_bar, lower, upper, tuple(signals))


def meaning(signal: Signal, higher_is_better: bool = True) -> str:
    """'improving', 'worsening' or 'unusual' for a signal, given which way is better."""
    if not signal.direction:
        return "unusual"
    good = (signal.direction == "up") == higher_is_better
    return "improving" if good else "worsening"


def describe(
    signal: Signal,
    higher_is_better: bool = True,
    labels: list[str] | None = None,
    centre: str = "median",
) -> str:
    """The signal in words, e.g. 'improving: 6 points above the median (Jan 2025 to Jun 2025)'."""
    labels = labels or []

    def span() -> str:
        if not labels:
            return ""
        first, last = labels[signal.start], labels[signal.end]
        return f" ({first})" if first == last else f" ({first} to {last})"

    mood = meaning(signal, higher_is_better)
    side = "above" if signal.direction == "up" else "below"
    rising = "rising" if signal.direction == "up" else "falling"
    if signal.rule == "shift":
        return f"{mood}: {signal.count} points {side} the {centre}{span()}"
    if signal.rule == "trend":
        return f"{mood}: {signal.count} points {rising} in a row{span()}"
    if signal.rule == "runs":
        if signal.note == "too few":
            return f"unusual: too few runs ({signal.count}), a sign the process has shifted"
        return f"unusual: too many runs ({signal.count}), the values swing more than chance would"
    if signal.rule in ("astronomical", "outside"):
        return f"{mood}: a point far {side} the rest{span()}"
    if signal.rule == "two_of_three":
        limit = "upper" if signal.direction == "up" else "lower"
        return f"{mood}: two of three points close to the {limit} limit{span()}"
    return signal.rule
