"""A site's status in four dimensions, and the overall status that combines them.

The rules are plain functions of counts and dates the portfolio query already fetched, so
they cost no query, are tested without a database and are written out once (`RULES`) for the
help page. One late task makes the schedule amber, not the whole site red: a site is only
red overall when its schedule has stalled or two dimensions are red at once.
"""

from __future__ import annotations

from dataclasses import dataclass

# How long a task may sit overdue before the schedule counts as stalled, and how many
# overdue tasks at once mean the same thing.
LONG_OVERDUE_DAYS = 28
MANY_OVERDUE = 3
# Engagement: a team that has not met for this long, with nothing booked, has stalled.
MEETING_GAP_DAYS = 90
# Data: the phase from which the needs figures should be saved (Measure and Understand done).
NEEDS_FROM_PHASE = 4

DIMENSIONS = {
    "schedule": "Schedule",
    "risks": "Risks",
    "engagement": "Engagement",
    "data": "Data",
}
STATUS_NAMES = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "complete": "Complete",
    None: "No plan",
}
# The severity bands the filter and the chart use, worst first.
BANDS = ("red", "amber", "green", "complete", None)
BAND_MEANINGS = {
    "red": "stalled",
    "amber": "slipping",
    "green": "on track",
    "complete": "plan done",
    None: "no plan yet",
}
TAG_COLOURS = {"red": "red", "amber": "orange", "green": "green", "complete": "blue"}


@dataclass(frozen=True)
class Facts:
    """What the rules read about one site (all from the portfolio's single query)."""

    applicable: int = 0  # applicable tasks
    done: int = 0
    overdue: int = 0
    essential_long_overdue: int = 0  # essential tasks overdue by more than LONG_OVERDUE_DAYS
    red_amber: int = 0  # tasks red or amber by dates or by report
    very_high_risks: int = 0  # open risks scored 16-25, or critical open issues
    high_risks: int = 0  # open risks scored 10-15, or high open issues
    reviews_overdue: int = 0  # open entries whose review date has passed
    days_since_meeting: int | None = None  # since the last meeting held (None: never)
    meeting_booked: bool = False
    days_since_change: int | None = None
    phase: int = 1
    has_needs: bool = False


@dataclass(frozen=True)
class Rating:
    status: str | None
    reason: str

    @property
    def name(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def colour(self) -> str:
        return TAG_COLOURS.get(self.status or "", "grey")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def schedule(f: Facts) -> Rating:
    if f.applicable == 0:
        return Rating(None, "No plan yet")
    if f.done == f.applicable:
        return Rating("complete", "Every task complete")
    if f.overdue >= MANY_OVERDUE or f.essential_long_overdue:
        if f.essential_long_overdue:
            return Rating("red", f"Essential task over {LONG_OVERDUE_DAYS} days late")
        return Rating("red", f"{f.overdue} tasks overdue")
    if f.overdue:
        return Rating("amber", f"{_plural(f.overdue, 'task')} overdue")
    if f.red_amber:
        return Rating("amber", f"{_plural(f.red_amber, 'task')} at risk")
    return Rating("green", "On time")


def risks(f: Facts) -> Rating:
    if f.very_high_risks:
        return Rating("red", f"{f.very_high_risks} very high")
    if f.high_risks:
        return Rating("amber", f"{f.high_risks} high")
    if f.reviews_overdue:
        return Rating("amber", f"{_plural(f.reviews_overdue, 'review')} overdue")
    return Rating("green", "None high")


def engagement(f: Facts) -> Rating:
    if f.meeting_booked:
        return Rating("green", "Meeting booked")
    if f.days_since_meeting is None:
        return Rating("red", "No meeting held or booked")
    if f.days_since_meeting > MEETING_GAP_DAYS:
        return Rating("red", f"Last met {f.days_since_meeting} days ago")
    return Rating("amber", "Next meeting not booked")


def data(f: Facts, stale_days: int) -> Rating:
    if f.days_since_change is None or f.days_since_change > 2 * stale_days:
        return Rating("red", "No recent changes")
    if f.days_since_change > stale_days:
        return Rating("amber", f"No change for {f.days_since_change} days")
    if f.phase >= NEEDS_FROM_PHASE and not f.has_needs:
        return Rating("amber", "Needs figures missing")
    return Rating("green", "Up to date")


def overall(ratings: dict[str, Rating]) -> str | None:
    """Combine the four dimensions (rule written out in RULES["overall"])."""
    sched = ratings["schedule"].status
    if sched is None:
        return None
    statuses = [r.status for r in ratings.values()]
    reds, ambers = statuses.count("red"), statuses.count("amber")
    if sched == "red" or reds >= 2:
        return "red"
    if reds or ambers >= 2:
        return "amber"
    if sched == "complete" and not ambers:
        return "complete"
    return "green"


def rate(f: Facts, stale_days: int) -> tuple[dict[str, Rating], str | None]:
    ratings = {
        "schedule": schedule(f),
        "risks": risks(f),
        "engagement": engagement(f),
        "data": data(f, stale_days),
    }
    return ratings, overall(ratings)


def rules(stale_days: int) -> dict[str, list[str]]:
    """Each rule in words, for the help page (kept beside the code it describes)."""
    return {
        "schedule": [
            "Red when "
            f"{MANY_OVERDUE} or more tasks are overdue, or an essential task is more than "
            f"{LONG_OVERDUE_DAYS} days overdue.",
            "Amber when one or two tasks are overdue, or any task is amber.",
            "Green otherwise; Complete when every applicable task is done.",
        ],
        "risks": [
            "Red when an open risk scores 16 or more (very high) or an open issue is critical.",
            "Amber when an open risk scores 10 to 15 (high), an open issue is high, or a "
            "review date has passed.",
            "Green otherwise.",
        ],
        "engagement": [
            "Green when a meeting is booked.",
            f"Amber when nothing is booked but the team met in the last {MEETING_GAP_DAYS} days.",
            f"Red when nothing is booked and the team has not met for {MEETING_GAP_DAYS} days.",
        ],
        "data": [
            f"Red when nobody has changed anything for more than {2 * stale_days} days.",
            f"Amber when nothing has changed for more than {stale_days} days, or the site is "
            f"in phase {NEEDS_FROM_PHASE} or later without saved needs figures.",
            "Green otherwise.",
        ],
        "overall": [
            "Red when the schedule is red, or any two dimensions are red.",
            "Amber when one other dimension is red, or two dimensions are amber.",
            "Complete when the plan is complete and no dimension is amber or red.",
            "Green otherwise: one amber dimension, such as a single late task, leaves a "
            "site green overall.",
        ],
    }
