"""Two-factor sign-in: who must use it, the gate before it, the code window, recovery codes."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from app.accounts import two_factor
from app.accounts.models import RecoveryCode, User
from app.extensions import db
from tests.conftest import csrf_token, sign_in

STAFF = pytest.mark.app_config(TWO_FACTOR_ROLES="admin,support")
NOW = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)


def _secret_on_page(client) -> str:
    html = client.get("/account/two-factor").get_data(as_text=True)
    return re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")


def _post(client, path: str, code: str, field: str = "code"):
    return client.post(path, data={field: code, "csrf_token": csrf_token(client, path)})


def _set_up(client) -> tuple[str, list[str]]:
    """Turn two-factor on through the page; returns the secret and the recovery codes."""
    secret = _secret_on_page(client)
    response = _post(client, "/account/two-factor", pyotp.TOTP(secret).now())
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.get_data(as_text=True))
    return secret, codes


def _step_code(secret: str, step_offset: int) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(datetime.now(UTC)) + step_offset)


@pytest.mark.parametrize(
    ("setting", "role", "required"),
    [
        ("admin,support", "admin", True),
        ("admin,support", "support", True),
        ("admin,support", None, False),
        ("all", None, True),
        ("", "admin", False),
        (" Admin , support ", "support", True),
    ],
)
def test_who_must_use_two_factor(app, make_user, setting, role, required) -> None:
    app.config["TWO_FACTOR_ROLES"] = setting
    try:
        assert two_factor.is_required(make_user(global_role=role)) is required
    finally:
        app.config["TWO_FACTOR_ROLES"] = ""


@STAFF
def test_staff_reach_no_page_before_their_second_factor(client, site_world) -> None:
    support = site_world["support"]
    sign_in(client, support)
    site = site_world["site"].id
    for path in ("/", "/portfolio", f"/sites/{site}/", f"/sites/{site}/plan", "/account/email"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/account/two-factor"), path
    assert client.get("/account/two-factor").status_code == 200
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/logout").status_code == 200
    # Changes are refused too, not only pages.
    token = csrf_token(client, "/logout")
    response = client.post(f"/portfolio/sites/{site}/follow", data={"csrf_token": token})
    assert response.status_code == 302 and "/account/two-factor" in response.headers["Location"]


@STAFF
def test_members_without_two_factor_are_not_asked(client, site_world) -> None:
    sign_in(client, site_world["editor"])
    assert client.get("/").status_code == 200


@STAFF
def test_setting_it_up_opens_the_pages_and_gives_ten_recovery_codes(client, site_world) -> None:
    sign_in(client, site_world["admin"])
    page = client.get("/account/two-factor")
    assert 'src="data:image/svg+xml' in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    _secret, codes = _set_up(client)
    assert len(codes) == len(set(codes)) == 10
    assert client.get("/admin/users").status_code == 200
    stored = [code.code_hash for code in db.session.query(RecoveryCode)]
    assert len(stored) == 10 and not set(codes) & set(stored)


@STAFF
def test_a_wrong_set_up_code_is_refused_and_the_secret_kept(client, site_world) -> None:
    sign_in(client, site_world["admin"])
    secret = _secret_on_page(client)
    response = _post(client, "/account/two-factor", "000000")
    assert response.status_code == 422
    assert "That code is not right" in response.get_data(as_text=True)
    assert _secret_on_page(client) == secret  # the app already holds it: same key again
    assert db.session.get(User, site_world["admin"].id).totp_secret_sealed is None


@STAFF
def test_the_next_sign_in_asks_for_a_code(app, site_world) -> None:
    first = app.test_client()
    sign_in(first, site_world["support"])
    secret, _codes = _set_up(first)
    later = app.test_client()
    sign_in(later, site_world["support"])
    response = later.get("/portfolio")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/two-factor/check")
    wrong = _post(later, "/account/two-factor/check", "123456")
    assert wrong.status_code == 422
    assert later.get("/portfolio").status_code == 302
    right = _post(later, "/account/two-factor/check?next=/portfolio", _step_code(secret, 1))
    assert right.status_code == 302 and right.headers["Location"] == "/portfolio"
    assert later.get("/portfolio").status_code == 200


def test_codes_one_step_either_side_count_and_two_steps_do_not() -> None:
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(NOW)
    for offset in (-1, 0, 1):
        code = totp.generate_otp(now_step + offset)
        assert two_factor.matching_step(secret, code, NOW) == now_step + offset
    for offset in (-2, 2):
        assert two_factor.matching_step(secret, totp.generate_otp(now_step + offset), NOW) is None
    assert two_factor.matching_step(secret, "12345", NOW) is None
    assert two_factor.matching_step(secret, "abcdef", NOW) is None


@STAFF
def test_a_code_cannot_be_used_twice(app, site_world) -> None:
    first = app.test_client()
    sign_in(first, site_world["support"])
    secret, _codes = _set_up(first)
    code = _step_code(secret, 1)
    second = app.test_client()
    sign_in(second, site_world["support"])
    assert _post(second, "/account/two-factor/check", code).status_code == 302
    third = app.test_client()
    sign_in(third, site_world["support"])
    assert _post(third, "/account/two-factor/check", code).status_code == 422


@STAFF
def test_a_recovery_code_works_once(app, site_world) -> None:
    first = app.test_client()
    sign_in(first, site_world["admin"])
    _secret, codes = _set_up(first)
    second = app.test_client()
    sign_in(second, site_world["admin"])
    used = _post(second, "/account/two-factor/check", codes[3].upper())
    assert used.status_code == 302
    assert "9 left" in second.get("/admin/users").get_data(as_text=True)
    third = app.test_client()
    sign_in(third, site_world["admin"])
    assert _post(third, "/account/two-factor/check", codes[3]).status_code == 422
    assert _post(third, "/account/two-factor/check", codes[4]).status_code == 302


@STAFF
def test_wrong_codes_slow_down(client, site_world, time_machine) -> None:
    time_machine.move_to(NOW, tick=False)
    sign_in(client, site_world["admin"])
    secret, _codes = _set_up(client)
    other = client.application.test_client()
    sign_in(other, site_world["admin"])
    for _ in range(5):
        _post(other, "/account/two-factor/check", "000000")
    right = _post(other, "/account/two-factor/check", _step_code(secret, 0))
    assert right.status_code == 422
    assert "Too many wrong codes" in right.get_data(as_text=True)


@STAFF
def test_staff_cannot_turn_it_off_but_others_can(app, site_world) -> None:
    admin = app.test_client()
    sign_in(admin, site_world["admin"])
    secret, _codes = _set_up(admin)
    page = admin.get("/account/two-factor").get_data(as_text=True)
    assert "cannot be turned off" in page
    refused = _post(admin, "/account/two-factor/off", _step_code(secret, 1), "off-code")
    assert refused.status_code == 422
    assert db.session.get(User, site_world["admin"].id).totp_secret_sealed is not None

    editor = app.test_client()
    sign_in(editor, site_world["editor"])
    secret, _codes = _set_up(editor)
    assert (
        _post(editor, "/account/two-factor/off", _step_code(secret, 1), "off-code").status_code
        == 302
    )
    assert db.session.get(User, site_world["editor"].id).totp_secret_sealed is None


@STAFF
def test_anyone_who_turned_it_on_is_asked_for_it(app, site_world) -> None:
    first = app.test_client()
    sign_in(first, site_world["viewer"])
    _set_up(first)
    later = app.test_client()
    sign_in(later, site_world["viewer"])
    assert later.get(f"/sites/{site_world['site'].id}/").status_code == 302


@STAFF
def test_new_recovery_codes_replace_the_old(client, site_world) -> None:
    sign_in(client, site_world["admin"])
    secret, old = _set_up(client)
    response = _post(
        client, "/account/two-factor/recovery-codes", _step_code(secret, 1), "renew-code"
    )
    assert response.status_code == 200
    new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    other = client.application.test_client()
    sign_in(other, site_world["admin"])
    assert _post(other, "/account/two-factor/check", old[0]).status_code == 422
    assert _post(other, "/account/two-factor/check", new[0]).status_code == 302


def test_timestamps_are_utc(app, make_user) -> None:
    """pyotp reads a naive time as local time: the window is taken around UTC now."""
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret).at(datetime.now(UTC))
    assert two_factor.matching_step(secret, code) is not None
    assert two_factor.matching_step(secret, code, datetime.now(UTC) + timedelta(minutes=5)) is None


@STAFF
def test_a_temporary_password_is_changed_first_then_two_factor_set_up(client, make_user) -> None:
    admin = make_user(global_role="admin")
    admin.must_change_password = True
    db.session.commit()
    sign_in(client, admin)
    seen = []
    location = "/"
    for _ in range(4):  # follow the redirects by hand: they must settle, not loop
        response = client.get(location)
        seen.append(location)
        if response.status_code != 302:
            break
        location = response.headers["Location"]
    assert seen[-1] == "/account/password" and response.status_code == 200
    client.post(
        "/account/password",
        data={
            "current_password": "correct horse battery",
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
            "csrf_token": csrf_token(client, "/account/password"),
        },
    )
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor"


@pytest.mark.app_config(TWO_FACTOR_ROLES="all")
def test_a_calendar_link_still_works_for_someone_who_must_use_two_factor(
    client, site_world
) -> None:
    """A calendar program has no session to give a code in; its link opens only the feed."""
    from app.accounts.feeds import issue_link

    site, viewer = site_world["site"], site_world["viewer"]
    token = issue_link(viewer.id, site.id)
    db.session.commit()
    assert client.get(f"/sites/{site.id}/meetings.ics?token={token}").status_code == 200
    sign_in(client, viewer)
    assert client.get(f"/sites/{site.id}/meetings.ics").status_code == 302  # the session must


def test_the_secret_is_sealed_at_rest_and_a_new_key_falls_back_to_recovery_codes(
    app, site_world
) -> None:
    """A copy of the database alone cannot make codes; a changed key refuses app codes
    (without a 500) and a recovery code still signs the person in."""
    from app.accounts import sealed

    editor = app.test_client()
    sign_in(editor, site_world["editor"])
    secret, codes = _set_up(editor)
    stored = db.session.get(User, site_world["editor"].id).totp_secret_sealed
    assert secret not in stored and secret.lower() not in stored.lower()
    assert sealed.unseal(stored) == secret

    app.config["TOTP_KEY"] = "a different key the database never saw"
    try:
        assert sealed.unseal(stored) is None
        user = db.session.get(User, site_world["editor"].id)
        with pytest.raises(two_factor.ServiceError):
            two_factor.check(user, _step_code(secret, 1))
        assert two_factor.check(user, codes[0]) == "recovery code"
    finally:
        app.config["TOTP_KEY"] = ""
