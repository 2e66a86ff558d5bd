"""The business case's later sections: commercial, financial and management (the first
three are in case_docx.py), and the glossary both documents end with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.document import Document as DocxDocument

from app.business_case.costs import GROUPS, default_costs, show
from app.business_case.fmt import money
from app.business_case.service import OUTCOMES, decision_for, outcome_of
from app.core import word as style
from app.core.dates import uk_date
from app.documents.text import glossary_for
from app.needs.assumptions import default_assumptions

if TYPE_CHECKING:
    from app.business_case.case_docx import CaseContent


def missing_case(doc: DocxDocument, c: CaseContent) -> bool:
    """Says what is missing when the costs cannot be worked out; True if so."""
    case = c.state.appraisal.case
    if case.ok:
        return False
    style.missing(
        doc,
        "The costs and savings cannot be worked out yet. Still needed: "
        + "; ".join(case.missing)
        + ". Enter them on the needs page, then download this document again.",
    )
    return True


def commercial(doc: DocxDocument, c: CaseContent) -> None:
    bc = c.state.case
    option = c.state.appraisal.case.option
    style.heading(doc, "3. The commercial case")
    style.para(
        doc,
        f"{c.site.organisation or c.site.name} will run the service. "
        f"{'It is funded by ' + bc.payer.rstrip('.') + '.' if bc and bc.payer else ''}",
    )
    if not (bc and bc.payer):
        style.missing(doc, "Who pays is not written yet. Add it on the decision route page.")
    style.heading(doc, "Staff", level=2)
    if option.nurse_wte is None:
        style.missing(doc, "The staffing cannot be worked out until the population is entered.")
    else:
        style.bullet_list(
            doc,
            [
                f"Specialist nurses: {option.nurse_wte:.1f} whole-time equivalent (WTE).",
                f"Administrators: {(option.admin_wte or 0):.1f} WTE.",
                f"Consultant time: {option.sessions:g} session(s) a week.",
            ],
        )
    style.para(
        doc,
        "Staff are employed on NHS terms. Recruitment, training and induction are in "
        "the plan before the service opens.",
    )
    if bc and bc.location:
        style.heading(doc, "Where the service runs", level=2)
        style.prose(doc, bc.location)


def financial(doc: DocxDocument, c: CaseContent) -> None:
    a = c.state.appraisal
    case = a.case
    style.heading(doc, "4. The financial case")
    if not missing_case(doc, c):
        first, later = case.years[0], case.years[-1]
        rows = [
            ["Staff, with on-costs", money(first.staff), money(later.staff)],
            [
                "Clinic space, computers and national audit",
                money(first.running),
                money(later.running),
            ],
            ["DXA scans and treatment", money(first.patients), money(later.patients)],
            ["Set-up (one-off)", money(first.setup), money(later.setup) if later.setup else "None"],
            ["Total", money(first.cost), money(later.cost)],
        ]
        style.table(
            doc,
            ["Cost", "Year 1", f"Year {later.number}"],
            rows,
            caption="Yearly cost of the recommended option",
            widths_cm=[8, 4, 4],
        )
        style.para(
            doc,
            "Patient costs rise each year with the local population aged 50 and "
            f"over, by {a.costs['population_growth']:g}% a year. Savings come later than "
            "costs: each year's patients stay protected for the years they take "
            "treatment.",
        )
        rows = [
            [str(y.number), money(y.staff), money(y.running), money(y.patients),
             money(y.setup) if y.setup else "None", money(y.cost), money(y.savings)]
            for y in case.years
        ]  # fmt: skip
        style.table(
            doc,
            ["Year", "Staff", "Running", "Patients", "Set-up", "Total cost", "Savings"],
            rows,
            caption="Costs and savings by year, before discounting",
            widths_cm=[1.3, 2.7, 2.3, 2.5, 2.2, 3, 3],
            size=9,
        )
        style.heading(doc, "Funding asked for", level=2)
        style.para(
            doc,
            f"We ask for {money(first.cost)} in the first year, including set-up, and about "
            f"{money(case.years[1].cost if len(case.years) > 1 else first.cost)} a year after "
            "that. The savings fall to the hospital and to social care, not to the budget that "
            "pays for the service. The funder will see them as fewer admissions, not as cash.",
        )
    style.heading(doc, "Where the figures come from", level=2)
    rows = []
    for key, item in default_costs().items():
        own = c.state.values.get(key)
        used = show(item, a.costs[key])
        source = f"Site's value: {own.reason}" if own else f"{item.source} ({item.year})"
        rows.append([f"{GROUPS[item.group]}: {item.label}", used, source])
    style.table(
        doc,
        ["Figure", "Value", "Source"],
        rows,
        caption="Costs and their sources",
        widths_cm=[5.5, 2.5, 9],
        size=8.5,
    )
    style.para(doc, "The fractures prevented rest on these assumptions from the needs page.")
    benefit_sources(doc, c)


BENEFIT_ASSUMPTIONS = (
    "rule_of_5",
    "treatment_uptake",
    "adherence_reviewed",
    "adherence_not_reviewed",
    "course_years",
    "hip_risk_untreated",
    "hip_risk_reduction",
    "other_risk_untreated",
    "other_risk_reduction",
)


def benefit_sources(doc: DocxDocument, c: CaseContent) -> None:
    """The needs model's assumptions behind the fractures prevented, with their sources."""
    known = default_assumptions()
    used = c.state.appraisal.assumptions
    rows = []
    for key in BENEFIT_ASSUMPTIONS:
        item = known[key]
        value = used.get(key, item.value)
        shown = f"{value:g}%" if item.kind == "percent" else f"{value:g}"
        rows.append([item.label, shown, item.citation])
    style.table(
        doc,
        ["Assumption", "Value", "Source"],
        rows,
        caption="Assumptions behind the fractures prevented",
        widths_cm=[5.5, 2, 9.5],
        size=8.5,
    )


