"""The business case's later sections: commercial, financial and management (the answer,
strategic and economic cases are in case_docx.py and case_economic.py), and the glossary
both documents end with."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from app.business_case.case_content import CaseContent
from app.business_case.case_economic import missing_answer
from app.business_case.costs import GROUPS, nation_costs, show
from app.business_case.economic import evaluate, parameters
from app.business_case.economics import economics
from app.business_case.fmt import money, per_qaly
from app.business_case.service import OUTCOMES, decision_for, outcome_of
from app.core import word as style
from app.core.dates import uk_date
from app.documents.text import glossary_for
from app.needs.assumptions import default_assumptions

OPTIMISM_BIAS = 20  # % added to the service's costs: see commercial()


def _procurement(c: CaseContent) -> list[list[str]]:
    """How the service is bought, by nation: who buys, the contract, how it is paid."""
    words = c.figures.words
    provider = c.site.organisation or c.site.name
    if c.site.nation == "Scotland" or c.site.nation == "Wales":
        route = (
            "The health board runs the service itself, so there is no procurement. It funds "
            "the service from its own budget, under an internal service-level agreement."
        )
        contract = "Internal service-level agreement within the health board"
    elif c.site.nation == "Northern Ireland":
        route = (
            f"{provider} provides the service, funded by {words.payer}. No competitive "
            "procurement is needed for a service an existing provider adds to its pathway."
        )
        contract = "Service-level agreement with the trust"
    else:
        route = (
            f"{provider} already provides the fracture pathway. So {words.payer} can add the "
            "service to its contract by direct award under the Provider Selection Regime "
            "(2024), without a tender."
        )
        contract = "A variation to the provider's NHS Standard Contract (a schedule 2 service "
        "specification), or a service-level agreement if funded within the trust"
    return [
        ["Procurement route", route],
        ["Contract form", contract],
        [
            "Payment mechanism",
            "A fixed yearly (block) payment for staff and running costs, reviewed each year "
            "against the patients seen. DXA scans at the local tariff. Medicines from the "
            "prescribing budget.",
        ],
    ]


RISKS = (
    ("More patients than expected", "Shared: the payer funds up to 10% more patients; "
     "above that the service and payer agree extra staff or priorities."),
    ("Staff not recruited in time", "The provider: it recruits, trains and covers vacancies."),
    ("Medicine costs", "The prescribing budget (primary care), as for any prescription."),
    ("Fewer fractures prevented than planned", "The payer: the service reports its audit "
     "measures each quarter so the payer can act early."),
    ("Data and audit returns", "The provider: it enters every patient and reports quarterly."),
)  # fmt: skip

NON_CASH = (
    "People keep their independence and stay in their own homes longer.",
    "Fewer falls, and less pain and disability from spinal fractures.",
    "Less strain on carers and families.",
    "Hospital beds and theatre time freed for other patients (not cash released: the beds "
    "are used by others).",
    "A named team patients and GPs can contact, and a better experience of care.",
    "Audit data that show where the pathway can improve, and skilled staff who stay.",
)


def commercial(doc: DocxDocument, c: CaseContent) -> None:
    bc = c.state.case
    f = c.figures
    style.heading(doc, "3. The commercial case")
    payer = f"It is paid for by {bc.payer.rstrip('.')}." if bc and bc.payer else ""
    style.para(doc, f"{c.site.organisation or c.site.name} will run the service. {payer}")
    style.table(
        doc,
        ["Question", "Answer"],
        _procurement(c),
        caption="How the service is bought and paid for",
        widths_cm=[4, 13],
    )
    style.table(
        doc,
        ["Risk", "Who carries it"],
        [list(row) for row in RISKS],
        caption="Who carries each risk",
        widths_cm=[5.5, 11.5],
    )
    style.heading(doc, "Staff", level=2)
    if f.staffing_words is None:
        style.missing(doc, "The staffing cannot be worked out until the population is entered.")
    else:
        style.para(
            doc,
            f"{f.staffing_words[0].upper()}{f.staffing_words[1:]}. Staff are employed on NHS "
            f"terms and paid on {f.words.pay_scale}. Recruitment, training and induction are "
            "in the plan before the service opens.",
        )
    style.heading(doc, "Optimism bias", level=2)
    if c.answer is not None:
        inputs = c.answer.case.inputs
        biased = evaluate(inputs, parameters() | {"service_scale": 1 + OPTIMISM_BIAS / 100})
        style.para(
            doc,
            "The Treasury's Green Book asks appraisals to allow for the way projects tend to "
            f"cost more than planned. We add {OPTIMISM_BIAS}% to the service's own costs "
            "(staff, space and scans). This is a planning value, to be lowered as costs are "
            "confirmed.",
        )
        style.table(
            doc,
            ["", "Cost per QALY"],
            [
                [
                    "Without optimism bias",
                    per_qaly(c.answer.case.icer, c.answer.case.comparison.dominant),
                ],
                [f"With {OPTIMISM_BIAS}% added", per_qaly(biased.icer, biased.dominant)],
            ],
            caption="The answer with optimism bias",
            widths_cm=[6, 11],
        )
    style.heading(doc, "Benefits that are not cash", level=2)
    style.bullet_list(doc, NON_CASH)


def financial(doc: DocxDocument, c: CaseContent) -> None:
    a = c.state.appraisal
    case = a.case
    style.heading(doc, "4. The financial case")
    if case.ok:
        first, later = case.years[0], case.years[-1]
        rows = [
            ["Staff, with on-costs", money(first.staff), money(later.staff)],
            ["Clinic space, computers and audit", money(first.running), money(later.running)],
            ["Set-up (one-off)", money(first.setup), "None"],
        ]
        style.table(
            doc,
            ["The service's own cost", "Year 1", f"Year {later.number}"],
            rows,
            caption="Yearly cost of running the recommended option (not discounted)",
            widths_cm=[8, 4, 4],
        )
    if not missing_answer(doc, c):
        assert c.answer is not None
        budget = c.answer.case.budget
        rows = [
            [str(y.number), money(y.spend), money(y.offsets), money(y.net), money(s - o)]
            for y, (_n, s, o) in zip(budget.years, budget.cumulative(), strict=True)
        ]
        style.table(
            doc,
            ["Year", "Extra spending", "Costs avoided", "Net", "Net so far (discounted)"],
            rows,
            caption="Budget impact against today's service: yearly figures not discounted, "
            "the last column discounted",
            widths_cm=[1.5, 3.8, 3.8, 3.5, 4.4],
            size=9,
        )
        style.para(
            doc,
            "Extra spending is the service's staff, running costs, scans and set-up above "
            "today's. It includes medicines for every year the extra patients take them: "
            f"{money(budget.years[0].medicines)} in year 1, from the prescribing budget. A new "
            "year's patients join each year. The costs avoided fall to hospitals and to social "
            "care, as fewer fracture admissions and care packages. They are not cash returned "
            "to the budget that pays for the service.",
        )
    style.heading(doc, "Funding asked for", level=2)
    style.para(doc, f"{c.figures.ask_words}." if c.figures.ask_words else "Not worked out yet.")
    _sources(doc, c)


def _sources(doc: DocxDocument, c: CaseContent) -> None:
    """Every default with its source and price year (costs.toml and economics.toml)."""
    a = c.state.appraisal
    style.heading(doc, "Where the figures come from", level=2)
    rows = []
    for key, item in nation_costs(c.site.nation).items():
        own = c.state.values.get(key)
        used = show(item, a.costs[key])
        source = f"Site's value: {own.reason}" if own else item.citation
        rows.append([f"{GROUPS[item.group]}: {item.label}", used, source])
    e = economics()
    for p in e.parameters.values():
        rows.append([p.label, p.show(p.value), p.citation])
    style.table(
        doc,
        ["Figure", f"Value ({e.price_base} prices)", "Source"],
        rows,
        caption="Every value the model uses, with its source and price year",
        widths_cm=[5, 2.5, 9.5],
        size=8,
    )
    style.table(
        doc,
        ["Figure", "Source"],
        [["NHS cost inflation index", e.index_source]],
        caption="The inflation index",
        widths_cm=[5, 12],
        size=8,
    )
    style.para(
        doc,
        f"Costs from other years are brought to {e.price_base} prices with the NHS cost "
        "inflation index.",
        size=8.5,
    )
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
    words = c.figures.words
    style.para(
        doc,
        f"We will send every patient's record to {words.audit}. We will report its key "
        "performance indicators (KPIs) to the steering group each quarter."
        if words.fls_db
        else "We will record every patient on the service's database. We will report the "
        "measures in the service specification to the steering group each quarter. Hip "
        f"fractures are also in {words.hip_audit}.",
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
