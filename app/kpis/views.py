"""KPI pages under /sites/<id>/kpis: thin routes over service, imports and charts."""

from __future__ import annotations

import json
from functools import partial

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.core import pending_uploads as pending
from app.core.access import require_site_role
from app.core.cleantext import clean_text
from app.core.dates import today
from app.core.db import select_facts
from app.core.downloads import download
from app.core.errors import StaleEdit
from app.core.forms import ConfirmForm
from app.core.raster import PngUnavailable, svg_to_png
from app.core.registry import registry
from app.core.web import found_or_404
from app.extensions import db
from app.kpis import bp, queries, service
from app.kpis.charts import mini_run_chart, run_chart_svg
from app.kpis.export import export_workbook
from app.kpis.forms import KpiGridForm, KpiImportForm, KpiTargetsForm
from app.kpis.imports import FileUnreadable, read_rows
from app.kpis.periods import Period, parse_period, recent_months
from app.kpis.service import Problem, ValueRow, ValuesRejected
from app.toolkit import get_toolkit
from app.toolkit.models import fls_db_covers


@bp.get("/kpis")
def index():
    series = queries.all_series(g.site.id)
    rows = [queries.summary_row(s) for s in series]
    minis = {
        s.kpi.number: mini_run_chart(
            s.labels,
            s.percents,
            chart_id=f"kpi-mini-{s.kpi.number}",
            name=s.kpi.short_name,
            median=s.run.median,
        )
        for s in series
        if len(s.values) >= 2
    }
    return render_template(
        "kpis/index.html",
        rows=rows,
        minis=minis,
        periods=queries.recorded_periods(series),
        national=fls_db_covers(g.site.nation),
    )


def _chart(series: queries.KpiSeries, view: str, **size) -> str:
    return run_chart_svg(
        series.labels,
        series.percents,
        title=f"{series.kpi.label}: {'XmR chart' if view == 'xmr' else 'run chart'}, {g.site.name}",
        target=series.target,
        target_label=series.target_label,
        higher_is_better=series.kpi.higher_is_better,
        view=view,
        chart_id=f"kpi-{series.kpi.number}-{view}",
        **size,
    )


def _view_arg(series: queries.KpiSeries) -> str:
    view = request.args.get("view", "run")
    return "xmr" if view == "xmr" and series.xmr is not None else "run"


@bp.get("/kpis/<int:number>")
def detail(number: int):
    found_or_404(get_toolkit().kpi, number)
    series = queries.kpi_series(g.site.id, number)
    view = _view_arg(series)
    return render_template(
        "kpis/detail.html",
        series=series,
        row=queries.summary_row(series),
        view=view,
        fls_db_covers=fls_db_covers,
        chart=_chart(series, view) if series.values else None,
        signals=series.signals_in_words(view),
    )


@bp.get("/kpis/<int:number>.svg")
def chart_svg(number: int):
    found_or_404(get_toolkit().kpi, number)
    series = queries.kpi_series(g.site.id, number)
    svg = _chart(series, _view_arg(series))
    svg = clean_text(svg)  # XML: no control characters from a title or site name
    return download(svg, site_name=g.site.name, document=f"kpi-{number}", ext="svg")


@bp.get("/kpis/<int:number>.png")
def chart_png(number: int):
    found_or_404(get_toolkit().kpi, number)
    series = queries.kpi_series(g.site.id, number)
    try:
        png = svg_to_png(str(_chart(series, _view_arg(series))))
    except PngUnavailable as error:
        abort(503, str(error))
    return download(png, site_name=g.site.name, document=f"kpi-{number}", ext="png")


@bp.get("/kpis.xlsx")
def export_xlsx():
    # Other features' sheets (the delivery table): their facts in one SELECT between them.
    added = registry().kpi_workbook_sheets
    facts = {name: q for declare, _add in added for name, q in declare(g.site.id).items()}
    values, day = select_facts(facts), today()
    extra = [partial(add, values=values, today=day) for _declare, add in added]
    data = export_workbook(queries.all_series(g.site.id), g.site.name, extra)
    return download(data, site_name=g.site.name, document="kpis", ext="xlsx")


