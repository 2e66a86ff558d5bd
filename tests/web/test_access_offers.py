"""Access is offered and accepted: no site's manager can take over, or silently add, an
account; a sponsor's sign-off needs two people (issue 28, items 1, 7 and 14)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import Invitation, User
from app.extensions import db
from app.gateways.models import Gateway
from app.gateways.readiness import criteria
from app.notifications.models import OutboxMessage
from app.sites.models import Membership, MembershipOffer
from tests.conftest import PASSWORD, csrf_token, sign_in, sign_out
from tests.web.emailed_links import emailed_invitation_path

NEW_PASSWORD = "a long new passphrase"
OTHER_PASSWORD = "another long passphrase"


def _offer(client, site, email: str, name: str, role: str = "editor", sponsor: bool = False):  # noqa: ANN001, ANN201
    url = f"/sites/{site.id}/members"
    data = {"email": email, "name": name, "role": role, "csrf_token": csrf_token(client, url)}
    if sponsor:
        data["is_sponsor"] = "y"
    return client.post(url, data=data, follow_redirects=True)


def _set_password(client, path: str, password: str = NEW_PASSWORD):  # noqa: ANN001, ANN201
    data = {"new_password": password, "confirm_password": password}
    data["csrf_token"] = csrf_token(client, path)
    return client.post(path, data=data)


def _sign_in_with(client, email: str, password: str):  # noqa: ANN001, ANN201
    sign_out(client)
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/login")}
    return client.post("/login", data=data)


def _membership(site, user_id: int) -> Membership | None:  # noqa: ANN001
    return db.session.scalar(
        select(Membership).where(Membership.site_id == site.id, Membership.user_id == user_id)
    )


def _offer_id(site, user_id: int) -> int:  # noqa: ANN001
    return db.session.scalar(
        select(MembershipOffer.id).where(
            MembershipOffer.site_id == site.id, MembershipOffer.user_id == user_id
        )
    )


def _answer(client, offer_id: int, decision: str):  # noqa: ANN001, ANN201
    token = csrf_token(client, "/")
    return client.post(f"/access-offers/{offer_id}/{decision}", data={"csrf_token": token})


def test_another_sites_manager_cannot_take_over_an_invited_account(client, site_world) -> None:
    """Item 1: site 2's manager adds site 1's invitee and asks for a new link: they get
    nothing to use, site 1's link keeps working, and site 1's access is never theirs."""
    site1, site2 = site_world["site"], site_world["other_site"]
    email = "new.person@example.nhs.uk"
    sign_in(client, site_world["manager"])
    _offer(client, site1, email, "New Person", role="manager")
    genuine = emailed_invitation_path(email)
    invitee = db.session.scalar(select(User).where(User.email == email))

    sign_in(client, site_world["outsider"])  # the manager of site 2 only
    added = _offer(client, site2, email, "Anybody")
    assert added.status_code == 200 and "/invitations/" not in added.get_data(as_text=True)
    offer2 = _offer_id(site2, invitee.id)
    again = client.post(
        f"/sites/{site2.id}/members/offers/{offer2}/invitation",
        data={"csrf_token": csrf_token(client, f"/sites/{site2.id}/members")},
        follow_redirects=True,
    )
    assert "/invitations/" not in again.get_data(as_text=True)
    # No link was made for site 2, and site 1's still works.
    assert db.session.scalar(select(func.count(Invitation.id))) == 1
    assert emailed_invitation_path(email) == genuine
    # The members page of site 2 does not say who the account is, nor link it.
    page = client.get(f"/sites/{site2.id}/members").get_data(as_text=True)
    assert "New Person" not in page and "Anybody" in page
    # Site 2's manager cannot accept for them either.
    assert _answer(client, _offer_id(site1, invitee.id), "accept").status_code == 302
    assert _membership(site1, invitee.id) is None
    assert _membership(site1, site_world["outsider"].id) is None

    sign_out(client)
    assert _set_password(client, genuine).status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert site1.name in home and site2.name in home and "Access offered to you" in home
    assert _answer(client, _offer_id(site1, invitee.id), "accept").status_code == 302
    assert _answer(client, offer2, "decline").status_code == 302
    assert _membership(site1, invitee.id).role == "manager"
    assert _membership(site2, invitee.id) is None
    assert db.session.scalar(select(func.count(MembershipOffer.id))) == 0


def test_resending_one_sites_link_never_touches_another_sites_or_a_password(
    client, site_world, make_user
) -> None:
    """Item 1: a site sends a new link only to an account it invited whose password nobody
    chose; an account in use gets no link and its password stays as it was."""
    site1, site2 = site_world["site"], site_world["other_site"]
    in_use = make_user(name="In Use", email="in.use@example.nhs.uk")
    sign_in(client, site_world["outsider"])
    _offer(client, site2, in_use.email, "In Use")
    offer = _offer_id(site2, in_use.id)
    client.post(
        f"/sites/{site2.id}/members/offers/{offer}/invitation",
        data={"csrf_token": csrf_token(client, f"/sites/{site2.id}/members")},
    )
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    assert _sign_in_with(client, in_use.email, PASSWORD).status_code == 302

    # Site 1 invites a new account; site 2 offers it access; site 1 sends its link again.
    sign_in(client, site_world["manager"])
    _offer(client, site1, "fresh@example.nhs.uk", "Fresh")
    fresh = db.session.scalar(select(User).where(User.email == "fresh@example.nhs.uk"))
    sign_in(client, site_world["outsider"])
    _offer(client, site2, fresh.email, "Fresh")
    sign_in(client, site_world["manager"])
    client.post(
        f"/sites/{site1.id}/members/offers/{_offer_id(site1, fresh.id)}/invitation",
        data={"csrf_token": csrf_token(client, f"/sites/{site1.id}/members")},
    )
    links = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
    assert [(i.site_id, i.revoked) for i in links] == [(site1.id, True), (site1.id, False)]
    # Once the password is chosen, no site may send the account a link again.
    sign_out(client)
    _set_password(client, emailed_invitation_path(fresh.email))
    sign_in(client, site_world["manager"])
    client.post(
        f"/sites/{site1.id}/members/offers/{_offer_id(site1, fresh.id)}/invitation",
        data={"csrf_token": csrf_token(client, f"/sites/{site1.id}/members")},
    )
    assert db.session.scalar(select(func.count(Invitation.id))) == 2
    assert _sign_in_with(client, fresh.email, NEW_PASSWORD).status_code == 302


def test_adding_an_existing_account_needs_its_consent_and_reveals_nothing(
    client, site_world
) -> None:
    """Item 14: the same words for an administrator's email and an unknown one; the
    account's name is not shown; nothing is given until they accept."""
    site, admin = site_world["site"], site_world["admin"]
    sign_in(client, site_world["manager"])
    known = _offer(client, site, admin.email, "Typed Name").get_data(as_text=True)
    unknown = _offer(client, site, "nobody.yet@example.nhs.uk", "Typed Name").get_data(as_text=True)
    words = "has been offered editor access. They get it when they accept"
    assert f"{admin.email} {words}" in known and f"nobody.yet@example.nhs.uk {words}" in unknown
    assert admin.name not in known and admin.name not in unknown
    # An email without a name is refused whether or not it has an account.
    for email in (site_world["support"].email, "nobody.else@example.nhs.uk"):
        refused = _offer(client, site, email, "")
        assert refused.status_code == 422
        assert "Enter the person&#39;s full name." in refused.get_data(as_text=True)
    assert _membership(site, admin.id) is None

    sign_in(client, admin)
    offer = _offer_id(site, admin.id)
    assert "Access offered to you" in client.get("/").get_data(as_text=True)
    assert _answer(client, offer, "decline").status_code == 302
    assert _membership(site, admin.id) is None and _offer_id(site, admin.id) is None


