"""Reporting periods: a calendar month or a calendar quarter, named by its first day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_QUARTER = re.compile(r"^(?:(\d{4})\s*[-/ ]?\s*Q([1-4])|Q([1-4])\s*[-/ ]?\s*(\d{4}))$", re.I)
_YEAR_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/](\d{4})$")
_NAMED = re.compile(r"^([a-z]{3,9})\.?\s*[-/ ]?\s*(\d{2}|\d{4})$", re.I)

PERIOD_HINT = "a month such as 2025-03 or Mar 2025, or a quarter such as 2025-Q1"


@dataclass(frozen=True, order=True)
class Period:
    start: date
    kind: str  # "month" or "quarter"

    # Cached: a page asks each period for its key and label several times (cached_property
    # writes the instance's __dict__ directly, so a frozen dataclass allows it).
    @cached_property
    def key(self) -> str:
        """The form used in URLs and files: 2025-03 or 2025-Q1."""
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    @cached_property
    def label(self) -> str:
        if self.kind == "quarter":
            end = MONTHS[self.start.month + 1].title()  # month index is 1-based
            return f"{self.start:%b}–{end} {self.start.year}"
        return f"{self.start:%b %Y}"

    def is_future(self, today: date) -> bool:
        return self.start > current_period(self.kind, today).start


def current_period(kind: str, today: date) -> Period:
    if kind == "quarter":
        return Period(date(today.year, (today.month - 1) // 3 * 3 + 1, 1), "quarter")
    return Period(date(today.year, today.month, 1), "month")


def month(year: int, number: int) -> Period:
    return Period(date(year, number, 1), "month")


def quarter(year: int, number: int) -> Period:
    return Period(date(year, (number - 1) * 3 + 1, 1), "quarter")


def _month_number(name: str) -> int:
    """1-12 for a month name or its abbreviation (Mar, March, Sept)."""
    for number, full in enumerate(MONTH_NAMES, start=1):
        if len(name) >= 3 and full.startswith(name.lower()):
            return number
    raise ValueError(name)


def parse_period(value: object) -> Period:
    """A period from what people type or spreadsheets hold; ValueError when it is not one.

    Accepts 2025-03, 03/2025, Mar 2025, March 2025, a date (its month), 2025-Q1 and Q1 2025.
    """
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return month(value.year, value.month)
    text = str(value or "").strip()
    try:
        if match := _QUARTER.match(text):
            year = match.group(1) or match.group(4)
            number = match.group(2) or match.group(3)
            return quarter(int(year), int(number))
        if match := _YEAR_MONTH.match(text):
            return month(int(match.group(1)), int(match.group(2)))
        if match := _MONTH_YEAR.match(text):
            return month(int(match.group(2)), int(match.group(1)))
        if match := _NAMED.match(text):
            year = int(match.group(2))
            return month(year + 2000 if year < 100 else year, _month_number(match.group(1)))
    except ValueError:
        pass
    raise ValueError(f"'{text[:20]}' is not a period: use {PERIOD_HINT}.")


def recent_months(today: date, count: int) -> list[Period]:
    """The last `count` months, newest first, starting with the current one."""
    periods = []
    year, number = today.year, today.month
    for _ in range(count):
        periods.append(month(year, number))
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return periods


def months_back(today: date, count: int) -> list[Period]:
    """`count` whole months ending with last month, oldest first (demo and bench data)."""
    return list(reversed(recent_months(today, count + 1)[1:]))
