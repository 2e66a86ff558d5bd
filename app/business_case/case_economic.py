"""The business case's answer (its first page) and its economic case, from the cohort model:
each option against today's service, fractures prevented by site, the budget by year and
how sure the answer is. Every table says whether its figures are discounted."""

from __future__ import annotations

from io import BytesIO

from docx.document import Document as DocxDocument
from docx.shared import Cm

from app.business_case import chart
from app.business_case.case_content import CaseContent
from app.business_case.cohort import FRACTURE_SITES
from app.business_case.economic import economic_case
from app.business_case.fmt import chance, count, money, per_qaly, qalys
from app.core import word as style

GOALS = {"identification": 80, "treatment": 50, "followup": 80}


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cost_words(cost: float) -> str:
    """The net cost against today's service, in words."""
    if cost < 0:
        return f"None: it saves {money(-cost)} more than it costs, against today's service"
    return f"{money(cost)} more than today's service"


def missing_answer(doc: DocxDocument, c: CaseContent) -> bool:
    """Says what is missing when the service cannot be compared with today's; True if so."""
    if c.answer is not None:
        return False
    needed = c.figures.missing or ("today's identification, treatment and follow-up rates",)
    style.missing(
        doc,
        "The costs and benefits cannot be worked out yet. Still needed: "
        + "; ".join(needed)
        + ". Enter them on the needs page, then download this document again.",
    )
    return True


def summary(doc: DocxDocument, c: CaseContent) -> None:
    """The answer first: cost, QALYs, cost per QALY, the chance it is cost-effective and
    the break-even year (or its absence), then what is asked for."""
    f = c.figures
    style.heading(doc, "The answer")
    style.para(
        doc,
        f"This business case asks for funding for {(f.option or 'the service').lower()} at "
        f"{c.site.name}. A fracture liaison service (FLS) finds people aged 50 and over who "
        "break a bone in a minor fall. It checks their bone health, starts treatment and "
        "follows them up, so that the first fracture is the last.",
    )
    if missing_answer(doc, c):
        return
    assert c.answer is not None
    e = c.answer.case
    cmp = e.comparison
    chances = "; ".join(f"{chance(p)} at £{w:,} a QALY" for w, p in c.answer.chances)
    breaks = (
        f"year {e.break_even}: by its end the costs avoided have caught up with the extra "
        "spending (discounted)"
        if e.break_even
        else f"not within {len(e.budget.years)} years: the costs avoided do not catch up with "
        "the extra spending in that time (discounted)"
    )
    if not e.break_even and e.cost() < 0:
        breaks += (
            ". Each year's patients go on avoiding costs in the years after, which the budget "
            "period cuts off: that is why the service still saves money overall"
        )
    style.para(
        doc,
        f"We follow one year's {f.patients_display} expected patients over "
        f"{e.horizon_words}. Against today's service, the FLS is {c.answer.verdict}.",
        bold_lead="In short: ",
    )
    style.table(
        doc,
        ["Measure", "Result"],
        [
            ["Extra cost (discounted)", _cost_words(e.cost())],
            ["QALYs gained (discounted)", qalys(e.qalys())],
            ["Cost per QALY", per_qaly(e.icer, cmp.dominant)],
            ["Chance it is cost-effective", chances],
            ["Break-even", breaks[0].upper() + breaks[1:]],
            [
                "Fractures prevented (not discounted)",
                _first_upper(f.prevented_words or "not worked out"),
            ],
            ["The ask", f.ask_words or "Not worked out"],
        ],
        caption="The answer for the recommended option against today's service",
        widths_cm=[5, 12],
    )
    style.para(
        doc,
        "NICE judges a treatment good value below £20,000 to £30,000 for each quality-adjusted "
        "life year (QALY) gained. Costs and QALYs are discounted at "
        f"{c.state.appraisal.costs['discount_rate']:g}% a year, as the Treasury's Green Book "
        "and NICE ask; costs are in 2024/25 prices.",
    )


