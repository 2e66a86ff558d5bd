"""The dates of a meeting series and the calendar rule that gives the same dates."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from app.core.errors import ServiceError

MAX_SERIES = 24
FREQUENCIES = {"weekly": "Every week", "fortnightly": "Every 2 weeks", "monthly": "Every month"}


def series_days(first: date, frequency: str, count: int) -> list[date]:
    """Dates of a series. Monthly keeps the weekday and its place in the month (2nd Tuesday),
    or the last such weekday when the first meeting falls in the month's last week."""
    if frequency in ("weekly", "fortnightly"):
        step = 7 if frequency == "weekly" else 14
        return [first + timedelta(days=step * n) for n in range(count)]
    week = (first.day - 1) // 7  # 0 = first such weekday of the month
    last = first.day + 7 > calendar.monthrange(first.year, first.month)[1]
    days = []
    for n in range(count):
        month_index = first.month - 1 + n
        year, month = first.year + month_index // 12, month_index % 12 + 1
        weeks = calendar.monthcalendar(year, month)
        matches = [w[first.weekday()] for w in weeks if w[first.weekday()]]
        days.append(date(year, month, matches[-1] if last else matches[min(week, 3)]))
    return days


def series_rule(first: date, frequency: str, count: int) -> str:
    """The RFC 5545 RRULE that gives the same dates as `series_days`."""
    if frequency in ("weekly", "fortnightly"):
        return f"FREQ=WEEKLY;INTERVAL={1 if frequency == 'weekly' else 2};COUNT={count}"
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[first.weekday()]
    week = (first.day - 1) // 7
    last = first.day + 7 > calendar.monthrange(first.year, first.month)[1]
    return f"FREQ=MONTHLY;COUNT={count};BYDAY={-1 if last else min(week, 3) + 1}{weekday}"


def check_series(frequency: str, count: int | None) -> int:
    """The number of meetings, once the frequency and number are ones we book."""
    if frequency not in FREQUENCIES:
        raise ServiceError("Choose how often the meetings happen.", "frequency")
    if count is None or count < 2:
        raise ServiceError("A series needs at least 2 meetings.", "count")
    if count > MAX_SERIES:
        raise ServiceError(
            f"A series can have at most {MAX_SERIES} meetings; book more later.", "count"
        )
    return count
