"""The Project Initiation Document: the team's own words plus the live plan, people, meetings,
gateways, risks and needs, on two to four printed pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from docx.document import Document as DocxDocument

from app.core import word as style
from app.core.dates import uk_date
from app.documents import queries, raid
from app.documents.fingerprint import changed_since_agreed, content_fingerprint
from app.documents.models import PidNarrative, PidVersion
from app.documents.text import glossary_for
from app.needs.figures import SiteFigures, figures_for
from app.sites.models import Site

TITLE = "Project Initiation Document (PID)"
MAX_PER_CATEGORY = 5
MAX_MILESTONES = 3
_VERSION = re.compile(r"^v(\d+)\.(\d+)$")


def next_version_number(latest: str | None) -> str:
    """v1.0 for the first agreement, then v1.1, v1.2 …"""
    match = _VERSION.match(latest or "")
    if not match:
        return "v1.0"
    return f"v{match.group(1)}.{int(match.group(2)) + 1}"


@dataclass
class PidContent:
    site: Site
    today: date
    narrative: PidNarrative | None
    versions: list[PidVersion]
    team: list[queries.TeamRow]
    categories: list[queries.CategoryRow]
    category_gaps: list[str]
    phases: list[queries.PhaseRow]
    gateways: dict[int, queries.GatewayRow]
    meetings: list[queries.MeetingRow]
    risks: list[raid.RiskRow]
    needs: queries.NeedsRow | None
    meetings_total: int = 0
    missing: list[str] = field(default_factory=list)
    figures: SiteFigures | None = None  # the figures every document states (app.needs.figures)

    @property
    def latest(self) -> PidVersion | None:
        return self.versions[0] if self.versions else None

    @property
    def changed_since_agreed(self) -> bool:
        """The agreed content differs from what the PID would print today.

        Versions agreed before fingerprints were kept compare the narrative's last edit.
        """
        latest = self.latest
        if latest is None:
            return False
        return changed_since_agreed(
            latest.content_hash,
            latest.generated_at,
            self.narrative.updated_at if self.narrative else None,
            lambda: content_fingerprint(self),
        )

    @property
    def is_draft(self) -> bool:
        """A draft until agreed, and again once the content changes after agreement."""
        return self.latest is None or self.changed_since_agreed

    @property
    def version_label(self) -> str:
        if not self.is_draft:
            return self.latest.number
        return f"{next_version_number(self.latest.number if self.latest else None)} (draft)"

    def text(self, name: str) -> str:
        return getattr(self.narrative, name, "") if self.narrative else ""


def load_pid(site: Site, today: date, facts: queries.SiteFacts | None = None) -> PidContent:
    """Everything the PID shows: a fixed number of queries whatever the project's size.
    `facts` when the caller has read them already (the documents page)."""
    facts = facts or queries.site_facts(site.id, today)
    team, categories, gaps = queries.people_sections(site.id, site.organisation)
    tasks = queries.plan_columns(site.id)
    meetings = queries.upcoming_meetings(site.id, today)
    return PidContent(
        site=site,
        today=today,
        narrative=facts.narrative,
        versions=facts.versions,
        team=team,
        categories=categories,
        category_gaps=gaps,
        phases=queries.phase_rows(tasks),
        gateways=facts.gateways,
        meetings=meetings,
        meetings_total=facts.meetings_total,
        risks=raid.key_risks(site.id),
        needs=facts.needs,
        figures=figures_for(site, facts.figure_values or None),
    )


def agreed_line(version: PidVersion) -> str:
    who = version.agreed_by.name if version.agreed_by else "the project sponsor"
    return f"{version.number} agreed by {who} on {uk_date(version.agreed_on)}"


def _narrative(doc: DocxDocument, content: PidContent, name: str, what: str) -> None:
    text = content.text(name)
    if text.strip():
        style.prose(doc, text)
    else:
        content.missing.append(what)
        style.missing(doc, f"To be written: the {what}.")


def _cover(doc: DocxDocument, content: PidContent) -> None:
    site = content.site
    style.para(doc, site.organisation, bold_lead=f"{site.name} · ")
    latest = content.latest
    if content.is_draft:
        style.para(
            doc,
            f"{content.version_label}, for agreement · Printed {uk_date(content.today)}",
            bold_lead="Version: ",
        )
    else:
        style.para(
            doc, f"{latest.number}, agreed on {uk_date(latest.agreed_on)}", bold_lead="Version: "
        )
    if latest is None:
        style.para(doc, "Not yet agreed by the project sponsor.", bold_lead="Agreement: ")
        return
    style.para(doc, agreed_line(latest), bold_lead="Last agreed: ")
    if content.changed_since_agreed:
        style.para(doc, changed_warning(content), bold_lead="Changed since it was agreed: ")


def changed_warning(content: PidContent) -> str:
    latest = content.latest
    return (
        f"The content has changed since {latest.number} was agreed on "
        f"{uk_date(latest.agreed_on)}. It needs the sponsor's agreement again."
    )


def _case_for_change(doc: DocxDocument, content: PidContent) -> None:
    style.heading(doc, "The local case for change")
    site = content.site
    facts = []
    if site.population_50_plus:
        facts.append(
            f"About {site.population_50_plus:,} people aged 50 or over live in the area "
            f"the service will cover."
        )
    needs = content.needs
    # The figures every document states (app.needs.figures), so the PID never differs
    # from the business case, the specification or the report.
    shared = content.figures
    if needs and shared and shared.patients_a_year:
        facts.append(
            f"We expect about {shared.patients_display} people a year to break a bone "
            "in a minor fall. These are the people the FLS will find and treat."
        )
    if shared and shared.prevented_words:
        facts.append(f"The recommended service would prevent {shared.prevented_words}.")
    for line in facts:
        style.para(doc, line)
    if needs:
        for note in needs.notes:
            style.para(doc, note)
    else:
        content.missing.append("needs analysis")
        style.missing(doc, "The expected caseload and benefits have not been worked out yet.")


def _team(doc: DocxDocument, content: PidContent) -> None:
    style.heading(doc, "Who is responsible")
    if not content.team:
        content.missing.append("project team")
        style.missing(doc, "The project team has not been named yet.")
    else:
        style.table(
            doc,
            ["Role", "Name", "Responsibilities"],
            [
                [
                    row.role,
                    f"{row.name}" + (f"\n{row.job_title}" if row.job_title else ""),
                    row.responsibilities,
                ]
                for row in content.team
            ],  # fmt: skip
            caption="The project team: each person's role and responsibilities",
            widths_cm=[3.8, 4.6, 8.6],
        )
    style.heading(doc, "Stakeholder reference group", level=2)
    if not content.categories:
        content.missing.append("stakeholder reference group")
        style.missing(doc, "No one has joined the reference group yet.")
        return
    style.para(
        doc,
        "The reference group brings together everyone with a stake in the service. "
        "It gives advice and feedback; it does not make decisions.",
    )
    rows = []
    for row in content.categories:
        shown = row.who[:MAX_PER_CATEGORY]
        more = len(row.who) - len(shown)
        rows.append([row.category, "; ".join(shown) + (f"; and {more} more" if more else "")])
    style.table(
        doc,
        ["Category", "Represented by"],
        rows,
        caption="Members of the stakeholder reference group by category",
        widths_cm=[5.5, 11.5],
    )
    if content.category_gaps:
        style.para(doc, "; ".join(content.category_gaps) + ".", bold_lead="Not yet represented: ")


def _governance(doc: DocxDocument, content: PidContent) -> None:
    style.heading(doc, "Governance and meetings")
    style.para(
        doc,
        "The project team runs the project day to day and reports every month to the steering "
        "group. The project sponsor signs off the end of each phase (a gateway) when its "
        "essential tasks are complete.",
    )
    if not content.meetings:
        content.missing.append("meetings calendar")
        style.missing(doc, "No meetings have been scheduled yet.")
        return
    style.table(
        doc,
        ["Date", "Time", "Meeting"],
        [
            [uk_date(m.day), m.time, m.title + (f" ({m.group})" if m.group else "")]
            for m in content.meetings
        ],  # fmt: skip
        caption="The next meetings",
        widths_cm=[3.0, 2.5, 11.5],
    )
    more = content.meetings_total - len(content.meetings)
    if more > 0:
        last = uk_date(content.meetings[-1].day)
        style.para(
            doc,
            f"And {more} more meeting{'s' if more != 1 else ''} planned after {last}.",
        )


def _timeline(doc: DocxDocument, content: PidContent) -> None:
    style.heading(doc, "Timeline: the six phases")
    if not any(row.tasks for row in content.phases):
        content.missing.append("project plan")
        style.missing(doc, "The project plan has no tasks yet.")
    rows = []
    for row in content.phases:
        planned = (
            f"{uk_date(row.start, '?')} to {uk_date(row.end, '?')}"
            if row.start or row.end
            else "Not planned yet"
        )
        milestones = [
            f"{title} ({uk_date(due, 'no date')})" for title, due in row.milestones[:MAX_MILESTONES]
        ]
        gateway = content.gateways.get(row.number)
        rows.append(
            [
                f"{row.number}. {row.name}",
                planned,
                "; ".join(milestones) or "None",
                gateway.status if gateway else "Not signed off",
            ]
        )
    style.table(
        doc,
        ["Phase", "Planned dates", "Milestones", "Gateway"],
        rows,
        caption="The six phases with planned dates, milestones and gateway status",
        widths_cm=[3.6, 3.6, 6.6, 3.2],
    )


def _risks(doc: DocxDocument, content: PidContent) -> None:
    style.heading(doc, "Key risks")
    if not content.risks:
        content.missing.append("risks")
        style.missing(doc, "No risks have been recorded yet.")
        return
    style.table(
        doc,
        ["Risk", "Score", "Owner", "What we are doing"],
        [[r.title, r.score, r.owner, r.action] for r in content.risks],
        caption="The highest-scoring open risks",
        widths_cm=[5.0, 2.5, 3.0, 6.5],
    )


def _get_involved(doc: DocxDocument, content: PidContent) -> None:
    style.heading(doc, "How to get involved")
    _narrative(doc, content, "get_involved", "'how to get involved' text")
    name, details = content.text("contact_name").strip(), content.text("contact_details").strip()
    if name or details:
        style.para(doc, " · ".join(part for part in (name, details) if part), bold_lead="Contact: ")
    else:
        content.missing.append("contact")
        style.missing(doc, "A contact has not been named yet.")


def _glossary(doc: DocxDocument) -> None:
    """Every acronym the document actually uses, with its meaning, read back from the document."""
    entries = glossary_for(style.document_text(doc))
    if not entries:
        return
    style.heading(doc, "Words and abbreviations used")
    style.table(
        doc, ["Term", "Meaning"], entries, caption="Glossary", widths_cm=[2.6, 14.4], size=9
    )


def build_pid(content: PidContent) -> DocxDocument:
    site = content.site
    doc = style.new_document(site.name, f"{site.name}: {TITLE}")
    _cover(doc, content)
    style.heading(doc, "Why we need a fracture liaison service")
    _narrative(doc, content, "purpose", "purpose and background")
    style.heading(doc, "Aims and objectives")
    _narrative(doc, content, "aims", "aims and objectives")
    style.heading(doc, "Scope")
    style.heading(doc, "In scope", level=2)
    _narrative(doc, content, "scope_in", "scope (what is in)")
    style.heading(doc, "Out of scope", level=2)
    _narrative(doc, content, "scope_out", "scope (what is out)")
    _case_for_change(doc, content)
    _team(doc, content)
    _governance(doc, content)
    _timeline(doc, content)
    _risks(doc, content)
    _get_involved(doc, content)
    _glossary(doc)
    if content.versions:
        style.heading(doc, "Versions agreed", level=2)
        style.bullet_list(doc, [agreed_line(v) for v in content.versions[:5]])
    style.end_cleanly(doc)
    return doc


def pid_bytes(content: PidContent) -> bytes:
    return style.to_bytes(build_pid(content))


# Layout constants measured against LibreOffice's rendering of the demo PIDs (A4, 2 cm
# margins, Arial 11 pt body, 9.5 pt tables): good enough to say "about 3 pages".
CHARS_PER_LINE = 92
LINES_PER_PAGE = 66
CM_PER_TABLE_CHAR = 0.18


def estimate_pages(doc: DocxDocument) -> int:
    lines = 0.0
    for paragraph in doc.paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name.startswith("Heading") or name == "Title":
            lines += 2.2 if name != "Title" else 3.5
        else:
            lines += max(1, -(-len(paragraph.text) // CHARS_PER_LINE)) + 0.3
    for table in doc.tables:
        for row in table.rows:
            tallest = 1
            for cell in row.cells:
                width = cell.width.cm if cell.width else 4.0
                per_line = max(8, int(width / CM_PER_TABLE_CHAR))
                cell_lines = sum(
                    max(1, -(-len(part) // per_line)) for part in cell.text.split("\n")
                )
                tallest = max(tallest, cell_lines)
            lines += tallest * 0.85 + 0.35
    return max(1, -(-int(lines) // LINES_PER_PAGE))
