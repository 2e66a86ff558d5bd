"""The home page's panels, one function each, so that a new panel (a sponsor's PID to
agree) is one more function and one more partial:

- `waiting_for_you`: reviews to sign and the user's own work due soon (every role);
- `late_at_your_sites`: for a site's manager, what is late there, whoever owns it;
- `meetings_panel`: the next meetings at the user's sites;
- `sites_panel`: the site list with each site's overall RAG; support staff's in order of
  need (`by_need`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.core.dates import to_london
from app.home.queries import late_at_managed_sites, next_meetings
from app.notifications.queries import reviews_waiting, work_due
from app.portfolio.service import PortfolioRow
from app.sites.queries import SiteListing

# Overall RAG from most to least in need; a site with no plan sits after green.
NEED_ORDER = {"red": 0, "amber": 1, "green": 2, None: 3, "complete": 4}


def waiting_for_you(user_id: int, now: datetime) -> dict:
    """Reviews the user must sign and their own tasks and actions overdue or due within a
    week. Two statements."""
    on = to_london(now).date()
    return {
        "reviews": reviews_waiting([user_id])[user_id],
        "work": work_due(on + timedelta(days=7), user_id),
        "today": on,
    }


def late_at_your_sites(user_id: int, now: datetime, manages: bool) -> dict:
    """What is late at the sites the user manages (none asked for when they manage none)."""
    on = to_london(now).date()
    return {"late": late_at_managed_sites(user_id, on) if manages else [], "today": on}


def meetings_panel(user_id: int, now: datetime) -> dict:
    return {"meetings": next_meetings(user_id, now)}


def need_key(row: PortfolioRow) -> tuple:
    """How much a site needs support, most first: its overall RAG, then how many of its
    dimensions are red, its overdue tasks, a gateway review waiting, and how long since
    anything changed (a site never changed counts as the stalest)."""
    red = sum(1 for rating in row.ratings.values() if rating.status == "red")
    quiet = row.days_since_change if row.days_since_change is not None else 10**6
    return (
        NEED_ORDER.get(row.overall, 3),
        -red,
        -row.overdue,
        row.review_phase is None,
        -quiet,
        row.name,
    )


def sites_panel(sites: list[SiteListing], rows: list[PortfolioRow], by_need: bool) -> dict:
    """The user's sites with their portfolio row (phase and overall RAG); in order of
    need when `by_need`, else by name."""
    row_of = {row.site_id: row for row in rows}
    listed = [site for site in sites if site.id in row_of]
    if by_need:
        listed.sort(key=lambda site: need_key(row_of[site.id]))
    return {"sites": listed, "site_row": row_of}
