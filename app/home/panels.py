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


def sites_panel(sites: list[SiteListing], rows: list[PortfolioRow], by_need: bool) -> dict:
    """The user's sites with their portfolio row (phase and overall RAG), by name; with
    `by_need` (support staff) `rows` is the portfolio's first page, worst first by its need
    score (`app.portfolio.need`), ranked by the database, and the sites are listed in that
    order: the rest are a link away, so the page does not grow with the number of sites."""
    row_of = {row.site_id: row for row in rows}
    listed = {site.id: site for site in sites if site.id in row_of}
    if by_need:
        return {
            "sites": [listed[row.site_id] for row in rows if row.site_id in listed],
            "site_row": row_of,
        }
    return {"sites": list(listed.values()), "site_row": row_of}
