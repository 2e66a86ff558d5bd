"""The house table's XML, built quickly (`app/core/word.py` `table` is the entry point).

python-docx builds a table child element by child element, looking up where each one goes:
most of a long document's time. Here the empty table of each shape (columns, widths, type
size, page width) is built by python-docx once and copied, and its rows are copies of one
template row holding copies of one template run, filled in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import deepcopy

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.core.cleantext import clean_text

_T, _BR, _TC, _P = qn("w:t"), qn("w:br"), qn("w:tc"), qn("w:p")
_SPACE = qn("xml:space")
_TR, _VAL, _SECT_PR = qn("w:tr"), qn("w:val"), qn("w:sectPr")
_CAPTION, _DESCRIPTION = qn("w:tblCaption"), qn("w:tblDescription")


def append_block(doc: DocxDocument, element) -> None:  # noqa: ANN001 - a w:p or w:tbl element
    """At the end of the body, before its section properties, as python-docx adds blocks."""
    body = doc.element.body
    section = body.find(_SECT_PR)
    if section is not None:
        section.addprevious(element)
    else:
        body.append(element)


def shade(cell, fill: str) -> None:  # noqa: ANN001 - a docx cell
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shade)


_run_templates: dict[tuple[float, bool], object] = {}


def _run_template(size: float, *, bold: bool = False):  # noqa: ANN202 - a w:r element
    """An empty run in a table's type size (and bold, for its header), to copy per line.
    Made once per size: callers copy it, never change it."""
    key = (size, bold)
    if key not in _run_templates:
        run = Paragraph(OxmlElement("w:p"), None).add_run()
        run.font.size = Pt(size)
        run.bold = bold or None
        _run_templates[key] = run._r
    return _run_templates[key]


def _cell_runs(paragraph, text: object, run_template) -> None:  # noqa: ANN001 - lxml elements
    """A cell's text, one run per line with a break between, each run a copy of
    `run_template`: python-docx placing each child element was most of a long table's time."""
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


# Empty house tables (w:tbl with its header row, and the body row to copy) by shape: the
# same few shapes recur in every document, and python-docx takes a long time to build one.
_skeletons: dict[tuple, tuple[object, object]] = {}


def _skeleton(
    doc: DocxDocument,
    columns: int,
    widths_cm: Sequence[float] | None,
    size: float,
    grid: str,
    header_fill: str,
):  # noqa: ANN202 - two lxml elements
    """A copy of the empty house table of this shape (header cells without text), and the
    body row to copy for each row. The table is made by python-docx the first time."""
    key = (
        columns,
        tuple(widths_cm) if widths_cm else None,
        size,
        doc._block_width,
        grid,
        header_fill,
    )
    if key not in _skeletons:
        result = doc.add_table(rows=1, cols=columns)
        result._tbl.tblStyle_val = grid
        result.alignment = WD_TABLE_ALIGNMENT.LEFT
        properties = result._tbl.tblPr
        for tag in ("w:tblCaption", "w:tblDescription"):
            properties.append(OxmlElement(tag))  # the caption is set on each copy
        header_row = result.rows[0]
        for cell in header_row.cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
            shade(cell, header_fill)
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header_row._tr.get_or_add_trPr().append(repeat)
        header_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        # Body rows are copies of one template row (cell widths, spacing, cantSplit).
        template = result.add_row()
        template._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell in template.cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        if widths_cm:
            for cell, width in zip(template.cells, widths_cm, strict=False):
                cell.width = Cm(width)
        template_tr = template._tr
        result._tbl.remove(template_tr)
        if widths_cm:
            # Word reads the cell widths, LibreOffice the grid's: set both.
            result.autofit = False
            for column, width in zip(result.columns, widths_cm, strict=False):
                column.width = Cm(width)
            for cell, width in zip(header_row.cells, widths_cm, strict=False):
                cell.width = Cm(width)
        result._tbl.getparent().remove(result._tbl)
        _skeletons[key] = (result._tbl, template_tr)
    tbl, template_tr = _skeletons[key]
    return deepcopy(tbl), template_tr


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
    """The table at the end of the document's body (see `app.core.word.table`)."""
    tbl, template_tr = _skeleton(doc, len(headers), widths_cm, size, grid_style, header_fill)
    for tag in (_CAPTION, _DESCRIPTION):
        tbl.tblPr.find(tag).set(_VAL, caption)
    bold_run = _run_template(size, bold=True)
    header_tr = tbl.find(_TR)
    for tc, text in zip(header_tr.iterchildren(_TC), headers, strict=True):
        _cell_runs(tc.find(_P), text, bold_run)
    run_template = _run_template(size)
    for values in rows:
        values = list(values)
        if len(values) != len(headers):
            raise ValueError(f"a row of {len(values)} cells in a table of {len(headers)}")
        tr = deepcopy(template_tr)
        for tc, text in zip(tr.iterchildren(_TC), values, strict=True):
            _cell_runs(tc.find(_P), text, run_template)
        tbl.append(tr)
    append_block(doc, tbl)
    return Table(tbl, doc._body)