def test_a_reinvitation_stops_the_old_link_and_the_old_password_at_first_use(
    client, site_world, make_user
) -> None:
    """Item 14, as decided (docs/DEVELOPING.md): the new link replaces the old one at once;
    the old password keeps working until the new link is used, then it and every session
    signed in with it stop."""
    user = make_user(name="Forgetful", email="forgetful@example.nhs.uk")
    sign_in(client, site_world["admin"])
    client.post(
        f"/admin/users/{user.id}/invitation",
        data={"csrf_token": csrf_token(client, "/admin/users")},
    )
    first = emailed_invitation_path(user.email)
    client.post(
        f"/admin/users/{user.id}/invitation",
        data={"csrf_token": csrf_token(client, "/admin/users")},
    )
    second = emailed_invitation_path(user.email)
    sign_out(client)
    assert client.get(first).status_code == 410
    # Until the new link is used, the old password still signs in (a re-invitation is not a
    # way to lock someone out).
    assert _sign_in_with(client, user.email, PASSWORD).status_code == 302
    old_session = client.application.test_client()
    assert _sign_in_with(old_session, user.email, PASSWORD).status_code == 302
    sign_out(client)
    assert _set_password(client, second, OTHER_PASSWORD).status_code == 302
    assert old_session.get("/").status_code == 302  # signed out
    refused = _sign_in_with(client, user.email, PASSWORD)
    assert "Email or password is incorrect." in refused.get_data(as_text=True)
    assert _sign_in_with(client, user.email, OTHER_PASSWORD).status_code == 302


