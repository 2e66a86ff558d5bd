"""Formulas the app writes on purpose into a workbook, and the values it computed for
them (app/core/spreadsheet.py re-exports these; its `append_row` and `workbook_bytes`
use them)."""

from __future__ import annotations

import io
import re
import weakref
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape as xml_escape

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet


class Formula(str):
    """A formula the app writes on purpose (needs.xlsx): never escaped."""

    __slots__ = ()


class CachedFormula(Formula):
    """A formula with the value the app computed for it, written beside the formula in
    the file (`<v>`), so previews, pandas and openpyxl's `data_only=True` read a number
    where a program that does not recalculate would otherwise show a blank. Write it with
    `append_row` (or `formula_cell`) and save with `workbook_bytes`."""

    def __new__(cls, formula: str, cached: float | str | None) -> CachedFormula:
        made = super().__new__(cls, formula)
        made.cached = cached
        return made


# The cached values of each workbook being written: (sheet title, cell) -> value. Kept
# beside the workbook, not on it, and dropped with it.
_CACHED: weakref.WeakKeyDictionary[Workbook, dict[tuple[str, str], float | str | None]] = (
    weakref.WeakKeyDictionary()
)


def formula_cell(sheet: Worksheet, coordinate: str, formula: str, cached: object) -> Cell:
    """Write a formula with its app-computed value into one cell."""
    cell = sheet[coordinate]
    cell.value = str(formula)
    remember(sheet, cell, CachedFormula(formula, cached))
    return cell


def remember(sheet: Worksheet, cell: Cell, value: CachedFormula) -> None:
    cached = value.cached
    if isinstance(cached, bool) or not isinstance(cached, (int, float, str, type(None))):
        raise TypeError(f"a cached value is a number, text or None, not {type(cached)}")
    _CACHED.setdefault(sheet.parent, {})[(sheet.title, cell.coordinate)] = cached


def _cached_xml(value: float | str | None) -> tuple[str, str]:
    """(the cell's type attribute, its <v> text) for a formula's cached value."""
    if value is None or isinstance(value, str):
        return ' t="str"', xml_escape(value or "")
    return "", repr(float(value)) if isinstance(value, float) else str(value)


def _filled(coordinate: str, kind: str, shown: str) -> Callable[[re.Match], str]:
    """The replacement for one formula cell: its type and its cached value added."""

    def fill(match: re.Match) -> str:
        attributes = match.group(1) or ""
        return f'<c r="{coordinate}"{attributes}{kind}><f>{match.group(2)}</f><v>{shown}</v></c>'

    return fill


def with_cached_values(data: bytes, book: Workbook) -> bytes:
    """The saved workbook with each remembered formula's value in its `<v>`. openpyxl
    writes `<c r="B2"><f>...</f><v></v></c>` for a formula (it cannot calculate); the
    sheets are written in order as xl/worksheets/sheetN.xml."""
    cached = _CACHED.get(book)
    if not cached:
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            for index, sheet in enumerate(book.worksheets, start=1):
                if info.filename != f"xl/worksheets/sheet{index}.xml":
                    continue
                text = content.decode("utf-8")
                for (title, coordinate), value in cached.items():
                    if title != sheet.title:
                        continue
                    kind, shown = _cached_xml(value)
                    pattern = re.compile(
                        rf'<c r="{coordinate}"( [^>]*)?><f>(.*?)</f><v\s*/?>(</v>)?</c>', re.S
                    )
                    text, found = pattern.subn(_filled(coordinate, kind, shown), text, count=1)
                    if not found:
                        raise ValueError(f"no formula cell {title}!{coordinate} to give a value")
                content = text.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()
