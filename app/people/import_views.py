"""Importing people: upload, then a preview where columns are mapped, then confirm."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.core import pending_uploads as pending
from app.core.access import require_site_role
from app.extensions import db
from app.people import bp
from app.people.export import COLUMNS
from app.people.forms import ImportConfirmForm, ImportUploadForm
from app.people.imports import (
    FIELD_LABELS,
    ImportProblem,
    apply_import,
    guess_mapping,
    plan_import,
    read_table,
)

PREVIEW_ROWS = 100


def _preview(
    token: str, filename: str, headers: list, rows: list, mapping: list[str], status: int = 200
):  # noqa: ANN202
    plan = plan_import(g.site, headers, rows, mapping)
    form = ImportConfirmForm(formdata=None, token=token)
    return render_template(
        "people/import_preview.html",
        form=form,
        filename=filename,
        headers=headers,
        mapping=mapping,
        samples=[row for _n, row in rows[:3]],
        plan=plan,
        shown=plan.rows[:PREVIEW_ROWS],
        field_choices=[("", "Do not import"), *COLUMNS],
        field_labels=FIELD_LABELS,
    ), (422 if plan.errors and status == 422 else status)


def _upload_again(error: str, status: int):  # noqa: ANN202
    return render_template("people/import.html", form=ImportUploadForm(), error=error), status


@bp.route("/people/import", methods=["GET", "POST"])
def import_upload():
    require_site_role("editor")
    form = ImportUploadForm()
    error = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            error = "Choose a CSV or Excel file to import."
        else:
            filename, content = upload.filename[:100], upload.read()
            try:
                headers, rows = read_table(filename, content)
            except ImportProblem as problem:
                error = str(problem)
            else:
                token = pending.keep_upload("people", g.site.id, current_user.id, filename, content)
                db.session.commit()
                return _preview(token, filename, headers, rows, guess_mapping(headers))
    status = 422 if (error or form.errors) else 200
    return render_template("people/import.html", form=form, error=error), status


@bp.post("/people/import/confirm")
def import_confirm():
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("sites.people.import_upload"))
    try:
        upload = pending.waiting_upload("people", g.site.id, current_user.id, form.token.data)
        headers, rows = read_table(upload.filename, upload.content)
    except pending.UploadNotUsable as error:
        return _upload_again(error.message, error.status)
    except ImportProblem as problem:  # read once already; only a changed reader fails here
        return _upload_again(str(problem), 422)
    filename = upload.filename
    mapping = [request.form.get(f"map-{i}", "") for i in range(len(headers))]
    mapping = [m if m in FIELD_LABELS else "" for m in mapping]
    if request.form.get("action") != "import":
        return _preview(upload.token, filename, headers, rows, mapping)
    plan = plan_import(g.site, headers, rows, mapping)
    if plan.errors:
        return _preview(upload.token, filename, headers, rows, mapping, status=422)
    try:
        pending.mark_confirmed(upload)
    except pending.UploadNotUsable as error:
        db.session.rollback()
        return _upload_again(error.message, error.status)
    counts = apply_import(g.site, plan, filename)
    db.session.commit()
    flash(
        f"Import finished: {counts['added']} added, {counts['updated']} updated, "
        f"{plan.count('same')} already up to date."
    )
    return redirect(url_for("sites.people.index"))
