"""Plan routes: thin; the rules live in service, queries, workbook and rag."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import (
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.core.access import can, get_for_site_or_404, require_site_role
from app.core.dates import today, uk_date
from app.core.errors import ServiceError, StaleEdit, apply_form_errors, check_version
from app.core.forms import ConfirmForm
from app.core.numbers import arg_int
from app.core.web import form_status
from app.extensions import db, htmx
from app.plan import bp, folding, mytasks_bp, queries, rows, service
from app.plan.forms import (
    CommentForm,
    CreatePlanForm,
    InlineTaskForm,
    TaskForm,
)
from app.plan.history import task_history
from app.plan.models import TASK_STATUSES, Task
from app.plan.timeline import build_charts, phase_facts
from app.plan.timeline import load_tasks as load_timeline_tasks
from app.plan.timeline_folds import due_soon, phase_months, task_list
from app.plan.timeline_svg import chart_svg
from app.toolkit import get_toolkit

# The plan table's rows (templates/plan/_rows.html) are drawn in Python: see app/plan/rows.py.
bp.add_app_template_global(rows.plan_row)
bp.add_app_template_global(rows.plan_rows)
bp.add_app_template_global(rows.row_links, "plan_row_links")
bp.add_app_template_global(rows.owner_options, "plan_owner_options")


def _plan_page(create_form: CreatePlanForm | None = None, status: int = 200):
    plan, progress = folding.plan_and_progress(g.site)
    if plan is None:
        # What the site already knows is offered, not asked again.
        form = create_form or CreatePlanForm(
            data={
                "service_kind": "improving" if g.site.service_status == "improving" else "new",
                "start_date": g.site.start_date,
            }
        )
        return render_template("plan/empty.html", form=form), status
    filters = queries.Filters.from_args(request.args)
    # `?edit=<id>` shows that one row as a form: the Edit link's target without JavaScript.
    edit_id = arg_int("edit") if can("editor") else None
    owners = service.owner_choices(g.site)
    tasks = queries.load_plan_tasks(g.site)
    keep = {edit_id} if edit_id else None
    board = queries.build_board(tasks, today(), filters, keep=keep)
    folds = folding.fold(board, progress, today(), filters.active, keep)
    return render_template(
        "plan/index.html",
        plan=plan,
        board=board,
        folds=folds,
        current_phase=get_toolkit().phase(progress.current),
        listed=sum(len(f.listed) for f in folds if f.open),
        filters=filters,
        owners=owners,
        site_rag=queries.site_rag(board),
        statuses=TASK_STATUSES,
        rag_filters=queries.RAG_FILTERS,
        shown=sum(len(p.tasks) for p in board),
        total=len(tasks),
        edit_id=edit_id,
        row_links=rows.row_links(filters.args(), focus_all=False, focus_id=None),
    ), status


def _row_fragment(task_id: int, editing: bool):
    """One task's row for htmx: as a form (Edit) or as text again (Cancel)."""
    task = get_for_site_or_404(Task, task_id, *service.TASK_PAGE)
    return render_template(
        "plan/_row.html",
        view=queries.task_view(task, today()),
        filters=queries.Filters.from_args(request.args),
        owners=service.owner_choices(g.site) if editing else [],
        edit_id=task.id if editing else None,
        focus=True,
    )


@bp.get("/plan")
def index():
    if htmx and arg_int("row") is not None:
        return _row_fragment(arg_int("row"), editing=False)
    if htmx and can("editor") and arg_int("edit") is not None:
        return _row_fragment(arg_int("edit"), editing=True)
    return _plan_page()


@bp.post("/plan")
def create():
    require_site_role("manager")
    form = CreatePlanForm()
    if form.validate_on_submit():
        try:
            service.create_plan(g.site, form.service_kind.data, form.start_date.data)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Plan created from the toolkit's task library. Give each task an owner next.")
            return redirect(url_for("sites.plan.index"))
    return _plan_page(form, 422)


