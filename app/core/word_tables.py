"""The house table (`app/core/word.py` `table` is the entry point), through python-docx's
public API: the table element is made with `CT_Tbl.new_tbl`, as `doc.add_table` makes it,
and set up through python-docx's `Table`, `_Row` and cell objects; what python-docx has no
property for (caption, shading, repeated header, rows that do not split) is written on the
elements this module made and holds.

A body row is set up once per table and copied for each row: python-docx places every
child element it adds among all those the schema allows, which for a few hundred rows was
most of a long document's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from io import BytesIO

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from app.core.cleantext import clean_text

_T, _BR, _SPACE, _SECT_PR = qn("w:t"), qn("w:br"), qn("xml:space"), qn("w:sectPr")


@dataclass(frozen=True)
class Shaded:
    """A cell's text on a coloured fill (a RAG colour); the word carries the meaning."""

    text: str
    fill: str


@dataclass(frozen=True)
class Picture:
    """A picture in a cell (a run chart): alt text for screen readers, a small caption."""

    png: bytes
    width_cm: float
    alt_text: str
    caption: str = ""


def append_block(doc: DocxDocument, element) -> None:  # noqa: ANN001 - a w:p or w:tbl element
    """At the end of the body, before its section properties, as python-docx adds blocks."""
    body = doc.element.body
    section = body.find(_SECT_PR)
    if section is not None:
        section.addprevious(element)
    else:
        body.append(element)


def shade(tc, fill: str) -> None:  # noqa: ANN001 - a w:tc element
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    tc.get_or_add_tcPr().append(shading)


def _run_template(size: float, *, bold: bool = False):  # noqa: ANN202 - a w:r element
    """An empty run in a table's type size (and bold, for its header), to copy per line."""
    run = OxmlElement("w:r")
    proxy = Run(run, None)
    proxy.font.size = Pt(size)
    proxy.bold = bold or None
    return run


def _cell_runs(paragraph, text: object, run_template) -> None:  # noqa: ANN001 - lxml elements
    """A cell's text, one run per line with a break between, each a copy of `run_template`."""
    lines = clean_text("" if text is None else str(text)).split("\n")
    last = len(lines) - 1
    for number, line in enumerate(lines):
        run = deepcopy(run_template)
        if "\t" in line or "\r" in line:
            run.text = line  # python-docx turns tabs into w:tab elements
        elif line:
            t = run.makeelement(_T)
            t.text = line
            if len(line.strip()) < len(line):
                t.set(_SPACE, "preserve")
            run.append(t)
        if number < last:
            run.append(run.makeelement(_BR))
        paragraph.append(run)


def _picture(table: Table, tc, picture: Picture, size: float) -> None:  # noqa: ANN001 - a w:tc
    """The picture in a run of its own in the cell's paragraph, then its caption below."""
    paragraph = tc.p_lst[0]
    run = OxmlElement("w:r")
    Run(run, Paragraph(paragraph, table)).add_picture(
        BytesIO(picture.png), width=Cm(picture.width_cm)
    )
    # Alt text for screen readers: Word reads it from the drawing's docPr.
    for properties in run.xpath(".//wp:docPr"):
        properties.set("descr", clean_text(picture.alt_text))
    paragraph.append(run)
    if picture.caption:
        caption = tc.add_p()
        proxy = Paragraph(caption, table)
        proxy.paragraph_format.space_after = Pt(0)
        proxy.add_run(clean_text(picture.caption)).font.size = Pt(size)


# Empty house tables by shape: the same few shapes recur in every document.
_EMPTY_TABLES: dict[tuple, tuple[object, object]] = {}


def _empty_table(
    doc: DocxDocument,
    columns: int,
    widths_cm: Sequence[float] | None,
    grid: str,
    header_fill: str,
):  # noqa: ANN202 - the Table, its w:tbl and the w:tr to copy for each body row
    """A copy of the empty house table of this shape (header cells without text), and the
    body row to copy for each row (callers copy it, never change it)."""
    section = doc.sections[-1]  # the page's width inside the margins, as doc.add_table uses
    width = section.page_width - section.left_margin - section.right_margin
    key = (columns, tuple(widths_cm) if widths_cm else None, width, grid, header_fill)
    if key not in _EMPTY_TABLES:
        _EMPTY_TABLES[key] = _new_empty_table(columns, width, widths_cm, grid, header_fill)
    tbl, body_tr = _EMPTY_TABLES[key]
    tbl = deepcopy(tbl)
    return Table(tbl, doc), tbl, body_tr


def _new_empty_table(
    columns: int, width: int, widths_cm: Sequence[float] | None, grid: str, header_fill: str
):  # noqa: ANN202 - the w:tbl and its body w:tr
    tbl = CT_Tbl.new_tbl(1, columns, width)
    table = Table(tbl, None)  # python-docx's setters below read only the table's XML
    tbl.tblStyle_val = grid
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for tag in ("w:tblCaption", "w:tblDescription"):
        tbl.tblPr.append(OxmlElement(tag))  # set to the caption by the caller
    header_tr = tbl.tr_lst[0]
    for cell, tc in zip(table.rows[0].cells, header_tr.tc_lst, strict=True):
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        shade(tc, header_fill)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_tr.get_or_add_trPr().append(repeat)
    header_tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    body_row = table.add_row()
    body_tr = tbl.tr_lst[-1]
    body_tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell in body_row.cells:
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    if widths_cm:
        for cell, cell_width in zip(body_row.cells, widths_cm, strict=False):
            cell.width = Cm(cell_width)
    tbl.remove(body_tr)
    if widths_cm:
        # Word reads the cell widths, LibreOffice the grid's: set both.
        table.autofit = False
        for column, column_width in zip(table.columns, widths_cm, strict=False):
            column.width = Cm(column_width)
        for cell, cell_width in zip(table.rows[0].cells, widths_cm, strict=False):
            cell.width = Cm(cell_width)
    return tbl, body_tr


def house_table(
    doc: DocxDocument,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str,
    widths_cm: Sequence[float] | None,
    size: float,
    grid_style: str,
    header_fill: str,
) -> Table:
    """The table at the end of the document's body (see `app.core.word.table`). A cell
    holds text, `Shaded` text or a `Picture`."""
    table, tbl, body_tr = _empty_table(doc, len(headers), widths_cm, grid_style, header_fill)
    for tag in ("w:tblCaption", "w:tblDescription"):
        tbl.tblPr.find(qn(tag)).set(qn("w:val"), caption)
    bold_run = _run_template(size, bold=True)
    for tc, text in zip(tbl.tr_lst[0].tc_lst, headers, strict=True):
        _cell_runs(tc.p_lst[0], text, bold_run)
    run_template = _run_template(size)
    # In the body before the rows are filled: a picture's id is the next free one there.
    append_block(doc, tbl)
    for values in rows:
        values = list(values)
        if len(values) != len(headers):
            raise ValueError(f"a row of {len(values)} cells in a table of {len(headers)}")
        tr = deepcopy(body_tr)
        tbl.append(tr)
        for tc, value in zip(tr.tc_lst, values, strict=True):
            text = value.text if isinstance(value, Shaded) else value
            _cell_runs(tc.p_lst[0], "" if isinstance(value, Picture) else text, run_template)
            if isinstance(value, Shaded):
                shade(tc, value.fill)
            elif isinstance(value, Picture):
                _picture(table, tc, value, size=7)
    return table
