"""The "change many tasks" page: a checkbox per task and one form. Thin; the rule lives in
plan/bulk.py. Works without JavaScript."""

from flask import flash, g, redirect, render_template, request, url_for

from app.core.access import require_site_role
from app.core.dates import today
from app.core.errors import ServiceError, apply_form_errors
from app.core.web import form_status
from app.extensions import db
from app.plan import bp, queries, service
from app.plan.bulk import update_many
from app.plan.forms import BulkTaskForm
from app.plan.models import TASK_STATUSES


def _versions(form: BulkTaskForm) -> dict[int, int]:
    """{task id: the version the page showed} for every task ticked, or for every task the
    page listed (each row carries its version) when "every task listed" is ticked."""
    if form.every.data:
        listed = (
            key.removeprefix("version-") for key in request.form if key.startswith("version-")
        )
        ids = [int(task_id) for task_id in listed if task_id.isdigit()]
    else:
        ids = [task_id for task_id in form.task_ids.data or [] if task_id is not None]
    found = {}
    for task_id in ids:
        version = request.form.get(f"version-{task_id}", "")
        found[task_id] = int(version) if version.isdigit() else -1
    return found


@bp.route("/plan/bulk", methods=["GET", "POST"])
def bulk():
    require_site_role("editor")
    filters = queries.Filters.from_args(request.args)
    form = BulkTaskForm()
    form.set_owners(service.owner_choices(g.site))
    if form.validate_on_submit():
        back = url_for("sites.plan.bulk", **filters.args())
        try:
            changed = update_many(g.site, _versions(form), form.changes(), today(), back)
        except ServiceError as error:
            db.session.rollback()
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(f"{len(changed)} task{'s' if len(changed) != 1 else ''} changed.")
            return redirect(url_for("sites.plan.index", **filters.args()))
    day = today()
    views = [queries.task_view(t, day) for t in queries.load_plan_tasks(g.site)]
    shown = [v for v in views if filters.keeps(v, day)]
    return render_template(
        "plan/bulk.html",
        form=form,
        filters=filters,
        views=shown,
        ticked=set(form.task_ids.data or []),
        statuses=TASK_STATUSES,
    ), form_status(form)
