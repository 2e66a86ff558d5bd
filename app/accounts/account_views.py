"""The account page (how you sign in, your sessions) and administrators' account actions."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts import bp, resets, service, sessions, two_factor
from app.accounts.models import ExternalIdentity, User
from app.core.access import require_global_role
from app.core.audit import record_event
from app.core.forms import ConfirmForm
from app.extensions import db


@bp.route("/account")
@login_required
def account():
    user = db.session.get(User, current_user.id)
    record = sessions.current_record()
    identities = db.session.scalars(
        select(ExternalIdentity).where(ExternalIdentity.user_id == user.id)
    ).all()
    config = current_app.config
    open_sessions = sessions.open_sessions(
        user, config["SESSION_IDLE_MINUTES"], config["SESSION_ABSOLUTE_HOURS"]
    )
    return render_template(
        "accounts/account.html",
        identities=identities,
        sessions=[
            {
                "id": each.id,
                "device": sessions.device_name(each.user_agent),
                "method": each.method,
                "started": each.created_at,
                "last_seen": each.last_seen_at,
                "this": record is not None and each.id == record.id,
            }
            for each in open_sessions
        ],
        two_factor_on=two_factor.is_enabled(user),
        two_factor_required=two_factor.is_required(user),
        form=ConfirmForm(),
    )


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    if ConfirmForm().validate_on_submit():
        if sessions.end_session(current_user, session_id):
            record_event("session_ended", user_id=current_user.id)
            db.session.commit()
            flash("That session has been signed out.")
        else:
            flash("That session had already ended.", "error")
    return redirect(url_for("accounts.account"))


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    record = sessions.current_record()
    if ConfirmForm().validate_on_submit() and record is not None:
        ended = sessions.end_others(current_user, record.id)
        record_event("sessions_ended", user_id=current_user.id, detail=f"{ended} sessions")
        db.session.commit()
        flash(f"Signed out {ended} other session{'' if ended == 1 else 's'}.")
    return redirect(url_for("accounts.account"))


@bp.post("/admin/users/<int:user_id>/require-reset")
@login_required
def require_reset(user_id: int):
    """The password stops working, every session ends, and a reset link is emailed."""
    require_global_role("admin")
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        if user.id == current_user.id:
            flash("Change your own password from your account page instead.", "error")
            return redirect(url_for("accounts.users"))
        service.require_reset(user)
        resets.issue_reset(user)
        db.session.commit()
        flash(
            f"{user.name} is signed out everywhere and must choose a new password. "
            "A reset link has been emailed to them."
        )
    return redirect(url_for("accounts.users"))


@bp.post("/admin/users/<int:user_id>/reset-two-factor")
@login_required
def reset_two_factor(user_id: int):
    """For someone who lost their phone and their recovery codes: they set it up again."""
    require_global_role("admin")
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and two_factor.is_enabled(user):
        service.reset_two_factor(user)
        db.session.commit()
        flash(f"{user.name}'s two-factor sign-in is cleared; they set it up again next time.")
    return redirect(url_for("accounts.users"))
