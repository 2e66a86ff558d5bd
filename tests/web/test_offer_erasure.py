"""Erasing a person takes back the access offered to them, found by their email or by
the name the manager typed (issue 28, erasure)."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.sites.models import MembershipOffer
from tests.conftest import csrf_token, sign_out
from tests.web.emailed_links import emailed_invitation_path


def _offer(client, site, email: str, name: str):  # noqa: ANN001, ANN201
    url = f"/sites/{site.id}/members"
    data = {"email": email, "name": name, "role": "editor", "csrf_token": csrf_token(client, url)}
    return client.post(url, data=data)


def test_erasure_removes_offers_holding_the_email_or_typed_name(
    client, site_world, login, make_stakeholder
) -> None:
    site, support = site_world["site"], site_world["support"]
    person = make_stakeholder(site, name="Aisha Rahman", email="aisha.rahman@example.nhs.uk")
    client = login(site_world["manager"])
    assert _offer(client, site, "Aisha.Rahman@example.nhs.uk", "Aisha R").status_code == 302
    link = emailed_invitation_path("aisha.rahman@example.nhs.uk")
    assert _offer(client, site, support.email, "Dr Aisha Rahman").status_code == 302
    assert _offer(client, site, "someone.else@example.nhs.uk", "Aisha Rahmanova").status_code == 302
    # Another site's offer is that site's business.
    other = site_world["other_site"]
    client = login(site_world["outsider"])
    assert _offer(client, other, "aisha.rahman@example.nhs.uk", "Aisha Rahman").status_code == 302

    client = login(site_world["manager"])
    url = f"/sites/{site.id}/people/{person.id}/erase"
    erased = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert erased.status_code == 302

    db.session.expire_all()
    left = db.session.execute(select(MembershipOffer.site_id, MembershipOffer.email)).all()
    assert sorted(left) == [
        (site.id, "someone.else@example.nhs.uk"),  # another person (its text is scrubbed)
        (other.id, "aisha.rahman@example.nhs.uk"),
    ]
    # The site's link stops working; the account stays while another site offers access.
    sign_out(client)
    assert client.get(link).status_code == 410
    assert db.session.scalar(select(User.id).where(User.email == "aisha.rahman@example.nhs.uk"))
    assert db.session.get(User, support.id) is not None  # an account in use is theirs


def test_an_account_made_only_for_the_offer_goes_with_it(
    client, site_world, login, make_stakeholder
) -> None:
    site = site_world["site"]
    person = make_stakeholder(site, name="Rose Tyler", email="rose.tyler@example.nhs.uk")
    client = login(site_world["manager"])
    assert _offer(client, site, "rose.tyler@example.nhs.uk", "Rose Tyler").status_code == 302
    url = f"/sites/{site.id}/people/{person.id}/erase"
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(MembershipOffer.id)) is None
    assert db.session.scalar(select(User.id).where(User.email.contains("rose"))) is None
    assert (
        db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.to_address.contains("rose")))
        is None
    )
