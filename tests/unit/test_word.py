"""The Word house style: one font family, clean text, the site in the header."""

from __future__ import annotations

import io
import zipfile

import docx

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


def test_documents_share_the_template_but_not_their_content() -> None:
    """Each document is a copy of one prepared template whose read-only parts (styles,
    numbering, settings …) are shared and saved from bytes compressed once: writing a
    document must leave those parts as they were, and one document never shows in another."""
    first = word.new_document("Site one", "First")
    template = first.part.__dict__["_house_template"]
    before = {part.partname: part.blob for part in template.shared}
    word.heading(first, "Notes", level=3)
    word.para(first, "One", bold_lead="Lead: ")
    word.prose(first, "- a\n- b")
    word.bullet_list(first, ["x", "y"], numbered=True)
    word.table(first, ["A", "B"], [["1", "2"]], caption="T", widths_cm=[2, 3])
    word.end_cleanly(first)
    second = word.new_document("Site two", "Second")
    data = word.to_bytes(second)
    assert {part.partname: part.blob for part in template.shared} == before
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.read("word/styles.xml") == before["/word/styles.xml"]
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
    """Paragraphs and runs are copies of ones python-docx made, filled in: the XML must be
    what python-docx itself writes, whatever the text (spaces, tabs, line breaks, none)."""
    doc = word.new_document("Site", "Title")
    for text in ["plain", " leading", "trailing ", "tab\there", "two\nlines", "cr\rhere", ""]:
        ours = word._paragraph(doc, text, "Heading 2")
        theirs = doc.add_paragraph(text)
        theirs._p.style = "Heading2"
        assert ours._p.xml == theirs._p.xml
        for kind, attribute in (("b", "bold"), ("i", "italic")):
            run = word._run(ours, text, kind)
            reference = theirs.add_run(text)
            setattr(reference, attribute, True)
            assert run.xml == reference._r.xml
