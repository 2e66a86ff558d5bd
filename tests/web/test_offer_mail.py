"""An offer of access reaches the person it is for: a new account gets its link, an
existing account a notice pointing to its home page; the manager learns nothing from it
(issue 28)."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.stored import render
from app.sites.models import MembershipOffer
from tests.conftest import csrf_token, sign_in


def _offer(client, site, email: str, name: str, role: str = "editor"):  # noqa: ANN001, ANN201
    url = f"/sites/{site.id}/members"
    data = {"email": email, "name": name, "role": role, "csrf_token": csrf_token(client, url)}
    return client.post(url, data=data, follow_redirects=True)


def _mail() -> list[tuple[str, str, str]]:
    rows = db.session.execute(
        select(OutboxMessage.kind, OutboxMessage.to_address, OutboxMessage.status).order_by(
            OutboxMessage.id
        )
    )
    return [tuple(row) for row in rows]


def _body(kind: str, address: str) -> str:
    stored = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.kind == kind, OutboxMessage.to_address == address)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    return message_from_bytes(render(stored), policy=default).get_body(("plain",)).get_content()


def _flash(html: str, email: str) -> str:
    start = html.index(email)
    return html[start : html.index("</", start)].replace(email, "EMAIL")


def test_an_existing_account_is_emailed_where_to_accept(client, site_world) -> None:
    site, support = site_world["site"], site_world["support"]
    sign_in(client, site_world["manager"])
    known = _offer(client, site, support.email, "Typed Name", role="viewer")
    assert _mail() == [("access_offer", support.email, "queued")]
    body = _body("access_offer", support.email)
    invited = f"{site_world['manager'].name} invited you to {site.name} on the FLS Tracker"
    assert f"{invited} as a viewer." in body
    assert (
        "accept or decline on your\r\nhome page." in body
        or "accept or decline on your home page." in body
    )
    assert "http://127.0.0.1:5000/\r\n" in body
    assert "/invitations/" not in body  # their password is theirs: no link to re-key it

    # A new email gets one message, its link; the manager reads the same words either way.
    unknown = _offer(client, site, "nobody.yet@example.nhs.uk", "Typed Name", role="viewer")
    assert [kind for kind, *_rest in _mail()] == ["access_offer", "account_invitation"]
    assert _flash(known.get_data(as_text=True), support.email) == _flash(
        unknown.get_data(as_text=True), "nobody.yet@example.nhs.uk"
    )
    assert support.name not in known.get_data(as_text=True)


def test_sending_again_replaces_the_notice_and_a_refused_offer_sends_nothing(
    client, site_world
) -> None:
    site, support = site_world["site"], site_world["support"]
    sign_in(client, site_world["manager"])
    _offer(client, site, support.email, "Typed Name")
    offer_id = db.session.scalar(select(MembershipOffer.id))
    again = client.post(
        f"/sites/{site.id}/members/offers/{offer_id}/invitation",
        data={"csrf_token": csrf_token(client, f"/sites/{site.id}/members")},
        follow_redirects=True,
    )
    assert "has been emailed again" in again.get_data(as_text=True)
    assert _mail() == [
        ("access_offer", support.email, "superseded"),
        ("access_offer", support.email, "queued"),
    ]
    # Offered twice: refused, and the refusal is not mailed.
    assert _offer(client, site, support.email, "Typed Name").status_code == 422
    assert len(_mail()) == 2


def test_a_deactivated_account_is_not_emailed(client, site_world) -> None:
    site, support = site_world["site"], site_world["support"]
    support.active = False
    db.session.commit()
    sign_in(client, site_world["manager"])
    assert _offer(client, site, support.email, "Typed Name").status_code == 200
    assert _mail() == []


def test_sending_again_to_a_new_account_sends_only_its_new_link(client, site_world) -> None:
    site = site_world["site"]
    sign_in(client, site_world["manager"])
    _offer(client, site, "nobody.yet@example.nhs.uk", "Typed Name")
    offer_id = db.session.scalar(select(MembershipOffer.id))
    client.post(
        f"/sites/{site.id}/members/offers/{offer_id}/invitation",
        data={"csrf_token": csrf_token(client, f"/sites/{site.id}/members")},
    )
    assert _mail() == [
        ("account_invitation", "nobody.yet@example.nhs.uk", "superseded"),
        ("account_invitation", "nobody.yet@example.nhs.uk", "queued"),
    ]