def management(doc: DocxDocument, c: CaseContent) -> None:
    bc = c.state.case
    style.heading(doc, "5. The management case")
    style.section_table(
        doc,
        "The team",
        ["Role", "Name", "Job"],
        [[t.role, t.name, t.job_title] for t in c.team],
        missing="No project team is recorded yet. Add the team on the People page.",
        caption="Project team",
        widths_cm=[5, 5, 7],
    )
    rows = [
        [
            f"{p.number}. {p.name}",
            uk_date(p.start, "Not planned"),
            uk_date(p.end, ""),
            "; ".join(title for title, _due in p.milestones[:3]) or "None",
        ]
        for p in c.phases
    ]
    style.section_table(
        doc,
        "Plan and milestones",
        ["Phase", "Starts", "Ends", "Milestones"],
        rows,
        caption="Plan by phase",
        widths_cm=[4.5, 2.5, 2.5, 7.5],
    )
    style.section_table(
        doc,
        "Top risks",
        ["Risk", "Score", "What we are doing"],
        [[r.title, r.score, r.action] for r in c.risks],
        missing="No open risks are recorded. Add them on the Risks page.",
        widths_cm=[5.5, 2.5, 9],
    )
    style.section_table(
        doc,
        "Gateways",
        ["Phase", "Gateway"],
        [[str(n), row.status] for n, row in sorted(c.gateways.items())],
        caption="Phase gateways",
        widths_cm=[3, 14],
    )
    style.heading(doc, "How the decision will be made", level=2)
    if bc and (bc.decision_process or bc.meeting):
        style.bullet_list(
            doc,
            [
                text
                for text in (
                    bc.decision_process and f"How: {bc.decision_process}",
                    bc.decision_timing and f"When: {bc.decision_timing}",
                    bc.meeting and f"Meeting: {bc.meeting}",
                    bc.deadline and f"Papers due: {uk_date(bc.deadline)}",
                )
                if text
            ],
        )
    else:
        style.missing(
            doc, "The decision route is not written yet. Add it on the business case pages."
        )
    if bc and (bc.allies or bc.objections):
        style.heading(doc, "Support and objections", level=2)
        if bc.allies:
            style.para(doc, bc.allies, bold_lead="Who supports the case: ")
        if bc.objections:
            style.para(doc, bc.objections, bold_lead="Objections we expect and our answers: ")
    entry = decision_for(bc)
    if entry is not None and entry.decided_on:
        style.para(
            doc,
            f"{OUTCOMES[outcome_of(entry) or 'deferred']} by {entry.decider} on "
            f"{uk_date(entry.decided_on)}.",
            bold_lead="Decision: ",
        )
    style.heading(doc, "How we will measure success", level=2)
    style.para(
        doc,
        "We will send every patient's record to the national audit and report its "
        "key performance indicators (KPIs) each quarter to the steering group.",
    )


def glossary(doc: DocxDocument) -> None:
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(cell.text for t in doc.tables for row in t.rows for cell in row.cells)
    entries = glossary_for(text)
    if entries:
        style.heading(doc, "Words and abbreviations used")
        style.table(
            doc, ["Term", "Meaning"], entries, caption="Glossary", widths_cm=[2.6, 14.4], size=9
        )
