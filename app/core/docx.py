"""Word documents with one look: Arial, real headings and tables, site name in the header and
page numbers in the footer. Features build their content on top of `new_document`."""

from __future__ import annotations

from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

FONT = "Arial"


def _set_font(style, size: int | None = None) -> None:  # noqa: ANN001 - a docx style
    style.font.name = FONT
    # East-Asian font slot too, or Word falls back to its theme font for some text.
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    # Headings name theme fonts, which win over the explicit ones: drop them.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    if size:
        style.font.size = Pt(size)


def add_page_number_footer(doc: DocxDocument) -> None:
    """'Page N' in every footer, N being Word's PAGE field (updated by Word, not by us)."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.text = ""
    paragraph.add_run("Page ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"),
                       ("end", None)):  # fmt: skip
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def new_document(site_name: str, title: str) -> DocxDocument:
    """A document with the house style, the site's name in the header and the title as Heading 0."""
    doc = Document()
    _set_font(doc.styles["Normal"], 11)
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 12)):
        _set_font(doc.styles[name], size)
    doc.core_properties.title = title
    doc.sections[0].header.paragraphs[0].text = site_name
    add_page_number_footer(doc)
    doc.add_heading(title, level=0)
    return doc


def add_table(doc: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[str]]):  # noqa: ANN201
    """A real Word table with a header row that repeats on every page."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header_cells = table.rows[0].cells
    for cell, text in zip(header_cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = "" if text is None else str(text)
    return table
