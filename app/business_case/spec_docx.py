"""service-specification.docx in the sections of an NHS Standard Contract service
specification, with the service model by the 5IQ headings. The app fills what it knows (the
population, the caseload, the standards, the national audit indicators); the site's own text
fills the rest, and anything not yet written says so."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

from docx.document import Document as DocxDocument

from app.business_case.case_sections import glossary
from app.business_case.fmt import count
from app.business_case.models import SPEC_FIELDS, BusinessCase
from app.business_case.service import CaseState
from app.core import word as style
from app.core.dates import uk_date
from app.toolkit import get_toolkit

if TYPE_CHECKING:
    from app.sites.models import Site

TITLE = "Service specification: fracture liaison service"
FIVE_IQ = ("identify", "investigate", "inform", "intervene", "integrate", "quality")
MODEL = ("location", "skills", "staffing", "facilities", "integration")


def _field(doc: DocxDocument, case: BusinessCase | None, key: str, level: int = 3) -> None:
    style.heading(doc, SPEC_FIELDS[key], level=level)
    text = getattr(case, key, "") if case else ""
    if text.strip():
        style.prose(doc, text)
    else:
        style.missing(
            doc,
            f"Not written yet: add '{SPEC_FIELDS[key].lower()}' on the service specification page.",
        )


def _header(doc: DocxDocument, site: Site, today: date) -> None:
    rows = [
        ["Service", "Fracture liaison service (FLS)"],
        ["Provider", site.organisation or "Not recorded"],
        ["Commissioner", site.commissioner or "Not recorded"],
        [
            "Population covered",
            f"{site.population_50_plus:,} people aged 50 and over"
            if site.population_50_plus
            else "Not entered yet: add it on the needs page",
        ],
        ["Draft date", uk_date(today)],
    ]
    style.table(
        doc, ["Item", "Detail"], rows, caption="About this specification", widths_cm=[5, 12]
    )


def _population_needs(doc: DocxDocument, state: CaseState) -> None:
    needs = state.appraisal.needs
    style.heading(doc, "1. Population needs")
    style.heading(doc, "1.1 National context and evidence", level=2)
    style.para(
        doc,
        "Fragility fractures are common in people aged 50 and over and often lead "
        "to another fracture. Services that find these patients, check their bone health "
        "and start treatment prevent further fractures, and national audits show they "
        "work best when they are run in a routine way.",
    )
    style.heading(doc, "1.2 Local need", level=2)
    if needs.population is None or needs.caseload is None:
        style.missing(
            doc,
            "Local figures are not entered yet. Add the population and hip "
            "fracture admissions on the needs page.",
        )
        return
    a = state.appraisal
    style.bullet_list(
        doc,
        [
            f"People aged 50 and over: {needs.population:,}.",
            f"Expected fragility fractures a year: {count(needs.caseload)}.",
            f"Patients the service should assess each year: {count(a.case.assessed)}."
            if a.case.assessed is not None
            else "Patients to assess: not worked out yet.",
        ],
    )


def _outcomes(doc: DocxDocument) -> None:
    style.heading(doc, "2. Outcomes")
    style.para(
        doc,
        "The service helps people recover after a fracture, prevents further "
        "fractures and keeps people independent for longer.",
    )
    rows = [
        [str(k.number), k.name, f"{k.goal:g}%" if k.goal is not None else "Improve each year"]
        for k in get_toolkit().kpis
    ]
    style.section_table(
        doc,
        "2.1 Local outcomes: national audit indicators and targets",
        ["KPI", "Indicator", "Target"],
        rows,
        caption="FLS-DB key performance indicators and targets",
        widths_cm=[1.5, 11, 4.5],
    )


def _scope(doc: DocxDocument, site: Site, case: BusinessCase | None) -> None:
    style.heading(doc, "3. Scope")
    style.heading(doc, "3.1 Aims and objectives", level=2)
    _field(doc, case, "aims")
    style.heading(doc, "3.2 Service description and care pathway", level=2)
    style.para(
        doc,
        "The service follows the 5IQ model: identify, investigate, inform, "
        "intervene and integrate, plus quality.",
    )
    for key in FIVE_IQ:
        _field(doc, case, key)
    style.heading(doc, "3.3 Service model", level=2)
    for key in MODEL:
        _field(doc, case, key)
    style.heading(doc, "3.4 Population covered", level=2)
    style.para(
        doc,
        f"People aged 50 and over served by {site.organisation or site.name}"
        f"{' and funded by ' + site.commissioner if site.commissioner else ''}.",
    )
    style.heading(doc, "3.5 Acceptance and exclusion criteria", level=2)
    _field(doc, case, "acceptance")
    _field(doc, case, "exclusions")
    style.heading(doc, "3.6 Interdependence with other services", level=2)
    _field(doc, case, "interdependencies")


def _standards(doc: DocxDocument) -> None:
    style.heading(doc, "4. Applicable service standards")
    rows = [[str(s.number), s.title, s.summary] for s in get_toolkit().standards]
    style.section_table(
        doc,
        "4.1 Clinical standards for fracture liaison services",
        ["No.", "Standard", "What it means"],
        rows,
        caption="Royal Osteoporosis Society clinical standards",
        widths_cm=[1.2, 4, 11.8],
        size=9,
    )
    style.heading(doc, "4.2 National audit", level=2)
    style.para(
        doc,
        "The service enters every patient into the national audit (FLS-DB) and "
        "reports the indicators in section 2.1.",
    )


def _quality(doc: DocxDocument, case: BusinessCase | None) -> None:
    style.heading(doc, "5. Applicable quality requirements")
    style.bullet_list(
        doc,
        [
            "Identify at least 80% of the expected caseload.",
            "Recommend bone treatment to at least 50% of patients assessed.",
            "Follow up at least 80% of patients on treatment at 12 to 16 weeks and at a year.",
            "Take part in peer review, and keep staff skills up to date.",
        ],
    )
    style.heading(doc, "6. Location of provider premises")
    text = getattr(case, "location", "") if case else ""
    if text.strip():
        style.prose(doc, text)
    else:
        style.missing(doc, "Not written yet: add the location on the service specification page.")


def build_specification(site: Site, state: CaseState, today: date) -> DocxDocument:
    doc = style.new_document(site.name, f"{site.name}: {TITLE}")
    _header(doc, site, today)
    _population_needs(doc, state)
    _outcomes(doc)
    _scope(doc, site, state.case)
    _standards(doc)
    _quality(doc, state.case)
    glossary(doc)
    return doc


def specification_bytes(site: Site, state: CaseState, today: date) -> bytes:
    buffer = BytesIO()
    build_specification(site, state, today).save(buffer)
    return buffer.getvalue()
