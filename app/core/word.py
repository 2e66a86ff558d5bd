"""Every Word document the app writes goes through here: one house style and clean text.

The house style: Arial throughout (the default font, every style, no theme fonts), NHS
blue headings, A4 pages, the site's name in the header and "Page N" in the footer, and
tables with a shaded header row that repeats on each page, alt text and fixed widths.

Every function that writes text cleans it first (`clean`: characters XML cannot hold are
dropped, so a vertical tab pasted into minutes cannot break the download; emoji and
right-to-left text are kept).

Only python-docx's public API (and lxml's, on the elements this module makes). Speed: the
house style is made once per layout and kept as .docx bytes, which each document opens
(`Document(BytesIO(...))`); styles are set on paragraphs by their id, read once from the
template (python-docx's own `style=` searches the whole styles part on every paragraph);
paragraphs and runs are copies of empty ones made once through python-docx's `Paragraph`
and `Run` (`_empty`), filled in. The XML is python-docx's own throughout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import deepcopy
from io import BytesIO
from threading import Lock

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml.etree import XPath

from app.core import word_tables
from app.core.cleantext import clean_text
from app.core.word_tables import Picture, Shaded

__all__ = ["Picture", "Shaded"]  # cell values for `table`, with the functions below

FONT = "Arial"
NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
DARK = RGBColor(0x21, 0x2B, 0x32)
BODY_SIZE = 11
HEADING_SIZES = {"Title": 20, "Heading 1": 14, "Heading 2": 12, "Heading 3": 11}
HEADER_FILL = "E8EDEE"
# Every style the functions below set on paragraphs and tables.
HOUSE_STYLES = ("Normal", *HEADING_SIZES, "List Bullet", "List Number", "Table Grid")
FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_P, _TBL, _TC, _BR = (qn(f"w:{tag}") for tag in ("p", "tbl", "tc", "br"))


def clean(text: object) -> str:
    """Text safe for a Word document: invalid XML characters gone, line endings unified."""
    return clean_text(text)


def _set_fonts(rpr) -> None:  # noqa: ANN001 - a w:rPr element
    """Arial in every font slot; theme fonts removed, since they win over explicit ones."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in FONT_SLOTS:
        fonts.set(qn(slot), FONT)
    for theme in THEME_SLOTS:
        fonts.attrib.pop(qn(theme), None)


def _house_fonts(doc: DocxDocument) -> None:
    styles = doc.styles.element
    default = styles.find(qn("w:docDefaults"))
    if default is not None:
        for rpr in default.iter(qn("w:rPr")):
            _set_fonts(rpr)
    # Any style that names its own fonts (headings, quotes, captions …) names Arial too,
    # and Normal says so itself, for programs that read the style rather than the default.
    for rpr in styles.iter(qn("w:rPr")):
        if rpr.find(qn("w:rFonts")) is not None:
            _set_fonts(rpr)
    _set_fonts(style(doc, "Normal").element.get_or_add_rPr())


def style(doc: DocxDocument, name: str):  # noqa: ANN201 - a python-docx style
    return doc.styles[name]


# The house styles' ids, read from the template when it is made: every layout is made from
# python-docx's default document, so the ids are the same in all of them.
_STYLE_IDS: dict[str, str] = {}


def _style_id(doc: DocxDocument, name: str) -> str:
    return _STYLE_IDS[name] if name in _STYLE_IDS else style(doc, name).style_id


# Empty paragraphs by style id and runs by format, made by python-docx once and copied:
# python-docx finds the place of every element it adds among all those the schema allows
# (thirty-odd look-ups for a paragraph's style, forty for a bold run), for every paragraph.
_EMPTY: dict[tuple[str, str | None], object] = {}


def _empty(kind: str, value: str | None = None):  # noqa: ANN202 - a w:p or w:r element
    """A copy of an empty paragraph of style id `value` ("p"), an empty run ("r"), a bold
    or italic one ("b", "i"), or an empty paragraph with no space after it ("spacer")."""
    key = (kind, value)
    if key not in _EMPTY:
        element = OxmlElement("w:p" if kind in ("p", "spacer") else "w:r")
        if kind == "p":
            if value is not None:  # Normal is the default: no style element needed
                element.style = value  # python-docx's CT_P: the w:pStyle for this id
        elif kind == "spacer":
            Paragraph(element, None).paragraph_format.space_after = Pt(0)
        elif kind == "b":
            Run(element, None).bold = True
        elif kind == "i":
            Run(element, None).italic = True
        _EMPTY[key] = element
    return deepcopy(_EMPTY[key])


def _run(paragraph, text: str, kind: str = "r"):  # noqa: ANN001, ANN202 - w:p and w:r elements
    """`paragraph.add_run(text)`, made bold ("b") or italic ("i") as python-docx would."""
    run = _empty(kind)
    if text:
        run.text = text  # python-docx's own: tabs and newlines become w:tab and w:br
    paragraph.append(run)
    return run


