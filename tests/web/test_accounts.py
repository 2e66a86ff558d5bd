"""Signing in and out, passwords, throttling and the end of sessions."""

import re

import pytest
from sqlalchemy import select
from sqlalchemy import update as sa_update

from app.accounts.models import User
from app.core.audit import AuditEvent
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, sign_in


def _login(client, email, password):
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client, "/login")},
    )


def test_wrong_password_never_says_which_part_was_wrong(client, make_user) -> None:
    user = make_user()
    wrong_password = _login(client, user.email, "nope-nope-nope")
    unknown_email = _login(client, "nobody@example.nhs.uk", PASSWORD)
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert "Email or password is incorrect." in response.get_data(as_text=True)


def test_failed_logins_are_logged_without_the_password(client, make_user) -> None:
    user = make_user()
    _login(client, user.email, "secret-guess-123")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
    assert len(events) == 1
    assert events[0].user_id == user.id
    stored = " ".join(str(v) for e in events for v in vars(e).values())
    assert "secret-guess-123" not in stored


def _login_from(client, address, email, password):
    token = csrf_token(client, "/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_failures_slow_sign_in_down_with_growing_delays(client, make_user, time_machine) -> None:
    user = make_user()
    time_machine.move_to("2026-11-23 10:00:00+00:00", tick=False)
    for _ in range(5):  # the free allowance: each answered at once
        assert _login_from(client, "10.0.0.1", user.email, "wrong-password-x").status_code == 200
    waits = []
    for _ in range(4):
        refused = _login_from(client, "10.0.0.1", user.email, PASSWORD)
        assert refused.status_code == 429
        waits.append(int(re.search(r"Wait (\d+) seconds?", refused.get_data(as_text=True))[1]))
        time_machine.shift(waits[-1])
        _login_from(client, "10.0.0.1", user.email, "wrong-password-x")
    assert waits == [1, 2, 4, 8]  # doubling, never a fixed lock
    time_machine.shift(16)
    assert _login_from(client, "10.0.0.1", user.email, PASSWORD).status_code == 302


def test_a_stranger_cannot_keep_the_owner_out(client, make_user, time_machine) -> None:
    user = make_user()
    time_machine.move_to("2026-11-23 10:00:00+00:00", tick=False)
    for attempt in range(40):  # a guesser spread over many addresses, every two seconds
        _login_from(client, f"10.9.{attempt}.1", user.email, "wrong-password-x")
        time_machine.shift(2)
    time_machine.shift(30)  # the most the account as a whole is ever slowed down
    owner = _login_from(client, "192.168.1.20", user.email, PASSWORD)
    assert owner.status_code == 302


def test_failed_sign_ins_keep_no_email_and_unknown_emails_cost_a_hash(
    client, make_user, monkeypatch
) -> None:
    from app.accounts import service

    calls = []
    real_check = service.check_password_hash
    monkeypatch.setattr(
        service, "check_password_hash", lambda *args: calls.append(1) or real_check(*args)
    )
    make_user()
    _login(client, "typed.by.someone@example.nhs.uk", "a-guess-1234")
    assert calls == [1]  # the same work as a known email: no timing difference to list accounts
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            assert "typed.by.someone" not in " ".join(str(v) for v in row)


def test_logout_ends_the_session_even_if_the_cookie_is_replayed(client, make_user) -> None:
    user = make_user()
    sign_in(client, user)
    cookie = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    client.set_cookie("session", cookie)
    assert client.get("/").status_code == 302


def test_changing_password_signs_out_other_sessions(app, make_user) -> None:
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user)
    response = laptop.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
            "csrf_token": csrf_token(laptop, "/account/password"),
        },
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_password_change_errors_keep_the_form(client, make_user) -> None:
    user = make_user()
    sign_in(client, user)
    response = client.post(
        "/account/password",
        data={
            "current_password": "not it at all",
            "new_password": "short",
            "confirm_password": "different",
            "csrf_token": csrf_token(client, "/account/password"),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Password must be at least 10 characters." in html
    assert "There is a problem" in html


def test_deactivating_a_user_ends_their_sessions(app, make_user) -> None:
    admin = make_user(global_role="admin")
    user = make_user()
    admin_client, user_client = app.test_client(), app.test_client()
    sign_in(admin_client, admin)
    sign_in(user_client, user)
    response = admin_client.post(
        f"/admin/users/{user.id}/active",
        data={
            "active": "0",
            "version": _version_on_page(admin_client, user),
            "csrf_token": csrf_token(admin_client, "/admin/users"),
        },
    )
    assert response.status_code == 302
    assert user_client.get("/").status_code == 302
    assert _login(app.test_client(), user.email, PASSWORD).status_code == 200


def _version_on_page(client, user) -> str:
    """The version the users page carries in the person's deactivate/reactivate form."""
    html = client.get("/admin/users").get_data(as_text=True)
    form = html[html.index(f"/admin/users/{user.id}/active") :]
    return re.search(r'name="version" value="(\d+)"', form).group(1)


def test_a_stale_deactivation_is_a_409_and_changes_nothing(app, make_user) -> None:
    """Two administrators open the users page; the second to act is shown the first's change."""
    first, second = make_user(global_role="admin"), make_user(global_role="admin")
    user = make_user()
    first_client, second_client = app.test_client(), app.test_client()
    sign_in(first_client, first)
    sign_in(second_client, second)
    opened_at = _version_on_page(second_client, user)
    token = csrf_token(second_client, "/admin/users")
    first_client.post(
        f"/admin/users/{user.id}/active",
        data={
            "active": "0",
            "version": _version_on_page(first_client, user),
            "csrf_token": csrf_token(first_client, "/admin/users"),
        },
    )
    first_client.post(
        f"/admin/users/{user.id}/active",
        data={
            "active": "1",
            "version": _version_on_page(first_client, user),
            "csrf_token": csrf_token(first_client, "/admin/users"),
        },
    )
    db.session.expire_all()
    moved_to = db.session.get(User, user.id).version
    assert moved_to != int(opened_at)

    response = second_client.post(
        f"/admin/users/{user.id}/active",
        data={"active": "0", "version": opened_at, "csrf_token": token},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Deactivated" in html and "Active" in html
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.active is True
    assert stored.version == moved_to


def test_a_fresh_deactivation_saves_and_moves_the_version_on(app, make_user) -> None:
    admin, user = make_user(global_role="admin"), make_user()
    client = app.test_client()
    sign_in(client, admin)
    opened_at = _version_on_page(client, user)
    response = client.post(
        f"/admin/users/{user.id}/active",
        data={
            "active": "0",
            "version": opened_at,
            "csrf_token": csrf_token(client, "/admin/users"),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.active is False
    assert stored.version == int(opened_at) + 1


def test_admin_creates_a_user_and_duplicate_email_is_refused(client, make_user) -> None:
    admin = make_user(global_role="admin")
    sign_in(client, admin)
    form = {
        "name": "Nina Nurse",
        "email": "Nina@Example.NHS.uk",
        "global_role": "",
        "password": "temporary-pass-1",
    }
    token = csrf_token(client, "/admin/users/new")
    assert client.post("/admin/users/new", data={**form, "csrf_token": token}).status_code == 302
    assert db.session.scalar(select(User).where(User.email == "nina@example.nhs.uk"))
    again = client.post("/admin/users/new", data={**form, "csrf_token": token})
    assert again.status_code == 422
    html = again.get_data(as_text=True)
    assert "already exists" in html
    assert 'value="Nina Nurse"' in html


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_an_expired_form_gets_a_clear_400_page(client, make_user) -> None:
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def test_next_parameter_only_allows_local_paths(client, make_user) -> None:
    user = make_user()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=https://evil.example.com/",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_signing_in_never_conflicts_with_another_change_to_the_account(client, make_user) -> None:
    """Two sign-ins at once, or a sign-in while an administrator changes the account: the
    sign-in is not an edit, so it cannot be refused as a stale one (it once gave 409)."""
    user = make_user()
    opened_version = user.version
    # Another request changes the account; this session's copy of the user is now stale.
    db.session.execute(
        sa_update(User).where(User.id == user.id).values(version=User.version + 1),
        execution_options={"synchronize_session": False},
    )
    sign_in(client, user)  # asserts the sign-in went through (302), not a 409
    db.session.expire_all()
    signed_in = db.session.get(User, user.id)
    assert signed_in.last_login_at is not None
    assert signed_in.version == opened_version + 1  # a sign-in moves no version on