def test_the_inviter_cannot_use_the_link_in_their_own_session(client, site_world) -> None:
    """Item 7: a manager who opens the link they sent (an alias's) while signed in is refused."""
    site = site_world["site"]
    sign_in(client, site_world["manager"])
    _offer(client, site, "alias@example.nhs.uk", "Alias", role="viewer", sponsor=True)
    path = emailed_invitation_path("alias@example.nhs.uk")
    assert client.get(path).status_code == 409
    refused = _set_password(client, path)
    assert refused.status_code == 409
    assert "signed in as someone else" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Invitation.used_at)) is None


@pytest.fixture
def review_requested(login, site_world, make_plan):  # noqa: ANN001, ANN201
    """Phase 1 waiting for review, requested by the site's manager."""
    site = site_world["site"]
    make_plan(site)
    manager = login(site_world["manager"])
    reasons = {
        f"request-exception-{c.key}": "Agreed at the steering group"
        for c in criteria(site, 1).blockers
    }
    token = csrf_token(manager, f"/sites/{site.id}/gateways/1")
    response = manager.post(
        f"/sites/{site.id}/gateways/1/request-review", data={"csrf_token": token, **reasons}
    )
    assert response.status_code == 302
    return site


def _sign_off(client, site):  # noqa: ANN001, ANN201
    token = csrf_token(client, f"/sites/{site.id}/gateways/1")
    decision = {"decision": "sign_off", "conditions": "Accepted for now"}
    return client.post(
        f"/sites/{site.id}/gateways/1/decision", data={"csrf_token": token, **decision}
    )


def _status(site) -> str:  # noqa: ANN001
    db.session.expire_all()
    return db.session.scalar(
        select(Gateway.status).where(Gateway.site_id == site.id, Gateway.phase == 1)
    )


def test_a_sponsor_made_by_the_requester_cannot_sign_that_review(
    client, site_world, review_requested
) -> None:
    """Item 7: the manager makes an alias sponsor, the alias accepts (signed in as itself)
    and tries to sign the manager's review: refused. Sponsorship from another manager
    (or an administrator) signs."""
    site = review_requested
    sign_in(client, site_world["manager"])
    _offer(client, site, "alias@example.nhs.uk", "Alias", role="viewer", sponsor=True)
    sign_out(client)
    _set_password(client, emailed_invitation_path("alias@example.nhs.uk"))
    alias = db.session.scalar(select(User).where(User.email == "alias@example.nhs.uk"))
    assert _answer(client, _offer_id(site, alias.id), "accept").status_code == 302
    assert _membership(site, alias.id).sponsor_granted_by_id == site_world["manager"].id
    refused = _sign_off(client, site)
    assert refused.status_code == 422
    assert "made you the sponsor" in refused.get_data(as_text=True)
    assert _status(site) == "review_requested"

    # The same alias, made sponsor by an administrator instead, may sign.
    membership = _membership(site, alias.id)
    membership.sponsor_granted_by_id = site_world["admin"].id
    db.session.commit()
    assert _sign_off(client, site).status_code == 302
    assert _status(site) == "signed_off_exceptions"


