"""Changing the plan's foundations: rebuilding it (the rule lives in plan/rebuild.py) and a
new start date (plan/shift.py). Thin routes."""

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for

from app.core.access import require_site_role
from app.core.dates import uk_date
from app.core.errors import ServiceError, apply_form_errors
from app.core.web import form_status
from app.extensions import db
from app.plan import bp
from app.plan.forms import CreatePlanForm, StartDateForm
from app.plan.rebuild import rebuild_plan, tasks_with_work
from app.plan.service import plan_for
from app.plan.shift import change_start, preview_shift


@bp.route("/plan/rebuild", methods=["GET", "POST"])
def rebuild():
    require_site_role("manager")
    plan = plan_for(g.site)
    form = CreatePlanForm()
    if request.method == "GET" and plan is not None:
        form.service_kind.data = plan.service_kind
        form.start_date.data = g.site.start_date or plan.start_date
    if form.validate_on_submit():
        try:
            rebuild_plan(g.site, form.service_kind.data, form.start_date.data)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("The plan has been made again from the task library.")
            return redirect(url_for("sites.plan.index"))
    return render_template(
        "plan/rebuild.html", form=form, with_work=tasks_with_work(g.site)
    ), form_status(form)


def _new_start() -> date:
    """The start date asked for (ISO, from the settings page or the form); a missing or
    unreadable one is a 404 (the settings page is where a date is typed)."""
    try:
        return date.fromisoformat(request.values.get("start", ""))
    except ValueError:
        abort(404)


@bp.route("/plan/start-date", methods=["GET", "POST"])
def start_date():
    """A new project start date: what would move, then move it (or only the date)."""
    require_site_role("manager")
    new_start = _new_start()
    form = StartDateForm()
    if form.validate_on_submit():
        moved = change_start(g.site, new_start, form.move.data == "move")
        db.session.commit()
        flash(
            f"Start date changed to {uk_date(new_start)}"
            + (f"; {moved} task{'s' if moved != 1 else ''} moved." if moved else ".")
        )
        return redirect(url_for("sites.plan.index"))
    form.start.data = new_start.isoformat()
    return render_template(
        "plan/start_date.html", form=form, shift=preview_shift(g.site, new_start)
    ), form_status(form)