def _apply_problems(form, problems: list[Problem]) -> None:  # noqa: ANN001
    for problem in problems:
        target = getattr(form, problem.field, None) if problem.field else None
        if target is not None:
            target.errors = [*list(target.errors), problem.message]
        else:
            form.form_errors.append(problem.message)


def _check_versions(form, period: Period) -> None:  # noqa: ANN001
    """Editing a period that someone changed since the grid was opened is a 409."""
    try:
        submitted = {int(k): int(v) for k, v in json.loads(form.versions.data or "{}").items()}
    except (ValueError, AttributeError, TypeError, OverflowError):
        abort(400, "The form was damaged in transit. Reload the page and enter the values again.")
    if not submitted:
        return
    current = service.values_in_period(g.site, period)
    changed = [
        n for n, version in submitted.items() if n in current and current[n].version != version
    ]
    if changed:
        raise StaleEdit(
            what=f"the KPI values for {period.label}",
            current=[
                (f"KPI {n}", f"{current[n].numerator} of {current[n].denominator}") for n in changed
            ],
            yours=[
                (f"KPI {n}", f"{form[f'num_{n}'].data} of {form[f'den_{n}'].data}") for n in changed
            ],
            back_url=url_for("sites.kpis.enter", period=period.key),
        )


@bp.route("/kpis/enter", methods=["GET", "POST"])
def enter():
    require_site_role("editor")
    form = KpiGridForm()
    existing: dict = {}
    status = 200
    if request.method == "GET" and request.args.get("period"):
        period = found_or_404(parse_period, request.args["period"])
        existing = service.values_in_period(g.site, period)
        form.period.data = period.key
        for number, value in existing.items():
            form[f"num_{number}"].data = str(value.numerator)
            form[f"den_{number}"].data = str(value.denominator)
        form.versions.data = json.dumps({n: v.version for n, v in existing.items()})
        form.replace.data = bool(existing)
    if form.validate_on_submit():
        counts = form.counts()
        period = None
        try:
            period = parse_period(form.period.data)
        except ValueError as error:
            form.period.errors = [*form.period.errors, str(error)]
        if period and not form.errors:
            _check_versions(form, period)
            rows = [
                ValueRow(n, period, num, den, field_prefix=str(n))
                for n, (num, den) in counts.items()
            ]
            try:
                created, replaced = service.save_values(
                    g.site, rows, replace=form.replace.data, today=today()
                )
            except ValuesRejected as error:
                _apply_problems(form, error.problems)
                status = 409 if error.only_duplicates else 422
            else:
                db.session.commit()
                flash(f"{period.label}: {created} values added, {replaced} replaced.")
                return redirect(url_for("sites.kpis.index"))
        else:
            status = 422
    elif form.is_submitted():
        form.counts()
        status = 422
    return render_template(
        "kpis/enter.html",
        form=form,
        kpis=get_toolkit().kpis,
        months=recent_months(today(), 13),
        duplicate=status == 409,
    ), status


