"""Importing people: upload, then a preview where columns are mapped, then confirm."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

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
    make_token,
    plan_import,
    read_table,
    read_token,
)

PREVIEW_ROWS = 100


def _preview(filename: str, headers: list, rows: list, mapping: list[str], status: int = 200):  # noqa: ANN202
    plan = plan_import(g.site, headers, rows, mapping)
    token = make_token(g.site.id, current_user.id, filename, headers, rows)
    form = ImportConfirmForm(token=token)
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
            try:
                headers, rows = read_table(upload.filename, upload.read())
            except ImportProblem as problem:
                error = str(problem)
            else:
                return _preview(upload.filename[:100], headers, rows, guess_mapping(headers))
    status = 422 if (error or form.errors) else 200
    return render_template("people/import.html", form=form, error=error), status


@bp.post("/people/import/confirm")
def import_confirm():
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("sites.people.import_upload"))
    try:
        filename, headers, rows = read_token(form.token.data, g.site.id, current_user.id)
    except ImportProblem as problem:
        flash(str(problem), "error")
        return redirect(url_for("sites.people.import_upload"))
    mapping = [request.form.get(f"map-{i}", "") for i in range(len(headers))]
    mapping = [m if m in FIELD_LABELS else "" for m in mapping]
    if request.form.get("action") != "import":
        return _preview(filename, headers, rows, mapping)
    plan = plan_import(g.site, headers, rows, mapping)
    if plan.errors:
        return _preview(filename, headers, rows, mapping, status=422)
    counts = apply_import(g.site, plan, filename)
    db.session.commit()
    flash(
        f"Import finished: {counts['added']} added, {counts['updated']} updated, "
        f"{plan.count('same')} already up to date."
    )
    return redirect(url_for("sites.people.index"))
