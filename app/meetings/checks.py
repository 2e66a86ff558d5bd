"""Facts about the site's meetings that gateway criteria and essential tasks rest on
(see app/people/checks.py for the shape)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import has_request_context, url_for
from sqlalchemy import func, select

from app.core.dates import uk_date
from app.core.db import select_facts
from app.core.registry import CheckResult
from app.meetings.models import Meeting
from app.sites.models import Site


def _meeting_path(site_id: int, meeting_id: int) -> str:
    if has_request_context():
        return url_for("sites.meetings.show", site_id=site_id, meeting_id=meeting_id)
    return f"/sites/{site_id}/meetings/{meeting_id}"


def reference_group_facts(site_id: int) -> dict[str, Any]:
    """The first reference group meeting with minutes issued, and the first one booked
    (scalar subqueries, fetched with every other gateway check's facts in one SELECT)."""

    def first(column, *where):  # noqa: ANN001, ANN202
        return (
            select(column)
            .where(
                Meeting.site_id == site_id,
                Meeting.kind == "reference_group",
                Meeting.cancelled.is_(False),
                *where,
            )
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(1)
            .scalar_subquery()
        )

    issued = Meeting.minutes_issued_at.is_not(None)
    return {
        "issued_id": first(Meeting.id, issued),
        "issued_starts": first(Meeting.starts_at, issued),
        "issued_on": first(Meeting.minutes_issued_at, issued),
        "held_id": first(Meeting.id),
        "held_starts": first(Meeting.starts_at),
    }


def reference_group_minutes_issued(
    site: Site, facts: Mapping[str, Any] | None = None
) -> CheckResult:
    """Start Out gateway check: a stakeholder reference group has met and its minutes are out."""
    facts = select_facts(reference_group_facts(site.id)) if facts is None else facts
    if facts["issued_id"] is not None:
        return CheckResult(
            True,
            f"The stakeholder reference group met on {uk_date(facts['issued_starts'])} and its "
            f"minutes were issued on {uk_date(facts['issued_on'])}.",
            _meeting_path(site.id, facts["issued_id"]),
        )
    if facts["held_id"] is None:
        path = url_for("sites.meetings.new", site_id=site.id) if has_request_context() else ""
        return CheckResult(
            False, "No stakeholder reference group meeting has been booked yet.", path
        )
    return CheckResult(
        False,
        f"The stakeholder reference group meeting on {uk_date(facts['held_starts'])} has no "
        "issued minutes yet.",
        _meeting_path(site.id, facts["held_id"]),
    )


# "Book the meetings calendar six months ahead": a series of six monthly meetings spans
# five months from the first to the last, so about 20 weeks of dates count as booked.
CALENDAR_SPAN = timedelta(weeks=20)


def calendar_facts(site_id: int) -> dict[str, Any]:
    """The first and last meeting booked (cancelled ones left out) and how many."""
    booked = select().where(Meeting.site_id == site_id, Meeting.cancelled.is_(False))
    return {
        "first": booked.add_columns(func.min(Meeting.starts_at)).scalar_subquery(),
        "last": booked.add_columns(func.max(Meeting.starts_at)).scalar_subquery(),
        "count": booked.add_columns(func.count(Meeting.id)).scalar_subquery(),
    }


def calendar_booked(site: Site, facts: Mapping[str, Any] | None = None) -> CheckResult:
    """Met when the meetings booked run for about five months or more (CALENDAR_SPAN)."""
    facts = select_facts(calendar_facts(site.id)) if facts is None else facts
    if not facts["count"]:
        return CheckResult(False, "No meetings have been booked yet.")
    first, last = facts["first"], facts["last"]
    span = f"{facts['count']} meetings booked, {uk_date(first)} to {uk_date(last)}"
    if last - first < CALENDAR_SPAN:
        return CheckResult(False, span + "; book about six months ahead.")
    return CheckResult(True, span + ".", f"/sites/{site.id}/meetings")
