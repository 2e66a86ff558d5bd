"""Every site in one row, read in ONE query whatever the number of sites.

Each column comes from a grouped subquery joined to the sites table (`statement.py`). The
rules behind the columns stay with their features: the task counts use the plan's RAG rule
as SQL (`app.plan.rag.effective_rag_sql`) and the shared roll-up ladder, risk bands are the
risks feature's `CURRENT_SCORE` and `BANDS`, the current phase follows
`gateways.current_phase_fact`, the headline figures are the ones `needs` stores beside each
version. Tests check the results agree with those features' own per-site functions.

The statuses, need score and attention flag are worked out in SQL too (`ranking.py`), so the
database filters, sorts, pages and counts (`listing.py`); the rows of a page are rated here
again from the same facts, for the reasons each cell shows (the two forms are built from one
set of rules and tested to agree).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, select

from app.core.dates import utcnow
from app.delivery.facts import DeliveryShare
from app.extensions import db
from app.portfolio import delivery_shares, dimensions, ranking, task_counts
from app.portfolio.need import need_score
from app.portfolio.statement import PHASES  # noqa: F401 - the gated phases, for the pages
from app.toolkit.vocabulary import rag_ladder

# The three kinds of service in the charity's own words (the sites form has longer labels).
STATUS_SHORT = {"new": "New", "developing": "Developing", "improving": "Improving"}
RAG_ORDER = dimensions.BANDS
RAG_NAMES = dimensions.STATUS_NAMES


@dataclass
class PortfolioRow:
    site_id: int
    name: str
    organisation: str
    nation: str
    region: str
    status: str
    phase: int
    rag: str | None
    essential_done: int
    essential_applicable: int
    overdue: int
    last_signoff_phase: int | None
    last_signoff_at: datetime | None
    review_phase: int | None  # a gateway review is waiting on the sponsor
    next_meeting: datetime | None
    last_change: datetime | None
    days_since_change: int | None
    stale: bool  # `ranking.ranked`'s is_stale
    needs_attention: bool  # `ranking.ranked`'s rule
    lead_name: str | None
    lead_email: str | None
    lead_phone: str | None
    population_50_plus: int | None
    hip_fractures_prevented_5y: int | None
    followed: bool
    # The plan's own roll-up above is kept for the workbook; the page leads with these.
    ratings: dict[str, dimensions.Rating] = field(default_factory=dict)
    overall: str | None = None
    # Delivering its case: the agreed business case's promised patients found and treated
    # against the audit (None: no case agreed or no audit figures since)
    delivery: DeliveryShare | None = None
    need: int = 0  # app.portfolio.need: ranks sites within an overall status

    @property
    def overall_name(self) -> str:
        return RAG_NAMES[self.overall]

    @property
    def overall_colour(self) -> str:
        return dimensions.TAG_COLOURS.get(self.overall or "", "grey")

    @property
    def status_name(self) -> str:
        return STATUS_SHORT.get(self.status, self.status)

    @property
    def place(self) -> str:
        return f"{self.nation}, {self.region}" if self.region else self.nation

    @property
    def rag_name(self) -> str:
        return RAG_NAMES[self.rag]


def portfolio_rows(
    user_id: int, today: date, stale_days: int, now: datetime | None = None
) -> list[PortfolioRow]:
    """Every site with each portfolio column, in one query, ordered by name (pages and
    filters come from `app.portfolio.listing`, in the database)."""
    k = ranking.ranked_for(today, stale_days)
    statement = select(*ranking.listed_columns(k)).order_by(k.c.name, k.c.site_id)
    return rows_from(statement, user_id, today, stale_days, now)


def rows_from(
    statement: Select, user_id: int, today: date, stale_days: int, now: datetime | None = None
) -> list[PortfolioRow]:
    """The rows a statement over `ranking.ranked` gives, each rated in Python from the same
    facts (the reasons shown in each cell)."""
    return build_rows(fetch_counted(statement, user_id, today, now=now), today, stale_days)


def fetch(statement: Select, user_id: int, now: datetime | None = None) -> list[dict]:
    """A statement's rows as dicts by column name: read once, then plain lookups (Row
    attributes cost about ten times more, and a portfolio reads some 40 columns a site)."""
    result = db.session.execute(statement, {"user_id": user_id, "now": now or utcnow()})
    names = tuple(result.keys())
    return [dict(zip(names, row, strict=True)) for row in result]


def fetch_counted(
    statement: Select, user_id: int, today: date, now: datetime | None = None
) -> list[dict]:
    """`fetch` a statement over `ranking.ranked`, with today's task counts and delivery
    shares: when some of its sites' kept counts or shares are out of date, they are taken
    again (`task_counts.recount`, `delivery_shares.recompute`) and the statement runs again,
    so every fact, and every flag worked out from them in SQL, is today's. One statement, or
    four when counts or shares were out of date (six when both were: the portfolio's views
    take them first, from their glance, so for them this is a race's fallback; a member's
    home page pays it after a task, promise or figure of theirs changed)."""
    found = fetch(statement, user_id, now)
    stale = {s["site_id"]: s["tasks_version"] or 0 for s in found if s["counts_out_of_date"]}
    stale_shares = {
        s["site_id"]: s["delivery_version"] or 0 for s in found if s["delivery_out_of_date"]
    }
    if not stale and not stale_shares:
        return found
    if stale:
        task_counts.recount(stale, today)
    if stale_shares:
        delivery_shares.recompute(stale_shares, today)
    return fetch(statement, user_id, now)


def build_rows(
    sites: list[dict],
    today: date,
    stale_days: int,
) -> list[PortfolioRow]:
    """Portfolio rows from fetched site rows (with today's task counts: `fetch_counted`),
    each rated in Python from its facts (the reasons each cell shows), with the flags the
    database worked out and the delivery share kept for it (`delivery_shares.kept_share`)."""
    rows = []
    for s in sites:
        counts = {
            **{name: int(s[name] or 0) for name in task_counts.COUNT_COLUMNS},
            task_counts.OLDEST_OVERDUE: s[task_counts.OLDEST_OVERDUE],
        }
        oldest_overdue = counts[task_counts.OLDEST_OVERDUE]
        delivery = delivery_shares.kept_share(s)
        days = s["days_since_change"]
        phase = s["phase"]
        facts = dimensions.Facts(
            applicable=counts["applicable"],
            done=counts["done"],
            overdue=counts["overdue"],
            essential_long_overdue=counts["ess_long"],
            red_amber=counts["red_amber"],
            very_high_risks=int(s["very_high_risks"] or 0),
            high_risks=int(s["high_risks"] or 0),
            reviews_overdue=int(s["reviews_overdue"] or 0),
            days_since_meeting=s["days_since_meeting"],
            meeting_booked=bool(s["meeting_booked"]),
            days_since_change=days,
            phase=phase,
            has_needs=bool(s["has_needs"]),
        )
        ratings, overall = dimensions.rate(facts, stale_days)
        review_phase = s["review_phase"]
        need = need_score(
            red_dimensions=sum(r.status == "red" for r in ratings.values()),
            review_waiting=review_phase is not None,
            days_overdue=(today - oldest_overdue).days if oldest_overdue else 0,
            days_since_change=days,
            stale_days=stale_days,
        )
        rows.append(
            PortfolioRow(
                site_id=s["site_id"],
                name=s["name"],
                organisation=s["organisation"],
                nation=s["nation"],
                region=s["region"],
                status=s["status"],
                phase=phase,
                rag=rag_ladder(
                    counts["applicable"], counts["done"], counts["ess_red"], counts["red_amber"]
                ),
                essential_done=counts["ess_done"],
                essential_applicable=counts["ess_applicable"],
                overdue=counts["overdue"],
                last_signoff_phase=s["signoff_phase"],
                last_signoff_at=s["signoff_at"],
                review_phase=review_phase,
                next_meeting=s["next_meeting"],
                last_change=s["last_change"],
                days_since_change=days,
                stale=bool(s["is_stale"]),
                needs_attention=bool(s["needs_attention"]),
                lead_name=s["lead_name"],
                lead_email=s["lead_email"] or None,
                lead_phone=s["lead_phone"] or None,
                population_50_plus=s["population_50_plus"],
                hip_fractures_prevented_5y=s["hip_fractures_prevented_5y"],
                followed=s["follow_id"] is not None,
                ratings=ratings,
                overall=overall,
                delivery=delivery,
                need=need,
            )
        )
    return rows
