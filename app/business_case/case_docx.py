"""business-case.docx: the NHS five-case shape (strategic, economic, commercial, financial,
management) filled from live data. Every piece of Word styling goes through one entry point,
app.core.word, so the house style can change in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

from docx.document import Document as DocxDocument
from docx.shared import Cm

from app.business_case import queries
from app.business_case.case_sections import (
    commercial,
    financial,
    glossary,
    management,
    missing_case,
)
from app.business_case.fmt import break_even_words, count, money, net_words
from app.business_case.service import CaseState
from app.core import word as style
from app.core.dates import uk_date
from app.documents import queries as document_queries
from app.documents import raid

if TYPE_CHECKING:
    from app.sites.models import Site

TITLE = "Business case for a fracture liaison service"


def rate(value: float | None) -> str:
    return "Not known" if value is None else f"{value:g}%"


@dataclass
class CaseContent:
    site: Site
    state: CaseState
    today: date
    team: list[document_queries.TeamRow]
    phases: list[document_queries.PhaseRow]
    risks: list[raid.RiskRow]
    gateways: dict[int, document_queries.GatewayRow]


def load_content(site: Site, today: date) -> CaseContent:
    """The case and the other features' sections: four statements whatever the data size."""
    facts = queries.case_facts(site)
    return CaseContent(
        site=site,
        state=facts.state,
        today=today,
        team=queries.project_team(site),
        phases=queries.plan_phases(site.id),
        risks=queries.top_risks(site.id),
        gateways=facts.gateways,
    )


def _summary(doc: DocxDocument, c: CaseContent) -> None:
    a = c.state.appraisal
    case = a.case
    style.heading(doc, "Summary")
    style.para(
        doc,
        f"This business case asks for funding for {case.option.name.lower()} at "
        f"{c.site.name}. A fracture liaison service (FLS) finds people aged 50 and over who "
        "break a bone in a minor fall. It checks their bone health, starts treatment and "
        "follows them up, so that the first fracture is the last.",
    )
    if missing_case(doc, c):
        return
    whole = case.totals(a.horizon)
    assert whole is not None
    style.bullet_list(
        doc,
        [
            f"Cost in the first year: {money(case.years[0].cost)}, including "
            f"{money(case.years[0].setup)} to set the service up.",
            f"Patients assessed each year: {count(case.assessed)}. Of these, "
            f"{count(case.started)} start treatment.",
            f"Fractures prevented over {a.horizon} years: {count(whole.fractures)}, of which "
            f"{count(whole.hip)} are hip fractures.",
            f"Over {a.horizon} years in today's money: cost {money(whole.cost)}, savings "
            f"{money(whole.savings)}, {net_words(whole.net)}.",
            f"Cost for each fracture prevented: {money(whole.cost_per_fracture)}.",
            f"Break-even: {break_even_words(case.break_even(), a.horizon).lower()}.",
        ],
    )


def _strategic(doc: DocxDocument, c: CaseContent) -> None:
    needs = c.state.appraisal.needs
    style.heading(doc, "1. The strategic case")
    style.heading(doc, "Why change is needed", level=2)
    style.para(
        doc,
        "Half of women and one in five men over 50 will break a bone because of weak bones. "
        "A first fracture is a warning: the risk of another is highest in the following "
        "months. Treatment can cut that risk, but only if someone finds the patient, checks "
        "them and starts treatment. An FLS does this in a routine way for every patient.",
    )
    style.heading(doc, "The local need", level=2)
    pop, caseload = needs.population, needs.caseload
    if pop is None or caseload is None:
        style.missing(
            doc,
            "The local population and caseload are not entered yet. Add them on the needs page.",
        )
    else:
        style.para(
            doc,
            f"The service covers {pop:,} people aged 50 and over. We expect about "
            f"{count(caseload)} fragility fractures a year among them: five for every hip "
            "fracture, the rule the national audit uses.",
        )
        a = c.state.appraisal
        style.para(
            doc,
            f"The number of people aged 50 and over grows by about "
            f"{a.costs['population_growth']:g}% a year. By year {a.horizon} we expect about "
            f"{count(a.caseload_in(a.horizon))} fragility fractures a year.",
        )
    rows = [
        [
            g["label"],
            "Not known" if g["current"] is None else f"{g['current']:g}%",
            "" if g["target"] is None else f"{g['target']:g}%",
            "" if g["patients"] is None else count(g["patients"]),
        ]
        for g in needs.gaps
    ]
    style.table(
        doc,
        ["Today's care", "Now", "Goal", "Patients a year short of the goal"],
        rows,
        caption="Today's care against the goals",
        widths_cm=[8, 2.5, 2.5, 4],
    )
    style.heading(doc, "What patients gain", level=2)
    style.para(
        doc,
        "A hip fracture often means weeks in hospital, and many people never get back the "
        "independence they had. Spine fractures cause pain, loss of height and a bent back. "
        "Each fracture prevented spares a person this, and spares their family the worry and "
        "the care that follows.",
    )
    style.heading(doc, "If nothing changes", level=2)
    style.para(
        doc,
        "Patients will keep being treated for the fracture in front of us and then sent home "
        "without a check of their bones. Some will come back with a hip fracture that could "
        "have been prevented. As the number of older people grows, so will the number of "
        "these fractures.",
    )
    style.heading(doc, "Objectives", level=2)
    style.bullet_list(
        doc,
        [
            "Find at least 80% of the patients we expect each year.",
            "Recommend bone treatment to at least half of the patients assessed.",
            "Follow up at least 80% of patients on treatment to check they still take it.",
            "Refer patients at risk of falling to the falls service.",
            "Record every patient in the national audit and report our results.",
        ],
    )


