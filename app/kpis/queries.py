"""Reading KPI values for pages, charts, reports and the gateway check: series with their
run-chart analysis, the summary table, and the latest values across sites."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.sql.selectable import ScalarSelect

from app.core.db import select_facts
from app.core.registry import CheckResult
from app.extensions import db
from app.kpis import rules
from app.kpis.models import KpiTarget, KpiValue
from app.kpis.periods import Period
from app.kpis.service import targets_for
from app.toolkit import Kpi, get_toolkit

if TYPE_CHECKING:
    from app.sites.models import Site


def all_values(site_id: int) -> dict[int, list[KpiValue]]:
    """Every value of the site, per KPI, oldest first: one query."""
    query = (
        select(KpiValue)
        .where(KpiValue.site_id == site_id)
        .order_by(KpiValue.kpi_number, KpiValue.period_start)
    )
    series: dict[int, list[KpiValue]] = defaultdict(list)
    for value in db.session.scalars(query):
        series[value.kpi_number].append(value)
    return series


@dataclass
class KpiSeries:
    """One KPI's values with everything a chart or summary needs."""

    kpi: Kpi
    values: list[KpiValue]
    site_target: float | None
    run: rules.RunChartAnalysis = field(init=False)
    xmr: rules.XmRAnalysis | None = field(init=False)

    def __post_init__(self) -> None:
        self.run = rules.analyse_run_chart(self.percents)
        self.xmr = rules.analyse_xmr(self.percents)

    # Computed once: the analyses, the summary and the charts each read them again.
    @cached_property
    def percents(self) -> list[float]:
        return [v.percent for v in self.values]

    @cached_property
    def labels(self) -> list[str]:
        return [period_of(v).label for v in self.values]

    @property
    def target(self) -> float | None:
        """The line to aim for: the site's own target, else the national 80/50/80 goal."""
        return self.site_target if self.site_target is not None else self.kpi.goal

    @property
    def target_label(self) -> str:
        return "Site target" if self.site_target is not None else "80/50/80 goal"

    def flags(self, view: str = "run") -> list[str]:
        """For each point, the names of the rules it is part of ("" when none)."""
        analysis = self.xmr if view == "xmr" and self.xmr else self.run
        names: list[set[str]] = [set() for _ in self.values]
        for signal in analysis.signals:
            if signal.rule == "runs":
                continue  # about the whole series, not particular points
            for index in signal.indices:
                names[index].add(rules.RULE_NAMES[signal.rule])
        return [", ".join(sorted(n)) for n in names]

    def signals_in_words(self, view: str = "run") -> list[str]:
        analysis = self.xmr if view == "xmr" and self.xmr else self.run
        centre = "mean" if analysis is self.xmr else "median"
        return [
            rules.describe(s, self.kpi.higher_is_better, self.labels, centre)
            for s in sorted(analysis.signals, key=lambda s: (s.start, s.end))
        ]


def period_of(value: KpiValue) -> Period:
    return Period(value.period_start, value.period_kind)


def kpi_series(site_id: int, number: int) -> KpiSeries:
    kpi = get_toolkit().kpi(number)
    query = (
        select(KpiValue)
        .where(KpiValue.site_id == site_id, KpiValue.kpi_number == number)
        .order_by(KpiValue.period_start)
    )
    return KpiSeries(kpi, list(db.session.scalars(query)), targets_for(site_id).get(number))


def all_series(site_id: int) -> list[KpiSeries]:
    values, targets = all_values(site_id), targets_for(site_id)
    return [
        KpiSeries(k, values.get(k.number, []), targets.get(k.number)) for k in get_toolkit().kpis
    ]


def recorded_periods(series: list[KpiSeries]) -> list[tuple[Period, int]]:
    """Each period with values and how many KPIs it has, newest first."""
    counts: dict[Period, int] = defaultdict(int)
    for item in series:
        for value in item.values:
            counts[period_of(value)] += 1
    return sorted(counts.items(), reverse=True)


# Which signal the summary shows when several end on the same point.
_PRIORITY = {"astronomical": 0, "shift": 1, "trend": 2, "runs": 3}


@dataclass
class KpiSummaryRow:
    kpi: Kpi
    points: int
    latest_label: str | None
    latest: float | None
    numerator: int | None
    denominator: int | None
    change: float | None  # percentage points since the previous period
    target: float | None
    target_label: str
    target_met: bool | None
    signal: str  # in words, e.g. "improving: 6 points above the median (...)"
    mood: str  # improving / worsening / unusual / no signal / no data
    # The period the shown signal ends in, and whether that is the latest one: a signal that
    # ended months ago is history, not news (the index marks it with its date).
    signal_period: str | None = None
    signal_current: bool = True

    @property
    def shown_mood(self) -> str:
        """The signal's tag: its meaning while it lasts to the latest value, else "earlier
        signal". The overview and the KPI page both show this, never `mood` alone."""
        return self.mood if self.signal_current else "earlier signal"

    @property
    def signal_words(self) -> str:
        """The signal in words, dated when it ended before the latest value."""
        if self.signal_period and not self.signal_current:
            return f"Ended {self.signal_period}: {self.signal}"
        return self.signal

    @property
    def met_text(self) -> str:
        if self.target_met is None:
            return "No target" if self.target is None else "No data"
        return "Met" if self.target_met else "Not met"


