"""Email pages: your email choices, unsubscribe links, the admins' outbox, a site's settings."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.core.access import public, require_global_role, require_site_role
from app.core.addresses import valid_address
from app.core.errors import ServiceError, apply_form_errors
from app.core.forms import ConfirmForm
from app.core.web import form_status
from app.extensions import csrf, db
from app.notifications import bp, sender, service, site_bp
from app.notifications.forms import PreferenceForm, SiteMailForm
from app.notifications.models import MAIL_CHOICES, OUTBOX_STATUSES, OutboxMessage
from app.notifications.tokens import read_unsubscribe_token


@bp.app_template_filter("emailable")
def emailable(address: str | None) -> bool:
    return valid_address(address) is not None


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def preferences():
    form = PreferenceForm()
    if request.method == "GET":
        form.frequency.data = service.frequency_of(current_user)
        form.gateway_mail.data = service.gateway_mail_on(current_user)
        form.meeting_mail.data = service.meeting_mail_on(current_user.email)
    elif form.validate_on_submit():
        try:
            service.save_preferences(
                current_user, form.frequency.data, form.gateway_mail.data, form.meeting_mail.data
            )
        except ServiceError as error:
            db.session.rollback()
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Your email choices are saved.")
            return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form), form_status(form)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail programs post List-Unsubscribe=One-Click with no form token
@public
def unsubscribe(token: str):
    payload = read_unsubscribe_token(token)
    if payload is None:
        abort(404)
    if request.method == "GET":  # GET never changes anything: the page offers a button
        return render_template(
            "notifications/unsubscribe.html",
            token=token,
            done=None,
            kind=MAIL_CHOICES[payload["s"]],
        )
    stopped = service.unsubscribe(payload)
    if stopped is None:
        abort(404)
    db.session.commit()
    return render_template(
        "notifications/unsubscribe.html", token=token, done=stopped, kind=stopped
    )


@bp.get("/admin/mail")
@login_required
def outbox():
    require_global_role("admin")
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    waiting = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status.in_(("failed", "queued", "sending")))
        .order_by(OutboxMessage.status, OutboxMessage.id.desc())
        .limit(200)
    ).all()
    recent = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == "sent")
        .order_by(OutboxMessage.id.desc())
        .limit(20)
    ).all()
    return render_template(
        "notifications/outbox.html",
        counts=counts,
        statuses=OUTBOX_STATUSES,
        waiting=waiting,
        recent=recent,
        form=ConfirmForm(),
    )


@bp.post("/admin/mail/<int:message_id>/retry")
@login_required
def retry(message_id: int):
    require_global_role("admin")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    if message.status != "failed":
        abort(409)
    sender.retry(message)
    db.session.commit()
    flash("The message will be sent again within a minute.")
    return redirect(url_for("notifications.outbox"))


@site_bp.route("/mail", methods=["GET", "POST"], endpoint="index")
def site_settings():
    form = SiteMailForm()
    if request.method == "POST":
        require_site_role("manager")
        if form.validate_on_submit():
            try:
                service.set_agenda_notice(g.site, form.agenda_notice_days.data)
            except ServiceError as error:
                db.session.rollback()
                apply_form_errors(form, error)
            else:
                db.session.commit()
                flash("Email settings saved.")
                return redirect(url_for("sites.mail.index"))
    else:
        form.agenda_notice_days.data = g.site.agenda_notice_days
    return render_template("notifications/site.html", form=form), form_status(form)