def _economic(doc: DocxDocument, c: CaseContent) -> None:
    a = c.state.appraisal
    style.heading(doc, "2. The economic case")
    style.para(
        doc,
        f"We compared four options over {a.horizon} years. Money in later years is "
        f"discounted at {a.costs['discount_rate']:g}% a year, the rate the Treasury "
        "sets for public spending, so all figures are in today's money.",
    )
    rows = []
    for key, result in a.options.items():
        t = result.totals(a.horizon)
        if t is None:
            rows.append(
                [
                    result.option.name,
                    "Not worked out",
                    "",
                    "",
                    "Missing: " + "; ".join(result.missing),
                ]
            )
            continue
        diff = a.compared(key)
        versus = (
            "The baseline"
            if key == "nothing"
            else (
                f"{count(diff[1])} more fractures prevented; {net_words(diff[0])}"
                if diff
                else "Today's rates are needed to compare"
            )
        )
        rows.append(
            [
                result.option.name + (" (recommended)" if key == a.preferred else ""),
                money(t.cost),
                money(t.savings),
                count(t.fractures),
                versus,
            ]
        )
    style.table(
        doc,
        ["Option", "Cost", "Savings", "Fractures prevented", "Compared with doing nothing"],
        rows,
        caption="Options appraisal",
        widths_cm=[4.5, 2.3, 2.3, 2.4, 5.5],
    )
    for result in a.options.values():
        if result.option.description:
            style.para(doc, result.option.description, bold_lead=f"{result.option.name}: ")
    rows = [
        [
            result.option.name,
            *(rate(v) for v in (o.identification, o.treatment, o.followup)),
            "Not worked out" if o.nurse_wte is None else f"{o.nurse_wte:.1f}",
            "Not worked out" if o.admin_wte is None else f"{o.admin_wte:.1f}",
            f"{o.sessions:g}",
            money(o.setup) if o.setup else "None",
        ]
        for result in a.options.values()
        for o in (result.option,)
    ]
    style.table(
        doc,
        ["Option", "Found", "Treated", "Followed up", "Nurses", "Admin", "Sessions", "Set-up"],
        rows,
        caption="What each option provides",
        widths_cm=[4.3, 1.8, 1.8, 1.9, 1.6, 1.6, 1.8, 2.2],
        size=9,
    )
    style.para(
        doc,
        "Found is the share of the expected fractures the service sees. Treated is the share "
        "of those it recommends treatment to. Followed up is the share of those it checks on "
        "later. Staff are whole-time equivalents; sessions are consultant half-days a week.",
    )
    style.heading(doc, "How the figures are worked out", level=2)
    style.bullet_list(
        doc,
        [
            "Patients come from the needs page: the expected fractures a year, times the "
            "share each option finds, treats and follows up.",
            "Fractures prevented use the risk of another fracture, the effect of treatment and "
            "how many patients keep taking it. The needs page shows each source.",
            "Each year's patients are protected for the years they take treatment, so "
            "savings build up over the first years.",
            "Savings are hospital bed days no longer needed, at the local cost of a bed day. "
            "Social care counts too where the site gives a local figure.",
            "Staff costs use national pay scales with employer costs. Every default and its "
            "source is listed in the financial case.",
        ],
    )
    style.heading(doc, "The recommended option", level=2)
    case = a.case
    style.para(
        doc,
        f"We recommend {case.option.name.lower()}. It prevents the most fractures "
        "for the money of the options that meet the national goals.",
    )
    if missing_case(doc, c):
        return
    style.heading(doc, "Cost against savings by year", level=2)
    from app.business_case.chart import chart_png

    png = chart_png(case)
    if png:
        doc.add_picture(BytesIO(png), width=Cm(16))
    rows = [
        [str(y.number), money(y.cost), money(y.savings), count(y.fractures), money(cost - saved)]
        for y, (_n, cost, saved) in zip(case.years, case.cumulative(), strict=True)
    ]
    style.table(
        doc,
        ["Year", "Cost", "Savings", "Fractures prevented", "Discounted net cost so far"],
        rows,
        caption="Cost against savings by year",
        widths_cm=[1.5, 3.5, 3.5, 3.5, 5],
    )
    style.heading(doc, "Benefits of the recommended option", level=2)
    spans = [("Over 5 years", case.years[:5])]
    if a.horizon > 5:
        spans.append((f"Over {a.horizon} years", case.years))
    rows = [
        ["Hip fractures prevented", *(count(sum(y.hip for y in ys)) for _l, ys in spans)],
        ["Other fractures prevented", *(count(sum(y.other for y in ys)) for _l, ys in spans)],
        ["Hospital bed days avoided", *(count(sum(y.bed_days for y in ys)) for _l, ys in spans)],
        ["Bed-day savings", *(money(sum(y.bed_savings for y in ys)) for _l, ys in spans)],
        [
            "Social care savings",
            *(
                money(sum(y.social_savings for y in ys))
                if a.costs["social_care_per_hip"]
                else "Not counted"
                for _l, ys in spans
            ),
        ],
    ]
    style.table(
        doc,
        ["Benefit", *(label for label, _ys in spans)],
        rows,
        caption="Benefits of the recommended option, before discounting",
        widths_cm=[7, 5, 5],
    )
    style.heading(doc, "Low, central and high cases", level=2)
    style.para(
        doc,
        "The low and high cases show what happens if the service prevents fewer or "
        "more fractures than planned. The costs stay the same.",
    )
    rows = [
        [
            name,
            count(t.fractures),
            money(t.savings),
            net_words(t.net),
            break_even_words(year, a.horizon),
        ]
        for name, _f, t, year in a.cases()
        if t is not None
    ]
    style.table(
        doc,
        ["Case", "Fractures prevented", "Savings", "Net", "Break-even"],
        rows,
        caption="Low, central and high cases",
        widths_cm=[2.5, 3.5, 3.5, 4, 3.5],
    )


