from flask import current_app, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from app.core.access import open_before_password_change, open_before_second_factor, public
from app.core.dates import utcnow
from app.extensions import db
from app.home import bp
from app.home.rows import site_rows
from app.notifications.queries import for_you
from app.portfolio import dimensions, need
from app.portfolio.queries import DEFAULT_SORT, page_of, sort_rows
from app.portfolio.summary import rows_for, summary_context
from app.sites.queries import current_phase_numbers, sites_for
from app.toolkit import get_toolkit

bp.add_app_template_global(site_rows)


@bp.get("/")
@login_required
def index():
    sites, offers = sites_for(current_user)
    # Support staff see the portfolio summary first (everyone else has no `summary`); its
    # rows already hold every site's current phase, so that costs no query of its own.
    site_total = len(sites)
    if current_user.is_support:
        rows = rows_for(current_user.id)
        portfolio = summary_context(rows)
        phase_numbers = {row.site_id: row.phase for row in rows}
        # One page of sites, in the portfolio's order (worst first, by need): the rest are
        # a link away, so the page does not grow with the number of sites.
        listed = {site.id: site for site in sites}
        first = page_of(sort_rows(rows, DEFAULT_SORT), 1).rows
        sites = [listed[row.site_id] for row in first if row.site_id in listed]
    else:
        portfolio = {"summary": None}
        phase_numbers = current_phase_numbers([site.id for site in sites])
    toolkit = get_toolkit()
    phases = {site_id: toolkit.phase(number).name for site_id, number in phase_numbers.items()}
    waiting = for_you(current_user.id, utcnow())
    # Each row links to its site's overview: the URL is built once around the site id, not
    # once a row (a support user's list holds every site).
    before, after = url_for("sites.overview", site_id=0).split("/0/", 1)
    return render_template(
        "home/index.html",
        sites=sites,
        phases=phases,
        for_you=waiting,
        offers=offers,
        site_total=site_total,
        overview_url=(before + "/", "/" + after),
        **portfolio,
    )


@bp.get("/healthz")
@public
@open_before_password_change
@open_before_second_factor
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/toolkit")
@login_required
def toolkit():
    return render_template("home/toolkit.html", toolkit=get_toolkit())


@bp.get("/help")
@login_required
def help_page():
    stale_days = current_app.config["STALE_SITE_DAYS"]
    return render_template(
        "home/help.html",
        portfolio_rules=dimensions.rules(stale_days),
        dimension_names=dimensions.DIMENSIONS,
        need_formula=need.formula(stale_days),
    )
