"""Email choices per kind (#32 item 1): the digest's unsubscribe link never stops what
someone must act on; each link stops only its own kind; every footer links to the
choices page; the invitation to sign in carries no unsubscribe link."""

from __future__ import annotations

from flask import current_app
from itsdangerous import URLSafeSerializer

from app.accounts.invitations import create_invitation, invite_user
from app.extensions import db
from app.gateways import service as gateways
from app.notifications.models import MailPreference
from app.notifications.reminders import queue_digests
from app.notifications.tokens import unsubscribe_token
from tests.fixtures.gateways import every_reason
from tests.fixtures.notifications import outbox, parsed


def _request_review(world: dict) -> None:
    site = world["site"]
    gateways.request_review(site, 1, world["manager"], every_reason(site, 1))
    db.session.commit()


def _sponsor_ids(world: dict) -> list[int]:
    return sorted(m.user_id for m in outbox(kind="review_request"))


def test_a_sponsor_who_chose_no_reminders_still_gets_review_requests(site_world) -> None:
    """The data fix: a setting that became "none" through the old shared token stops the
    digest only. Fails on the old code, where "none" meant no review requests either."""
    db.session.add(MailPreference(user_id=site_world["sponsor"].id, frequency="none"))
    db.session.add(MailPreference(user_id=site_world["viewer_sponsor"].id, frequency="weekly"))
    db.session.commit()
    _request_review(site_world)
    assert _sponsor_ids(site_world) == sorted(
        [site_world["sponsor"].id, site_world["viewer_sponsor"].id]
    )


def test_an_old_shared_link_stops_only_the_digest(client, site_world) -> None:
    sponsor = site_world["sponsor"]
    old = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="mail-unsubscribe")
    token = old.dumps({"s": "updates", "u": sponsor.id})
    page = client.get(f"/unsubscribe/{token}").get_data(as_text=True)
    assert "stops only reminder emails about your overdue and soon-due tasks" in page
    assert client.post(f"/unsubscribe/{token}").status_code == 200
    choice = db.session.get(MailPreference, sponsor.id)
    assert choice.frequency == "none" and choice.gateway_mail is True
    _request_review(site_world)
    assert sponsor.id in _sponsor_ids(site_world)


def test_each_link_stops_only_its_own_kind(client, site_world) -> None:
    sponsor = site_world["sponsor"]
    _request_review(site_world)
    (request,) = outbox(kind="review_request", user_id=sponsor.id)
    message = parsed(request)
    link = message["List-Unsubscribe"].strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.removeprefix("http://127.0.0.1:5000")
    page = client.get(path).get_data(as_text=True)
    assert "This link stops only gateway review requests and decisions." in page
    done = client.post(path, data={"List-Unsubscribe": "One-Click"}).get_data(as_text=True)
    assert "We will not email you gateway review requests and decisions" in done
    choice = db.session.get(MailPreference, sponsor.id)
    assert choice.gateway_mail is False and choice.frequency == "immediate"


def test_the_digest_link_names_its_kind(client, site_world) -> None:
    token = unsubscribe_token("digest", user_id=site_world["editor"].id)
    page = client.get(f"/unsubscribe/{token}").get_data(as_text=True)
    assert "This link stops only reminder emails" in page
    meetings = unsubscribe_token("meetings", user_id=site_world["editor"].id)
    assert "stops only meeting invitations, agendas and minutes" in client.get(
        f"/unsubscribe/{meetings}"
    ).get_data(as_text=True)


def test_every_footer_links_to_the_email_choices_page(site_world, make_person, make_task) -> None:
    from datetime import date, timedelta

    site = site_world["site"]
    person = make_person(site, "Eddie Editor", user=site_world["editor"])
    on = date(2026, 11, 24)
    make_task(site, title="Map the pathway", owner_id=person.id, due_date=on - timedelta(days=1))
    db.session.commit()
    _request_review(site_world)
    queue_digests(on)
    db.session.commit()
    messages = outbox()
    assert {m.kind for m in messages} == {"review_request", "digest"}
    for row in messages:
        text = parsed(row).get_body(("plain",)).get_content().replace("\r\n", "\n")
        assert "Choose which emails you get:\nhttp://127.0.0.1:5000/account/email" in text


def test_the_account_invitation_has_no_unsubscribe_link(site_world) -> None:
    user, _created = invite_user("new.person@example.nhs.uk", "New Person")
    create_invitation(user, site_world["admin"])
    db.session.commit()
    (row,) = outbox(kind="account_invitation")
    message = parsed(row)
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None
    text = message.get_body(("plain",)).get_content()
    assert "/unsubscribe/" not in text and "/account/email" in text
