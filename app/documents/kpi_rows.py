"""The KPI rows of the highlight report: latest value, change, target and a small run chart,
with words for what each chart spans (one query: the values; the report reads the targets
among its facts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

from app.kpis import queries as kpi_queries
from app.kpis.charts import run_chart_svg
from app.toolkit import get_toolkit


def chart_caption(row: KpiRow) -> str:
    """What a small run chart shows, in words: its periods and its vertical scale, which is
    0% to 100% on every chart (app/documents/sparkline.py) so they compare at a glance."""
    if not row.values:
        return ""
    span = (
        f"{row.period_labels[0]} to {row.period_labels[-1]}"
        if len(row.period_labels) > 1
        else "".join(row.period_labels)
    )
    scale = "scale 0% to 100%"
    return f"{span}; {scale}" if span else scale


@dataclass
class KpiRow:
    label: str
    latest: str
    change: str  # "▲ 3.0 points", in words and an arrow
    target: str
    signal: str
    values: list[float] = field(default_factory=list)
    target_value: float | None = None
    period_labels: list[str] = field(default_factory=list)  # one per value, oldest first
    # The KPIs page's run chart, for the HTML preview: drawn when the preview asks for it,
    # so the Word report (which has its own small charts) does not draw it for nothing.
    chart: Callable[[], object] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def chart_svg(self) -> str:
        return str(self.chart()) if self.chart else ""


def _change_text(change: float | None, higher_is_better: bool) -> str:
    if change is None:
        return "First value"
    if abs(change) < 0.05:
        return "No change"
    better = (change > 0) == higher_is_better
    arrow, direction = ("↑", "Up") if change > 0 else ("↓", "Down")
    return f"{arrow} {direction} {abs(change):.1f} points ({'better' if better else 'worse'})"


def kpi_rows(site_id: int, targets: dict[int, float], points: int = 12) -> list[KpiRow]:
    """Each KPI with figures: latest value, change, target and the last year's values for a
    small run chart (one query: the values; `targets` are the site's own, by KPI number)."""
    rows = []
    by_kpi = kpi_queries.all_values(site_id)
    for kpi in get_toolkit().kpis:
        series = kpi_queries.KpiSeries(kpi, by_kpi.get(kpi.number, []), targets.get(kpi.number))
        if not series.values:
            continue
        summary = kpi_queries.summary_row(series)
        values = series.percents[-points:]
        target = summary.target
        rows.append(
            KpiRow(
                label=f"{series.kpi.number}. {series.kpi.short_name}",
                latest=f"{summary.latest:.0f}% ({summary.latest_label})",
                change=_change_text(summary.change, series.kpi.higher_is_better),
                target=(
                    f"{target:.0f}%: {summary.met_text.lower()}" if target is not None else "None"
                ),  # fmt: skip
                signal=summary.signal,
                values=values,
                target_value=target,
                period_labels=list(series.labels[-points:]),
                chart=partial(
                    run_chart_svg,
                    series.labels[-points:],
                    values,
                    title=f"Run chart of KPI {series.kpi.number}: {series.kpi.short_name}",
                    target=target,
                    target_label=summary.target_label,
                    higher_is_better=series.kpi.higher_is_better,
                    width=300,
                    height=150,
                    chart_id=f"report-kpi-{series.kpi.number}",
                ),
            )
        )
    return rows
