"""Geometry of the server-drawn Gantt chart: phases as bands, tasks as bars, a today line.

The chart is drawn a phase at a time, each a table whose head is the month axis
(`timeline_svg`): printed, a phase flows on from wherever the last one ended and the
browser repeats the months at the top of every page. On a phone the chart is summarised
instead (`timeline_folds`).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import load_only

from app.extensions import db
from app.plan.folding import PhaseProgress, progress_facts, progress_from
from app.plan.models import Task
from app.plan.queries import PhaseView, TaskView
from app.sites.models import Site

WIDTH = 1060
LABEL_WIDTH = 360
LINE = 15  # one line of a task's name
ROW = 22
HEADER = 38  # the month axis
LABEL_CHARS = 54  # characters a line of a task's name holds at 13px in LABEL_WIDTH
MAX_LINES = 2
MIN_LABEL_GAP = 72  # pixels a month label ("Sep 2026" at 13px) needs


@dataclass
class Bar:
    y: int
    label: str
    view: TaskView | None = None
    phase: PhaseView | None = None
    x: float = 0
    width: float = 0
    diamond: bool = False
    lines: list[str] = field(default_factory=list)
    height: int = ROW
    rag: str | None = None  # a phase band's roll-up

    @property
    def mid(self) -> float:
        return self.y + self.height / 2


@dataclass
class Chart:
    start: date
    end: date
    height: int
    bars: list[Bar] = field(default_factory=list)
    months: list[tuple[float, str]] = field(default_factory=list)
    today_x: float | None = None
    title: str = ""

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH


def load_tasks(site: Site) -> tuple[list[Task], PhaseProgress | None]:
    """The site's tasks in plan order, with only what the timeline shows and rolls up, and
    where the site stands (for the plan's folds, on a phone), in one statement.

    Lighter than the plan page's load (no owners, notes or guidance): on a large plan the
    load was the biggest part of the page's time. Any other column raises rather than
    costing a query per task. The progress facts are one-value subqueries of the site
    alone, worked out once by the database however many rows they ride on; with no task
    there is nothing to fold and no progress (None).
    """
    facts = progress_facts(site.id)
    columns = (Task.phase, Task.position, Task.title, Task.status, Task.essential)
    dates = (Task.start_date, Task.due_date, Task.completed_date)
    rows = db.session.execute(
        select(Task, *(expression.label(name) for name, expression in facts.items()))
        .where(Task.site_id == site.id)
        .options(load_only(*columns, *dates, Task.milestone, Task.reported_rag, raiseload=True))
        .order_by(Task.phase, Task.position, Task.id)
    ).all()
    if not rows:
        return [], None
    values = {name: rows[0]._mapping[name] for name in facts}
    return [row[0] for row in rows], progress_from(site, values)


def wrap_label(text: str) -> list[str]:
    """A task's name on at most two lines; only a very long name loses its end."""
    if len(text) <= LABEL_CHARS and text.isprintable() and text == text.strip():
        return [text]  # most names fit one line: what textwrap would return, without its cost
    lines = textwrap.wrap(text, LABEL_CHARS) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: LABEL_CHARS - 1].rstrip() + "…"
    return lines


def _months(start: date, end: date, x_of) -> list[tuple[float, str]]:  # noqa: ANN001
    """Month gridlines, labelled "Jul 2026" as often as they fit without overlapping."""
    months = []
    month = start
    while month < end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    step_px = (x_of(end) - x_of(start)) / max(len(months), 1)
    every = max(1, math.ceil(MIN_LABEL_GAP / max(step_px, 1)))
    right = WIDTH - MIN_LABEL_GAP + 8  # a label must not run off the chart's right edge
    return [
        (x_of(m), f"{m:%b %Y}" if i % every == 0 and x_of(m) <= right else "")
        for i, m in enumerate(months)
    ]


@dataclass(frozen=True)
class PhaseFacts:
    """A phase's dates, counts and RAG, worked out once: `PhaseView`'s properties go over
    all its tasks on every use, and the chart and table use each several times."""

    view: PhaseView
    start: date | None
    end: date | None
    done: int
    applicable: int
    rag: str | None

    @property
    def label(self) -> str:
        return self.view.phase.label


def phase_facts(board: list[PhaseView]) -> dict[int, PhaseFacts]:
    """The facts of every phase that has tasks, by phase number, in the board's order."""
    return {
        phase.phase.number: PhaseFacts(
            phase, phase.start, phase.end, phase.done, phase.applicable, phase.rag
        )
        for phase in board
        if phase.all_tasks
    }


def build_charts(
    board: list[PhaseView], today: date, facts: dict[int, PhaseFacts] | None = None
) -> list[Chart]:
    """One chart per phase that has tasks, all on the same time scale."""
    facts = facts if facts is not None else phase_facts(board)
    dates = [
        d
        for phase in board
        for view in phase.all_tasks
        for d in (view.task.start_date, view.task.due_date)
        if d
    ]
    if not dates:
        return []
    start = min(dates).replace(day=1)
    last = max(max(dates), today)
    end = (last.replace(day=1) + timedelta(days=32)).replace(day=1)
    span = max((end - start).days, 1)
    scale = (WIDTH - LABEL_WIDTH - 24) / span

    def x_of(day: date) -> float:
        return round(LABEL_WIDTH + (day - start).days * scale, 1)

    months = _months(start, end, x_of)
    today_x = x_of(today) if start <= today <= end else None
    charts = []
    for phase in board:
        views = phase.all_tasks
        if not views:
            continue
        chart = Chart(start=start, end=end, height=0, months=months, today_x=today_x)
        chart.title = phase.phase.label
        known = facts[phase.phase.number]
        band = Bar(y=HEADER, label=chart.title, phase=phase, lines=[chart.title], rag=known.rag)
        if known.start and known.end:
            band.x, band.width = x_of(known.start), max(x_of(known.end) - x_of(known.start), 2)
        chart.bars.append(band)
        y = HEADER + ROW + 4
        for view in views:
            task = view.task
            lines = wrap_label(task.title)
            bar = Bar(
                y=y,
                label=task.title,
                view=view,
                diamond=task.milestone,
                lines=lines,
                height=ROW + LINE * (len(lines) - 1),
            )
            first = task.start_date or task.due_date
            if first and task.due_date:
                bar.x = x_of(first)
                bar.width = max(x_of(task.due_date + timedelta(days=1)) - bar.x, 3)
            chart.bars.append(bar)
            y += bar.height
        chart.height = y + 8
        charts.append(chart)
    return charts
