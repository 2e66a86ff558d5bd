"""Forgotten passwords: ask for a link by email, then choose a new password with it."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from app.accounts import bp, resets
from app.accounts.forms import ResetRequestForm, SetPasswordForm
from app.core.access import public
from app.core.errors import ServiceError, apply_form_errors
from app.core.web import form_status
from app.extensions import db


@bp.before_request
def no_resets_without_passwords():
    """With password sign-in turned off there is no password to reset."""
    if (
        request.endpoint in ("accounts.request_password_reset", "accounts.reset_password")
        and not current_app.config["PASSWORD_SIGN_IN"]
    ):
        abort(404)


@bp.route("/password-reset", methods=["GET", "POST"])
@public
def request_password_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            resets.request_reset(form.email.data, address=request.remote_addr)
        except resets.ResetThrottled as throttled:
            form.form_errors.append(throttled.message)
            return render_template("accounts/reset_request.html", form=form), 429
        db.session.commit()
        # The same page whether or not the address has an account: nobody learns who does.
        return render_template(
            "accounts/reset_sent.html", minutes=resets.reset_minutes(), email=form.email.data
        )
    return render_template("accounts/reset_request.html", form=form), form_status(form)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    try:
        resets.usable_reset(token)
    except resets.ResetProblem as problem:
        return render_template("accounts/reset_problem.html", message=problem.message), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            resets.complete_reset(token, form.new_password.data)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Your password has been changed and every session signed out. Sign in with it.")
            return redirect(url_for("accounts.login"))
    response = render_template("accounts/reset_choose.html", form=form)
    return (
        response,
        form_status(form),
        {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
