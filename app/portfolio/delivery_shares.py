"""Each site's delivery share for the portfolio, kept in `site_task_counts` between views.

Working out every site's share (`app.delivery.facts.share_from` over its promise and the
audit's counts) on every view cost 230-530 µs a site: most of the portfolio's time at 1,000
sites holding an agreed case (#34). The share is kept instead, as the task counts are
(`app.portfolio.task_counts`): triggers raise `delivery_version` whenever one of the site's
promises or KPI values is added, changed or removed, however it is written, and the share
is kept with the version and day it was taken at. A site whose version moved on, or whose
share was taken on another day (the quarters, and so the promised figures, move with the
date), is out of date; only those are taken again, in one statement, and saved for every
worker. The rule stays `share_from` alone: the database keeps its answer, never works it out.

The version kept is the one read before the share is taken, so a promise or figure saved
meanwhile leaves the site out of date, and it is taken again on the next view.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import bindparam, or_, select

from app.delivery.facts import DeliveryShare, delivery_column, share_from
from app.extensions import db
from app.portfolio import task_counts
from app.portfolio.models import SiteTaskCounts
from app.sites.models import Site

# The kept share's columns, in `DeliveryShare`'s field order, and the names statements
# label them with.
SHARE_COLUMNS = (
    "delivery_found",
    "delivery_found_promised",
    "delivery_treated",
    "delivery_treated_promised",
)


def share_columns() -> list[Any]:
    """The kept share's columns, labelled for `kept_share` (select them beside the counts)."""
    return [getattr(SiteTaskCounts, name).label(name) for name in SHARE_COLUMNS]


def kept_share(row: Mapping[str, Any]) -> DeliveryShare | None:
    """The share kept in a fetched row's `SHARE_COLUMNS` (None: no share)."""
    figures = [row[name] for name in SHARE_COLUMNS]
    if all(figure is None for figure in figures):
        return None
    return DeliveryShare(*(int(figure or 0) for figure in figures))


def _figures(share: DeliveryShare | None) -> tuple[int | None, ...]:
    """A share as its kept columns' values (`SHARE_COLUMNS`; all None: no share)."""
    if share is None:
        return (None,) * len(SHARE_COLUMNS)
    return (share.found, share.found_promised, share.treated, share.treated_promised)


def out_of_date(today: date) -> Any:  # a SQL expression
    """True for a site whose kept share no longer holds (see the module docstring)."""
    kept = SiteTaskCounts
    return or_(
        kept.delivery_counted_version.is_distinct_from(kept.delivery_version),
        kept.delivery_counted_on.is_distinct_from(today),
    )


def recompute(versions: dict[int, int], today: date) -> dict[int, DeliveryShare | None]:
    """Take the shares of these sites again (site id → the `delivery_version` read before),
    keep them, and return them by site. Two statements, however many sites.

    The shares are saved at once, whatever the request goes on to do: they are shared by
    every view and every worker, and hold no one's edit."""
    texts = dict(
        db.session.execute(
            select(Site.id, delivery_column(Site.id)).where(
                Site.id.in_(bindparam("site_ids", expanding=True))
            ),
            {"site_ids": list(versions)},
        ).all()
    )
    shares = {site_id: share_from(texts.get(site_id), today) for site_id in versions}
    task_counts.keep(
        {
            site_id: {
                "delivery_counted_version": versions[site_id],
                "delivery_counted_on": today,
                **dict(zip(SHARE_COLUMNS, _figures(shares[site_id]), strict=True)),
            }
            for site_id in versions
        }
    )
    return shares


def recompute_out_of_date(today: date) -> int:
    """Take again every site's share that no longer holds on `today`; the daily reminders
    job (`flask send-reminders`) runs it, so the day's first portfolio view does not pay for
    every site. Three statements when any; returns how many sites."""
    versions = dict(
        db.session.execute(
            select(SiteTaskCounts.site_id, SiteTaskCounts.delivery_version).where(
                out_of_date(today)
            )
        ).all()
    )
    if versions:
        recompute(versions, today)
    return len(versions)