def summary_row(series: KpiSeries) -> KpiSummaryRow:
    values = series.values
    latest = values[-1] if values else None
    previous = values[-2] if len(values) > 1 else None
    target_met = None
    if latest is not None and series.target is not None:
        better = series.kpi.higher_is_better
        target_met = latest.percent >= series.target if better else latest.percent <= series.target
    signal_period, signal_current = None, True
    if not values:
        signal, mood = "No values yet", "no data"
    elif not series.run.signals:
        signal, mood = "No signal: the variation looks like chance", "no signal"
    else:
        chosen = max(series.run.signals, key=lambda s: (s.end, -_PRIORITY.get(s.rule, 9)))
        signal = rules.describe(chosen, series.kpi.higher_is_better, series.labels)
        mood = rules.meaning(chosen, series.kpi.higher_is_better)
        signal_period = series.labels[min(chosen.end, len(values) - 1)]
        signal_current = chosen.end >= len(values) - 1
    return KpiSummaryRow(
        kpi=series.kpi,
        points=len(values),
        latest_label=period_of(latest).label if latest else None,
        latest=latest.percent if latest else None,
        numerator=latest.numerator if latest else None,
        denominator=latest.denominator if latest else None,
        change=(latest.percent - previous.percent) if previous and latest else None,
        target=series.target,
        target_label=series.target_label,
        target_met=target_met,
        signal=signal,
        mood=mood,
        signal_period=signal_period,
        signal_current=signal_current,
    )


RECENT_MONTHS = 3


def kpis_recorded_facts(site_id: int) -> dict[str, Any]:
    """How many values the site has and the newest period (for the gateway check)."""
    values = select().select_from(KpiValue).where(KpiValue.site_id == site_id)
    return {
        "count": values.add_columns(func.count(KpiValue.id)).scalar_subquery(),
        "newest": values.add_columns(func.max(KpiValue.period_start)).scalar_subquery(),
    }


def kpis_recorded(
    site: Site, facts: Mapping[str, Any] | None = None, today: date | None = None
) -> CheckResult:
    """Gateway auto-check: values are recorded and the latest is recent (no backlog)."""
    from app.core.dates import today as uk_today

    today = today or uk_today()
    link = f"/sites/{site.id}/kpis"  # the URL scheme is a contract; works outside requests too
    facts = select_facts(kpis_recorded_facts(site.id)) if facts is None else facts
    count, newest = facts["count"], facts["newest"]
    if not count:
        return CheckResult(False, "No KPI values have been recorded yet.", link)
    months_old = (today.year - newest.year) * 12 + today.month - newest.month
    label = f"{newest:%b %Y}"
    if months_old > RECENT_MONTHS:
        return CheckResult(
            False,
            f"The latest KPI values are for {label}, more than {RECENT_MONTHS} months ago.",
            link,
        )
    return CheckResult(True, f"{count} KPI values recorded, the latest for {label}.", link)


def overview_facts(site_id: int) -> dict[str, ScalarSelect]:
    """The panel's facts: the site's target for each KPI (None where it has none)."""
    return {
        f"target_{kpi.number}": select(KpiTarget.target)
        .where(KpiTarget.site_id == site_id, KpiTarget.kpi_number == kpi.number)
        .scalar_subquery()
        for kpi in get_toolkit().kpis
    }


def overview_panel(site: Site, facts: dict[str, Any]) -> dict:
    """The KPIs with values, latest first and their signal: one query beside the facts."""
    values = all_values(site.id)
    rows = [
        summary_row(KpiSeries(k, values.get(k.number, []), facts[f"target_{k.number}"]))
        for k in get_toolkit().kpis
    ]
    return {"rows": [r for r in rows if r.points], "any": any(r.points for r in rows)}


TRACKED_PERIODS = 6


def kpis_tracked_facts(site_id: int) -> dict[str, Any]:
    """The KPI with the most periods recorded (the lowest number on a tie)."""

    def best(column: Any) -> ScalarSelect:
        return (
            select(column)
            .where(KpiValue.site_id == site_id)
            .group_by(KpiValue.kpi_number)
            .order_by(func.count(KpiValue.id).desc(), KpiValue.kpi_number)
            .limit(1)
            .scalar_subquery()
        )

    return {
        "number": best(KpiValue.kpi_number),
        "periods": best(func.count(KpiValue.id)),
        "first": best(func.min(KpiValue.period_start)),
        "last": best(func.max(KpiValue.period_start)),
    }


def kpis_tracked(site: Site, facts: Mapping[str, Any] | None = None) -> CheckResult:
    """Met when at least one KPI has values for TRACKED_PERIODS or more periods.

    One value shows where a service is, not whether it is improving: a run chart needs a
    series. Six months (or six quarters) is the shortest run we call "over time".
    """
    facts = select_facts(kpis_tracked_facts(site.id)) if facts is None else facts
    if facts["number"] is None:
        return CheckResult(False, "No KPI values have been recorded yet.")
    number, periods, first, last = (facts[k] for k in ("number", "periods", "first", "last"))
    evidence = (
        f"KPI {number} has values for {periods} period{'s' if periods != 1 else ''}, "
        f"{first:%b %Y} to {last:%b %Y}"
    )
    if periods < TRACKED_PERIODS:
        return CheckResult(
            False,
            f"{evidence}; at least {TRACKED_PERIODS} are needed to see a trend.",
        )
    return CheckResult(True, evidence + ".", f"/sites/{site.id}/kpis")
