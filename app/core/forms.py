"""Form fields every feature uses."""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

from app.core.numbers import DB_INT_MAX

_SEPARATORS = re.compile(r"[\s/.\-]+")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# Thousands written with commas ("210,000"), thin or ordinary spaces ("210 000").
_THOUSANDS = re.compile(r"(?<=\d)[,\s\u202f](?=\d{3}\b)")


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
            # Spaces are no date: InputRequired (which reads raw_data) then says so, rather
            # than letting a required date through as None.
            self.raw_data = [""]
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
    # Whole numbers are stored as 32-bit integers; no figure in the app is near 10^12.
    if abs(value) > (DB_INT_MAX if whole else 1e12):
        raise ValueError(f"That number is too large (you typed '{(text or '').strip()[:20]}').")
    if whole:
        if not value.is_integer():
            raise ValueError("Enter a whole number.")
        return int(value)
    return value


class NumberField(StringField):
    """A number typed with or without thousands separators ("210,000" or "210000").

    `whole=True` (the default) gives an int, otherwise a float. `minimum` and `maximum`
    bound it (a whole number never exceeds what the database column holds); combine with
    Optional/InputRequired as usual. What was typed is shown back when it cannot be read.
    """

    def __init__(
        self,
        label=None,  # noqa: ANN001
        validators=None,  # noqa: ANN001
        whole: bool = True,
        minimum: float | None = None,
        maximum: float | None = None,
        **kwargs,
    ) -> None:
        self.whole = whole
        self.minimum = minimum
        self.maximum = maximum if maximum is not None else (DB_INT_MAX if whole else 1e12)
        kwargs.setdefault("render_kw", {"inputmode": "numeric" if whole else "decimal"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_text = valuelist[0] if valuelist else ""
        try:
            self.data = parse_number(self.raw_text, self.whole)
        except ValueError as error:
            self.data = None
            raise ValueError(str(error)) from None
        too_low = self.minimum is not None and self.data is not None and self.data < self.minimum
        if too_low or (self.data is not None and self.data > self.maximum):
            self.data = None
            low = f"{self.minimum:,}" if self.minimum is not None else "any number"
            kind = "a whole number" if self.whole else "a number"
            raise ValueError(f"Enter {kind} from {low} to {self.maximum:,}.")

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


class WholeNumberField(NumberField):
    """A whole number, 0 or more unless told otherwise: the number field with whole-number
    defaults (see NumberField)."""

    def __init__(
        self,
        label=None,  # noqa: ANN001
        validators=None,  # noqa: ANN001
        minimum: int | None = 0,
        maximum: int = DB_INT_MAX,
        **kwargs,
    ) -> None:
        super().__init__(label, validators, whole=True, minimum=minimum, maximum=maximum, **kwargs)