def _paragraph(doc: DocxDocument, text: str = "", style_name: str = "Normal"):  # noqa: ANN202
    """A new w:p at the end of the body, its style set by id. (python-docx's own `style=`
    scans every style in the document, twice, for each paragraph: most of the time a long
    document took.)"""
    style_id = None if style_name == "Normal" else _style_id(doc, style_name)
    paragraph = _empty("p", style_id)
    if text:
        _run(paragraph, text)
    word_tables.append_block(doc, paragraph)
    return paragraph


def _page_number_footer(doc: DocxDocument) -> None:
    """'Page N' in the footer, N being Word's PAGE field (Word and LibreOffice fill it in)."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.text = ""
    paragraph.add_run("Page ").font.size = Pt(9)
    run = OxmlElement("w:r")
    Run(run, paragraph).font.size = Pt(9)
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
        run.append(element)
    # The footer's own paragraph element: python-docx's footer part holds it.
    footer = doc.sections[0].footer.part.element
    footer.find(_P).append(run)


# python-docx's default document has a hundred table styles and a copy of every style for
# Word 2010 (stylesWithEffects.xml): 780 KB of XML each document parsed, wrote and compressed.
# The house uses one table style; Word and LibreOffice offer their built-in ones themselves.
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _drop_unused_table_styles(doc: DocxDocument) -> None:
    """Keeps the default table style ("Table Normal"), the house styles and their bases."""
    house = [style(doc, name) for name in HOUSE_STYLES]
    kept = [doc.styles.default(WD_STYLE_TYPE.TABLE), *house, *(s.base_style for s in house)]
    used = {s.style_id for s in kept if s is not None}
    for defined in list(doc.styles):
        if defined.type == WD_STYLE_TYPE.TABLE and defined.style_id not in used:
            defined.delete()
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            doc.part.drop_rel(rel_id)


def _house_template(margins_cm: float, body_size: float) -> DocxDocument:
    """python-docx's default document in the house style, without a site or title: made
    once per layout and kept as bytes (`_template_bytes`) that each document opens."""
    doc = Document()
    _drop_unused_table_styles(doc)
    _house_fonts(doc)
    normal = style(doc, "Normal")
    normal.font.size = Pt(body_size)
    normal.font.color.rgb = DARK
    normal.paragraph_format.space_after = Pt(4)
    for name, size in HEADING_SIZES.items():
        heading_style = style(doc, name)
        heading_style.font.size = Pt(size)
        heading_style.font.color.rgb = NHS_BLUE
        heading_style.font.bold = True
        heading_style.font.italic = False
        heading_style.paragraph_format.space_before = Pt(10 if name == "Heading 1" else 6)
        heading_style.paragraph_format.space_after = Pt(3)
        heading_style.paragraph_format.keep_with_next = True
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4, the UK paper size
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margins_cm))
    # Header and footer inside the margins, or they overlap the text in LibreOffice.
    section.header_distance = section.footer_distance = Cm(margins_cm / 2)
    section.header.paragraphs[0].text = ""
    _page_number_footer(doc)
    return doc


_TEMPLATES: dict[tuple[float, float], bytes] = {}
_TEMPLATES_LOCK = Lock()


def _template_bytes(margins_cm: float, body_size: float) -> bytes:
    """The house template of this layout as .docx bytes, made the first time it is asked for."""
    key = (margins_cm, body_size)
    if key not in _TEMPLATES:
        with _TEMPLATES_LOCK:
            if key not in _TEMPLATES:
                doc = _house_template(margins_cm, body_size)
                _STYLE_IDS.update({name: style(doc, name).style_id for name in HOUSE_STYLES})
                _TEMPLATES[key] = to_bytes(doc)
    return _TEMPLATES[key]


def new_document(
    site_name: str, title: str, *, margins_cm: float = 2.0, body_size: float = BODY_SIZE
) -> DocxDocument:
    """A house-style document with the site's name in the header and `title` as its Title."""
    doc = Document(BytesIO(_template_bytes(margins_cm, body_size)))
    properties = doc.core_properties
    properties.title = clean(title)[:255]
    properties.author = clean(site_name)[:255]
    properties.language = "en-GB"
    header = doc.sections[0].header.paragraphs[0]
    header.add_run(clean(site_name)).font.size = Pt(9)
    _paragraph(doc, clean(title), "Title")
    return doc


def heading(doc: DocxDocument, text: str, level: int = 1) -> Paragraph:
    return Paragraph(_paragraph(doc, clean(text), f"Heading {level}"), doc)


def para(
    doc: DocxDocument, text: str, *, bold_lead: str | None = None, size: float | None = None
) -> Paragraph:
    """A paragraph; `bold_lead` starts it in bold ("Owner: "). Newlines become line breaks."""
    paragraph = _paragraph(doc)
    if bold_lead:
        _run(paragraph, clean(bold_lead), "b")
    lines = clean(text).split("\n")
    for number, line in enumerate(lines):
        run = _run(paragraph, line)
        if size:
            Run(run, None).font.size = Pt(size)
        if number < len(lines) - 1:
            run.append(run.makeelement(_BR))  # python-docx's line break: a bare w:br
    return Paragraph(paragraph, doc)


