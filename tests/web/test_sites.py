"""Sites, memberships and the guard in front of every per-site page."""

from sqlalchemy import select

from app.core.audit import AuditEvent
from app.extensions import db
from app.sites.models import Membership, MembershipOffer, Site
from tests.conftest import csrf_token, sign_in


def test_member_of_one_site_gets_403_on_another_and_it_is_logged(client, site_world) -> None:
    sign_in(client, site_world["outsider"])
    response = client.get(f"/sites/{site_world['site'].id}/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.get_data(as_text=True)
    denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "denied")).all()
    assert [(e.user_id, e.site_id) for e in denied] == [
        (site_world["outsider"].id, site_world["site"].id)
    ]


def test_unknown_site_is_404(client, site_world) -> None:
    sign_in(client, site_world["admin"])
    assert client.get("/sites/999999/").status_code == 404


def test_home_lists_only_my_sites_but_support_sees_all(client, site_world) -> None:
    sign_in(client, site_world["viewer"])
    html = client.get("/").get_data(as_text=True)
    assert "Riverside FLS" in html and "Elsewhere FLS" not in html
    assert "Start Out" in html
    sign_in(client, site_world["support"])
    html = client.get("/").get_data(as_text=True)
    assert "Riverside FLS" in html and "Elsewhere FLS" in html


def test_admin_creates_a_site_with_uk_dates(client, site_world) -> None:
    sign_in(client, site_world["admin"])
    response = client.post(
        "/sites/new",
        data={
            "name": "Hilltop FLS",
            "organisation": "Hilltop NHS Trust",
            "nation": "Wales",
            "service_status": "developing",
            "start_date": "3/4/2026",
            "population_50_plus": "120000",
            "csrf_token": csrf_token(client, "/sites/new"),
        },
    )
    assert response.status_code == 302
    site = db.session.scalar(select(Site).where(Site.name == "Hilltop FLS"))
    assert site.start_date.isoformat() == "2026-04-03"
    assert site.population_50_plus == 120000


def test_bad_site_input_is_kept_with_messages(client, site_world) -> None:
    sign_in(client, site_world["admin"])
    response = client.post(
        "/sites/new",
        data={
            "name": "",
            "organisation": "Hilltop NHS Trust",
            "nation": "England",
            "service_status": "new",
            "start_date": "31/2/2026",
            "population_50_plus": "0",
            "csrf_token": csrf_token(client, "/sites/new"),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the site&#39;s name." in html
    assert "Enter a real date" in html
    assert 'value="31/2/2026"' in html
    assert "Population must be a whole number above 0." in html
    assert db.session.scalar(select(Site).where(Site.organisation == "Hilltop NHS Trust")) is None


def test_manager_adds_a_member_and_a_viewer_cannot(client, site_world, make_user) -> None:
    newcomer = make_user(email="new.person@example.nhs.uk")
    site_id = site_world["site"].id
    sign_in(client, site_world["viewer"])
    token = csrf_token(client, f"/sites/{site_id}/members")
    data = {"email": newcomer.email, "name": "New", "role": "editor", "csrf_token": token}
    assert client.post(f"/sites/{site_id}/members", data=data).status_code == 403

    sign_in(client, site_world["manager"])
    data["csrf_token"] = csrf_token(client, f"/sites/{site_id}/members")
    assert client.post(f"/sites/{site_id}/members", data=data).status_code == 302
    # Offered, not given: the newcomer accepts on their home page.
    offer = db.session.scalar(select(MembershipOffer).where(MembershipOffer.user_id == newcomer.id))
    assert offer.role == "editor" and offer.site_id == site_id
    again = client.post(f"/sites/{site_id}/members", data=data)
    assert again.status_code == 422
    assert "already been offered access" in again.get_data(as_text=True)

    sign_in(client, newcomer)
    token = csrf_token(client, "/")
    client.post(f"/access-offers/{offer.id}/accept", data={"csrf_token": token})
    membership = db.session.scalar(select(Membership).where(Membership.user_id == newcomer.id))
    assert membership.role == "editor" and membership.site_id == site_id

    sign_in(client, site_world["manager"])
    data["csrf_token"] = csrf_token(client, f"/sites/{site_id}/members")
    again = client.post(f"/sites/{site_id}/members", data=data)
    assert again.status_code == 422
    assert "already has access" in again.get_data(as_text=True)


def test_membership_ids_from_another_site_are_404(client, site_world) -> None:
    other_membership = db.session.scalar(
        select(Membership).where(Membership.site_id == site_world["other_site"].id)
    )
    sign_in(client, site_world["manager"])
    site_id = site_world["site"].id
    response = client.post(
        f"/sites/{site_id}/members/{other_membership.id}/remove",
        data={"csrf_token": csrf_token(client, f"/sites/{site_id}/members")},
    )
    assert response.status_code == 404


def test_stale_site_edit_gets_409_and_saves_nothing(client, site_world) -> None:
    site = site_world["site"]
    sign_in(client, site_world["manager"])
    token = csrf_token(client, f"/sites/{site.id}/settings")
    form = {
        "name": "Renamed FLS",
        "organisation": site.organisation,
        "nation": "England",
        "service_status": "new",
        "version": str(site.version),
        "csrf_token": token,
    }
    site.name = "Someone else's name"
    db.session.commit()
    response = client.post(f"/sites/{site.id}/settings", data=form)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else" in html and "Renamed FLS" in html
    db.session.refresh(site)
    assert site.name == "Someone else's name"


def test_history_records_each_changed_field(client, site_world) -> None:
    site = site_world["site"]
    sign_in(client, site_world["manager"])
    form = {
        "name": site.name,
        "organisation": "Riverside Hospitals",
        "nation": "England",
        "region": "North West",
        "service_status": "new",
        "version": str(site.version),
        "csrf_token": csrf_token(client, f"/sites/{site.id}/settings"),
    }
    assert client.post(f"/sites/{site.id}/settings", data=form).status_code == 302
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "site", AuditEvent.action == "update")
    ).all()
    assert {(r.field, r.new_value, r.user_id) for r in rows} == {
        ("organisation", "Riverside Hospitals", site_world["manager"].id),
        ("region", "North West", site_world["manager"].id),
    }
    html = client.get(f"/sites/{site.id}/history").get_data(as_text=True)
    assert "Riverside Hospitals" in html and "Manager Person" in html
