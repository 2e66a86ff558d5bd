"""The demo business cases print on 6 to 12 pages in LibreOffice, the specification reads
back with its sections, and the documents' own text passes the plain-English check."""

from __future__ import annotations

from app.business_case import service
from app.business_case.case_docx import build_business_case, load_content
from app.business_case.figures import site_figures
from app.business_case.spec_docx import build_specification
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
    for key in ("glenmoor", "riverside", "meadowbank"):
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
        if key == "meadowbank":  # no needs figures: says what is missing, never £0
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
    assert service.spec_drafted(ctx.sites["glenmoor"])[0]
    assert service.case_approved(ctx.sites["glenmoor"])[0]
    assert service.funding_route_known(ctx.sites["glenmoor"])[0]
    assert not service.case_approved(ctx.sites["riverside"])[0]
    assert service.load(ctx.sites["riverside"]).appraisal.preferred == "own"