def test_sponsorship_granted_on_the_members_page_is_recorded(client, site_world) -> None:
    site, editor = site_world["site"], site_world["editor"]
    membership = _membership(site, editor.id)
    sign_in(client, site_world["manager"])
    client.post(
        f"/sites/{site.id}/members/{membership.id}",
        data={
            "role": "editor",
            "is_sponsor": "y",
            "version": membership.version,
            "csrf_token": csrf_token(client, f"/sites/{site.id}/members"),
        },
    )
    db.session.expire_all()
    assert _membership(site, editor.id).sponsor_granted_by_id == site_world["manager"].id


def test_invitation_emails_are_queued_only_for_new_accounts(client, site_world) -> None:
    site = site_world["site"]
    sign_in(client, site_world["manager"])
    _offer(client, site, site_world["support"].email, "Someone")
    _offer(client, site, "brand.new@example.nhs.uk", "Someone New")
    kinds = (
        db.session.execute(
            select(OutboxMessage.to_address).where(OutboxMessage.kind == "account_invitation")
        )
        .scalars()
        .all()
    )
    assert kinds == ["brand.new@example.nhs.uk"]


def test_a_member_from_before_offers_gets_a_new_link_only_from_the_site_that_invited_them(
    client, site_world
) -> None:
    """Memberships made before offers existed: site 2 cannot send site 1's invitee a link."""
    from app.accounts.invitations import create_invitation, invite_user

    site1, site2 = site_world["site"], site_world["other_site"]
    user, _created = invite_user("legacy@example.nhs.uk", "Lee Gacy")
    create_invitation(user, site_world["manager"], site_id=site1.id)
    both = [Membership(site_id=s.id, user_id=user.id, role="viewer") for s in (site1, site2)]
    db.session.add_all(both)
    db.session.commit()
    first = emailed_invitation_path(user.email)

    sign_in(client, site_world["outsider"])
    refused = client.post(
        f"/sites/{site2.id}/members/{both[1].id}/invitation",
        data={"csrf_token": csrf_token(client, f"/sites/{site2.id}/members")},
        follow_redirects=True,
    )
    assert "already chosen a password" in refused.get_data(as_text=True)
    assert emailed_invitation_path(user.email) == first

    sign_in(client, site_world["manager"])
    sent = client.post(
        f"/sites/{site1.id}/members/{both[0].id}/invitation",
        data={"csrf_token": csrf_token(client, f"/sites/{site1.id}/members")},
        follow_redirects=True,
    )
    html = sent.get_data(as_text=True)
    assert "A new link has been emailed to legacy@example.nhs.uk" in html
    assert "/invitations/" not in html
    assert emailed_invitation_path(user.email) != first


def test_the_history_names_who_made_a_member_sponsor(client, site_world) -> None:
    site, editor, manager = site_world["site"], site_world["editor"], site_world["manager"]
    membership = _membership(site, editor.id)
    membership.is_sponsor = True
    membership.sponsor_granted_by_id = manager.id
    db.session.commit()
    sign_in(client, manager)
    html = client.get(f"/sites/{site.id}/history").get_data(as_text=True)
    assert f"Made sponsor by: (blank) → {manager.name}" in html


def test_an_offer_to_someone_already_a_member_is_simply_used_up(client, site_world) -> None:
    site, editor = site_world["site"], site_world["editor"]
    db.session.add(
        MembershipOffer(
            site_id=site.id, user_id=editor.id, email=editor.email, name_given="Ed", role="manager"
        )
    )
    db.session.commit()
    sign_in(client, editor)
    assert _answer(client, _offer_id(site, editor.id), "accept").status_code == 302
    assert _offer_id(site, editor.id) is None
    assert _membership(site, editor.id).role == "editor"  # unchanged: an offer adds, never edits
