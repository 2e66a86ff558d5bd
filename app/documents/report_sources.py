"""What only the steering-group highlight report reads: the steering meetings either side of
today, the open actions, the KPI rows and the current phase (one query each)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import func, select

from app.core.dates import london_to_utc, to_london
from app.extensions import db
from app.kpis import queries as kpi_queries
from app.kpis.charts import run_chart_svg
from app.meetings import queries as meeting_queries
from app.meetings.models import Meeting


@dataclass
class ActionRow:
    description: str
    owner: str
    due: date | None
    overdue: bool


@dataclass
class KpiRow:
    label: str
    latest: str
    change: str  # "▲ 3.0 points", in words and an arrow
    target: str
    signal: str
    values: list[float] = field(default_factory=list)
    target_value: float | None = None
    chart_svg: str = ""  # the KPIs page's run chart, for the HTML preview


def steering_meetings(site_id: int, today: date) -> tuple[date | None, date | None]:
    """The day of the last steering-group meeting before today, and of the next one from
    today on (one query: the two nearest either side)."""
    start_of_today = london_to_utc(datetime.combine(today, time.min))
    steering = (
        Meeting.site_id == site_id,
        Meeting.kind == "steering_group",
        Meeting.cancelled.is_(False),
    )
    last = (
        select(func.max(Meeting.starts_at))
        .where(*steering, Meeting.starts_at < start_of_today)
        .scalar_subquery()
    )
    upcoming = (
        select(func.min(Meeting.starts_at))
        .where(*steering, Meeting.starts_at >= start_of_today)
        .scalar_subquery()
    )
    before, after = db.session.execute(select(last, upcoming)).one()
    return (
        to_london(before).date() if before else None,
        to_london(after).date() if after else None,
    )


def open_actions(site_id: int, today: date) -> list[ActionRow]:
    """Open actions from the action log, most overdue first."""
    return [
        ActionRow(
            action.description,
            action.owner.name if action.owner and not action.owner.erased else "No owner",
            action.due_date,
            action.is_overdue(today),
        )
        for action in meeting_queries.open_actions(site_id)
    ]


def _change_text(change: float | None, higher_is_better: bool) -> str:
    if change is None:
        return "First value"
    if abs(change) < 0.05:
        return "No change"
    better = (change > 0) == higher_is_better
    arrow, direction = ("↑", "Up") if change > 0 else ("↓", "Down")
    return f"{arrow} {direction} {abs(change):.1f} points ({'better' if better else 'worse'})"


def kpi_rows(site_id: int, points: int = 12) -> list[KpiRow]:
    """Each KPI with figures: latest value, change, target and the last year's values for a
    small run chart (two queries: values and targets)."""
    rows = []
    for series in kpi_queries.all_series(site_id):
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
                chart_svg=str(
                    run_chart_svg(
                        series.labels[-points:],
                        values,
                        title=f"Run chart of KPI {series.kpi.number}: {series.kpi.short_name}",
                        target=target,
                        target_label=summary.target_label,
                        higher_is_better=series.kpi.higher_is_better,
                        width=300,
                        height=150,
                        chart_id=f"report-kpi-{series.kpi.number}",
                    )
                ),
            )
        )
    return rows


def current_phase(site_id: int) -> int | None:
    from app.sites.service import current_phase_numbers

    return current_phase_numbers([site_id]).get(site_id)
