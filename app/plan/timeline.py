"""Geometry of the server-drawn Gantt chart: phases as bands, tasks as bars, a today line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.plan.board import PhaseView, TaskView

WIDTH = 1060
LABEL_WIDTH = 330
ROW = 20
HEADER = 34


@dataclass
class Bar:
    y: int
    label: str
    view: TaskView | None = None
    phase: PhaseView | None = None
    x: float = 0
    width: float = 0
    diamond: bool = False


@dataclass
class Chart:
    start: date
    end: date
    height: int
    bars: list[Bar] = field(default_factory=list)
    months: list[tuple[float, str]] = field(default_factory=list)
    today_x: float | None = None

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH


def build_chart(board: list[PhaseView], today: date) -> Chart | None:
    dates = [
        d
        for phase in board
        for view in phase.all_tasks
        for d in (view.task.start_date, view.task.due_date)
        if d
    ]
    if not dates:
        return None
    start = min(dates).replace(day=1)
    last = max(max(dates), today)
    end = (last.replace(day=1) + timedelta(days=32)).replace(day=1)
    span = max((end - start).days, 1)
    scale = (WIDTH - LABEL_WIDTH - 10) / span

    def x_of(day: date) -> float:
        return round(LABEL_WIDTH + (day - start).days * scale, 1)

    chart = Chart(start=start, end=end, height=0)
    y = HEADER
    for phase in board:
        if not phase.all_tasks:
            continue
        band = Bar(y=y, label=phase.phase.label, phase=phase)
        if phase.start and phase.end:
            band.x, band.width = x_of(phase.start), max(x_of(phase.end) - x_of(phase.start), 2)
        chart.bars.append(band)
        y += ROW + 4
        for view in phase.all_tasks:
            task = view.task
            bar = Bar(y=y, label=task.title, view=view, diamond=task.milestone)
            first = task.start_date or task.due_date
            if first and task.due_date:
                bar.x = x_of(first)
                bar.width = max(x_of(task.due_date + timedelta(days=1)) - bar.x, 3)
            chart.bars.append(bar)
            y += ROW
        y += 6
    chart.height = y + 10
    month, count = start, 0
    label_every = 1 + span // 500  # about a label a month on short plans, fewer on long ones
    while month < end:
        chart.months.append((x_of(month), f"{month:%b %y}" if count % label_every == 0 else ""))
        month, count = (month + timedelta(days=32)).replace(day=1), count + 1
    if start <= today <= end:
        chart.today_x = x_of(today)
    return chart
