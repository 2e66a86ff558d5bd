import secrets

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select

from app.accounts import bp, invitations, service, sessions, sso, two_factor
from app.accounts.forms import ChangePasswordForm, LoginForm, UserForm
from app.accounts.invitation_views import invitation_page
from app.accounts.models import ExternalIdentity, User
from app.core.access import (
    open_before_password_change,
    open_before_second_factor,
    public,
    require_global_role,
)
from app.core.audit import record_event
from app.core.dates import uk_datetime
from app.core.errors import ServiceError, StaleEdit, apply_form_errors, check_version
from app.core.forms import ConfirmForm
from app.core.web import safe_next
from app.extensions import db


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    status = 200
    passwords = current_app.config["PASSWORD_SIGN_IN"]
    if not passwords and request.method == "POST":
        form.form_errors.append("Sign in with your NHS account: passwords are not used here.")
        status = 403
    elif form.validate_on_submit():
        try:
            user = service.authenticate(
                form.email.data, form.password.data, address=request.remote_addr
            )
        except service.LoginRefused as refused:
            form.form_errors.append(refused.message)
            status = 429 if refused.locked else 200
        else:
            sessions.sign_in(user, "password")
            return redirect(safe_next(request.args.get("next"), url_for("home.index")))
    elif form.is_submitted():
        status = 422
    return render_template(
        "accounts/login.html", form=form, passwords=passwords, sso=sso.is_configured()
    ), status


@bp.route("/logout", methods=["GET", "POST"])
@public
@open_before_password_change
@open_before_second_factor
def logout():
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login"))
        return render_template("accounts/logout.html", form=ConfirmForm())
    if current_user.is_authenticated:
        user = db.session.get(User, current_user.id)
        record = sessions.current_record()
        if record is not None:
            # Only this browser: the account page ends the others.
            sessions.end_session(user, record.id)
        else:
            service.end_sessions(user)
        record_event("logout", user_id=user.id)
        db.session.commit()
        logout_user()
    flash("You have signed out.")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@open_before_password_change
def change_password():
    form = ChangePasswordForm()
    record = sessions.current_record()
    if form.validate_on_submit():
        try:
            service.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            # A fresh session for this browser, keeping how it signed in; all others end.
            sessions.sign_in(
                db.session.get(User, current_user.id),
                record.method if record else "password",
                second_factor=bool(record and record.second_factor_at),
            )
            flash("Your password has been changed. Other devices have been signed out.")
            return redirect(url_for("home.index"))
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("accounts/password.html", form=form), status


@bp.route("/admin/users")
@login_required
def users():
    require_global_role("admin")
    people = db.session.scalars(select(User).order_by(User.name)).all()
    linked = set(db.session.scalars(select(ExternalIdentity.user_id).distinct()))
    return render_template(
        "accounts/users.html",
        users=people,
        form=ConfirmForm(),
        linked=linked,
        two_factor_required=two_factor.is_required,
    )


@bp.route("/admin/users/new", methods=["GET", "POST"])
@login_required
def new_user():
    require_global_role("admin")
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = service.create_user(
                form.email.data,
                form.name.data,
                # No password typed: nobody knows this one; the invitation link replaces it.
                form.password.data or secrets.token_urlsafe(32),
                form.global_role.data or None,
                must_change_password=bool(form.password.data),
            )
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            if not form.password.data:
                _invitation, url = invitations.create_invitation(user, invited_by=current_user)
                db.session.commit()
                return invitation_page(
                    user,
                    url,
                    url_for("accounts.users"),
                    "Back to users",
                    note=f"User {user.name} created. Give them a role on a site next.",
                )
            db.session.commit()
            flash(
                f"User {form.name.data} created. They must change the temporary password "
                "when they first sign in. Give them a role on a site next."
            )
            return redirect(url_for("accounts.users"))
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("accounts/user_new.html", form=form), status


@bp.post("/admin/users/<int:user_id>/active")
@login_required
def set_active(user_id: int):
    require_global_role("admin")
    form = ConfirmForm()
    user = db.get_or_404(User, user_id)
    if not form.validate_on_submit():
        return redirect(url_for("accounts.users"))
    activate = request.form.get("active") == "1"
    # Another administrator (or the person signing in) may have changed the account since
    # this page was opened: show what it is now rather than act on what it was.
    check_version(
        request.form.get("version"),
        user.version,
        StaleEdit(
            what=f"{user.name}'s account",
            current=[
                ("Status", _status_word(user.active)),
                ("Global role", user.global_role_name),
                ("Last signed in", uk_datetime(user.last_login_at, "Never")),
            ],
            yours=[("Status", _status_word(activate))],
            back_url=url_for("accounts.users"),
        ),
    )
    if user.id == current_user.id and not activate:
        flash("You cannot deactivate your own account.", "error")
        return redirect(url_for("accounts.users"))
    service.set_active(user, activate)
    db.session.commit()
    flash(f"{user.name} is now {'active' if activate else 'deactivated and signed out'}.")
    return redirect(url_for("accounts.users"))


def _status_word(active: bool) -> str:
    return "Active" if active else "Deactivated"
