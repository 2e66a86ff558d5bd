"""The portfolio's reads, in the database whatever the number of sites.

`portfolio_view` runs ONE statement over `ranking.ranked` (every site with its statuses and
need score, worked out in SQL) that gives the page of sites the filters and sort ask for,
the sites needing attention that come first, and the totals of the view as window
aggregates over every site. `glance` gives every site's region, support flag and delivery
share (the filter form, the delivery chart, the "Delivering its case" filter and sort) and
whether its kept task counts are out of date, so they are counted again before the
database ranks by them. Plain values in; no request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, case, func, null, or_, select, true

from app.delivery.facts import DeliveryShare
from app.portfolio import delivery_shares, ranking, task_counts
from app.portfolio.models import SiteFollow, SiteTaskCounts
from app.portfolio.queries import (
    ATTENTION_LISTED,
    DEFAULT_SORT,
    PAGE_SIZE,
    Filters,
    Summary,
    delivery_band,
    summary_from,
)
from app.portfolio.service import PortfolioRow, build_rows, fetch, fetch_counted
from app.portfolio.statement import PHASES
from app.sites.models import Site


@dataclass(frozen=True)
class SiteGlance:
    site_id: int
    name: str
    region: str
    followed: bool
    delivery: DeliveryShare | None
    tasks_version: int
    counts_out_of_date: bool
    delivery_version: int
    delivery_out_of_date: bool


@lru_cache(maxsize=4)
def _glance_statement(today: date) -> Any:
    """`glance`'s statement, built once a day as `ranking.ranked_for` is (the signed-in user
    is bound when it runs)."""
    return (
        select(
            Site.id.label("site_id"),
            Site.name.label("name"),
            Site.region.label("region"),
            SiteFollow.id.is_not(None).label("followed"),
            *delivery_shares.share_columns(),
            SiteTaskCounts.tasks_version.label("tasks_version"),
            task_counts.out_of_date(today).label("stale"),
            SiteTaskCounts.delivery_version.label("delivery_version"),
            delivery_shares.out_of_date(today).label("delivery_stale"),
        )
        .outerjoin(
            SiteFollow,
            and_(SiteFollow.site_id == Site.id, SiteFollow.user_id == bindparam("user_id")),
        )
        .outerjoin(SiteTaskCounts, SiteTaskCounts.site_id == Site.id)
        .order_by(Site.name, Site.id)
    )


def glance(user_id: int, today: date) -> list[SiteGlance]:
    """Every site's name, region, support flag, delivery share and kept counts' state, by
    name. One statement."""
    rows = fetch(_glance_statement(today), user_id)
    return [
        SiteGlance(
            site_id=row["site_id"],
            name=row["name"],
            region=row["region"] or "",
            followed=bool(row["followed"]),
            delivery=delivery_shares.kept_share(row),
            tasks_version=row["tasks_version"] or 0,
            counts_out_of_date=bool(row["stale"]),
            delivery_version=row["delivery_version"] or 0,
            delivery_out_of_date=bool(row["delivery_stale"]),
        )
        for row in rows
    ]


def count_again(sites: list[SiteGlance], today: date) -> list[SiteGlance]:
    """Count again the tasks of the sites whose kept counts are out of date, and take again
    the delivery shares out of date (two statements for each when any are), so the database
    ranks by today's counts; the sites, with today's shares."""
    versions = {s.site_id: s.tasks_version for s in sites if s.counts_out_of_date}
    if versions:
        task_counts.recount(versions, today)
    share_versions = {s.site_id: s.delivery_version for s in sites if s.delivery_out_of_date}
    if not share_versions:
        return sites
    shares = delivery_shares.recompute(share_versions, today)
    return [
        replace(s, delivery=shares[s.site_id], delivery_out_of_date=False)
        if s.site_id in shares
        else s
        for s in sites
    ]


@dataclass(frozen=True)
class DeliveryChoices:
    """What the "Delivering its case" filter and sort need of the sites (worked out in
    Python, by the delivery feature's rule), as plain values: empty when neither is asked,
    so the statements they shape can be built once and kept."""

    band_ids: tuple[int, ...] = ()  # the sites in the band the filter asks for
    places: tuple[tuple[int, int], ...] = ()  # (site id, place by share), for the sort


def delivery_choices(filters: Filters, sites: list[SiteGlance]) -> DeliveryChoices:
    band = filters.delivering  # a key of DELIVERING_FILTERS, or "" for no filter
    band_ids = tuple(s.site_id for s in sites if band and delivery_band(s.delivery) == band)
    if filters.sort != "delivering":
        return DeliveryChoices(band_ids)
    shares = {s.site_id: s.delivery.share for s in sites if s.delivery is not None}
    # Equal shares get the same place, so the name breaks the tie as in every other sort.
    place = {share: i for i, share in enumerate(sorted(set(shares.values())))}
    return DeliveryChoices(band_ids, tuple((i, place[share]) for i, share in shares.items()))


def _view(k: Any, view: str) -> Any:
    return k.follow_id.is_not(None) if view == "mine" else true()


def _where(k: Any, filters: Filters, delivery: DeliveryChoices) -> Any:
    """The filters as one SQL condition (the view included)."""
    conditions = [_view(k, filters.view)]
    if filters.region:
        conditions.append(k.region == filters.region)
    if filters.status:
        conditions.append(k.status == filters.status)
    if filters.phase is not None:
        conditions.append(k.phase == filters.phase)
    if filters.rag:
        conditions.append(
            k.overall.is_(None) if filters.rag == "none" else k.overall == filters.rag
        )
    if filters.q:
        q = filters.q.lower()
        conditions.append(
            or_(
                func.lower(k.name).contains(q, autoescape=True),
                func.lower(k.organisation).contains(q, autoescape=True),
            )
        )
    if filters.attention:
        conditions.append(ranking.needs_attention(k))
    if filters.delivering:
        conditions.append(k.site_id.in_(delivery.band_ids))
    return and_(*conditions)


def _sort(k: Any, filters: Filters, delivery: DeliveryChoices) -> list[Any]:
    if filters.sort != "delivering":
        return ranking.sort_parts(k, filters.sort)
    # The share is the delivery feature's rule, worked out in Python for every site
    # (`glance`): the database sorts by each site's place in that order.
    if not delivery.places:
        return [null()]
    return [case(dict(delivery.places), value=k.site_id)]


def _flag(condition: Any) -> Any:
    return case((condition, 1), else_=0)


def _statement(today: date, stale_days: int, filters: Filters, delivery: DeliveryChoices) -> Any:
    """`_built_statement`, kept for each day, filters and band (as `ranking.ranked_for` is:
    building it and working out its cache key again on every view was a tenth of the page
    at 1,000 sites), except when sorted by delivery: that statement holds a CASE entry for
    every site (about a megabyte at 1,000 sites) and changes with any site's share."""
    if delivery.places:
        return _built_statement(today, stale_days, filters, delivery)
    return _kept_statement(today, stale_days, filters, delivery)


def _built_statement(
    today: date, stale_days: int, filters: Filters, delivery: DeliveryChoices
) -> Any:
    """The page, the sites needing attention first and the totals: one SELECT over every
    site with window functions (numbered in the sort's order among the sites the filters
    keep, and in the default order among the view's sites needing attention), keeping the
    page's places and the first few needing attention."""
    ranked = ranking.ranked_for(today, stale_days)
    k = ranked.c
    matched, attention = (
        _flag(_where(k, filters, delivery)),
        _flag(and_(_view(k, filters.view), ranking.needs_attention(k))),
    )
    order = ranking.order_terms(k, _sort(k, filters, delivery), filters.descending)
    default = ranking.order_terms(k, ranking.sort_parts(k, DEFAULT_SORT), False)
    totals = ranking.counts(_view(k, filters.view), k, PHASES)
    # Numbered and counted on narrow rows (the site's id and the window's columns), then
    # joined to the sites kept: sorting every site's whole row twice cost more.
    windowed = select(
        k.site_id.label("numbered_site_id"),
        matched.label("matched"),
        func.row_number().over(partition_by=matched, order_by=order).label("place"),
        attention.label("attention_listed"),
        func.row_number().over(partition_by=attention, order_by=default).label("attention_place"),
        func.count().filter(matched == 1).over().label("matching"),
        *(aggregate.over().label(name) for name, aggregate in totals.items()),
    ).subquery("windowed")
    w = windowed.c
    first = (filters.page - 1) * PAGE_SIZE + 1
    return (
        select(ranked, *(c for c in w if c.name != "numbered_site_id"), ranking.attention_flag(k))
        .select_from(ranked.join(windowed, w.numbered_site_id == k.site_id))
        .where(
            or_(
                and_(w.matched == 1, w.place.between(first, first + PAGE_SIZE - 1)),
                and_(w.attention_listed == 1, w.attention_place <= ATTENTION_LISTED),
            )
        )
        .order_by(w.place)
    )


# A few hundred kilobytes each; searches are free text, so a bounded few are kept.
_kept_statement = lru_cache(maxsize=32)(_built_statement)


def _totals_statement(
    today: date, stale_days: int, filters: Filters, delivery: DeliveryChoices
) -> Any:
    """The totals alone, grouped (for a view where no site is listed)."""
    k = ranking.ranked_for(today, stale_days).c
    totals = ranking.counts(_view(k, filters.view), k, PHASES)
    return select(
        *(aggregate.label(name) for name, aggregate in totals.items()),
        func.count().filter(_where(k, filters, delivery)).label("matching"),
    )


@dataclass(frozen=True)
class Portfolio:
    rows: list[PortfolioRow]  # the page
    filters: Filters  # as asked, the page number within the pages there are
    matching: int  # sites the filters keep
    following: int  # sites the user supports
    summary: Summary  # of the view, with the sites needing attention first


def portfolio_view(
    user_id: int,
    today: date,
    stale_days: int,
    filters: Filters,
    sites: list[SiteGlance],
    phase_names: dict[int, str],
) -> Portfolio:
    """The page of sites, the totals and the sites needing attention first: one statement
    (another when the page asked for is past the last, or nothing is listed; two more when
    kept task counts turn out to be out of date: they are counted again and the statement
    run again)."""
    delivery = delivery_choices(filters, sites)
    found = fetch(_statement(today, stale_days, filters, delivery), user_id)
    if found and found[0]["out_of_date"]:
        task_counts.recount_out_of_date(today)
        found = fetch(_statement(today, stale_days, filters, delivery), user_id)
    values = (
        found[0]
        if found
        else fetch(_totals_statement(today, stale_days, filters, delivery), user_id)[0]
    )
    last = max(1, -(-values["matching"] // PAGE_SIZE))
    if filters.page > last:  # a page past the last shows the last
        filters = replace(filters, page=last)
        found = fetch(_statement(today, stale_days, filters, delivery), user_id)
    built = build_rows(found, today, stale_days)
    first = sorted(
        (s["attention_place"], r)
        for r, s in zip(built, found, strict=True)
        if s["attention_listed"] and s["attention_place"] <= ATTENTION_LISTED
    )
    summary = summary_from(values, phase_names, stale_days)
    first_place = (filters.page - 1) * PAGE_SIZE + 1
    page = [
        r
        for r, s in zip(built, found, strict=True)
        if s["matched"] and first_place <= s["place"] < first_place + PAGE_SIZE
    ]
    return Portfolio(
        rows=page,
        filters=filters,
        matching=values["matching"],
        following=values["following"],
        summary=replace(summary, attention_first=[r for _place, r in first]),
    )


def every_row(
    user_id: int, today: date, stale_days: int, filters: Filters, sites: list[SiteGlance]
) -> list[PortfolioRow]:
    """Every site the filters keep, in their order (the workbook): one statement, as a rule
    (`fetch_counted`)."""
    k, delivery = ranking.ranked_for(today, stale_days), delivery_choices(filters, sites)
    statement = (
        select(*ranking.listed_columns(k))
        .where(_where(k.c, filters, delivery))
        .order_by(*ranking.order_terms(k.c, _sort(k.c, filters, delivery), filters.descending))
    )
    return build_rows(fetch_counted(statement, user_id, today), today, stale_days)


def sites_rows(
    user_id: int, today: date, stale_days: int, site_ids: list[int]
) -> list[PortfolioRow]:
    """These sites' rows (a member's home page), by name: one statement, four when their
    kept task counts were out of date (`fetch_counted`)."""
    k = ranking.ranked_for(today, stale_days)
    statement = (
        select(*ranking.listed_columns(k))
        .where(k.c.site_id.in_(site_ids))
        .order_by(k.c.name, k.c.site_id)
    )
    return build_rows(fetch_counted(statement, user_id, today), today, stale_days)
