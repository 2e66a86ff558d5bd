"""Password reset by email: one link, one hour, one use; the same answer for everyone."""

import re

from sqlalchemy import select

from app.accounts.models import PasswordReset, User
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, sign_in
from tests.fixtures.notifications import outbox, parsed

NEW_PASSWORD = "a fresh and long passphrase"


def _ask(client, email: str):
    return client.post(
        "/password-reset",
        data={"email": email, "csrf_token": csrf_token(client, "/password-reset")},
    )


def _link_in_mail(address: str) -> str:
    messages = outbox(kind="password_reset", to_address=address)
    assert messages, "no reset email queued"
    body = parsed(messages[-1]).get_body(("plain",)).get_content()
    return re.search(r"https?://\S+(/password-reset/\S+)", body).group(1)


def _choose(client, path: str, password: str = NEW_PASSWORD):
    return client.post(
        path,
        data={
            "new_password": password,
            "confirm_password": password,
            "csrf_token": csrf_token(client, path),
        },
    )


def _signs_in(client, email: str, password: str) -> bool:
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client, "/login")},
    )
    return response.status_code == 302


def test_login_page_links_to_the_reset(client) -> None:
    assert 'href="/password-reset"' in client.get("/login").get_data(as_text=True)


def test_unknown_and_known_emails_get_the_same_answer(client, make_user) -> None:
    user = make_user()
    known = _ask(client, user.email)
    unknown = _ask(client, "nobody@example.nhs.uk")
    assert known.status_code == unknown.status_code == 200

    def without_address(response) -> str:
        text = response.get_data(as_text=True)
        text = re.sub(r'name="csrf-token" content="[^"]+"', "", text)
        text = re.sub(r'nonce="[^"]+"', "", text)
        return text.replace(user.email, "EMAIL").replace("nobody@example.nhs.uk", "EMAIL")

    assert without_address(known) == without_address(unknown)
    assert "Check your email" in known.get_data(as_text=True)
    assert len(outbox(kind="password_reset")) == 1  # only the real account got a link


def test_the_link_is_stored_only_as_a_hash(client, make_user) -> None:
    user = make_user()
    _ask(client, user.email)
    path = _link_in_mail(user.email)
    token = path.rsplit("/", 1)[1]
    stored = db.session.scalar(select(PasswordReset.token_hash))
    assert token not in stored and len(stored) == 64


def test_a_reset_changes_the_password_and_works_only_once(client, make_user) -> None:
    user = make_user()
    _ask(client, user.email)
    path = _link_in_mail(user.email)
    assert client.get(path).status_code == 200
    response = _choose(client, path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert _signs_in(client, user.email, NEW_PASSWORD)
    assert not _signs_in(client.application.test_client(), user.email, PASSWORD)
    again = client.application.test_client()
    assert again.get(path).status_code == 410
    assert "already been used" in again.get(path).get_data(as_text=True)


def test_a_link_stops_working_after_an_hour(client, make_user, time_machine) -> None:
    user = make_user()
    time_machine.move_to("2026-12-01 09:00:00+00:00", tick=False)
    _ask(client, user.email)
    path = _link_in_mail(user.email)
    time_machine.move_to("2026-12-01 09:59:00+00:00", tick=False)
    assert client.get(path).status_code == 200
    time_machine.move_to("2026-12-01 10:00:01+00:00", tick=False)
    expired = client.get(path)
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)
    assert _choose(client, path).status_code == 410
    assert db.session.get(User, user.id).password_hash == user.password_hash


def test_a_newer_link_replaces_the_older(client, make_user) -> None:
    user = make_user()
    _ask(client, user.email)
    first = _link_in_mail(user.email)
    _ask(client, user.email)
    second = _link_in_mail(user.email)
    assert first != second
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_using_the_link_ends_every_session_and_emails_the_person(app, make_user) -> None:
    user = make_user()
    laptop, phone, stranger = app.test_client(), app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user)
    assert laptop.get("/").status_code == 200
    _ask(stranger, user.email)
    _choose(stranger, _link_in_mail(user.email))
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    notices = outbox(kind="password_changed", to_address=user.email)
    assert len(notices) == 1
    assert "has just been changed" in parsed(notices[0]).get_body(("plain",)).get_content()


def test_a_changed_password_is_emailed_too(client, make_user) -> None:
    user = make_user()
    sign_in(client, user)
    client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
            "csrf_token": csrf_token(client, "/account/password"),
        },
    )
    assert len(outbox(kind="password_changed", to_address=user.email)) == 1


def test_a_short_password_is_refused_and_the_link_still_works(client, make_user) -> None:
    user = make_user()
    _ask(client, user.email)
    path = _link_in_mail(user.email)
    response = _choose(client, path, "short")
    assert response.status_code == 422
    assert "at least 10 characters" in response.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_asking_again_and_again_is_throttled(client, make_user, time_machine) -> None:
    time_machine.move_to("2026-12-01 09:00:00+00:00", tick=False)
    user = make_user()
    statuses = [_ask(client, user.email).status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    assert "Too many requests" in _ask(client, user.email).get_data(as_text=True)
    assert len(outbox(kind="password_reset")) == 5
    # Unknown emails are counted the same, so the throttle says nothing about who exists.
    assert [_ask(client, "nobody@example.nhs.uk").status_code for _ in range(6)][5] == 429
    time_machine.move_to("2026-12-01 09:20:00+00:00", tick=False)
    assert _ask(client, user.email).status_code == 200


def test_a_deactivated_account_gets_no_link(client, make_user) -> None:
    user = make_user()
    user.active = False
    db.session.commit()
    assert _ask(client, user.email).status_code == 200
    assert outbox(kind="password_reset") == []