def _stale(task: Task, form: InlineTaskForm) -> StaleEdit:
    owners = dict(service.owner_choices(g.site))

    def shown(status, owner_id, start, due):  # noqa: ANN001, ANN202
        return [
            ("Status", TASK_STATUSES.get(status, status or "")),
            ("Owner", owners.get(owner_id, "No owner")),
            ("Start", uk_date(start, "Not set")),
            ("Due", uk_date(due, "Not set")),
        ]

    return StaleEdit(
        what=f"the task '{task.title}'",
        current=shown(task.status, task.owner_id, task.start_date, task.due_date),
        yours=shown(form.status.data, form.owner_id.data, form.start_date.data, form.due_date.data)
        + ([("Title", form.title.data)] if isinstance(form, TaskForm) else []),
        back_url=url_for("sites.plan.task", task_id=task.id),
        changed_at=f"{uk_date(task.updated_at)}",
    )


def _filters_from(text: str | None) -> queries.Filters:
    return queries.Filters.from_args(MultiDict(parse_qsl(text or "")))


def _phase_fragment(task: Task, form: InlineTaskForm | None = None, status: int = 200):
    """The task's whole phase section: its row and the phase summary change together."""
    filters = _filters_from(request.form.get("filters"))
    tasks = [t for t in queries.load_plan_tasks(g.site) if t.phase == task.phase]
    board = queries.build_board(tasks, today(), filters, keep={task.id})
    _plan, progress = folding.plan_and_progress(g.site)
    folds = folding.fold(board, progress, today(), filters.active, keep={task.id})
    html = render_template(
        "plan/_phase.html",
        fold=next(f for f in folds if f.view.phase.number == task.phase),
        filters=filters,
        owners=service.owner_choices(g.site),
        form=form,
        form_task_id=task.id,
        edit_id=task.id if form is not None else None,
        focus_id=task.id,
        row_links=rows.row_links(filters.args(), focus_all=False, focus_id=task.id),
    )
    return html, status


@bp.post("/tasks/<int:task_id>/inline")
def inline(task_id: int):
    task = get_for_site_or_404(Task, task_id, *service.TASK_PAGE)
    form = InlineTaskForm()
    form.set_owners(service.owner_choices(g.site))
    if form.validate_on_submit():
        # A stale edit is a 409: for htmx, the error handler swaps in the whole 409 page.
        check_version(form.version.data, task.version, _stale(task, form))
        try:
            service.update_task(task, form.changes(), today())
        except ServiceError as error:
            db.session.rollback()
            task = get_for_site_or_404(Task, task_id, *service.TASK_PAGE)
            apply_form_errors(form, error)
        else:
            db.session.commit()
            if htmx:
                return _phase_fragment(task)
            flash(f"Saved '{task.title}'.")
            query = request.form.get("filters") or ""
            return redirect(
                url_for("sites.plan.index") + (f"?{query}" if query else "") + f"#task-{task.id}"
            )
    if htmx:
        return _phase_fragment(task, form, 422)
    return _edit_page(task, form)


def _task_form(task: Task | None, formdata=True) -> TaskForm:  # noqa: ANN001
    form = TaskForm(obj=task) if formdata else TaskForm(formdata=None, obj=task)
    form.set_owners(service.owner_choices(g.site))
    others = db.session.execute(
        select(Task.id, Task.title)
        .where(Task.site_id == g.site.id)
        .order_by(Task.phase, Task.position)
    ).all()
    form.set_predecessors([(tid, title) for tid, title in others if not task or tid != task.id])
    if task is not None and request.method == "GET":
        form.version.data = task.version
        form.reported_rag.data = task.reported_rag or ""
    return form


def _edit_page(task: Task, form: TaskForm | InlineTaskForm, status: int = 422):
    if not isinstance(form, TaskForm):  # a no-JavaScript inline submit that failed
        full = _task_form(task, formdata=False)
        for name in InlineTaskForm.inline_fields:
            getattr(full, name).data = getattr(form, name).data
            getattr(full, name).errors = getattr(form, name).errors
            if hasattr(getattr(form, name), "raw_text"):
                getattr(full, name).raw_text = getattr(form, name).raw_text
        full.version.data = form.version.data
        full.form_errors.extend(form.form_errors)
        form = full
    return render_template("plan/task_form.html", form=form, task=task), status


