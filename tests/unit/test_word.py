"""The Word house style: one font family, clean text, the site in the header."""

from __future__ import annotations

import base64
import io
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from app.core import word


def test_house_document_cleans_text_and_keeps_emoji_and_rtl() -> None:
    doc = word.new_document("Riverside\x0b FLS", "Minutes\x00: steering group")
    word.heading(doc, "Notes\x0b")
    word.para(doc, "Line one\r\nline two 🦴 خدمة", bold_lead="Owner\x1f: ")
    word.prose(doc, "- first\x0b\n- second")
    word.table(doc, ["A\x00", "B"], [["x\x0by", None]], caption="A table\x0b")
    reopened = docx.Document(io.BytesIO(word.to_bytes(doc)))
    texts = [p.text for p in reopened.paragraphs]
    assert texts[:3] == ["Minutes: steering group", "Notes", "Owner: Line one\nline two 🦴 خدمة"]
    assert [p.style.name for p in reopened.paragraphs[:4]] == [
        "Title",
        "Heading 1",
        "Normal",
        "List Bullet",
    ]
    assert reopened.tables[0].style.name == "Table Grid"
    assert reopened.tables[0].rows[1].cells[0].text == "xy"
    assert reopened.sections[0].header.paragraphs[0].text == "Riverside FLS"
    assert reopened.core_properties.title == "Minutes: steering group"


def test_every_style_names_arial_and_no_theme_font() -> None:
    doc = word.new_document("Site", "Title")
    xml = doc.styles.element.xml
    assert "Theme=" not in xml and "w:cstheme" not in xml
    assert doc.styles["Normal"].font.name == "Arial"
    assert doc.styles["Heading 1"].font.name == "Arial"


def test_documents_open_the_template_but_do_not_change_it() -> None:
    """Each document opens the house template kept as bytes: writing a document must
    leave the template as it was, and one document never shows in another."""
    first = word.new_document("Site one", "First")
    template = word._template_bytes(2.0, word.BODY_SIZE)
    before = bytes(template)
    word.heading(first, "Notes", level=3)
    word.para(first, "One", bold_lead="Lead: ")
    word.prose(first, "- a\n- b")
    word.bullet_list(first, ["x", "y"], numbered=True)
    word.table(first, ["A", "B"], [["1", "2"]], caption="T", widths_cm=[2, 3])
    word.end_cleanly(first)
    second = word.new_document("Site two", "Second")
    data = word.to_bytes(second)
    assert word._template_bytes(2.0, word.BODY_SIZE) == before
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(io.BytesIO(before)) as kept:
        assert archive.testzip() is None
        assert archive.read("word/styles.xml") == kept.read("word/styles.xml")
    reopened = docx.Document(io.BytesIO(data))
    assert [p.text for p in reopened.paragraphs] == ["Second"]
    assert reopened.sections[0].header.paragraphs[0].text == "Site two"
    assert docx.Document(io.BytesIO(word.to_bytes(first))).paragraphs[1].text == "Notes"


def test_document_text_reads_as_python_docx_does() -> None:
    """The glossary reads the document back with `document_text`: the same text python-docx
    gives for each paragraph and each cell (tabs, line breaks, spaces and all)."""
    doc = word.new_document("Site", "Title")
    word.para(doc, " Lead\tand tab\nsecond line ", bold_lead="Owner: ")
    word.bullet_list(doc, ["FLS (fracture liaison service)", "DXA"])
    word.table(doc, ["A", "B"], [["x\ny", "tab\there"], ["", None]], caption="T")
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert word.document_text(doc) == "\n".join(paragraphs) + "\n" + "\n".join(cells)


def test_paragraphs_and_runs_are_the_xml_python_docx_writes() -> None:
    """Paragraphs and runs are copies of empty ones, filled in: the XML must be what
    python-docx itself writes, whatever the text (spaces, tabs, line breaks, none)."""
    doc = word.new_document("Site", "Title")
    body = doc.element.body
    for text in ["plain", " leading", "trailing ", "tab\there", "two\nlines", "cr\rhere", ""]:
        ours = word._paragraph(doc, text, "Heading 2")
        theirs = doc.add_paragraph(text, style="Heading 2")
        assert ours.xml == body.findall(qn("w:p"))[-1].xml
        for kind, attribute in (("b", "bold"), ("i", "italic")):
            run = word._run(ours, text, kind)
            reference = theirs.add_run(text)
            setattr(reference, attribute, True)
            assert run.xml == body.findall(qn("w:p"))[-1].findall(qn("w:r"))[-1].xml
        body.remove(ours)


def test_tables_shade_cells_and_carry_pictures_with_alt_text() -> None:
    """A `Shaded` cell gets its fill, a `Picture` its drawing (alt text, its own id) and
    caption: the steering report's RAG column and run charts."""
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    doc = word.new_document("Site", "Title")
    picture = word.Picture(png, width_cm=2, alt_text="Run chart\x0b of DXA", caption="Jan to Mar")
    word.table(doc, ["RAG", "Chart"], [[word.Shaded("Red", "F4C6C6"), picture]] * 2, caption="T")
    reopened = docx.Document(io.BytesIO(word.to_bytes(doc)))
    cells = reopened.tables[0].rows[1].cells
    assert cells[0].text == "Red"
    fills = reopened.element.body.xpath(".//w:tbl/w:tr[position() > 1]/w:tc/w:tcPr/w:shd/@w:fill")
    assert fills == ["F4C6C6", "F4C6C6"]  # the RAG cell of each body row, nothing else
    assert [p.text for p in cells[1].paragraphs] == ["", "Jan to Mar"]
    described = reopened.element.body.xpath(".//wp:docPr")
    assert [d.get("descr") for d in described] == ["Run chart of DXA"] * 2
    assert len({d.get("id") for d in described}) == 2
    assert len(reopened.inline_shapes) == 2


def test_documents_carry_only_the_table_styles_the_house_uses() -> None:
    """python-docx's default document defines a hundred table styles and a Word 2010 copy of
    every style (780 KB of XML every document opened, wrote and compressed again): a house
    document keeps the table style it uses and the one tables start from, and still opens
    with its tables in the grid style."""
    doc = word.new_document("Site", "Title")
    word.table(doc, ["A", "B"], [["1", "2"]], caption="T")
    data = word.to_bytes(doc)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/stylesWithEffects.xml" not in archive.namelist()
        assert "stylesWithEffects" not in archive.read("word/_rels/document.xml.rels").decode()
    reopened = docx.Document(io.BytesIO(data))
    table_styles = [s.name for s in reopened.styles if s.type == WD_STYLE_TYPE.TABLE]
    assert sorted(table_styles) == ["Normal Table", "Table Grid"]
    assert reopened.tables[0].style.name == "Table Grid"
    assert reopened.styles["List Bullet"].type == WD_STYLE_TYPE.PARAGRAPH
    assert len(data) < 20_000
