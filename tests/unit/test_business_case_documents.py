"""The demo business cases print on 6 to 12 pages in LibreOffice, the specification reads
back with its sections, and the documents' own text passes the plain-English check."""

from __future__ import annotations

from app.business_case import checks, service
from app.business_case.case_docx import build_business_case, load_content
from app.business_case.figures import site_figures
from app.business_case.spec_docx import build_specification, pid_narrative
from app.core.dates import today
from app.documents.text import check_field
from app.extensions import db
from tests.unit.test_documents_pages import _pages


def _text(document) -> str:  # noqa: ANN001
    """The document's text without its glossary (whose meanings are the toolkit's) and the
    needs model's references (authors' initials and trial names are citations, not prose)."""
    citations = ("Term", "Assumption", "Figure")  # the glossary and the tables of sources
    tables = [t for t in document.tables if t.rows[0].cells[0].text not in citations]
    cells = [c.text for t in tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_demo_documents_print_on_six_to_twelve_pages(app, tmp_path) -> None:
    from app.demo import seed_demo

    ctx = seed_demo()
    db.session.commit()
    paths = []
    for key in ("glenmoor", "riverside", "loughshore"):
        site = ctx.sites[key]
        document = build_business_case(load_content(site, today()))
        paths.append(tmp_path / f"{key}-case.docx")
        document.save(paths[-1])
        text = _text(document)
        # Plain English, as for the PID: no long sentences, every acronym explained.
        check = check_field("case", "Business case", text, text)
        # "IT" is in a demo risk's title: the site's own words, not the document's.
        assert set(check.unexplained) <= {"IT"}, check.unexplained
        assert not check.long_sentences, check.long_sentences
        if key == "loughshore":  # no needs figures: says what is missing, never £0
            assert "cannot be worked out yet" in text and "£0" not in text
        else:
            assert "Cost per QALY" in text and "Chance it is cost-effective" in text
    glenmoor = ctx.sites["glenmoor"]
    state = service.load(glenmoor)
    spec = build_specification(glenmoor, state.case, site_figures(glenmoor.id), today())
    paths.append(tmp_path / "glenmoor-spec.docx")
    spec.save(paths[-1])
    assert "Not written yet" not in _text(spec)
    assert "Daily search of fracture clinic lists" in _text(spec)
    pages = _pages(paths, tmp_path)
    for path, count in zip(paths[:2], pages[:2], strict=True):
        assert 6 <= count <= 12, f"{path.stem}: {count} pages"
    assert pages[3] >= 3
    assert checks.spec_drafted(ctx.sites["glenmoor"])[0]
    assert checks.case_approved(ctx.sites["glenmoor"])[0]
    assert checks.funding_route_known(ctx.sites["glenmoor"])[0]
    assert not checks.case_approved(ctx.sites["riverside"])[0]
    assert service.load(ctx.sites["riverside"]).appraisal.preferred == "own"


def test_a_thousand_patient_site_gets_a_six_to_twelve_page_case_that_opens_with_the_answer(
    app, tmp_path
) -> None:
    from app.demo import seed_demo
    from app.needs.model import Admissions, NeedsInputs
    from app.needs.service import NeedsState, save

    ctx = seed_demo()
    site = ctx.sites["afon"]
    inputs = NeedsInputs(
        population_total=90_000,
        admissions={"hip": Admissions(200, 20, 400)},  # × 5 = 1,000 patients a year
        rates={"assessment": 40, "treatment": 40, "followup": 20},
        staffing={"nurse": 1.0, "admin": 0.5},
    )
    save(site, NeedsState(None, inputs, {}, []), None, "1,000 patients a year")
    db.session.commit()
    document = build_business_case(load_content(site, today()))
    first = [p.text for p in document.paragraphs[:6]]
    assert first[2] == "The answer"
    answer = [row.cells[0].text for row in document.tables[0].rows]
    for measure in ("Extra cost (discounted)", "QALYs gained (discounted)", "Cost per QALY",
                    "Chance it is cost-effective", "Break-even"):  # fmt: skip
        assert measure in answer
    assert "1,000 expected patients" in "\n".join(first)
    path = tmp_path / "thousand.docx"
    document.save(path)
    assert 6 <= _pages([path], tmp_path)[0] <= 12


def test_statements_the_issue_found_false_are_gone(app) -> None:
    """Riverside's option finds 65% of patients: it is not 'the best of the options that
    meet the national goals'; savings no longer 'fall to social care' while it is not
    counted; the PID's aims say 3 months (the standard), not 12 weeks, and do not 'halve'."""
    from app.demo import seed_demo
    from app.documents.pid import build_pid, load_pid

    ctx = seed_demo()
    db.session.commit()
    riverside = ctx.sites["riverside"]
    text = _text(build_business_case(load_content(riverside, today())))
    assert "options that meet the national goals" not in text
    assert "It does not yet meet every national goal: it finds 65% of patients" in text
    assert "Social care savings | Not counted" not in text
    assert "costs avoided" in text.lower() and "social care" in text
    for words in ("Procurement route", "Contract form", "Payment mechanism",
                  "Who carries it", "Optimism bias", "Benefits that are not cash"):  # fmt: skip
        assert words in text, words
    pid = "\n".join(p.text for p in build_pid(load_pid(riverside, today())).paragraphs)
    assert "within 12 weeks" not in pid and "halve" not in pid
    assert "within 3 months" in pid


def test_specification_takes_aims_and_scope_from_the_pid_and_states_location_once(app) -> None:
    from app.demo import seed_demo

    ctx = seed_demo()
    db.session.commit()
    riverside = ctx.sites["riverside"]  # no specification written: the PID's words
    spec = build_specification(
        riverside, None, site_figures(riverside.id), today(), pid_narrative(riverside.id)
    )
    text = _text(spec)
    assert "In scope (from the PID):" in text
    assert "Find at least 8 in every 10 people" in text  # the PID's aims
    assert "Not written yet" not in text
    glenmoor = ctx.sites["glenmoor"]
    state = service.load(glenmoor)
    text = _text(build_specification(glenmoor, state.case, site_figures(glenmoor.id), today()))
    assert text.count("Nurse clinics at Glenmoor Royal Infirmary") == 1