def details(doc: DocxDocument, rows: Iterable[tuple[str, str]]) -> None:
    """'Label: value' lines (when, where, chair …) at the top of a document."""
    for label, value in rows:
        para(doc, value, bold_lead=f"{label}: ")


def prose(doc: DocxDocument, text: str) -> None:
    """The team's text: blank lines separate paragraphs; lines starting '-' or '*' are bullets."""
    for block in clean(text).strip().split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        bullets = [line for line in lines if line[:1] in "-*•"]
        if lines and len(bullets) == len(lines):
            bullet_list(doc, [line[1:].strip() for line in lines])
        elif lines:
            para(doc, "\n".join(lines))


def bullet_list(doc: DocxDocument, items: Iterable[str], *, numbered: bool = False) -> None:
    list_style = "List Number" if numbered else "List Bullet"
    for item in items:
        _paragraph(doc, clean(item), list_style)


def missing(doc: DocxDocument, text: str) -> None:
    """A section with nothing to show says so, in italics, with what to do next."""
    _run(_paragraph(doc), clean(text), "i")


def table(
    doc: DocxDocument,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str,
    widths_cm: Sequence[float] | None = None,
    size: float = 9.5,
) -> Table:
    """The house table: a shaded bold header row repeated on each page, alt text for screen
    readers, rows that do not split across pages, and fixed column widths if given."""
    result = word_tables.house_table(
        doc, headers, rows, caption=clean(caption)[:250], widths_cm=widths_cm, size=size,
        grid_style=_style_id(doc, "Table Grid"), header_fill=HEADER_FILL,
    )  # fmt: skip
    word_tables.append_block(doc, _empty("spacer"))
    return result


# A paragraph's text as python-docx's `CT_P.text` reads it (runs and hyperlinks' runs; the
# same elements, each read by python-docx's own `str`), in one compiled XPath: python-docx
# compiles two XPaths per paragraph and per run, most of the time a PID took to read back.
_TEXT_PARTS = ("w:br", "w:cr", "w:noBreakHyphen", "w:ptab", "w:t", "w:tab")
_PARAGRAPH_TEXT = XPath(
    " | ".join(f"{run}/{part}" for run in ("w:r", "w:hyperlink/w:r") for part in _TEXT_PARTS),
    namespaces={"w": nsmap["w"]},
)


def paragraph_text(paragraph) -> str:  # noqa: ANN001 - a w:p element
    return "".join(str(part) for part in _PARAGRAPH_TEXT(paragraph))


def document_text(doc: DocxDocument) -> str:
    """The body's paragraphs, then each table's cells in order, a cell's own paragraphs
    joined by newlines. Read from the XML: python-docx's rows and cells work out the table
    grid for each cell (so merged cells would repeat there, and do not here)."""
    body = doc.element.body
    text = "\n".join(paragraph_text(p) for p in body.iterchildren(_P))
    return (
        text
        + "\n"
        + "\n".join(
            "\n".join(paragraph_text(p) for p in cell.iterchildren(_P))
            for table in body.iterchildren(_TBL)
            for cell in table.iter(_TC)
        )
    )


def to_bytes(doc: DocxDocument) -> bytes:
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def end_cleanly(doc: DocxDocument) -> None:
    """No blank page at the end: drop the empty paragraphs left after the last content.

    Word needs a paragraph after a final table, so that one stays, one point high."""
    body = doc.element.body
    while True:
        blocks = [el for el in body.iterchildren() if el.tag in (qn("w:p"), qn("w:tbl"))]
        if not blocks or blocks[-1].tag != qn("w:p") or "".join(blocks[-1].itertext()).strip():
            return
        if len(blocks) > 1 and blocks[-2].tag == qn("w:tbl"):
            spacer = Paragraph(blocks[-1], doc)
            spacer.paragraph_format.space_before = spacer.paragraph_format.space_after = Pt(0)
            spacer.paragraph_format.line_spacing = Pt(1)
            size = OxmlElement("w:sz")
            size.set(qn("w:val"), "2")  # half-points: the paragraph mark is 1 pt
            marks = OxmlElement("w:rPr")
            marks.append(size)
            blocks[-1].get_or_add_pPr().append(marks)
            return
        body.remove(blocks[-1])


_missing_line = missing  # section_table's `missing` parameter hides the function


def section_table(
    doc: DocxDocument,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    missing: str | None = None,
    caption: str | None = None,
    widths_cm: Sequence[float] | None = None,
    size: float = 9.5,
    level: int = 2,
) -> Table | None:
    """A section that is a heading and a table; with no rows and a `missing` text, the
    heading and that line (what is missing and where to add it) instead of an empty table."""
    heading(doc, title, level=level)
    if not rows and missing is not None:
        _missing_line(doc, missing)
        return None
    return table(doc, headers, rows, caption=caption or title, widths_cm=widths_cm, size=size)
