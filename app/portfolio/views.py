from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import delete, select

from app.core.access import require_global_role
from app.core.audit import record_event
from app.core.dates import today
from app.core.db import first_write
from app.core.downloads import download
from app.core.errors import StaleEdit
from app.delivery.chart import portfolio_chart
from app.extensions import db
from app.portfolio import bp, listing, need, queries, service
from app.portfolio.dimensions import DIMENSIONS
from app.portfolio.export import portfolio_workbook
from app.portfolio.models import SiteFollow
from app.portfolio.rows import portfolio_rows, row_context
from app.portfolio.summary import phase_names, summary_context
from app.sites.models import Site

# The table's rows are drawn in Python (see app/portfolio/rows.py).
bp.add_app_template_global(portfolio_rows)
bp.add_app_template_global(row_context, "portfolio_row_context")

FILTER_FORMS_KEPT = 256
# The overview's "Back to the portfolio" link reads this (the filters, re-encoded by us).
SESSION_KEY = "portfolio_query"
SORT_LABELS = queries.SORT_LABELS


def _page(filters: queries.Filters) -> str:
    """The portfolio's address for these filters, order and page."""
    return url_for("portfolio.index") + "?" + urlencode(filters.query_items())


def _sort_links(filters: queries.Filters) -> dict[str, str]:
    """Each column heading's link: sort by it, or flip the order if it is the sort already."""
    links = {}
    for key in SORT_LABELS:
        descending = not filters.descending if filters.sort == key else False
        # A new order starts again at the first page.
        links[key] = _page(replace(filters, sort=key, descending=descending, page=1))
    return links


def _pagination(filters: queries.Filters, page: queries.Page) -> dict:
    """The NHS.UK pagination component's parameters: previous and next pages that exist."""
    params: dict = {"ariaLabel": "Pages of sites"}
    for name, number in (("previous", page.number - 1), ("next", page.number + 1)):
        if 1 <= number <= page.count:
            params[name] = {
                "href": _page(replace(filters, page=number)),
                "labelText": f"Page {number} of {page.count}",
            }
    return params


def _filter_form(filters: queries.Filters, regions: list[str]) -> Markup:
    """The filter form, drawn once for each set of filters and regions and kept: it depends
    on nothing else (no user, no token), and its NHS.UK macros were a quarter of the page's
    render time at 200 sites."""
    stale_days = current_app.config["STALE_SITE_DAYS"]
    key = (tuple(filters.filter_items()), tuple(regions), stale_days)
    forms = current_app.extensions.setdefault("portfolio_filter_forms", {})
    form = forms.get(key)  # one look-up: another request may clear the dict meanwhile
    if form is None:
        if len(forms) >= FILTER_FORMS_KEPT:  # searches are free text: keep a bounded few
            forms.clear()
        form = forms[key] = Markup(
            render_template(
                "portfolio/_filters.html",
                filters=filters,
                regions=regions,
                statuses=service.STATUS_SHORT,
                phases=phase_names(),
                rag_filters=queries.RAG_FILTERS,
                delivering_filters=queries.DELIVERING_FILTERS,
                stale_days=stale_days,
            )
        )
    return form


@bp.get("/portfolio")
@login_required
def index():
    require_global_role("support", "admin")
    stale_days, on = current_app.config["STALE_SITE_DAYS"], today()
    sites = listing.glance(current_user.id, on)
    sites = listing.count_again(sites, on)
    asked = queries.parse_filters(request.args, any(s.followed for s in sites))
    found = listing.portfolio_view(current_user.id, on, stale_days, asked, sites, phase_names())
    filters = found.filters
    page = queries.page_of(found.rows, filters.page, found.matching)
    query = urlencode(filters.query_items())
    session[SESSION_KEY] = query
    in_view = [s for s in sites if s.followed or filters.view == "all"]
    return render_template(
        "portfolio/index.html",
        rows=page.rows,
        matching=found.matching,
        page=page,
        pages=_pagination(filters, page),
        need_formula=need.formula(stale_days),
        filters=filters,
        query=query,
        filter_form=_filter_form(filters, queries.regions(sites)),
        phases=phase_names(),
        following=found.following,
        sort_links=_sort_links(filters),
        sort_labels=SORT_LABELS,
        dimension_names=DIMENSIONS,
        region_offer=queries.region_counts(sites) if not found.following else [],
        delivery=_delivery(in_view, filters),
        **summary_context(found.summary),
    )


