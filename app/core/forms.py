"""Form fields every feature uses."""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

_SEPARATORS = re.compile(r"[\s/.\-]+")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# Thousands written with commas ("210,000"), thin or ordinary spaces ("210 000").
_THOUSANDS = re.compile(r"(?<=\d)[,\s\u202f](?=\d{3}\b)")


def parse_uk_date(text: str) -> date:
    """'27/03/2026', '27 3 2026', '27-3-26' or ISO '2026-03-27' as a date; ValueError otherwise."""
    text = (text or "").strip()
    parts = [p for p in _SEPARATORS.split(text) if p]
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
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


def parse_number(text: str | None, whole: bool = False) -> float | int | None:
    """'210,000', '210 000', '£180', '45%' -> a number; '' -> None; else ValueError(message).

    The one reading of typed numbers: every number field in the app goes through it.
    """
    cleaned = (text or "").strip().replace("£", "").rstrip("%").strip()
    cleaned = _THOUSANDS.sub("", cleaned).replace(",", "")
    if not cleaned:
        return None
    if not _NUMBER.match(cleaned):
        raise ValueError(
            f"Enter a number, for example 1,250 (you typed '{(text or '').strip()[:20]}')."
        )
    value = float(cleaned)
    if whole:
        if not value.is_integer():
            raise ValueError("Enter a whole number.")
        return int(value)
    return value


class NumberField(StringField):
    """A number typed with or without thousands separators ("210,000" or "210000").

    `whole=True` (the default) gives an int, otherwise a float. Combine with NumberRange
    and Optional/InputRequired as usual; what was typed is shown back when it cannot be read.
    """

    def __init__(self, label=None, validators=None, whole: bool = True, **kwargs) -> None:  # noqa: ANN001
        self.whole = whole
        kwargs.setdefault("render_kw", {"inputmode": "numeric" if whole else "decimal"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_text = valuelist[0] if valuelist else ""
        try:
            self.data = parse_number(self.raw_text, self.whole)
        except ValueError as error:
            self.data = None
            raise ValueError(str(error)) from None

    def _value(self) -> str:
        raw = getattr(self, "raw_text", None)
        if raw is not None and self.data is None:
            return raw
        if self.data is None:
            return ""
        if self.whole:
            return f"{int(self.data):,}"
        return f"{self.data:,}"


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token: confirming a removal, an erasure or a button that
    changes something."""
