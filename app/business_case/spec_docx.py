"""service-specification.docx in the layout of an NHS Standard Contract service specification:
the contract header, population needs, outcomes (the nation's outcomes framework and the
audit indicators with the site's targets), scope (aims and scope from the PID until the
specification has its own), the standards with their dates, quality requirements and
location. The app fills what it knows from the shared figures; the site's own text fills
the rest. A section not written yet is left out here and listed on the page as work to do."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

from docx.document import Document as DocxDocument
from sqlalchemy import select

from app.business_case.case_sections import glossary
from app.business_case.models import SPEC_FIELDS, BusinessCase
from app.core import word as style
from app.core.dates import uk_date
from app.documents.models import PidNarrative
from app.extensions import db
from app.needs.figures import SiteFigures
from app.toolkit import get_toolkit

if TYPE_CHECKING:
    from app.sites.models import Site

TITLE = "Service specification: fracture liaison service"
FIVE_IQ = ("identify", "investigate", "inform", "intervene", "integrate", "quality")
MODEL = ("skills", "facilities", "integration")  # location is section 6; staffing below
# National standards the service meets, with their dates (NHS Standard Contract section 4.1).
NATIONAL_STANDARDS = (
    ("Royal Osteoporosis Society: Clinical standards for fracture liaison services", "2019",
     "The 5IQ standards: 1 identify, 2 investigate, 3 inform, 4 intervene, 5 integrate, "
     "and quality."),
    ("NICE quality standard QS149: Osteoporosis", "2017",
     "Assess fracture risk after a fragility fracture; start and review treatment."),
    ("NICE technology appraisal TA464: Bisphosphonates for treating osteoporosis", "2017",
     "Who is offered bisphosphonate treatment."),
    ("NICE guideline CG146: Osteoporosis: assessing the risk of fragility fracture", "2012, "
     "updated 2017", "How fracture risk is assessed (FRAX or QFracture, DXA)."),
    ("NICE guideline CG161 and quality standard QS86: Falls in older people", "2013 and 2015",
     "Falls risk assessment and referral."),
    ("National Osteoporosis Guideline Group: clinical guideline", "2021",
     "Treatment thresholds, choice of treatment and when to review it."),
)  # fmt: skip


def _text(case: BusinessCase | None, key: str) -> str:
    return (getattr(case, key, "") or "").strip() if case else ""


def _field(doc: DocxDocument, case: BusinessCase | None, key: str, level: int = 3) -> None:
    """A section the site writes; left out while it is empty (the page lists it to do)."""
    text = _text(case, key)
    if text:
        style.heading(doc, SPEC_FIELDS[key], level=level)
        style.prose(doc, text)


def _header(doc: DocxDocument, site: Site, case: BusinessCase | None, today: date) -> None:
    def value(key: str) -> str:
        return _text(case, key) or "To be agreed"

    def when(key: str) -> str:
        day = getattr(case, key, None) if case else None
        return uk_date(day) if day else "To be agreed"

    rows = [
        ["Service specification number", value("contract_number")],
        ["Service", "Fracture liaison service (FLS)"],
        ["Commissioner lead", value("commissioner_lead")],
        ["Provider lead", value("provider_lead")],
        ["Provider", site.organisation or site.name],
        ["Commissioner", site.commissioner or "To be agreed"],
        [
            "Period",
            f"{when('contract_start')} to {when('contract_end')}"
            if case and case.contract_start and case.contract_end
            else "To be agreed",
        ],
        ["Date of review", when("review_date")],
        ["Draft of", uk_date(today)],
    ]
    style.table(doc, ["Item", "Detail"], rows, caption="Contract header", widths_cm=[5, 12])


def _population_needs(doc: DocxDocument, f: SiteFigures) -> None:
    style.heading(doc, "1. Population needs")
    style.heading(doc, "1.1 National context and evidence base", level=2)
    style.para(
        doc,
        "Fragility fractures are common in people aged 50 and over and often lead to another "
        "fracture. Services that find these patients, check their bone health and start "
        "treatment prevent further fractures. National audits show they work best when they "
        "are run in a routine way.",
    )
    style.heading(doc, "1.2 Local need", level=2)
    if f.population is None or f.patients_a_year is None:
        style.missing(doc, "The population and caseload are to be added from the needs page.")
        return
    lines = [
        f"People aged 50 and over: {f.population:,}.",
        f"Expected fragility fractures a year: {f.patients_display}.",
    ]
    if f.prevented_words:
        lines.append(f"The service is expected to prevent {f.prevented_words}.")
    style.bullet_list(doc, lines)


def _outcomes(doc: DocxDocument, f: SiteFigures) -> None:
    words = f.words
    style.heading(doc, "2. Outcomes")
    style.heading(doc, f"2.1 Outcomes framework: {words.outcomes_framework}", level=2)
    style.bullet_list(doc, words.outcome_domains)
    kpis = get_toolkit().kpis
    rows = [
        [
            str(k.number),
            k.name,
            f"{f.targets[k.number]:g}%" if k.number in f.targets else "Improve each year",
        ]
        for k in kpis
    ]
    where = (
        f"reported to {words.audit}"
        if words.fls_db
        else "measured by the service (FLS-DB covers England, Wales and Northern Ireland only)"
    )
    style.section_table(
        doc,
        "2.2 Local outcomes: indicators and targets",
        ["KPI", "Indicator", "Target"],
        rows,
        caption=f"Key performance indicators, {where}, with this service's targets",
        widths_cm=[1.5, 11, 4.5],
    )


def _scope(
    doc: DocxDocument, site: Site, case: BusinessCase | None, pid: PidNarrative | None
) -> None:
    style.heading(doc, "3. Scope")
    style.heading(doc, "3.1 Aims and objectives", level=2)
    aims = _text(case, "aims") or (pid.aims.strip() if pid else "")
    if aims:
        style.prose(doc, aims)
    if pid and pid.scope_in.strip():
        style.para(doc, "", bold_lead="In scope (from the PID):")
        style.prose(doc, pid.scope_in)
    if pid and pid.scope_out.strip():
        style.para(doc, "", bold_lead="Out of scope (from the PID):")
        style.prose(doc, pid.scope_out)
    style.heading(doc, "3.2 Service description and care pathway", level=2)
    style.para(
        doc,
        "The service follows the 5IQ model: identify, investigate, inform, intervene and "
        "integrate, plus quality.",
    )
    for key in FIVE_IQ:
        _field(doc, case, key)
    style.heading(doc, "3.3 Population covered", level=2)
    style.para(
        doc,
        f"People aged 50 and over served by {site.organisation or site.name}"
        f"{' and funded by ' + site.commissioner if site.commissioner else ''}.",
    )
    if _text(case, "acceptance") or _text(case, "exclusions"):
        style.heading(doc, "3.4 Acceptance and exclusion criteria", level=2)
        _field(doc, case, "acceptance")
        _field(doc, case, "exclusions")
    if _text(case, "interdependencies"):
        style.heading(doc, "3.5 Interdependence with other services", level=2)
        _field(doc, case, "interdependencies")


def _service_model(doc: DocxDocument, case: BusinessCase | None, f: SiteFigures) -> None:
    style.heading(doc, "3.6 Service model", level=2)
    style.heading(doc, "Staffing", level=3)
    if f.staffing_words:
        style.para(
            doc,
            f"{f.staffing_words[0].upper()}{f.staffing_words[1:]}, as the business case sets out.",
        )
    if _text(case, "staffing"):
        style.prose(doc, _text(case, "staffing"))
    for key in MODEL:
        _field(doc, case, key)


def _standards(doc: DocxDocument, f: SiteFigures, case: BusinessCase | None) -> None:
    style.heading(doc, "4. Applicable service standards")
    style.table(
        doc,
        ["Standard", "Date", "What it asks"],
        [list(row) for row in NATIONAL_STANDARDS],
        caption="4.1 National standards and guidance",
        widths_cm=[6.5, 2.5, 8],
        size=9,
    )
    goals = {k.number: k.goal for k in get_toolkit().kpis}
    own = {n: t for n, t in f.targets.items() if goals.get(n) != t}
    style.heading(doc, "4.2 Local standards", level=2)
    lines = [f"KPI {n}: {t:g}% (set by this service)" for n, t in sorted(own.items())]
    lines.append(
        f"Every patient recorded in {f.words.audit}."
        if f.words.fls_db
        else "Every patient recorded on the service's database; hip fractures also in "
        f"{f.words.hip_audit}."
    )
    style.bullet_list(doc, lines)
    _field(doc, case, "quality", level=3)


def _quality(doc: DocxDocument, f: SiteFigures, case: BusinessCase | None) -> None:
    rates = f.rates
    style.heading(doc, "5. Applicable quality requirements")
    style.bullet_list(
        doc,
        [
            f"Identify {rates.get('identification', 80):g}% of the expected caseload.",
            f"Recommend bone treatment to {rates.get('treatment', 50):g}% of patients assessed.",
            f"Follow up {rates.get('followup', 80):g}% of patients on treatment at 12 to 16 "
            "weeks and at a year.",
            "Assess bone health and falls risk within 3 months of the fracture (ROS clinical "
            "standards, 2019).",
            "Take part in peer review, and keep staff skills up to date.",
        ],
    )
    if _text(case, "location"):
        style.heading(doc, "6. Location of provider premises")
        style.prose(doc, _text(case, "location"))


def pid_narrative(site_id: int) -> PidNarrative | None:
    """The PID's aims and scope, which the specification reads until it has its own."""
    return db.session.scalar(select(PidNarrative).where(PidNarrative.site_id == site_id))


def build_specification(
    site: Site, case: BusinessCase | None, figures: SiteFigures, today: date,
    pid: PidNarrative | None = None,
) -> DocxDocument:  # fmt: skip
    doc = style.new_document(site.name, f"{site.name}: {TITLE}")
    _header(doc, site, case, today)
    _population_needs(doc, figures)
    _outcomes(doc, figures)
    _scope(doc, site, case, pid)
    _service_model(doc, case, figures)
    _standards(doc, figures, case)
    _quality(doc, figures, case)
    glossary(doc)
    return doc


def specification_bytes(
    site: Site, case: BusinessCase | None, figures: SiteFigures, today: date
) -> bytes:
    buffer = BytesIO()
    build_specification(site, case, figures, today, pid_narrative(site.id)).save(buffer)
    return buffer.getvalue()
