"""The steering-group highlight report: what was done, what is next, what is late and what
needs a decision, since the last steering-group meeting (or a chosen date)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.core.audit import AuditEvent
from app.core.dates import london_to_utc, uk_date
from app.core.registry import registry
from app.documents import kpi_rows, queries, raid, report_queries
from app.extensions import db
from app.needs.figures import SiteFigures, figures_for
from app.plan import rag as rag_rules
from app.sites.models import Site
from app.toolkit import get_toolkit

DEFAULT_PERIOD_DAYS = 28  # a month between steering-group meetings when none is recorded
LIST_LIMIT = 8  # a list longer than this is cut with "and N more": one page where it can be
CHANGE_FIELDS = {
    "due_date": "due date",
    "start_date": "start date",
    "reported_rag": "reported RAG",
}


@dataclass
class TaskLine:
    title: str
    phase: int
    owner: str
    day: date | None  # completed, due or overdue-since date, as the list needs
    rag: str | None
    note: str = ""


@dataclass
class PhaseRag:
    number: int
    name: str
    rag: str | None
    reason: str


@dataclass
class Change:
    at: datetime
    text: str


@dataclass
class ReportContent:
    site: Site
    today: date
    since: date
    until: date
    until_label: str
    period_label: str
    overall: PhaseRag
    phases: list[PhaseRag]
    completed: list[TaskLine]
    due_next: list[TaskLine]
    late: list[TaskLine]
    changes: list[Change]
    gateways: dict[int, queries.GatewayRow]
    risks: list[raid.RiskRow]
    issues: list[raid.RiskRow]
    decisions: list[raid.RiskRow]
    actions: list[report_queries.ActionRow]
    kpis: list[kpi_rows.KpiRow]
    current_phase: int | None = None
    notes: list[str] = field(default_factory=list)
    figures: SiteFigures | None = None  # the figures every document states (app.needs.figures)
    # Each promise of the agreed business case against the audit's latest quarter
    delivery: list[str] = field(default_factory=list)
    # The delivery page's run charts, one per promise with audit figures (registry.
    # delivery_charts): SVG on the report page, PNG in the Word report
    delivery_charts: list = field(default_factory=list)


def _reason(lines: list[tuple[str | None, bool, bool]], rag: str | None) -> str:
    """Why a phase has its RAG, in words: counts of (effective RAG, essential, overdue)."""
    if rag is None:
        return "No tasks planned"
    if rag == "complete":
        return "Every task is complete"
    total = len(lines)
    done = sum(1 for r, _e, _o in lines if r == "complete")
    essential_red = sum(1 for r, e, _o in lines if r == "red" and e)
    red = sum(1 for r, _e, _o in lines if r == "red")
    amber = sum(1 for r, _e, _o in lines if r == "amber")
    parts = [f"{done} of {total} tasks complete"]
    if essential_red:
        parts.append(f"{essential_red} essential task{'s' if essential_red > 1 else ''} red")
    elif red:
        parts.append(f"{red} task{'s' if red > 1 else ''} red")
    if amber:
        parts.append(f"{amber} amber (blocked or due soon)")
    if rag == "green":
        parts.append("on track")
    return "; ".join(parts)


def _rags(
    tasks: list[report_queries.ReportTask], today: date
) -> tuple[PhaseRag, list[PhaseRag], dict[int, str]]:
    toolkit = get_toolkit()
    by_phase: dict[int, list[tuple[str | None, bool, bool]]] = {
        p.number: [] for p in toolkit.phases
    }
    effective: dict[int, str] = {}
    for task in tasks:
        rag = rag_rules.effective_rag(rag_rules.task_rag(task, today), task.reported_rag)
        if rag is None:
            continue
        effective[task.id] = rag
        overdue = task.due_date is not None and task.due_date < today and rag != "complete"
        by_phase.setdefault(task.phase, []).append((rag, task.essential, overdue))

    def rolled(lines: list[tuple[str | None, bool, bool]]) -> str | None:
        return rag_rules.roll_up(rag_rules.RolledTask(r, e) for r, e, _o in lines)

    phases = [
        PhaseRag(
            p.number,
            p.label,
            rolled(by_phase[p.number]),
            _reason(by_phase[p.number], rolled(by_phase[p.number])),
        )
        for p in toolkit.phases
    ]
    everything = [line for lines in by_phase.values() for line in lines]
    overall = PhaseRag(
        -1, "Whole project", rolled(everything), _reason(everything, rolled(everything))
    )
    return overall, phases, effective


def _line(
    task: report_queries.ReportTask, rag: str | None, day: date | None, note: str = ""
) -> TaskLine:
    return TaskLine(task.title, task.phase, raid.owner_name(task.owner), day, rag, note)


def _show(field_name: str, value: str | None) -> str:
    if field_name.endswith("_date"):
        try:
            return uk_date(date.fromisoformat(value)).rsplit(" ", 1)[0]  # "3 Mar": enough
        except (TypeError, ValueError):
            return value or ""
    if field_name == "reported_rag":
        return rag_rules.RAG_LABELS.get(value, value)
    return value or ""


def change_words(what: str, verb: str, old: str | None, new: str | None) -> str:
    """'moved from 3 Mar to 14 Apr', 'set to Green', 'cleared (was Green)': a value that was
    empty is set, one that becomes empty is cleared; "from none" is never printed."""
    if old in (None, "") and new in (None, ""):
        return f"{what} unchanged"
    if old in (None, ""):
        return f"{what} set to {new}"
    if new in (None, ""):
        return f"{what} cleared (was {old})"
    return f"{what} {verb} from {old} to {new}"


def changes_since(site_id: int, since: date) -> list[Change]:
    """Changes to task dates and reported RAG since `since`, from the history (1 query)."""
    start = london_to_utc(datetime.combine(since, datetime.min.time()))
    rows = db.session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(
            AuditEvent.site_id == site_id,
            AuditEvent.object_type == "task",
            AuditEvent.action == "update",
            AuditEvent.field.in_(tuple(CHANGE_FIELDS)),
            AuditEvent.at >= start,
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    result = []
    for event, who in rows:
        what = CHANGE_FIELDS[event.field]
        verb = "moved" if event.field.endswith("_date") else "changed"
        by = f" by {who}" if who else ""
        old, new = _show(event.field, event.old_value), _show(event.field, event.new_value)
        text = change_words(f"{what[0].upper()}{what[1:]} of {event.label}", verb, old, new) + by
        result.append(Change(event.at, text))
    return result


def load_report(site: Site, today: date, since: date | None = None) -> ReportContent:
    """The report's content: a fixed number of queries whatever the size of the project."""
    plan = report_queries.report_plan(site.id, today)
    facts = plan.facts
    last, upcoming = facts.last_steering, facts.next_steering
    if since is not None:
        label = f"since {uk_date(since)}"
    elif last is not None:
        since = last
        label = f"since the steering-group meeting on {uk_date(last)}"
    else:
        since = today - timedelta(days=DEFAULT_PERIOD_DAYS)
        label = (
            f"in the last {DEFAULT_PERIOD_DAYS} days "
            "(no earlier steering-group meeting is recorded)"
        )
    # "Next period" runs to the next steering group, the meeting the report is written for;
    # with none in the calendar, four weeks ahead.
    until = upcoming or today + timedelta(days=DEFAULT_PERIOD_DAYS)
    until_label = (
        f"to the steering-group meeting on {uk_date(upcoming)}"
        if upcoming
        else f"to {uk_date(until)} (no steering-group meeting is planned)"
    )
    tasks = plan.tasks
    overall, phases, effective = _rags(tasks, today)
    completed, due_next, late = [], [], []
    for task in tasks:
        rag = effective.get(task.id)
        if rag is None:
            continue
        if rag == "complete":
            if task.completed_date and since <= task.completed_date <= today:
                completed.append(_line(task, rag, task.completed_date))
        elif rag == "red":
            note = task.reported_rag_reason if task.reported_rag == "red" else ""
            if task.due_date and task.due_date < today:
                note = f"{(today - task.due_date).days} days late" + (f"; {note}" if note else "")
            late.append(_line(task, rag, task.due_date, note))
        elif task.due_date and today <= task.due_date <= until:
            due_next.append(_line(task, rag, task.due_date))
    completed.sort(key=lambda line: line.day or today, reverse=True)
    due_next.sort(key=lambda line: line.day or until)
    late.sort(key=lambda line: line.day or today)
    risks = raid.report_raid(site.id)
    gateways = facts.gateways
    return ReportContent(
        site=site,
        today=today,
        since=since,
        until=until,
        until_label=until_label,
        period_label=label,
        overall=overall,
        phases=phases,
        completed=completed,
        due_next=due_next,
        late=late,
        changes=changes_since(site.id, since),
        gateways=gateways,
        risks=risks["risks"],
        issues=risks["issues"],
        decisions=risks["decisions"],
        actions=report_queries.action_rows(plan.actions, today, tasks),
        kpis=kpi_rows.kpi_rows(site.id, facts.kpi_targets),
        current_phase=report_queries.current_phase(gateways),
        figures=figures_for(site, facts.figure_values or None),
        delivery=delivery_lines(facts.delivery_values, today),
        delivery_charts=delivery_charts(facts.delivery_values, today),
    )


def delivery_lines(values: dict, today: date) -> list[str]:
    """'Patients assessed within 90 days: 212 of 300 promised this quarter (88 short)', from
    the delivery feature (none when it is not installed or no case is agreed)."""
    lines = registry().delivery_lines
    return lines(values, today) if lines is not None and values else []


def delivery_charts(values: dict, today: date) -> list[Any]:
    """The delivery page's run charts, promised against delivered for each measured promise
    with audit figures, from the same values as the lines (none without the feature): each
    has a `name`, `svg`, `alt_text`, `caption` and `picture()` (for Word, or None)."""
    charts = registry().delivery_charts
    return charts(values, today) if charts is not None and values else []
