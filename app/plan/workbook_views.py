"""Plan routes for the Excel workbook: download the plan, upload it back (with a preview)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.core import pending_uploads as pending
from app.core.access import require_site_role
from app.core.audit import record_event
from app.core.dates import today
from app.core.downloads import download
from app.extensions import db
from app.plan import bp, queries, workbook
from app.plan.forms import ConfirmImportForm, ImportForm


@bp.get("/plan.xlsx")
def export():
    tasks = queries.load_tasks(g.site)
    data = workbook.export_plan(g.site, tasks, today())
    record_event("export", site_id=g.site.id, detail="plan.xlsx")
    db.session.commit()
    return download(data, site_name=g.site.name, document="plan", ext="xlsx")


@bp.route("/plan/import", methods=["GET", "POST"])
def import_plan():
    require_site_role("editor")
    form = ImportForm()
    problems = None
    if form.validate_on_submit():
        upload = request.files.get("workbook")
        data = upload.read() if upload else b""
        if not data:
            form.workbook.errors = ["Choose an Excel workbook (.xlsx) to upload."]
        elif upload.filename and not upload.filename.lower().endswith(".xlsx"):
            form.workbook.errors = ["The file must be an Excel workbook ending in .xlsx."]
        else:
            try:
                preview = workbook.read_workbook(g.site, data, queries.load_tasks(g.site), today())
            except workbook.ImportError_ as error:
                problems = error.problems
                form.workbook.errors = [
                    "Nothing was imported: fix the rows listed below and upload it again."
                    if any(row for row, _ in problems)
                    else problems[0][1]
                ]
            else:
                token = pending.keep_upload("plan", g.site.id, current_user.id, "plan.xlsx", data)
                db.session.commit()
                return render_template(
                    "plan/import_preview.html",
                    preview=preview,
                    form=ConfirmImportForm(formdata=None, token=token),
                )
    status = 422 if form.is_submitted() else 200
    return render_template("plan/import.html", form=form, problems=problems), status


@bp.post("/plan/import/confirm")
def confirm_import():
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        upload = pending.waiting_upload("plan", g.site.id, current_user.id, form.token.data)
        tasks = queries.load_tasks(g.site)
        preview = workbook.read_workbook(g.site, upload.content, tasks, today())
        added, changed = workbook.apply_import(g.site, preview, today())
        pending.mark_confirmed(upload)
    except pending.UploadNotUsable as error:
        db.session.rollback()
        again = ImportForm(formdata=None)
        again.workbook.errors = [error.message]
        return render_template("plan/import.html", form=again, problems=None), error.status
    except workbook.ImportError_ as error:
        db.session.rollback()
        return render_template(
            "plan/import.html", form=ImportForm(formdata=None), problems=error.problems
        ), 422
    db.session.commit()
    flash(f"Imported: {added} tasks added, {changed} changed.")
    return redirect(url_for("sites.plan.index"))
