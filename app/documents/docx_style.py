"""The house style for Word documents: Arial, real headings, lists and tables, the site's name
in the header and page numbers in the footer. Everything that writes text goes through
`clean`, so a stray control character never reaches the XML."""

from __future__ import annotations

from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

from app.documents.text import clean

FONT = "Arial"
NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
DARK = RGBColor(0x21, 0x2B, 0x32)


def _set_font(style, size: float | None = None, colour: RGBColor | None = None) -> None:  # noqa: ANN001
    style.font.name = FONT
    # Every font slot, or Word falls back to its theme font for some characters.
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    if size:
        style.font.size = Pt(size)
    if colour is not None:
        style.font.color.rgb = colour


def _page_field(paragraph, instruction: str) -> None:  # noqa: ANN001
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)


def new_document(site_name: str, title: str, *, margins_cm: float = 2.0) -> DocxDocument:
    """A document in the house style with the site's name in the header, 'Page N of M' below."""
    doc = Document()
    _set_font(doc.styles["Normal"], 11, DARK)
    doc.styles["Normal"].paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        _set_font(doc.styles[name], size, NHS_BLUE)
        doc.styles[name].font.bold = True
        doc.styles[name].paragraph_format.space_before = Pt(10 if name == "Heading 1" else 6)
        doc.styles[name].paragraph_format.space_after = Pt(3)
        doc.styles[name].paragraph_format.keep_with_next = True
    for name in ("List Bullet", "Caption", "Table Grid"):
        _set_font(doc.styles[name], 10 if name == "Caption" else None)
    # The Title style has a border line in Word's default template; keep it, drop the italics.
    doc.styles["Title"].font.italic = False
    doc.core_properties.title = clean(title)
    doc.core_properties.author = clean(site_name)
    doc.core_properties.language = "en-GB"
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4, the UK paper size
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margins_cm))
    # Header and footer inside the margins, or they overlap the text in LibreOffice.
    section.header_distance = section.footer_distance = Cm(margins_cm / 2)
    header = section.header.paragraphs[0]
    header.text = clean(site_name)
    header.runs[0].font.size = Pt(9)
    footer = section.footer.paragraphs[0]
    footer.text = ""
    footer.add_run(f"{clean(title)} · Page ")
    _page_field(footer, "PAGE")
    footer.add_run(" of ")
    _page_field(footer, "NUMPAGES")
    for run in footer.runs:
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


def _no_split_rows(table: Table) -> None:
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        properties.append(cant_split)


def table(
    doc: DocxDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    caption: str,
    widths_cm: Sequence[float] | None = None,
    size: float = 9.5,
) -> Table:
    """A real Word table: header row repeated on each page, alt text for screen readers."""
    result = doc.add_table(rows=1, cols=len(headers))
    result.style = "Table Grid"
    result.alignment = WD_TABLE_ALIGNMENT.LEFT
    properties = result._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", caption)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), clean(value)[:250])
        properties.append(element)
    for cell, text in zip(result.rows[0].cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(clean(text))
        run.bold = True
        run.font.size = Pt(size)
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:fill"), "E8EDEE")
        cell._tc.get_or_add_tcPr().append(shade)
    header_properties = result.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_properties.append(repeat)
    for row in rows:
        cells = result.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(clean("" if text is None else str(text)))
            run.font.size = Pt(size)
    _no_split_rows(result)
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
