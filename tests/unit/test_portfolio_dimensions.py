"""The portfolio's four dimensions and the overall status, from plain facts (no database)."""

from __future__ import annotations

import pytest

from app.portfolio.dimensions import Facts, rate, rules

ON_TRACK = Facts(applicable=10, done=4, meeting_booked=True, days_since_change=3, phase=2)


def _rate(**changes) -> tuple[dict, str | None]:  # noqa: ANN003
    return rate(Facts(**{**ON_TRACK.__dict__, **changes}), stale_days=30)


def test_a_site_on_track_is_green_in_every_dimension() -> None:
    ratings, overall = _rate()
    assert {k: r.status for k, r in ratings.items()} == dict.fromkeys(
        ("schedule", "risks", "engagement", "data"), "green"
    )
    assert overall == "green"


def test_one_late_task_is_amber_schedule_but_green_overall() -> None:
    ratings, overall = _rate(overdue=1, red_amber=1)
    assert ratings["schedule"].status == "amber"
    assert ratings["schedule"].reason == "1 task overdue"
    assert overall == "green"


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"overdue": 3, "red_amber": 3}, "3 tasks overdue"),
        ({"overdue": 1, "essential_long_overdue": 1}, "Essential task over 28 days late"),
    ],
)
def test_a_stuck_schedule_makes_the_site_red(changes: dict, reason: str) -> None:
    ratings, overall = _rate(**changes)
    assert ratings["schedule"].status == "red" and ratings["schedule"].reason == reason
    assert overall == "red"


def test_two_red_dimensions_make_red_one_makes_amber() -> None:
    assert _rate(very_high_risks=1)[1] == "amber"
    assert _rate(very_high_risks=1, meeting_booked=False)[1] == "red"
    assert _rate(high_risks=1, overdue=1)[1] == "amber"  # two ambers


def test_risks_engagement_and_data_rules() -> None:
    assert _rate(high_risks=2)[0]["risks"].status == "amber"
    assert _rate(reviews_overdue=1)[0]["risks"].reason == "1 review overdue"
    assert _rate(meeting_booked=False, days_since_meeting=20)[0]["engagement"].status == "amber"
    assert _rate(meeting_booked=False, days_since_meeting=120)[0]["engagement"].status == "red"
    assert _rate(days_since_change=45)[0]["data"].status == "amber"
    assert _rate(days_since_change=61)[0]["data"].status == "red"
    assert _rate(phase=4)[0]["data"].reason == "Needs figures missing"
    assert _rate(phase=4, has_needs=True)[0]["data"].status == "green"


def test_no_plan_and_complete() -> None:
    assert _rate(applicable=0, done=0)[1] is None
    assert _rate(done=10)[1] == "complete"
    assert _rate(done=10, high_risks=1)[1] == "green"


def test_every_dimension_has_a_rule_in_words() -> None:
    written = rules(30)
    assert set(written) == {"schedule", "risks", "engagement", "data", "overall"}
    assert "60 days" in " ".join(written["data"])
