"""The rebuild-plan page: thin; the rule lives in plan/rebuild.py."""

from flask import flash, g, redirect, render_template, request, url_for

from app.core.access import require_site_role
from app.core.errors import ServiceError, apply_form_errors
from app.core.web import form_status
from app.extensions import db
from app.plan import bp
from app.plan.forms import CreatePlanForm
from app.plan.rebuild import rebuild_plan, tasks_with_work
from app.plan.service import plan_for


@bp.route("/plan/rebuild", methods=["GET", "POST"])
def rebuild():
    require_site_role("manager")
    plan = plan_for(g.site)
    form = CreatePlanForm()
    if request.method == "GET" and plan is not None:
        form.service_kind.data = plan.service_kind
        form.start_date.data = plan.start_date
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