def _options(doc: DocxDocument, c: CaseContent) -> None:
    a = c.state.appraisal
    rows = []
    for key, result in a.options.items():
        name = result.option.name + (" (recommended)" if key == a.preferred else "")
        if key == "nothing":
            rows.append([name, "Today's service: the comparison", "", "", ""])
            continue
        e = economic_case(a, key)
        if e is None:
            rows.append([name, "Not worked out", "", "", ""])
            continue
        rows.append(
            [
                name,
                money(e.cost()),
                qalys(e.qalys()),
                count(e.prevented_total),
                per_qaly(e.icer, e.comparison.dominant),
            ]
        )
    style.table(
        doc,
        ["Option", "Extra cost", "QALYs gained", "Fractures prevented", "Cost per QALY"],
        rows,
        caption="Each option against today's service, for one year's patients (money and "
        "QALYs discounted; fractures not)",
        widths_cm=[4.6, 2.6, 2.2, 2.6, 5],
        size=9,
    )


def _recommended_words(c: CaseContent) -> str:
    f, a = c.figures, c.state.appraisal
    short = [
        f"finds {f.rates[key]:g}% of patients against the {goal}% goal"
        if key == "identification"
        else f"{'recommends treatment to' if key == 'treatment' else 'follows up'} "
        f"{f.rates[key]:g}% against the {goal}% goal"
        for key, goal in GOALS.items()
        if key in f.rates and f.rates[key] < goal
    ]
    words = f"We recommend {a.case.option.name.lower()}"
    if c.answer is not None:
        words += f": against today's service it is {c.answer.verdict}"
    if short:
        return words + ". It does not yet meet every national goal: it " + "; ".join(short) + "."
    return words + ". It meets the 80/50/80 national goals."


def economic(doc: DocxDocument, c: CaseContent) -> None:
    style.heading(doc, "2. The economic case")
    style.para(
        doc,
        "Each option is compared with today's service in a cohort model. It follows one "
        "year's expected patients year by year. It tracks the treatment they start, how long "
        "they stay on it and the fractures they have at six sites. It counts what those fractures "
        "cost the NHS and social care, the quality of life they take and the deaths after hip "
        "fractures.",
    )
    _options(doc, c)
    style.para(doc, _recommended_words(c), bold_lead="The recommended option. ")
    if missing_answer(doc, c):
        return
    assert c.answer is not None
    e = c.answer.case
    style.table(
        doc,
        ["Fracture", "Prevented", "NHS and social care costs avoided"],
        [
            [label, f"{e.prevented()[key]:.1f}", money(e.saving_by_site(key))]
            for key, label in FRACTURE_SITES.items()
        ],
        caption="Fractures prevented among one year's patients (counts not discounted; costs "
        "avoided discounted)",
        widths_cm=[5, 4, 8],
    )
    style.heading(doc, "How sure is this?", level=2)
    style.table(
        doc,
        ["Case", "Extra cost", "QALYs gained", "Cost per QALY"],
        [
            [k.name, money(k.cost), qalys(k.qalys), per_qaly(k.icer, k.cost <= 0 < k.qalys)]
            for k in c.answer.cases
        ],
        caption="Low, central and high cases for one year's patients (discounted)",
        widths_cm=[3, 4, 3.5, 6.5],
    )
    style.para(
        doc,
        f"Low and high are the 10th and 90th centiles of {len(c.answer.run.draws):,} runs in "
        "which every input is drawn at once from its range. The first chart shows which "
        "inputs move the answer most. The curve shows the chance the service is "
        "cost-effective at each price the NHS might pay for a QALY.",
    )
    style.para(doc, "", bold_lead="Figure 1. What moves the answer most")
    doc.add_picture(BytesIO(chart.png(chart.tornado_svg(c.answer.tornado, for_print=True))),
                    width=Cm(16))  # fmt: skip
    style.para(doc, "", bold_lead="Figure 2. Chance the service is cost-effective")
    doc.add_picture(BytesIO(chart.png(chart.acceptability_svg(c.answer.run, for_print=True))),
                    width=Cm(15))  # fmt: skip
