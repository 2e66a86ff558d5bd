"""Gateway routes: thin; the rules live in service and checks."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.access import require_site_role, sponsor_required
from app.core.downloads import download
from app.core.errors import ServiceError, apply_form_errors
from app.core.forms import ConfirmForm
from app.core.web import found_or_404
from app.extensions import db
from app.gateways import bp, queries, readiness, service
from app.gateways.forms import (
    CriterionForm,
    DecideForm,
    ReopenForm,
)
from app.gateways.models import DECISIONS, GATEWAY_STATUSES, SIGNED
from app.gateways.record import gateway_docx
from app.toolkit import get_toolkit


@bp.get("/gateways")
def index():
    statuses = queries.statuses(g.site)
    found = readiness.summaries(g.site, readiness.PHASES)
    phases = [
        (phase, statuses[phase.number], found[phase.number])
        for phase in get_toolkit().gateway_phases
    ]
    current = queries.current_phase_of(statuses)
    return render_template(
        "gateways/index.html", phases=phases, labels=GATEWAY_STATUSES, current=current
    )


def _exception_reasons(prefix: str) -> dict[str, str]:
    return {
        key[len(prefix) :]: value for key, value in request.form.items() if key.startswith(prefix)
    }


def _show(phase_no: int, status_code: int = 200, **forms):
    phase = found_or_404(get_toolkit().phase, phase_no, within=readiness.PHASES)
    rows = queries.gateways(g.site)
    status = rows[phase_no].status if phase_no in rows else "not_ready"
    previous = rows.get(phase_no - 1)
    previous_signed = phase_no == 1 or (previous is not None and previous.status in SIGNED)
    history = queries.decisions(g.site, phase_no)
    return render_template(
        "gateways/show.html",
        phase=phase,
        status=status,
        labels=GATEWAY_STATUSES,
        decision_labels=DECISIONS,
        readiness=readiness.criteria(g.site, phase_no),
        history=history,
        previous_signed=previous_signed,
        signed=status in SIGNED,
        confirm=ConfirmForm(formdata=None),
        reopen_form=forms.get("reopen_form") or ReopenForm(formdata=None),
        decide_form=forms.get("decide_form") or DecideForm(formdata=None),
        criterion_form=forms.get("criterion_form"),
        criterion_key=forms.get("criterion_key"),
        missing=forms.get("missing", []),
        missing_prefix=forms.get("missing_prefix", "exception-"),
        reasons=forms.get("reasons", {}),
        requested=queries.requested_exceptions_in(history) if status == "review_requested" else {},
        message=forms.get("message"),
    ), status_code


@bp.get("/gateways/<int:phase_no>")
def show(phase_no: int):
    return _show(phase_no)


@bp.post("/gateways/<int:phase_no>/criteria/<key>")
def confirm_criterion(phase_no: int, key: str):
    found_or_404(get_toolkit().phase, phase_no, within=readiness.PHASES)
    form = CriterionForm()
    if form.validate_on_submit():
        try:
            service.confirm_criterion(
                g.site, phase_no, key, form.state.data, form.note.data,
                form.evidence_url.data, current_user, version=form.version.data,
            )  # fmt: skip
        except ServiceError as error:
            db.session.rollback()
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Criterion updated.")
            return redirect(url_for("sites.gateways.show", phase_no=phase_no) + f"#c-{key}")
    return _show(phase_no, 422, criterion_form=form, criterion_key=key)


@bp.post("/gateways/<int:phase_no>/request-review")
def request_review(phase_no: int):
    require_site_role("manager")
    found_or_404(get_toolkit().phase, phase_no, within=readiness.PHASES)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    reasons = _exception_reasons("request-exception-")
    try:
        service.request_review(g.site, phase_no, current_user, reasons)
    except ServiceError as error:
        db.session.rollback()
        return _show(
            phase_no, 422, message=error.message, missing=getattr(error, "missing", []),
            reasons=reasons, missing_prefix="request-exception-",
        )  # fmt: skip
    db.session.commit()
    flash("Review requested. The sponsor can now sign off or send it back.")
    return redirect(url_for("sites.gateways.show", phase_no=phase_no))


@bp.post("/gateways/<int:phase_no>/decision")
@sponsor_required
def decide(phase_no: int):
    """The sponsor's one form: sign off (conditions typed once) or send back."""
    found_or_404(get_toolkit().phase, phase_no, within=readiness.PHASES)
    form = DecideForm()
    if form.validate_on_submit():
        conditions = form.conditions.data or ""
        try:
            if form.decision.data == "sign_off":
                service.sign_off(g.site, phase_no, current_user, conditions, conditions=conditions)
            else:
                service.send_back(g.site, phase_no, current_user, conditions)
        except ServiceError as error:
            db.session.rollback()
            form.conditions.errors = [error.message]
        else:
            db.session.commit()
            done = "signed off" if form.decision.data == "sign_off" else "sent back to the team"
            flash(f"{get_toolkit().phase(phase_no).label} {done}.")
            return redirect(url_for("sites.gateways.show", phase_no=phase_no))
    return _show(phase_no, 422, decide_form=form)


@bp.post("/gateways/<int:phase_no>/reopen")
@sponsor_required
def reopen(phase_no: int):
    found_or_404(get_toolkit().phase, phase_no, within=readiness.PHASES)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            service.reopen(g.site, phase_no, current_user, form.comments.data or "")
        except ServiceError as error:
            db.session.rollback()
            error.field = "comments" if error.field == "reason" else error.field
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Gateway reopened.")
            return redirect(url_for("sites.gateways.show", phase_no=phase_no))
    return _show(phase_no, 422, reopen_form=form)


@bp.get("/gateways/<int:phase_no>/record")
def record(phase_no: int):
    phase = found_or_404(get_toolkit().phase, phase_no, within=readiness.PHASES)
    gateway = queries.gateway_for(g.site, phase_no)
    return render_template(
        "gateways/record.html",
        phase=phase,
        status=gateway.status if gateway else "not_ready",
        labels=GATEWAY_STATUSES,
        decision_labels=DECISIONS,
        readiness=readiness.criteria(g.site, phase_no),
        history=queries.decisions(g.site, phase_no),
    )


@bp.get("/gateways/gateway-<int:phase_no>.docx")
def record_docx(phase_no: int):
    phase = found_or_404(get_toolkit().phase, phase_no, within=readiness.PHASES)
    gateway = queries.gateway_for(g.site, phase_no)
    data = gateway_docx(
        g.site,
        phase,
        gateway.status if gateway else "not_ready",
        readiness.criteria(g.site, phase_no),
        queries.decisions(g.site, phase_no),
    )
    return download(data, site_name=g.site.name, document=f"gateway-{phase_no}", ext="docx")