@bp.route("/kpis/import", methods=["GET", "POST"])
def import_values():
    require_site_role("editor")
    form = KpiImportForm()
    problems: list[Problem] = []
    token: str | None = None  # a file waiting for the person to confirm replacing values
    status = 200
    if form.validate_on_submit():
        upload = None
        try:
            if form.upload_token.data:  # replacing: the file read before, kept on the server
                upload = pending.waiting_upload(
                    "kpis", g.site.id, current_user.id, form.upload_token.data
                )
                filename, data = upload.filename, upload.content
            elif form.file.data and form.file.data.filename:
                filename, data = form.file.data.filename[:100], form.file.data.read()
            else:
                raise FileUnreadable("Choose a CSV or Excel (.xlsx) file to upload.")
            rows, problems = read_rows(filename, data)
        except pending.UploadNotUsable as error:
            problems = [Problem(error.message, field="file")]
            return _import_page(form, problems, None), error.status
        except FileUnreadable as error:
            problems = [Problem(str(error), field="file")]
            rows = []
        if problems:  # check the readable rows too, so every problem is listed at once
            problems += service.check_rows(g.site, rows, replace=form.replace.data, today=today())
        else:
            try:
                if upload is not None:
                    pending.mark_confirmed(upload)
                created, replaced = service.save_values(
                    g.site, rows, replace=form.replace.data, today=today()
                )
            except pending.UploadNotUsable as error:
                db.session.rollback()
                return _import_page(
                    form, [Problem(error.message, field="file")], None
                ), error.status
            except ValuesRejected as error:
                db.session.rollback()
                problems = error.problems
                if error.only_duplicates:
                    token = pending.keep_upload("kpis", g.site.id, current_user.id, filename, data)
                    db.session.commit()
            else:
                db.session.commit()
                flash(f"Imported {len(rows)} rows: {created} values added, {replaced} replaced.")
                return redirect(url_for("sites.kpis.index"))
        status = 409 if token else 422
    return _import_page(form, problems, token), status


def _import_page(form: KpiImportForm, problems: list[Problem], token: str | None) -> str:
    return render_template("kpis/import.html", form=form, problems=problems, pending=token)


def _check_target_versions(submitted_text: str | None, current: dict[int, float]) -> None:
    """The targets as a whole carry the versions they were opened at: any change since is 409."""
    try:
        submitted = json.loads(submitted_text or "{}")
        submitted = {int(k): int(v) for k, v in submitted.items()}
    except (ValueError, AttributeError, TypeError, OverflowError):
        abort(400, "The form was damaged in transit. Reload the page and enter the targets again.")
    if submitted != service.target_versions(g.site.id):
        raise StaleEdit(
            what="the KPI targets",
            current=[(f"KPI {n}", f"{t:g}%") for n, t in sorted(current.items())],
            yours=[
                (f"KPI {kpi.number}", request.form.get(f"target_{kpi.number}", ""))
                for kpi in get_toolkit().kpis
                if request.form.get(f"target_{kpi.number}")
            ],
            back_url=url_for("sites.kpis.targets"),
        )


@bp.route("/kpis/targets", methods=["GET", "POST"])
def targets():
    require_site_role("editor")
    form = KpiTargetsForm()
    current = service.targets_for(g.site.id)
    if request.method == "GET":
        for number, target in current.items():
            form[f"target_{number}"].data = f"{target:g}"
        form.versions.data = json.dumps(service.target_versions(g.site.id))
    status = 200
    if form.validate_on_submit():
        _check_target_versions(form.versions.data, current)
        chosen: dict[int, float | None] = {}
        for kpi in get_toolkit().kpis:
            box = form[f"target_{kpi.number}"]
            text = (box.data or "").strip().rstrip("%").strip()
            try:
                chosen[kpi.number] = float(text) if text else None
            except ValueError:
                box.errors = [*box.errors, f"KPI {kpi.number}: enter a percentage such as 80."]
                continue
            if chosen[kpi.number] is not None and not 0 <= chosen[kpi.number] <= 100:
                box.errors = [*box.errors, f"KPI {kpi.number}: enter a percentage from 0 to 100."]
        if not form.errors:
            service.set_targets(g.site, chosen)
            db.session.commit()
            flash("Targets saved.")
            return redirect(url_for("sites.kpis.index"))
        status = 422
    return render_template("kpis/targets.html", form=form, kpis=get_toolkit().kpis), status


@bp.route("/kpis/periods/<period_key>/delete", methods=["GET", "POST"])
def delete_period(period_key: str):
    require_site_role("editor")
    period = found_or_404(parse_period, period_key)
    values = service.values_in_period(g.site, period)
    if not values:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        removed = service.delete_period(g.site, period)
        db.session.commit()
        flash(f"{period.label}: {removed} values deleted.")
        return redirect(url_for("sites.kpis.index"))
    return render_template(
        "kpis/delete.html",
        form=form,
        period=period,
        values=sorted(values.values(), key=lambda v: v.kpi_number),
    )
