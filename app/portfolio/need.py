"""How much a site needs the support team now: one number that ranks sites within an
overall status, worst first.

The formula is written once, here, as weights (`WEIGHTS` below); the portfolio ranks by
`need_score`, and the help page and the portfolio's caption show `formula(stale_days)`.
Days are counted up to `MAX_DAYS` each, so one more red dimension always outweighs a waiting
review and any lateness: a site red in two dimensions comes before one red in one.
"""

from __future__ import annotations

RED_DIMENSION = 1000
REVIEW_WAITING = 50
DAY_OVERDUE = 1  # each day the longest-overdue open task is late
STALE_DAY = 1  # each day without a change beyond the staleness limit
MAX_DAYS = 365  # days overdue and days stale each count up to this


def need_score(
    red_dimensions: int,
    review_waiting: bool,
    days_overdue: int,
    days_since_change: int | None,
    stale_days: int,
) -> int:
    """The need score (higher: needs help sooner). A site never changed counts as
    `stale_days` days past the limit."""
    days_stale = stale_days if days_since_change is None else max(0, days_since_change - stale_days)
    return (
        RED_DIMENSION * red_dimensions
        + REVIEW_WAITING * int(review_waiting)
        + DAY_OVERDUE * min(max(0, days_overdue), MAX_DAYS)
        + STALE_DAY * min(days_stale, MAX_DAYS)
    )


def formula(stale_days: int) -> str:
    """The score in words, for the help page and the portfolio's caption."""
    return (
        f"Need score = {RED_DIMENSION:,} × red dimensions + {REVIEW_WAITING} if a gateway "
        f"review is waiting + {DAY_OVERDUE} × days the longest-overdue task is late + "
        f"{STALE_DAY} × days without a change beyond {stale_days} days (each number of days "
        f"up to {MAX_DAYS})"
    )
