from flask import current_app, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from app.core.access import open_before_password_change, open_before_second_factor, public
from app.core.dates import to_london, utcnow
from app.extensions import db
from app.home import bp, panels
from app.home.rows import site_rows
from app.portfolio import dimensions, listing, need
from app.portfolio.summary import first_page, phase_names, summary_context
from app.sites.queries import sites_for
from app.toolkit import get_toolkit

bp.add_app_template_global(site_rows)


@bp.get("/")
@login_required
def index():
    now = utcnow()
    sites, offers = sites_for(current_user)
    # The portfolio's rows give each listed site's phase and overall RAG in one statement:
    # support staff see its summary first and one page of sites in the portfolio's order of
    # need (ranked in the database), anyone else the rows of their own sites.
    stale_days, on = current_app.config["STALE_SITE_DAYS"], to_london(now).date()
    if current_user.is_support:
        first = first_page(current_user.id)
        rows, portfolio = first.rows, summary_context(first.summary)
    else:
        ids = [site.id for site in sites]
        rows = listing.sites_rows(current_user.id, on, stale_days, ids)
        portfolio = {"summary": None}
    manages = any(site.role == "manager" for site in sites)
    site_total = len(sites)
    # Each row links to its site's overview: the URL is built once around the site id, not
    # once a row (a support user's list holds every site).
    before, after = url_for("sites.overview", site_id=0).split("/0/", 1)
    return render_template(
        "home/index.html",
        for_you=panels.waiting_for_you(current_user.id, now),
        **panels.late_at_your_sites(current_user.id, now, manages),
        **panels.meetings_panel(current_user.id, now),
        **panels.sites_panel(sites, rows, by_need=current_user.is_support),
        phases=phase_names(),
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
