"""The documents' layer over the shared Word helper (app/core/docx.py): A4 pages, the NHS blue
headings, compact tables with widths and alt text, lists and the team's prose. Everything
that writes text goes through `clean`, so a stray control character never reaches the XML."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.core import docx as house
from app.documents.text import clean

NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
DARK = RGBColor(0x21, 0x2B, 0x32)
THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _drop_theme_fonts(style) -> None:  # noqa: ANN001 - a docx style
    """Word's default headings name a theme font, which wins over Arial unless removed."""
    fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    if fonts is not None:
        for theme in THEME_FONTS:
            fonts.attrib.pop(qn(theme), None)


def new_document(site_name: str, title: str, *, margins_cm: float = 2.0) -> DocxDocument:
    """The house document (Arial, site name in the header, page numbers below, the title as
    Title), tightened for printing on A4."""
    doc = house.new_document(clean(site_name), clean(title))
    doc.styles["Normal"].font.color.rgb = DARK
    doc.styles["Normal"].paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = doc.styles[name]
        _drop_theme_fonts(style)
        style.font.size = Pt(size)
        style.font.color.rgb = NHS_BLUE
        style.font.bold = True
        style.font.italic = False
        style.paragraph_format.space_before = Pt(10 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(3)
        style.paragraph_format.keep_with_next = True
    doc.core_properties.author = clean(site_name)
    doc.core_properties.language = "en-GB"
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4, the UK paper size
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margins_cm))
    # Header and footer inside the margins, or they overlap the text in LibreOffice.
    section.header_distance = section.footer_distance = Cm(margins_cm / 2)
    for paragraph in (section.header.paragraphs[0], section.footer.paragraphs[0]):
        for run in paragraph.runs:
            run.font.size = Pt(9)
    return doc


def heading(doc: DocxDocument, text: str, level: int = 1) -> None:
    doc.add_heading(clean(text), level=level)


def para(doc: DocxDocument, text: str, *, bold_lead: str | None = None, size: float | None = None):  # noqa: ANN201
    """A paragraph; `bold_lead` starts it in bold ("Owner: "). Newlines become line breaks."""
    paragraph = doc.add_paragraph()
    if bold_lead:
        paragraph.add_run(clean(bold_lead)).bold = True
    lines = clean(text).split("\n")
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        if size:
            run.font.size = Pt(size)
        if number < len(lines) - 1:
            run.add_break()
    return paragraph


def prose(doc: DocxDocument, text: str) -> None:
    """The team's text: blank lines separate paragraphs; lines starting '-' or '*' are bullets."""
    for block in clean(text).strip().split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        bullets = [line for line in lines if line[:1] in "-*•"]
        if lines and len(bullets) == len(lines):
            bullet_list(doc, [line[1:].strip() for line in lines])
        elif lines:
            para(doc, "\n".join(lines))


def bullet_list(doc: DocxDocument, items: Sequence[str]) -> None:
    for item in items:
        doc.add_paragraph(clean(item), style="List Bullet")


def missing(doc: DocxDocument, text: str) -> None:
    """A section with nothing to show says so, in italics, with what to do next."""
    doc.add_paragraph().add_run(clean(text)).italic = True


def table(
    doc: DocxDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    caption: str,
    widths_cm: Sequence[float] | None = None,
    size: float = 9.5,
) -> Table:
    """The house table (header row repeated on each page) with alt text for screen readers,
    a shaded header, rows that do not split across pages, and fixed column widths."""
    result = house.add_table(
        doc,
        [clean(h) for h in headers],
        [[clean("" if cell is None else str(cell)) for cell in row] for row in rows],
    )
    result.alignment = WD_TABLE_ALIGNMENT.LEFT
    properties = result._tbl.tblPr
    for tag in ("w:tblCaption", "w:tblDescription"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), clean(caption)[:250])
        properties.append(element)
    for cell in result.rows[0].cells:
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:fill"), "E8EDEE")
        cell._tc.get_or_add_tcPr().append(shade)
    for row in result.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(size)
    if widths_cm:
        # Word reads the cell widths, LibreOffice the grid's: set both.
        result.autofit = False
        for column, width in zip(result.columns, widths_cm, strict=False):
            column.width = Cm(width)
        for row in result.rows:
            for cell, width in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(width)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return result


def end_cleanly(doc: DocxDocument) -> None:
    """No blank page at the end: drop the empty paragraphs left after the last content.

    Word needs a paragraph after a final table, so that one stays, one point high."""
    body = doc.element.body
    while True:
        blocks = [el for el in body.iterchildren() if el.tag in (qn("w:p"), qn("w:tbl"))]
        if not blocks or blocks[-1].tag != qn("w:p") or "".join(blocks[-1].itertext()).strip():
            return
        if len(blocks) > 1 and blocks[-2].tag == qn("w:tbl"):
            spacer = Paragraph(blocks[-1], doc._body)
            spacer.paragraph_format.space_before = spacer.paragraph_format.space_after = Pt(0)
            spacer.paragraph_format.line_spacing = Pt(1)
            size = OxmlElement("w:sz")
            size.set(qn("w:val"), "2")  # half-points: the paragraph mark is 1 pt
            marks = OxmlElement("w:rPr")
            marks.append(size)
            spacer._p.get_or_add_pPr().append(marks)
            return
        body.remove(blocks[-1])
