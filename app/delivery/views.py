"""The delivery page under /sites/<id>/delivery and its recovery plan: thin routes over
queries, service and recovery."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for

from app.core.access import require_site_role
from app.core.dates import today
from app.core.errors import ServiceError, apply_form_errors
from app.core.web import form_status
from app.delivery import bp, queries, recovery, service
from app.delivery.chart import delivery_chart
from app.delivery.forms import RecoveryForm
from app.delivery.promises import MEASURES
from app.extensions import db
from app.risks import service as risks_service


def _deliveries() -> tuple[list, list[service.Delivery]]:
    promises = queries.latest_promise(g.site.id)
    since = service.first_start(promises)
    counts = queries.kpi_counts(g.site.id, service.measured_kpis(promises), since) if since else []
    return promises, service.deliveries(promises, counts, today())


@bp.get("/delivery")
def index():
    promises, rows = _deliveries()
    charts = {row.key: delivery_chart(row) for row in rows if row.quarters}
    return render_template(
        "delivery/index.html",
        rows=rows,
        charts=charts,
        plans=recovery.recovery_plans(g.site.id) if promises else {},
        agreed_on=promises[0].agreed_on if promises else None,
        any_data=any(row.with_data for row in rows),
    )


@bp.route("/delivery/recovery/<measure>", methods=["GET", "POST"])
def recover(measure: str):
    require_site_role("editor")
    if measure not in MEASURES:
        abort(404)
    _promises, rows = _deliveries()
    delivery = next((row for row in rows if row.key == measure), None)
    if delivery is None:
        abort(404)
    form = RecoveryForm().setup(risks_service.owner_choices(g.site.id))
    context = {"delivery": delivery, "form": form, "title": recovery.title_for(delivery), "gap": ""}
    if not delivery.missed_running:
        return render_template("delivery/recovery.html", **context, not_missed=True), 409
    context["gap"] = recovery.gap_words(delivery)
    if form.validate_on_submit():
        try:
            entry = recovery.raise_recovery(g.site, delivery, form.owner_id.data, form.action.data)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(f"Recovery plan raised in the RAID log as an issue owned by {entry.owner.name}.")
            return redirect(url_for("sites.risks.show", entry_id=entry.id))
    return render_template("delivery/recovery.html", **context, not_missed=False), form_status(form)
