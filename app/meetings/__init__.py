"""Meetings: calendar, agendas, attendance, minutes, the action log and calendar files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

bp = Blueprint("meetings", __name__)

from app.meetings import views, views_minutes  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.meetings.checks import (
        calendar_booked,
        calendar_facts,
        reference_group_facts,
        reference_group_minutes_issued,
    )
    from app.meetings.demo import bench_meetings, seed_meetings
    from app.meetings.models import Action
    from app.meetings.queries import (
        overview_facts,
        overview_panel,
    )

    registry.add_panel(
        "meetings/_overview_panel.html", overview_panel, order=30, facts=overview_facts
    )
    registry.add_gateway_check(
        "reference_group_minutes_issued",
        reference_group_minutes_issued,
        "sites.meetings.index",
        facts=reference_group_facts,
    )
    registry.add_gateway_check(
        "calendar_booked", calendar_booked, "sites.meetings.series", facts=calendar_facts
    )
    registry.add_demo(seed_meetings, bench_meetings, order=30)
    registry.owned_records.append(("Action", Action, "description"))
    _history_words(registry)


def _history_words(registry: Registry) -> None:
    from app.core.dates import uk_date
    from app.core.history_words import NameSource
    from app.meetings.models import ACTION_STATUSES, ATTENDANCE, MEETING_KINDS, Meeting
    from app.meetings.queries import last_steering_group

    registry.history.add(
        objects={
            "meeting": "Meeting",
            "meeting_invitee": "Invitation",
            "agenda_item": "Agenda item",
            "action": "Action",
        },
        fields={"meeting_id": "Meeting"},
        vocabularies={
            ("action", "status"): ACTION_STATUSES,
            ("meeting", "kind"): MEETING_KINDS,
            ("meeting_invitee", "attendance"): ATTENDANCE,
        },
        ids={"meeting_id": "meeting"},
    )
    registry.history.add_names(
        "meeting",
        NameSource(
            Meeting,
            Meeting.title,
            "a deleted meeting",
            when=Meeting.starts_at,
            text=lambda title, starts: f"meeting \u2018{title}, {uk_date(starts)}\u2019",
        ),
    )
    registry.history.last_steering_group = last_steering_group
