"""Thin routes: the documents page, the PID download, agreement, the steering-group report."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.access import require_site_role, sponsor_required
from app.core.dates import today, uk_date
from app.core.downloads import download
from app.core.errors import ServiceError, StaleEdit, apply_form_errors, check_version
from app.core.forms import ConfirmForm
from app.core.web import form_status
from app.documents import bp, pid, report, service
from app.documents.fingerprint import content_fingerprint, load_agreed_content
from app.documents.forms import AgreeForm, DeclineForm, NarrativeForm, ReportPeriodForm
from app.documents.models import NARRATIVE_FIELDS
from app.documents.queries import SiteFacts, site_facts
from app.documents.report_docx import decision_text, report_bytes
from app.extensions import db


def _page(
    form: NarrativeForm,
    agree_form: AgreeForm,
    values: dict[str, str],
    facts: SiteFacts,
    status: int = 200,
    decline_form: DeclineForm | None = None,
):  # noqa: ANN202
    content = pid.load_pid(g.site, today(), facts)
    pages = service.estimated_pages(
        g.site.id, today(), facts.latest_change, lambda: pid.estimate_pages(pid.build_pid(content))
    )
    check = service.plain_english(values, pages)
    return render_template(
        "documents/index.html",
        form=form,
        agree_form=agree_form,
        content=content,
        check=check,
        narrative_fields=NARRATIVE_FIELDS,
        agreed_line=pid.agreed_line,
        changed_warning=pid.changed_warning,
        asked=facts.asked_at,
        asked_by=facts.asked_by,
        ask_form=ConfirmForm(formdata=None),
        decline_form=decline_form or DeclineForm(formdata=None),
    ), status


def _agree_form(content_latest: str | None = None) -> AgreeForm:
    form = AgreeForm(formdata=None)
    form.number.data = pid.next_version_number(content_latest)
    form.agreed_on.data = today()
    return form


@bp.route("", methods=["GET", "POST"])
def index():
    facts = site_facts(g.site.id, today())
    narrative = facts.narrative
    form = NarrativeForm(obj=narrative) if request.method == "GET" else NarrativeForm()
    if request.method == "GET":
        form.version.data = narrative.version if narrative else ""
        values = service.narrative_values(narrative)
    else:
        values = form.values()
    agree_form = _agree_form(facts.versions[0].number if facts.versions else None)
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("action") == "check":
            return _page(form, agree_form, values, facts)
        if narrative is not None:
            check_version(
                form.version.data,
                narrative.version,
                StaleEdit(
                    what="the PID's text",
                    current=[
                        (label, getattr(narrative, name)[:200])
                        for name, label, *_ in NARRATIVE_FIELDS
                    ],  # fmt: skip
                    yours=[
                        (label, (values[name] or "")[:200]) for name, label, *_ in NARRATIVE_FIELDS
                    ],  # fmt: skip
                    back_url=url_for("sites.documents.index"),
                ),
            )
        try:
            service.save_narrative(g.site, narrative, values)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("PID text saved. The plain-English check below reflects it.")
            return redirect(url_for("sites.documents.index") + "#check")
    return _page(form, agree_form, values, facts, form_status(form))


@bp.post("/agree")
@sponsor_required
def agree():
    form = AgreeForm()
    if form.validate_on_submit():
        try:
            fingerprint = content_fingerprint(load_agreed_content(g.site, today()))
            version = service.agree_version(
                g.site, form.number.data, form.agreed_on.data, current_user, today(), fingerprint
            )
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(f"PID {version.number} recorded as agreed on {uk_date(version.agreed_on)}.")
            return redirect(url_for("sites.documents.index"))
    facts = site_facts(g.site.id, today())
    nform = NarrativeForm(obj=facts.narrative, formdata=None)
    nform.version.data = facts.narrative.version if facts.narrative else ""
    return _page(nform, form, service.narrative_values(facts.narrative), facts, 422)


@bp.post("/ask")
def ask():
    """A manager asks the sponsor to agree the PID: an email and an item on their home page."""
    require_site_role("manager")
    if ConfirmForm().validate_on_submit():
        try:
            service.ask_for_agreement(g.site, current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash("The sponsor has been asked to agree the PID.")
    return redirect(url_for("sites.documents.index") + "#agree")


@bp.post("/decline")
@sponsor_required
def decline():
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            service.decline_agreement(g.site, current_user, form.comments.data or "")
        except ServiceError as error:
            db.session.rollback()
            form.comments.errors = [error.message]
        else:
            db.session.commit()
            flash("Your answer has been sent to the team.")
            return redirect(url_for("sites.documents.index") + "#agree")
    facts = site_facts(g.site.id, today())
    nform = NarrativeForm(obj=facts.narrative, formdata=None)
    nform.version.data = facts.narrative.version if facts.narrative else ""
    agree_form = _agree_form(facts.versions[0].number if facts.versions else None)
    values = service.narrative_values(facts.narrative)
    return _page(nform, agree_form, values, facts, 422, decline_form=form)


@bp.get("/pid.docx")
def pid_docx():
    content = pid.load_pid(g.site, today())
    data = pid.pid_bytes(content)
    return download(data, site_name=g.site.name, document="pid", ext="docx")


def _report_since() -> tuple[ReportPeriodForm, object]:
    form = ReportPeriodForm(request.args)
    form.validate()
    return form, (form.since.data if not form.since.errors else None)


@bp.get("/steering-report")
def steering_report():
    form, since = _report_since()
    content = report.load_report(g.site, today(), since)
    status = 422 if form.since.errors else 200
    return render_template(
        "documents/report.html",
        content=content,
        form=form,
        decision_text=decision_text,
    ), status


@bp.get("/steering-report.docx")
def steering_report_docx():
    form, since = _report_since()
    if form.since.errors:
        return redirect(url_for("sites.documents.steering_report", since=request.args["since"]))
    content = report.load_report(g.site, today(), since)
    data = report_bytes(content)
    return download(data, site_name=g.site.name, document="steering-report", ext="docx")
