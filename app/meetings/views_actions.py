"""The action log: every action from every meeting plus ones added directly."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from app.core.access import get_for_site_or_404
from app.core.dates import today, uk_date
from app.core.errors import ServiceError, StaleEdit, apply_form_errors, check_version
from app.core.web import form_status, safe_next
from app.extensions import db, htmx
from app.meetings import bp, queries
from app.meetings.actions import ActionDetails, add_action, update_action
from app.meetings.forms import ActionForm, ActionStatusForm, optional_int
from app.meetings.models import ACTION_STATUSES, Action

FILTER_STATUSES = {"": "All", **ACTION_STATUSES, "overdue": "Overdue"}


def _filters() -> queries.ActionFilters:
    status = request.args.get("status", "open")
    return queries.ActionFilters(
        status=status if status in FILTER_STATUSES else "open",
        owner_id=optional_int(request.args.get("owner")),
    )


def _stale(action: Action, status: str) -> StaleEdit:
    return StaleEdit(
        what=f"the action '{action.description[:60]}'",
        current=[
            ("Status", ACTION_STATUSES.get(action.status, action.status)),
            ("Due", uk_date(action.due_date, "No date")),
        ],
        yours=[("Status", ACTION_STATUSES.get(status, status))],
        back_url=url_for("sites.meetings.actions"),
    )


@bp.route("/actions", methods=["GET", "POST"])
def actions():
    people, tasks = queries.people_and_tasks(g.site.id)
    form = ActionForm()
    form.set_choices(people, tasks)
    if request.method == "POST" and form.validate_on_submit():
        try:
            add_action(g.site.id, form.details(), on=today())
        except ServiceError as error:
            db.session.rollback()
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Action added to the action log.")
            return redirect(url_for("sites.meetings.actions"))
    filters = _filters()
    rows = queries.action_log(g.site.id, filters, today())
    return render_template(
        "meetings/actions.html",
        rows=rows,
        form=form,
        filters=filters,
        statuses=FILTER_STATUSES,
        people=people,
        on=today(),
        action_statuses=ACTION_STATUSES,
    ), form_status(form)


@bp.post("/actions/<int:action_id>/status")
def set_action_status(action_id: int):
    """The inline status change (htmx swaps the row; without JavaScript, a redirect)."""
    action = get_for_site_or_404(Action, action_id, *queries.ACTION_PAGE)
    form = ActionStatusForm()
    if not form.validate_on_submit():
        if htmx:
            return render_template(
                "meetings/_action_row.html",
                action=action,
                on=today(),
                action_statuses=ACTION_STATUSES,
                row_error="Choose open, done or dropped.",
            ), 422
        flash("Choose open, done or dropped.", "error")
        return redirect(url_for("sites.meetings.actions"))
    check_version(form.version.data, action.version, _stale(action, form.status.data))
    details = ActionDetails(
        description=action.description,
        owner_id=action.owner_id,
        due_date=action.due_date,
        task_id=action.task_id,
        status=form.status.data,
    )
    try:
        update_action(action, details, today())
    except ServiceError as error:  # e.g. the owner was erased since: say so, save nothing
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("sites.meetings.edit_action", action_id=action_id))
    db.session.commit()
    if htmx:
        return render_template(
            "meetings/_action_row.html",
            action=action,
            on=today(),
            action_statuses=ACTION_STATUSES,
            saved=True,
        )
    flash(f"Action marked {ACTION_STATUSES[action.status].lower()}.")
    return redirect(safe_next(request.referrer, url_for("sites.meetings.actions")))


@bp.post("/actions/statuses")
def save_action_statuses():
    """The action log's one Save: every row whose status changed, checked against its
    version (a row someone else changed meanwhile gets the 409 page, nothing is saved)."""
    wanted = {}
    for key, value in request.form.items():
        if key.startswith("status-") and key[7:].isdigit() and value in ACTION_STATUSES:
            wanted[int(key[7:])] = value
    actions = queries.load_actions(g.site.id, list(wanted)) if wanted else []
    changed = [a for a in actions if a.status != wanted[a.id]]
    for action in changed:
        version = optional_int(request.form.get(f"version-{action.id}"))
        check_version(version, action.version, _stale(action, wanted[action.id]))
    try:
        for action in changed:
            details = ActionDetails(
                description=action.description,
                owner_id=action.owner_id,
                due_date=action.due_date,
                task_id=action.task_id,
                status=wanted[action.id],
            )
            update_action(action, details, today())
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("sites.meetings.actions"))
    db.session.commit()
    count = len(changed)
    flash(f"Saved {count} change{'' if count == 1 else 's'}." if count else "Nothing changed.")
    status, owner = request.args.get("status"), request.args.get("owner")
    args = {k: v for k, v in (("status", status), ("owner", owner)) if v is not None}
    return redirect(url_for("sites.meetings.actions", **args))


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit_action(action_id: int):
    action = get_for_site_or_404(Action, action_id, *queries.ACTION_PAGE)
    form = ActionForm(obj=action if request.method == "GET" else None)
    form.set_choices(*queries.people_and_tasks(g.site.id))
    if form.validate_on_submit():
        check_version(form.version.data, action.version, _stale(action, form.status.data))
        try:
            update_action(action, form.details(), today())
        except ServiceError as error:
            db.session.rollback()
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Action saved.")
            return redirect(url_for("sites.meetings.actions"))
    return render_template("meetings/action_form.html", form=form, action=action), form_status(form)
