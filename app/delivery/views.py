"""The delivery page under /sites/<id>/delivery, its recovery plan and the steering group's
agreement to it: thin routes over queries, service, recovery and agreement."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.core.access import get_for_site_or_404, require_site_role
from app.core.dates import today, uk_date, uk_datetime, utcnow
from app.core.errors import ServiceError, StaleEdit, apply_form_errors, check_version
from app.core.web import form_status
from app.delivery import agreement, bp, queries, recovery, service
from app.delivery.chart import delivery_chart
from app.delivery.forms import AgreementForm, RecoveryForm
from app.delivery.promises import MEASURES
from app.extensions import db
from app.risks import service as risks_service
from app.risks.models import RaidEntry


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
        plans=agreement.recovery_plans(g.site.id, utcnow()) if promises else {},
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


def _stale(entry: RaidEntry, chosen: str) -> StaleEdit:
    return StaleEdit(
        what=f"the recovery plan '{entry.title}'",
        current=[
            ("Agreed at", entry.agreed_meeting.title if entry.agreed_meeting else "Not recorded"),
            ("Action being taken", entry.action or "None recorded"),
            ("Status", entry.status_name),
        ],
        yours=[("Agreed at", chosen)],
        back_url=url_for("sites.delivery.agree", entry_id=entry.id),
        changed_at=uk_datetime(entry.updated_at),
    )


@bp.route("/delivery/plans/<int:entry_id>/agreement", methods=["GET", "POST"])
def agree(entry_id: int):
    """Record that a held steering-group meeting agreed the recovery plan."""
    require_site_role("editor")
    entry = get_for_site_or_404(
        RaidEntry,
        entry_id,
        joinedload(RaidEntry.owner),
        joinedload(RaidEntry.agreed_meeting),
        where=(RaidEntry.starter_key.startswith(recovery.STARTER_PREFIX),),
    )
    now = utcnow()
    meetings = agreement.agreement_meetings(g.site.id, now)
    form = AgreementForm().setup(meetings)
    if request.method == "GET":
        form.version.data = entry.version
        form.meeting_id.data = entry.agreed_meeting_id
    if form.validate_on_submit():
        chosen = dict(meetings).get(form.meeting_id.data, "A meeting not listed")
        check_version(form.version.data, entry.version, _stale(entry, chosen))
        try:
            meeting = agreement.record_agreement(
                g.site, entry, form.meeting_id.data, current_user.id, now
            )
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(
                f"Recorded as agreed at {meeting.title}, {uk_date(meeting.starts_at)}, and added "
                "to that meeting's minutes."
            )
            return redirect(url_for("sites.risks.show", entry_id=entry.id))
    return render_template(
        "delivery/agreement.html", entry=entry, form=form, meetings=meetings
    ), form_status(form)
