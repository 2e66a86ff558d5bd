"""business-case.docx: the NHS five-case shape (strategic, economic, commercial, financial,
management) filled from live data, opening with the answer. Every piece of Word styling goes
through one entry point, app.core.word, so the house style can change in one place."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

from docx.document import Document as DocxDocument

from app.business_case.case_content import CaseContent, load_content
from app.business_case.case_economic import economic, summary
from app.business_case.case_sections import commercial, financial, glossary, management
from app.business_case.fmt import count
from app.core import word as style
from app.core.dates import uk_date

if TYPE_CHECKING:
    from app.sites.models import Site

TITLE = "Business case for a fracture liaison service"


def _strategic(doc: DocxDocument, c: CaseContent) -> None:
    needs = c.state.appraisal.needs
    style.heading(doc, "1. The strategic case")
    style.heading(doc, "Why change is needed", level=2)
    style.para(
        doc,
        "Half of women and one in five men over 50 will break a bone because of weak bones. "
        "A first fracture is a warning: the risk of another is highest in the following "
        "months. In trials, treatment cuts hip fractures by about two fifths and other "
        "fractures outside the spine by a quarter. But someone has to find the patient, check "
        "them and start treatment. An FLS does this in a routine way for every patient.",
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
            f"{c.figures.patients_display} fragility fractures a year among them: five for "
            "every hip fracture (the 'rule of 5').",
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
    rates = c.figures.rates
    words = c.figures.words
    audit = (
        f"Record every patient in {words.audit} and report our results."
        if words.fls_db
        else "Record every patient on the service's database and report to the health board. "
        f"Hip fractures are also in {words.hip_audit}."
    )
    style.bullet_list(
        doc,
        [
            f"Find {rates.get('identification', 80):g}% of the patients we expect each year.",
            f"Recommend bone treatment to {rates.get('treatment', 50):g}% of the patients "
            "assessed.",
            f"Follow up {rates.get('followup', 80):g}% of patients on treatment to check they "
            "still take it.",
            "Refer patients at risk of falling to the falls service.",
            audit,
        ],
    )


def _recommendation(doc: DocxDocument, c: CaseContent) -> None:
    """What the decision-makers are asked to agree, in a few lines they can minute."""
    f = c.figures
    style.heading(doc, "6. Recommendation")
    asks = [f"Agree {(f.option or 'the recommended option').lower()} as the way forward."]
    if f.ask_words:
        asks.append(f"Fund {f.ask_words}.")
    else:
        asks.append("Agree the funding once the missing figures above are entered.")
    review = f.words.audit_short if f.words.fls_db else "the service's own audit"
    asks += [
        f"Review the service after its first two years against its {review} results.",
        "Ask the project team to report progress to the steering group every quarter.",
    ]
    style.para(doc, "We ask the decision-makers to:")
    style.bullet_list(doc, asks)


def build_business_case(c: CaseContent) -> DocxDocument:
    doc = style.new_document(c.site.name, f"{c.site.name}: {TITLE}")
    style.para(doc, f"Draft of {uk_date(c.today)}. Figures from the app on that day.")
    summary(doc, c)
    _strategic(doc, c)
    economic(doc, c)
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
