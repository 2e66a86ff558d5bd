"""Invitation links, and the first sign-in of someone whose password was chosen for them."""

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user

from app.accounts import bp, invitations, sso
from app.accounts.forms import SetPasswordForm
from app.accounts.models import User
from app.core.access import public, require_global_role
from app.core.errors import ServiceError, apply_form_errors
from app.core.forms import ConfirmForm
from app.core.web import form_status
from app.extensions import db


def invitation_page(invitee: User, url: str, back_url: str, back_text: str, note: str = ""):  # noqa: ANN201
    """The page that shows a new invitation link once; never stored by the browser."""
    response = make_response(
        render_template(
            "accounts/invitation_created.html",
            invitee=invitee,
            url=url,
            note=note,
            back_url=back_url,
            back_text=back_text,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    try:
        invitation = invitations.usable_invitation(token)
    except invitations.InvitationProblem as problem:
        return render_template("accounts/invitation_problem.html", message=problem.message), 410
    user = db.session.get(User, invitation.user_id)
    if current_user.is_authenticated and current_user.id != user.id:
        # Whoever is signed in here (the inviter, say) is not the person the link was sent
        # to: they may not choose that person's password in their own session.
        return render_template(
            "accounts/invitation_problem.html",
            message="You are signed in as someone else. This link is for the person it was "
            "emailed to: sign out first if that is you.",
        ), 409
    if not current_app.config["PASSWORD_SIGN_IN"]:
        # Passwords are not used here: the link only says how to sign in, and a password
        # posted to it is refused rather than quietly set.
        return render_template(
            "accounts/invitation_sso.html", invitee=user, sso=sso.is_configured()
        ), (403 if request.method == "POST" else 200)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(token, form.new_password.data)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            login_user(user)
            # The access offered is accepted on the home page (app.sites.offers).
            flash(f"Welcome, {user.name}. Your password is set and you are signed in.")
            return redirect(url_for("home.index"))
    return render_template("accounts/invitation.html", form=form, invitee=user), form_status(form)


@bp.post("/admin/users/<int:user_id>/invitation")
@login_required
def new_invitation(user_id: int):
    """A fresh link for someone who lost theirs or forgot their password (shown once)."""
    require_global_role("admin")
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("accounts.users"))
    _invitation, url = invitations.create_invitation(user, invited_by=current_user)
    db.session.commit()
    return invitation_page(user, url, url_for("accounts.users"), "Back to users")
