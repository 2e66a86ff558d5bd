"""The steering-group highlight report as a Word document (one page where it can be)."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from app.core import word as style
from app.core.dates import uk_date
from app.documents.kpi_rows import KpiRow, chart_caption
from app.documents.raid import RiskRow
from app.documents.report import LIST_LIMIT, ReportContent, TaskLine
from app.documents.sparkline import run_chart_png
from app.toolkit.vocabulary import RAG_STATUSES, rag_label

TITLE = "Steering-group highlight report"
# Light fills so the RAG word stays readable in black; the word itself carries the meaning.
RAG_FILLS = {status.key: status.pale for status in RAG_STATUSES}


def rag_word(rag: str | None) -> str:
    return rag_label(rag, "No tasks")


def _rag_cell(rag: str | None) -> str | style.Shaded:
    """The RAG word, on its pale fill when it has one."""
    return style.Shaded(rag_word(rag), RAG_FILLS[rag]) if rag in RAG_FILLS else rag_word(rag)


def _chart_cell(kpi: KpiRow) -> str | style.Picture:
    """A small run chart of the KPI's values (two or more), saying what it shows."""
    if len(kpi.values) < 2:
        return ""
    return style.Picture(
        run_chart_png(kpi.values, kpi.target_value),
        width_cm=4.6,
        alt_text=(
            f"Run chart of {kpi.label}, from {kpi.values[0]:.0f}% to "
            f"{kpi.values[-1]:.0f}%: {kpi.signal}"
        ),
        # Each chart has its own scale: say which periods and values it spans.
        caption=chart_caption(kpi),
    )


def _cut(
    items: list, where: str = "in the project plan", limit: int = LIST_LIMIT
) -> tuple[list, str]:
    """The first `limit` items and, when there are more, how many and where they are."""
    more = len(items) - limit
    return items[:limit], (f"and {more} more {where}" if more > 0 else "")


def _task_bullets(doc: DocxDocument, lines: list[TaskLine], empty: str, when: str) -> None:
    if not lines:
        style.missing(doc, empty)
        return
    shown, more = _cut(lines)
    style.bullet_list(
        doc,
        [f"{line.title} ({line.owner}; {when} {uk_date(line.day, 'no date')})" for line in shown]
        + ([more] if more else []),
    )


def decision_text(row: RiskRow) -> str:
    """'Approve the business case (needed by 3 Mar 2026; Helen Brooks)'."""
    when = f"needed by {row.score}; " if row.score else ""
    return f"{row.title} ({when}{row.owner})"


def build_report(content: ReportContent) -> DocxDocument:
    site = content.site
    doc = style.new_document(site.name, f"{site.name}: {TITLE}", margins_cm=1.6, body_size=10)
    style.para(
        doc,
        f"{content.period_label}, to {uk_date(content.today)}. Next period: {content.until_label}.",
        bold_lead="Period: ",
    )
    overall = content.overall
    style.para(doc, f"{rag_word(overall.rag)}. {overall.reason}.", bold_lead="Overall status: ")

    style.heading(doc, "Status by phase")
    rows = []
    for phase in content.phases:
        gateway = content.gateways.get(phase.number)
        rows.append(
            [
                phase.name,
                _rag_cell(phase.rag),
                phase.reason,
                gateway.status if gateway else ("" if phase.number == 0 else "Not signed off"),
            ]
        )
    style.table(
        doc,
        ["Phase", "RAG", "Why", "Gateway"],
        rows,
        caption="RAG status of each phase with the reason and gateway status",
        widths_cm=[4.6, 1.9, 7.6, 3.7],
        size=9,
    )

    style.heading(doc, "Done in this period")
    _task_bullets(doc, content.completed, "No tasks were completed in this period.", "done")
    style.heading(doc, "Due before the next meeting")
    _task_bullets(doc, content.due_next, "No tasks are due before the next meeting.", "due")

    style.heading(doc, "Overdue and red")
    if content.late:
        shown, more = _cut(content.late)
        style.table(
            doc,
            ["Task", "Owner", "Due", "Note"],
            [[line.title, line.owner, uk_date(line.day, "none"), line.note] for line in shown],
            caption="Overdue and red tasks with their owners",
            widths_cm=[7.0, 3.6, 2.4, 4.8],
            size=9,
        )
        if more:
            style.para(doc, more)
    else:
        style.missing(doc, "Nothing is overdue or red.")

    style.heading(doc, "Changes to dates and RAG in this period")
    if content.changes:
        shown, more = _cut(list(reversed(content.changes)), "in the site's history")
        style.bullet_list(
            doc, [f"{c.text} ({uk_date(c.at)})" for c in shown] + ([more] if more else [])
        )
    else:
        style.missing(doc, "No task dates or RAG were changed in this period.")

    style.heading(doc, "Risks, issues and decisions needed")
    if content.risks or content.issues:
        style.table(
            doc,
            ["Risk or issue", "Score", "Owner", "What we are doing"],
            [[r.title, r.score, r.owner, r.action] for r in content.risks + content.issues],
            caption="Top risks and open issues",
            widths_cm=[5.6, 2.4, 3.0, 6.8],  # "12 (Medium)" fits the score column
            size=9,
        )
    else:
        style.missing(doc, "No open risks or issues are recorded.")
    if content.figures and content.figures.ask_words:
        style.para(doc, content.figures.ask_words, bold_lead="The business case asks for: ")
    if content.decisions:
        style.para(doc, "", bold_lead="Decisions needed from the steering group:")
        style.bullet_list(doc, [decision_text(d) for d in content.decisions])
    else:
        style.missing(doc, "No decisions are waiting for the steering group.")

    style.heading(doc, "Open actions")
    if content.actions:
        shown, more = _cut(content.actions, "in the action log")
        style.bullet_list(
            doc,
            [
                f"{a.description} ({a.owner}; due {uk_date(a.due, 'no date')}"
                f"{', overdue' if a.overdue else ''})"
                for a in shown
            ]
            + ([more] if more else []),
        )
    else:
        style.missing(doc, "No actions are open.")

    style.heading(doc, "Key performance indicators (KPIs)")
    if content.kpis:
        style.table(
            doc,
            ["KPI", "Latest", "Change", "Target", "Run chart"],
            [[k.label, k.latest, k.change, k.target, _chart_cell(k)] for k in content.kpis],
            caption="KPI summary with small run charts",
            widths_cm=[6.2, 1.8, 2.6, 2.2, 5.0],
            size=9,
        )
    else:
        style.missing(doc, "No KPI figures have been recorded yet.")
    if content.delivery:
        style.para(doc, "", bold_lead="Against the business case's promise:")
        style.bullet_list(doc, content.delivery)
    # A PNG may not be drawable: that chart is left out of the table.
    pictures = [
        [chart.name, picture]
        for chart in content.delivery_charts
        if (picture := chart.picture()) is not None
    ]
    if pictures:
        style.table(
            doc,
            ["Promise", "Each quarter since the case was agreed: delivered against promised"],
            pictures,
            caption="Run charts of patients delivered against the business case's promise",
            widths_cm=[4.2, 13.6],
            size=9,
        )
    style.end_cleanly(doc)
    return doc


def report_bytes(content: ReportContent) -> bytes:
    return style.to_bytes(build_report(content))
