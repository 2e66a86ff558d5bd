"""Whole numbers from people and URLs, kept inside what the database can store.

A 30-digit id or figure must be answered as "not found" or "check this box", never as
an OverflowError from the database driver. URL ids, query-string filters and form
fields all go through the bounds here.
"""

from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter

# PostgreSQL's INTEGER; SQLite allows more, but ids and figures must fit both.
DB_INT_MAX = 2**31 - 1


def whole_number(
    value: object, minimum: int | None = None, maximum: int = DB_INT_MAX
) -> int | None:
    """`value` as an int inside the bounds, or None (not a plain whole number, or too big).

    Accepts thousands separators ("210,000"); refuses Unicode digits such as "²", which
    `str.isdigit()` lets through but `int()` does not read.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip().replace(",", "")
        body = text[1:] if text[:1] in "+-" else text
        if not body or not body.isascii() or not body.isdigit() or len(body) > 12:
            return None
        number = int(text)
    if number > maximum or (minimum is not None and number < minimum):
        return None
    return number


def arg_int(
    name: str, default: int | None = None, minimum: int | None = 0, maximum: int = DB_INT_MAX
) -> int | None:
    """A whole-number query-string filter; anything else (or out of range) is `default`."""
    number = whole_number(request.args.get(name), minimum, maximum)
    return default if number is None else number


class BoundedIntConverter(IntegerConverter):
    """The app's `<int:...>` URL converter: ids beyond what the database holds are a 404."""

    def __init__(self, map, fixed_digits=0, min=0, max=DB_INT_MAX, signed=False) -> None:  # noqa: A002, ANN001
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
