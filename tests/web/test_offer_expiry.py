"""An offer of access expires after OFFER_DAYS (30 unless set): the person can no longer
accept it, and the manager sees it expired and can send it again (issue 28)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.dates import utcnow
from app.extensions import db
from app.sites.models import Membership, MembershipOffer
from tests.conftest import csrf_token, sign_in


def _offer(client, site, email: str, name: str = "Typed Name"):  # noqa: ANN001, ANN201
    url = f"/sites/{site.id}/members"
    data = {"email": email, "name": name, "role": "viewer", "csrf_token": csrf_token(client, url)}
    return client.post(url, data=data, follow_redirects=True)


def _answer(client, offer_id: int, decision: str = "accept"):  # noqa: ANN001, ANN201
    token = csrf_token(client, "/")
    return client.post(
        f"/access-offers/{offer_id}/{decision}", data={"csrf_token": token}, follow_redirects=True
    )


def _expired(html: str) -> bool:
    return re.search(r'nhsuk-tag--grey"\s*>\s*Expired\s*<', html) is not None


def _is_member(site, user) -> bool:  # noqa: ANN001
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.site_id == site.id, Membership.user_id == user.id
            )
        )
        is not None
    )


def test_an_expired_offer_cannot_be_accepted_until_it_is_sent_again(
    client, site_world, time_machine
) -> None:
    time_machine.move_to(utcnow(), tick=False)
    site, manager, support = site_world["site"], site_world["manager"], site_world["support"]
    sign_in(client, manager)
    _offer(client, site, support.email)
    offer_id = db.session.scalar(select(MembershipOffer.id))
    members = client.get(f"/sites/{site.id}/members").get_data(as_text=True)
    assert "Open until" in members and not _expired(members)

    time_machine.shift(timedelta(days=30, seconds=1))
    sign_in(client, manager)  # the session itself has long timed out
    members = client.get(f"/sites/{site.id}/members").get_data(as_text=True)
    assert _expired(members) and "Open until" not in members
    assert "Send again<span" in members
    # Offering it again points the manager to "Send again".
    refused = _offer(client, site, support.email)
    assert refused.status_code == 422 and "It has expired" in refused.get_data(as_text=True)

    sign_in(client, support)
    assert "Access offered to you" not in client.get("/").get_data(as_text=True)
    answer = _answer(client, offer_id)
    assert "This offer has expired" in answer.get_data(as_text=True)
    assert not _is_member(site, support)

    sign_in(client, manager)
    client.post(
        f"/sites/{site.id}/members/offers/{offer_id}/invitation",
        data={"csrf_token": csrf_token(client, f"/sites/{site.id}/members")},
    )
    assert "Open until" in client.get(f"/sites/{site.id}/members").get_data(as_text=True)
    sign_in(client, support)
    assert "Access offered to you" in client.get("/").get_data(as_text=True)
    assert "You now have access" in _answer(client, offer_id).get_data(as_text=True)
    assert _is_member(site, support)


@pytest.mark.app_config(OFFER_DAYS=3)
def test_the_number_of_days_is_a_setting(client, site_world, time_machine) -> None:
    time_machine.move_to(utcnow(), tick=False)
    site, support = site_world["site"], site_world["support"]
    sign_in(client, site_world["manager"])
    page = _offer(client, site, support.email).get_data(as_text=True)
    assert "An offer stays open for 3 days" in page
    time_machine.shift(timedelta(days=2, hours=23))
    sign_in(client, site_world["manager"])
    assert not _expired(client.get(f"/sites/{site.id}/members").get_data(as_text=True))
    time_machine.shift(timedelta(hours=1, seconds=1))
    sign_in(client, site_world["manager"])
    assert _expired(client.get(f"/sites/{site.id}/members").get_data(as_text=True))