def _delivery(sites: list[listing.SiteGlance], filters: queries.Filters) -> dict | None:
    """The sites in view (all, or those the user supports) by "Delivering its case" band,
    charted, each band a link to its sites, with the live ones' patients summed."""
    bands = queries.delivery_bands([s.delivery for s in sites])
    if bands is None:
        return None
    # The counts are of every site in view, so each link lists that band alone.
    chart = portfolio_chart(
        [
            (key, label, bands.counts[key], _page(queries.Filters(filters.view, delivering=key)))
            for key, label in queries.DELIVERING_FILTERS.items()
        ],
        filters.delivering,
    )
    return {"chart": chart, "live": bands.live, "total": bands.total}


@bp.get("/portfolio.xlsx")
@login_required
def export():
    require_global_role("support", "admin")
    stale_days, on = current_app.config["STALE_SITE_DAYS"], today()
    sites = listing.glance(current_user.id, on)
    sites = listing.count_again(sites, on)
    filters = queries.parse_filters(request.args, any(s.followed for s in sites))
    shown = listing.every_row(current_user.id, on, stale_days, filters, sites)
    workbook = portfolio_workbook(shown, phase_names())
    # The sheet holds the project managers' contact details: keep a record of who took it.
    record_event("export", detail="Portfolio spreadsheet")
    db.session.commit()
    return download(workbook, site_name=None, document="portfolio", ext="xlsx")


@bp.post("/portfolio/sites/<int:site_id>/follow")
@login_required
def follow(site_id: int):
    """Add a site to, or take it off, the signed-in person's "sites I support"."""
    require_global_role("support", "admin")
    if db.session.get(Site, site_id) is None:
        abort(404)
    existing = db.session.scalar(
        select(SiteFollow.id).where(
            SiteFollow.user_id == current_user.id, SiteFollow.site_id == site_id
        )
    )
    if request.form.get("follow") == "1":
        if existing is None:
            with first_write(StaleEdit(what="the sites you support")):  # two tabs at once
                db.session.add(SiteFollow(user_id=current_user.id, site_id=site_id))
    else:
        db.session.execute(
            delete(SiteFollow).where(
                SiteFollow.user_id == current_user.id, SiteFollow.site_id == site_id
            )
        )
    db.session.commit()
    # Back to the same filters: re-parsed and re-encoded, so nothing but our own
    # parameters reaches the redirect.
    filters = queries.parse_filters(_query_args(request.form.get("query", "")), True)
    return redirect(_page(filters))


@bp.post("/portfolio/regions/follow")
@login_required
def follow_region():
    """First visit: support every site in one region at once (a starting point to trim)."""
    require_global_role("support", "admin")
    region = request.form.get("region", "")[:80]
    site_ids = db.session.scalars(select(Site.id).where(Site.region == region)).all()
    if not region or not site_ids:
        abort(404)
    already = set(
        db.session.scalars(
            select(SiteFollow.site_id).where(
                SiteFollow.user_id == current_user.id, SiteFollow.site_id.in_(site_ids)
            )
        )
    )
    with first_write(StaleEdit(what="the sites you support")):
        db.session.add_all(
            SiteFollow(user_id=current_user.id, site_id=site_id)
            for site_id in site_ids
            if site_id not in already
        )
    db.session.commit()
    return redirect(url_for("portfolio.index", view="mine"))


def _query_args(query: str) -> dict[str, str]:
    return dict(parse_qsl(query[:1000]))
