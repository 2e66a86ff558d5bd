"""Form fields every feature uses."""

from __future__ import annotations

import re
from datetime import date

from wtforms import IntegerField, StringField
from wtforms.validators import ValidationError

from app.core.numbers import DB_INT_MAX, whole_number

_SEPARATORS = re.compile(r"[\s/.\-]+")


def parse_uk_date(text: str) -> date:
    """'27/03/2026', '27 3 2026', '27-3-26' or ISO '2026-03-27' as a date; ValueError otherwise."""
    text = (text or "").strip()
    parts = [p for p in _SEPARATORS.split(text) if p]
    # ASCII digits of at most four: "²" passes isdigit() and a 30-digit year overflows date().
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts):
        raise ValueError(text)
    if len(parts[0]) == 4:  # ISO, as browsers' date pickers and spreadsheets send it
        year, month, day = (int(p) for p in parts)
    else:
        day, month, year = (int(p) for p in parts)
        if len(parts[2]) == 2:
            year += 2000
    return date(year, month, day)


class UKDateField(StringField):
    """A date typed the UK way (day first), shown back as dd/mm/yyyy."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:  # noqa: ANN001
        kwargs.setdefault("description", "For example, 27/3/2026")
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_text = valuelist[0] if valuelist else ""
        if not self.raw_text.strip():
            self.data = None
            return
        try:
            self.data = parse_uk_date(self.raw_text)
        except ValueError:
            self.data = None
            raise ValueError(
                f"Enter a real date as day, month and year, for example 27/3/2026 "
                f"(you typed '{self.raw_text.strip()[:20]}')."
            ) from None

    def _value(self) -> str:
        raw = getattr(self, "raw_text", None)
        if raw is not None and self.data is None:
            return raw  # keep what the person typed when it could not be read
        if isinstance(self.data, date):
            return f"{self.data:%d/%m/%Y}"
        return ""


def not_in_future(today_fn):  # noqa: ANN001, ANN201 - a WTForms validator factory
    def _check(_form, field) -> None:  # noqa: ANN001
        if field.data and field.data > today_fn():
            raise ValidationError("The date cannot be in the future.")

    return _check


class WholeNumberField(IntegerField):
    """A whole number between `minimum` and `maximum`, typed with or without commas.

    Anything else is an error next to the field, with what was typed kept in the box.
    """

    def __init__(
        self,
        label=None,  # noqa: ANN001
        validators=None,  # noqa: ANN001
        minimum: int | None = 0,
        maximum: int = DB_INT_MAX,
        **kwargs,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        self.raw_data = valuelist
        self.data = whole_number(valuelist[0], self.minimum, self.maximum)
        if self.data is None:
            low = f"{self.minimum:,}" if self.minimum is not None else "any number"
            raise ValueError(f"Enter a whole number from {low} to {self.maximum:,}.")
