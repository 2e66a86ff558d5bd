"""Two-factor sign-in: setting it up, giving the second factor, and the gate before it."""

from flask import (
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import bp, sessions, two_factor
from app.accounts.forms import CodeForm
from app.accounts.models import User
from app.core.access import Access, open_before_second_factor
from app.core.errors import ServiceError, apply_form_errors
from app.core.web import form_status, safe_next
from app.extensions import db

PENDING_SECRET = "_pending_totp_secret"


def second_factor_owed(access: Access) -> Response | None:
    """A sign-in step (`app.sites.guard.SIGN_IN_STEPS`): staff who must use two-factor, and
    anyone who turned it on, reach no page but those declared `@open_before_second_factor`
    before they give it."""
    if access.before_second_factor or (request.endpoint or "").endswith("static"):
        return None  # decided by the route: a static file never loads the user
    if not current_user.is_authenticated:
        return None
    record = sessions.current_record()
    if record is None or record.second_factor_at is not None:
        return None  # a calendar-feed link (no session), or the second factor given
    if not two_factor.needs_second_factor(current_user):
        return None
    if current_user.must_change_password and request.endpoint == "accounts.change_password":
        return None  # the other first step; each page would otherwise send on to the other
    wanted = request.full_path if request.method == "GET" else None
    if two_factor.is_enabled(current_user):
        return redirect(url_for("accounts.two_factor_check", next=wanted))
    flash("Your account must use two-factor sign-in. Set it up to carry on.", "error")
    return redirect(url_for("accounts.two_factor"))


def _no_store(html: str, status: int = 200):  # noqa: ANN202
    """Secrets and recovery codes on the page: never kept by the browser or a proxy."""
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/two-factor", methods=["GET", "POST"], endpoint="two_factor")
@login_required
@open_before_second_factor
def two_factor_page():
    user = db.session.get(User, current_user.id)
    if two_factor.is_enabled(user):
        return _manage(user)
    secret = session.get(PENDING_SECRET) or two_factor.new_secret()
    session[PENDING_SECRET] = secret
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.enable(user, secret, form.code.data)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            record = sessions.current_record()
            if record is not None:
                sessions.mark_second_factor(record)
            db.session.commit()
            session.pop(PENDING_SECRET, None)
            return _no_store(
                render_template("accounts/recovery_codes.html", codes=codes, first_time=True)
            )
    uri = two_factor.setup_uri(secret, user.email)
    html = render_template(
        "accounts/two_factor_setup.html",
        form=form,
        qr_code=two_factor.qr_code_data_uri(uri),
        secret=two_factor.grouped(secret),
        required=two_factor.is_required(user),
    )
    return _no_store(html, form_status(form))


def _manage(user: User, failed: tuple[str, CodeForm] | None = None, status: int = 200):  # noqa: ANN202
    """The page for someone with two-factor on; `failed` is a form (by prefix) that came
    back wrong, shown with its errors."""
    forms = {"renew": CodeForm(prefix="renew"), "off": CodeForm(prefix="off")}
    if failed is not None:
        forms[failed[0]] = failed[1]
    html = render_template(
        "accounts/two_factor_manage.html",
        renew_form=forms["renew"],
        off_form=forms["off"],
        since=user.two_factor_since,
        codes_left=two_factor.recovery_codes_left(user),
        required=two_factor.is_required(user),
    )
    return _no_store(html, status)


@bp.post("/account/two-factor/recovery-codes")
@login_required
def new_recovery_codes():
    user = db.session.get(User, current_user.id)
    form = CodeForm(prefix="renew")
    if not two_factor.is_enabled(user):
        return redirect(url_for("accounts.two_factor"))
    if form.validate_on_submit():
        try:
            two_factor.check(user, form.code.data, request.remote_addr)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            codes = two_factor.new_recovery_codes(user)
            db.session.commit()
            return _no_store(
                render_template("accounts/recovery_codes.html", codes=codes, first_time=False)
            )
    return _manage(user, ("renew", form), 422)


@bp.post("/account/two-factor/off")
@login_required
def turn_off_two_factor():
    user = db.session.get(User, current_user.id)
    form = CodeForm(prefix="off")
    if not two_factor.is_enabled(user):
        return redirect(url_for("accounts.two_factor"))
    if form.validate_on_submit():
        try:
            two_factor.disable(user, form.code.data, request.remote_addr)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Two-factor sign-in is off. You sign in with your password alone.")
            return redirect(url_for("accounts.two_factor"))
    return _manage(user, ("off", form), 422)


@bp.route("/account/two-factor/check", methods=["GET", "POST"])
@login_required
@open_before_second_factor
def two_factor_check():
    """The second step of signing in: a code from the app, or a recovery code."""
    user = db.session.get(User, current_user.id)
    record = sessions.current_record()
    after = safe_next(request.args.get("next"), url_for("home.index"))
    if record is None or record.second_factor_at is not None:
        return redirect(after)
    if not two_factor.is_enabled(user):
        return redirect(url_for("accounts.two_factor"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            used = two_factor.check(user, form.code.data, request.remote_addr)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            sessions.mark_second_factor(record)
            db.session.commit()
            if used == "recovery code":
                left = two_factor.recovery_codes_left(user)
                flash(
                    f"You used a recovery code; {left} left. Make new ones from your account "
                    "page if you are running low."
                )
            return redirect(after)
    return render_template("accounts/two_factor_check.html", form=form), form_status(form)
