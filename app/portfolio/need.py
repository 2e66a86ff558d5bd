"""How much a site needs the support team now: one number that ranks sites within an
overall status, worst first.

The formula is written once, here, as weights (`WEIGHTS`); the portfolio ranks by
`need_score`, and the help page and the portfolio's caption show `formula(stale_days)`.
A red dimension outweighs any amount of lateness, so a site red in two dimensions comes
before one red in one; a waiting gateway review comes next, then overdue tasks, then how
long past the staleness limit nobody has changed anything.
"""

from __future__ import annotations

RED_DIMENSION = 100
REVIEW_WAITING = 50
OVERDUE_TASK = 10
STALE_DAY = 1  # each day without a change beyond the staleness limit


def need_score(
    red_dimensions: int,
    review_waiting: bool,
    overdue_tasks: int,
    days_since_change: int | None,
    stale_days: int,
) -> int:
    """The need score (higher: needs help sooner). A site never changed counts as
    `stale_days` days past the limit."""
    days_past = stale_days if days_since_change is None else max(0, days_since_change - stale_days)
    return (
        RED_DIMENSION * red_dimensions
        + REVIEW_WAITING * int(review_waiting)
        + OVERDUE_TASK * overdue_tasks
        + STALE_DAY * days_past
    )


def formula(stale_days: int) -> str:
    """The score in words, for the help page and the portfolio's caption."""
    return (
        f"Need score = {RED_DIMENSION} × red dimensions + {REVIEW_WAITING} if a gateway "
        f"review is waiting + {OVERDUE_TASK} × overdue tasks + {STALE_DAY} × each day "
        f"without a change beyond {stale_days} days"
    )
