"""Invitation links and passwords chosen by someone else."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.invitations import create_invitation, invite_user
from app.accounts.models import User
from app.core.dates import utcnow
from app.core.forms import parse_number
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.sender import send_due
from app.sites.models import MembershipOffer
from tests.conftest import PASSWORD, csrf_token, sign_in
from tests.web.emailed_links import emailed_invitation_path

NEW_PASSWORD = "a long new passphrase"


def _invite(site=None) -> tuple[User, str]:  # noqa: ANN001
    user, created = invite_user("Ola.New@example.nhs.uk", "Ola New")
    assert created
    _invitation, url = create_invitation(user, site_id=site.id if site else None)
    db.session.commit()
    return user, "/invitations/" + url.rsplit("/", 1)[1]


def _accept(client, path: str):  # noqa: ANN001, ANN202
    return client.post(
        path,
        data={
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
            "csrf_token": csrf_token(client, path),
        },
    )


def test_an_invitation_sets_the_password_once(client, site_world) -> None:
    site = site_world["site"]
    user, path = _invite(site)
    page = client.get(path)
    assert page.status_code == 200 and "Choose your password" in page.get_data(as_text=True)
    # Until then nobody can sign in to the new account.
    refused = client.post(
        "/login",
        data={"email": user.email, "password": "", "csrf_token": csrf_token(client, "/login")},
    )
    assert refused.status_code == 422
    response = _accept(client, path)
    # Home, where the access they were offered waits for them to accept it.
    assert response.status_code == 302 and response.location.endswith("/")
    client.get("/logout")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    again = client.get(path)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    signed_in = client.post(
        "/login",
        data={
            "email": user.email,
            "password": NEW_PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )
    assert signed_in.status_code == 302


def test_an_expired_or_replaced_invitation_is_refused(client, app, time_machine) -> None:
    time_machine.move_to(utcnow(), tick=False)
    user, first = _invite()
    _invitation, url = create_invitation(user)
    db.session.commit()
    second = "/invitations/" + url.rsplit("/", 1)[1]
    assert "newer invitation" in client.get(first).get_data(as_text=True)
    time_machine.shift(timedelta(days=7, seconds=1))
    response = client.get(second)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert _accept(client, second).status_code == 410
    assert client.get("/invitations/not-a-token").status_code == 410


def test_a_short_password_is_refused_with_the_input_kept(client, app) -> None:
    _user, path = _invite()
    response = client.post(
        path,
        data={
            "new_password": "short",
            "confirm_password": "short",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert response.status_code == 422
    assert "at least 10 characters" in response.get_data(as_text=True)


def test_a_temporary_password_must_be_changed_at_first_sign_in(client, site_world) -> None:
    admin = site_world["admin"]
    sign_in(client, admin)
    created = client.post(
        "/admin/users/new",
        data={
            "name": "Tempo Rary",
            "email": "tempo@example.nhs.uk",
            "global_role": "",
            "password": PASSWORD,
            "csrf_token": csrf_token(client, "/admin/users/new"),
        },
    )
    assert created.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "tempo@example.nhs.uk"))
    assert user.must_change_password
    sign_in(client, user)
    home = client.get("/")
    assert home.status_code == 302 and home.location.endswith("/account/password")
    changed = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
            "csrf_token": csrf_token(client, "/account/password"),
        },
    )
    assert changed.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, user.id).must_change_password
    assert client.get("/").status_code == 200


def test_an_admin_without_a_password_sends_an_invitation_instead(client, site_world) -> None:
    sign_in(client, site_world["admin"])
    response = client.post(
        "/admin/users/new",
        data={
            "name": "Link Only",
            "email": "link@example.nhs.uk",
            "global_role": "",
            "password": "",
            "csrf_token": csrf_token(client, "/admin/users/new"),
        },
    )
    assert response.status_code == 200
    assert "/invitations/" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "whole", "value"),
    [
        ("210,000", True, 210000),
        ("210000", True, 210000),
        (" 210 000 ", True, 210000),
        ("1,250.5", False, 1250.5),
        ("£180", True, 180),
        ("", True, None),
    ],
)
def test_numbers_are_read_with_thousands_separators(typed, whole, value) -> None:
    assert parse_number(typed, whole) == value


@pytest.mark.parametrize("typed", ["12x", "1.5"])
def test_numbers_that_are_not_whole_numbers_are_refused(typed) -> None:
    with pytest.raises(ValueError):
        parse_number(typed, whole=True)


def test_the_invitation_link_is_emailed_to_the_new_member(client, site_world, smtp_server) -> None:
    site = site_world["site"]
    sign_in(client, site_world["manager"])
    response = client.post(
        f"/sites/{site.id}/members",
        data={
            "email": "Ola.New@example.nhs.uk",
            "name": "Ola New",
            "role": "editor",
            "csrf_token": csrf_token(client, f"/sites/{site.id}/members"),
        },
    )
    assert response.status_code == 302
    # A second link (the first was lost) replaces the first in the outbox too.
    offer = db.session.scalar(select(MembershipOffer))
    client.post(
        f"/sites/{site.id}/members/offers/{offer.id}/invitation",
        data={"csrf_token": csrf_token(client, f"/sites/{site.id}/members")},
    )
    latest = emailed_invitation_path("ola.new@example.nhs.uk")
    send_due()
    # Once delivered, the database holds no working link: the sent body is dropped.
    sent = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.kind == "account_invitation")
        .order_by(OutboxMessage.id)
    ).all()
    assert [m.status for m in sent] == ["superseded", "sent"] and sent[1].body == ""
    assert sent[1].link is None  # the button's link holds the token
    received = smtp_server.inbox.to("ola.new@example.nhs.uk")
    assert len(received) == 1
    body = received[0].get_body().get_content()
    assert received[0]["Subject"] == f"Your invitation to {site.name} on the FLS Tracker"
    path = latest[latest.index("/invitations/") :]
    # The link sets a password; access itself is accepted on the home page.
    invited = f"{site_world['manager'].name} invited you to {site.name} on the FLS Tracker"
    assert f"{invited} as an editor." in body and "given you access" not in body
    assert "then accept or decline the access on your home page" in body
    assert f"http://127.0.0.1:5000{path}" in body
    assert "stops working in 7 days" in body
    # The emailed link is the one that works.
    client.get("/logout")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    assert _accept(client, path).status_code == 302


def test_an_admins_invitation_is_emailed_too(client, site_world, smtp_server) -> None:
    sign_in(client, site_world["admin"])
    client.post(
        "/admin/users/new",
        data={
            "name": "Link Only",
            "email": "link@example.nhs.uk",
            "global_role": "",
            "password": "",
            "csrf_token": csrf_token(client, "/admin/users/new"),
        },
    )
    send_due()
    [message] = smtp_server.inbox.to("link@example.nhs.uk")
    assert message["Subject"] == "Your invitation to the FLS Tracker"
    body = message.get_body().get_content()
    assert "/invitations/" in body
    assert f"{site_world['admin'].name} invited you to the FLS Tracker." in body
    assert "choose your password and sign in" in body


def test_every_number_field_is_the_one_number_field() -> None:
    """WTForms' own number fields refuse "210,000"; the app's forms use NumberField."""
    import re
    from pathlib import Path

    pattern = re.compile(r"\b(IntegerField|DecimalField|FloatField|IntegerRangeField)\b")
    found = [
        str(path)
        for path in Path("app").rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_agenda_notice_takes_a_typed_number_and_keeps_a_wrong_one(login, site_world) -> None:
    site = site_world["site"]
    client = login(site_world["manager"])
    url = f"/sites/{site.id}/mail"
    token = csrf_token(client, url)
    wrong = client.post(url, data={"agenda_notice_days": "5 days", "csrf_token": token})
    assert wrong.status_code == 422 and 'value="5 days"' in wrong.get_data(as_text=True)
    too_many = client.post(url, data={"agenda_notice_days": "31", "csrf_token": token})
    assert "Enter a number of days from 0 to 30." in too_many.get_data(as_text=True)
    saved = client.post(url, data={"agenda_notice_days": " 7 ", "csrf_token": token})
    assert saved.status_code == 302
    db.session.refresh(site)
    assert site.agenda_notice_days == 7


def test_an_admin_sends_a_fresh_link_that_replaces_the_old_one(client, site_world) -> None:
    user, old_path = _invite()
    sign_in(client, site_world["admin"])
    response = client.post(
        f"/admin/users/{user.id}/invitation",
        data={"csrf_token": csrf_token(client, "/admin/users")},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Send this link to Ola New" in html
    new_path = re.search(r'value="http[^"]+(/invitations/[^"]+)"', html).group(1)
    assert new_path != old_path
    waiting = db.session.scalars(
        select(OutboxMessage.status)
        .where(OutboxMessage.kind == "account_invitation")
        .order_by(OutboxMessage.id)
    ).all()
    assert waiting == ["superseded", "queued"]  # only the working link goes out
    client.get("/logout")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    assert "newer invitation" in client.get(old_path).get_data(as_text=True)
    assert _accept(client, new_path).status_code == 302


def test_without_password_sign_in_an_invitation_points_to_the_nhs_account(
    client, app, site_world
) -> None:
    """PASSWORD_SIGN_IN=0: the link says how to sign in and never lets a password be set."""
    app.config["PASSWORD_SIGN_IN"] = False
    try:
        user, path = _invite(site_world["site"])
        before = user.password_hash
        page = client.get(path)
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Sign in with your NHS account" in text and 'name="new_password"' not in text
        refused = _accept(client, path)
        assert refused.status_code == 403
        db.session.expire_all()
        assert db.session.get(User, user.id).password_hash == before
        # The link still answers (it was not used up by the refused password).
        assert client.get(path).status_code == 200
        mail = db.session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "account_invitation")
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )
        assert "sign in with the NHS account for ola.new@example.nhs.uk" in mail.body
        assert "choose your password" not in mail.body.lower() and mail.button.startswith("Sign in")
    finally:
        app.config["PASSWORD_SIGN_IN"] = True