@bp.route("/tasks/new", methods=["GET", "POST"])
def new_task():
    require_site_role("editor")
    form = _task_form(None)
    if request.method == "GET":
        form.phase.data = arg_int("phase", 1)
    if form.validate_on_submit():
        try:
            task = service.add_task(g.site, form.changes(), today())
        except ServiceError as error:
            db.session.rollback()
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(f"Added '{task.title}'.")
            return redirect(url_for("sites.plan.task", task_id=task.id))
    return render_template("plan/task_form.html", form=form, task=None), form_status(form)


@bp.get("/tasks/<int:task_id>")
def task(task_id: int):
    return _task_page(
        get_for_site_or_404(Task, task_id, *service.TASK_PAGE), CommentForm(formdata=None)
    )


def _task_page(task: Task, comment_form: CommentForm, status: int = 200):
    return render_template(
        "plan/task.html",
        task=task,
        phase_label=get_toolkit().phase(task.phase).label,
        view=queries.task_view(task, today()),
        comments=service.comments_with_authors(task),
        history=task_history(task),
        comment_form=comment_form,
    ), status


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
def edit_task(task_id: int):
    require_site_role("editor")
    task = get_for_site_or_404(Task, task_id, *service.TASK_PAGE)
    form = _task_form(task)
    if form.validate_on_submit():
        check_version(form.version.data, task.version, _stale(task, form))
        try:
            service.update_task(task, form.changes(), today())
        except ServiceError as error:
            db.session.rollback()
            task = get_for_site_or_404(Task, task_id, *service.TASK_PAGE)
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(f"Saved '{task.title}'.")
            return redirect(url_for("sites.plan.task", task_id=task.id))
    return render_template("plan/task_form.html", form=form, task=task), form_status(form)


@bp.post("/tasks/<int:task_id>/move")
def move(task_id: int):
    task = get_for_site_or_404(Task, task_id, *service.TASK_PAGE)
    if ConfirmForm().validate_on_submit() and request.form.get("direction") in ("up", "down"):
        service.move_task(task, request.form["direction"])
        db.session.commit()
    return redirect(url_for("sites.plan.index") + f"#task-{task.id}")


@bp.route("/tasks/<int:task_id>/delete", methods=["GET", "POST"])
def delete_task(task_id: int):
    require_site_role("editor")
    task = get_for_site_or_404(Task, task_id, *service.TASK_PAGE)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        title = task.title
        service.delete_task(task)
        db.session.commit()
        flash(f"Deleted '{title}'. The site's history still shows it.")
        return redirect(url_for("sites.plan.index"))
    return render_template("plan/confirm_delete.html", task=task, form=form)


@bp.post("/tasks/<int:task_id>/comments")
def comment(task_id: int):
    task = get_for_site_or_404(Task, task_id, *service.TASK_PAGE)
    form = CommentForm()
    if form.validate_on_submit():
        service.add_comment(task, form.body.data, current_user)
        db.session.commit()
        flash("Comment added.")
        return redirect(url_for("sites.plan.task", task_id=task.id) + "#comments")
    return _task_page(task, form, 422)


@bp.get("/timeline")
def timeline():
    tasks, progress = load_timeline_tasks(g.site)
    board = queries.build_board(tasks, today())
    facts = phase_facts(board)
    # On a phone: what is late and due soon, then the phases folded as the plan page folds them.
    folds = folding.fold(board, progress, today(), False) if progress else []
    return render_template(
        "plan/timeline.html",
        phases=list(facts.values()),
        charts=build_charts(board, today(), facts),
        chart_svg=chart_svg,
        task_list=task_list,
        due=due_soon(folds, today()),
        phase_months=phase_months(folds),
        phase_labels={p.phase.number: p.phase.label for p in board},
        today_=today(),
    )


@mytasks_bp.get("/my-tasks", endpoint="index")
@login_required
def my_tasks():
    rows = service.my_open_tasks(current_user, today())
    return render_template(
        "plan/my_tasks.html",
        rows=rows,
        rags={task.id: service.rag_of(task, today()) for task, _site in rows},
        statuses=TASK_STATUSES,
    )


from app.plan import workbook_views  # noqa: E402, F401 - the workbook download and upload routes
