"""Dates and times: stored in UTC, shown in UK format and Europe/London time."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Date, DateTime, bindparam
from sqlalchemy.sql.elements import BindParameter

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """Naive UTC now: every DateTime column holds naive UTC, portable across databases."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """Today's date in the UK, which is what 'overdue' means to the people using the app."""
    return datetime.now(LONDON).date()


def now_param() -> BindParameter[datetime]:
    """`utcnow()` for SQL, valued each time the statement runs: a statement built once and
    kept (the overview's facts) must not keep the moment it was built."""
    return bindparam("now_utc", callable_=lambda: utcnow(), type_=DateTime())


def today_param() -> BindParameter[date]:
    """`today()` for SQL, valued each time the statement runs (see `now_param`)."""
    return bindparam("today_uk", callable_=lambda: today(), type_=Date())


def to_london(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON)


def london_to_utc(moment: datetime) -> datetime:
    """A wall-clock time typed in London (naive) as naive UTC for storage."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment.astimezone(UTC).replace(tzinfo=None)


def uk_date(value: date | datetime | None, missing: str = "") -> str:
    """'3 Mar 2026': unambiguous to a UK reader and short enough for a table cell."""
    if value is None:
        return missing
    if isinstance(value, datetime):
        value = to_london(value)
    return f"{value.day} {value:%b %Y}"


def uk_datetime(value: datetime | None, missing: str = "") -> str:
    """'3 Mar 2026, 14:05' in London time."""
    if value is None:
        return missing
    local = to_london(value)
    return f"{local.day} {local:%b %Y, %H:%M}"


def uk_time(value: datetime | None, missing: str = "") -> str:
    if value is None:
        return missing
    return f"{to_london(value):%H:%M}"
