from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_login import login_required

from app.core.access import require_global_role, require_site_role
from app.core.dates import utcnow
from app.core.errors import ServiceError, StaleEdit, apply_form_errors, check_version
from app.core.numbers import arg_int
from app.core.web import form_status
from app.extensions import db
from app.sites import bp, guard, service, site_bp  # noqa: F401 - guard registers the checks
from app.sites.forms import NewSiteForm, SiteForm
from app.sites.history import describe, history_page
from app.sites.overview import overview_panels

HISTORY_PAGE_SIZE = 50
# The plan's page for a new start date: it moves the tasks not started by the same shift,
# so the site and its plan keep one start date (sites sit below the plan).
SHIFT_ENDPOINT = "sites.plan.start_date"


@bp.route("/sites/new", methods=["GET", "POST"])
@login_required
def new_site():
    require_global_role("admin")
    form = NewSiteForm()
    if form.validate_on_submit():
        try:
            site = service.create_site_with_plan(form.details())
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(
                f"Site {site.name} created with its project plan. "
                "Invite the project manager and the sponsor next."
            )
            return redirect(url_for("sites.members", site_id=site.id))
    return render_template("sites/new.html", form=form), form_status(form)


@site_bp.get("/")
def overview():
    return render_template("sites/overview.html", panels=overview_panels(g.site))


@site_bp.route("/settings", methods=["GET", "POST"])
def settings():
    require_site_role("manager")
    form = SiteForm(obj=g.site)
    if request.method == "GET":
        form.version.data = g.site.version
    if form.validate_on_submit():
        check_version(
            form.version.data,
            g.site.version,
            StaleEdit(
                what=f"the details of {g.site.name}",
                current=[("Name", g.site.name), ("Organisation", g.site.organisation)],
                yours=[("Name", form.name.data), ("Organisation", form.organisation.data)],
                back_url=url_for("sites.settings"),
            ),
        )
        details = form.details()
        new_start = details.start_date
        moves_plan = new_start not in (None, g.site.start_date) and g.site.start_date is not None
        if moves_plan and SHIFT_ENDPOINT in current_app.view_functions:
            details.start_date = g.site.start_date  # changed on the next page, with the plan
        try:
            service.update_site(g.site, details)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            if details.start_date != new_start:
                flash("Site details saved. Now choose what happens to the plan's dates.")
                return redirect(url_for(SHIFT_ENDPOINT, start=new_start.isoformat()))
            flash("Site details saved.")
            return redirect(url_for("sites.overview"))
    return render_template("sites/settings.html", form=form), form_status(form)


@site_bp.get("/history")
def history():
    page = arg_int("page", 1, minimum=1, maximum=1_000_000)
    since_steering = request.args.get("since") == "steering"
    found = history_page(
        g.site.id, page, HISTORY_PAGE_SIZE, since_steering=since_steering, now=utcnow()
    )
    total = found.total
    return render_template(
        "sites/history.html",
        rows=describe(found.events, g.site.id),
        page=page,
        pages=max((total + HISTORY_PAGE_SIZE - 1) // HISTORY_PAGE_SIZE, 1),
        total=total,
        since_steering=since_steering,
        steering_at=found.steering_at,
        page_args={"since": "steering"} if since_steering else {},
    )