def _recommendation(doc: DocxDocument, c: CaseContent) -> None:
    """What the decision-makers are asked to agree, in a few lines they can minute."""
    a = c.state.appraisal
    case = a.case
    style.heading(doc, "6. Recommendation")
    asks = [f"Agree {case.option.name.lower()} as the way forward."]
    if case.ok:
        later = case.years[1].cost if len(case.years) > 1 else case.years[0].cost
        asks.append(
            f"Fund {money(case.years[0].cost)} in the first year and about {money(later)} a "
            "year after that."
        )
    else:
        asks.append("Agree the funding once the missing figures above are entered.")
    asks += [
        "Review the service after its first two years against the national audit results.",
        "Ask the project team to report progress to the steering group every quarter.",
    ]
    style.para(doc, "We ask the decision-makers to:")
    style.bullet_list(doc, asks)


def build_business_case(c: CaseContent) -> DocxDocument:
    doc = style.new_document(c.site.name, f"{c.site.name}: {TITLE}")
    style.para(doc, f"Draft of {uk_date(c.today)}. Figures from the app on that day.")
    _summary(doc, c)
    _strategic(doc, c)
    _economic(doc, c)
    commercial(doc, c)
    financial(doc, c)
    management(doc, c)
    _recommendation(doc, c)
    glossary(doc)
    return doc


def business_case_bytes(site: Site, today: date) -> bytes:
    buffer = BytesIO()
    build_business_case(load_content(site, today)).save(buffer)
    return buffer.getvalue()
