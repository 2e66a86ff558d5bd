"""People pages: adding, editing, groups, coverage and how many queries they cost."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.extensions import db
from app.people import groups as group_rules
from app.people import queries, service, vocabulary
from app.people.models import Group, Person

pytestmark = pytest.mark.app_config(WTF_CSRF_ENABLED=False)


def _url(site, path: str) -> str:
    return f"/sites/{site.id}{path}"


def test_add_person_shows_errors_and_keeps_input(site_world, login) -> None:
    site = site_world["site"]
    client = login(site_world["editor"])
    response = client.post(
        _url(site, "/people/new"),
        data={
            "name": "Ada Lovelace",
            "email": "not-an-email",
            "phone": "12ab",
            "category": "no-such-category",
            "preferred_contact": "email",
            "influence": "high",
            "interest": "low",
            "engagement": "identified",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in html
    assert "Enter an email address in the right format" in html
    assert "Enter a phone number like" in html
    assert 'value="Ada Lovelace"' in html
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 0


def test_add_person_then_duplicate_email_is_refused(site_world, login) -> None:
    site = site_world["site"]
    client = login(site_world["editor"])
    data = {
        "name": "Grace Hopper",
        "email": "grace@example.nhs.uk",
        "category": "patients",
        "preferred_contact": "email",
        "influence": "low",
        "interest": "high",
        "engagement": "contacted",
        "job_title": "Patient representative",
    }
    response = client.post(_url(site, "/people/new"), data=data)
    assert response.status_code == 302
    person = db.session.scalar(db.select(Person))
    assert person.name == "Grace Hopper" and person.category == "patients"
    again = client.post(_url(site, "/people/new"), data=data | {"email": "GRACE@example.nhs.uk"})
    assert again.status_code == 422
    assert "already listed" in again.get_data(as_text=True)
    page = client.get(_url(site, f"/people/{person.id}")).get_data(as_text=True)
    assert "Grace Hopper" in page and "Patient representative" in page


def test_other_category_needs_a_description(site_world, login) -> None:
    client = login(site_world["editor"])
    response = client.post(
        _url(site_world["site"], "/people/new"),
        data={
            "name": "Olu",
            "category": "other",
            "preferred_contact": "email",
            "influence": "low",
            "interest": "low",
            "engagement": "identified",
        },
    )
    assert response.status_code == 422
    assert "Describe the category" in response.get_data(as_text=True)


def test_stale_edit_gets_409(site_world, login, make_stakeholder) -> None:
    site = site_world["site"]
    person = make_stakeholder(site, name="Mary Seacole")
    client = login(site_world["editor"])
    form = {
        "name": "Mary Seacole",
        "preferred_contact": "email",
        "influence": "low",
        "interest": "low",
        "engagement": "engaged",
        "version": str(person.version),
    }
    assert client.post(_url(site, f"/people/{person.id}/edit"), data=form).status_code == 302
    stale = client.post(_url(site, f"/people/{person.id}/edit"), data=form | {"name": "Mary S"})
    assert stale.status_code == 409
    db.session.refresh(person)
    assert person.name == "Mary Seacole" and person.engagement == "engaged"


def test_person_from_another_site_is_404(site_world, login, make_stakeholder) -> None:
    elsewhere = make_stakeholder(site_world["other_site"], name="Other Site Person")
    client = login(site_world["manager"])
    site = site_world["site"]
    assert client.get(_url(site, f"/people/{elsewhere.id}")).status_code == 404
    assert client.post(_url(site, f"/people/{elsewhere.id}/erase")).status_code == 404


def test_filters(site_world, login, make_stakeholder) -> None:
    site = site_world["site"]
    make_stakeholder(site, name="Alice GP", category="primary-care", groups=["reference_group"])
    make_stakeholder(site, name="Bob Pharmacist", category="pharmacy", engagement="engaged")
    client = login(site_world["viewer"])
    html = client.get(_url(site, "/people?category=pharmacy")).get_data(as_text=True)
    assert "Bob Pharmacist" in html and "Alice GP" not in html
    group = queries.group_of_kind(site.id, "reference_group")
    html = client.get(_url(site, f"/people?group={group.id}")).get_data(as_text=True)
    assert "Alice GP" in html and "Bob Pharmacist" not in html
    html = client.get(_url(site, "/people?q=pharm&engagement=engaged")).get_data(as_text=True)
    assert "Bob Pharmacist" in html and "Alice GP" not in html


def test_groups_membership_and_roles(site_world, login, make_stakeholder) -> None:
    site = site_world["site"]
    person = make_stakeholder(site, name="Tom Evans")
    client = login(site_world["editor"])
    client.get(_url(site, "/people"))  # creates the standard groups
    team = queries.group_of_kind(site.id, "project_team")
    missing_role = client.post(_url(site, f"/groups/{team.id}"), data={"person_ids": person.id})
    assert missing_role.status_code == 422
    assert "role on the project team" in missing_role.get_data(as_text=True)
    ok = client.post(
        _url(site, f"/groups/{team.id}"),
        data={"person_ids": person.id, "team_role": "clinical-lead"},
    )
    assert ok.status_code == 302
    # a further role is added from the person's page; the group no longer offers them
    client.post(
        _url(site, f"/people/{person.id}/groups"),
        data={"group_id": team.id, "team_role": "lead-consultant"},
    )
    again = client.post(
        _url(site, f"/groups/{team.id}"),
        data={"person_ids": person.id, "team_role": "clinical-lead"},
    )
    assert again.status_code == 422
    html = client.get(_url(site, f"/groups/{team.id}")).get_data(as_text=True)
    assert "Clinical lead / champion" in html and "Lead consultant" in html
    member = queries.group_members(team)[0]
    confirm = client.get(_url(site, f"/groups/{team.id}/members/{member.id}/remove"))
    assert "Remove Tom Evans" in confirm.get_data(as_text=True)
    client.post(_url(site, f"/groups/{team.id}/members/{member.id}/remove"))
    assert len(queries.group_members(team)) == 1


def test_custom_group_create_and_delete(site_world, login) -> None:
    site = site_world["site"]
    client = login(site_world["editor"])
    response = client.post(_url(site, "/groups"), data={"name": "Patient panel", "quorum": "3"})
    assert response.status_code == 302
    dup = client.post(_url(site, "/groups"), data={"name": "patient panel"})
    assert dup.status_code == 422
    group = db.session.scalar(db.select(Group).where(Group.kind == "custom"))
    assert group.quorum == 3
    client.post(_url(site, f"/groups/{group.id}/delete"))
    assert db.session.scalar(db.select(Group).where(Group.id == group.id)) is None
    team = queries.group_of_kind(site.id, "project_team")
    client.post(_url(site, f"/groups/{team.id}/delete"))
    assert db.session.scalar(db.select(Group).where(Group.id == team.id)) is not None


def test_coverage_changes_as_reference_group_fills(site_world, login, make_stakeholder) -> None:
    site = site_world["site"]
    client = login(site_world["viewer"])
    html = client.get(_url(site, "/coverage")).get_data(as_text=True)
    assert "0 of 13 categories" in html and "0 of 7 roles filled" in html
    assert "Not met" in html
    make_stakeholder(site, name="Pat Patient", category="patients", groups=["reference_group"])
    make_stakeholder(site, name="Carl Carer", category="carers", groups=["reference_group"])
    make_stakeholder(
        site,
        name="Polly Manager",
        category="directors",
        groups=["project_team"],
        team_role="project-manager",
        influence="high",
        interest="high",
    )
    html = client.get(_url(site, "/coverage")).get_data(as_text=True)
    assert "2 of 13 categories" in html and "1 of 7 roles filled" in html
    assert (
        "Met</strong>" in html
        or ">Met<" in html.replace("\n", "").replace(" ", "")
        or "Met" in html
    )
    assert "The improvement team includes 2 patients or carers" in html
    assert 'role="img"' in html and '<title id="grid-title">' in html
    assert "Manage closely (1)" in html


@pytest.mark.parametrize("path", ["/people", "/coverage", "/groups"])
def test_pages_run_a_fixed_number_of_queries(path, site_world, login, count_queries) -> None:
    site = site_world["site"]
    client = login(site_world["viewer"])
    group_rules.ensure_standard_groups(site)
    groups = [queries.group_of_kind(site.id, k) for k in ("project_team", "reference_group")]

    def seed(n: int, start: int) -> None:
        categories = list(vocabulary.category_names())
        roles = list(vocabulary.role_names())
        for i in range(start, start + n):
            person = service.create_person(
                site,
                service.PersonData(
                    name=f"Person {i:04d}",
                    email=f"p{i}@example.nhs.uk",
                    category=categories[i % len(categories)],
                    category_other="Ambulance service",
                    influence="high" if i % 2 else "low",
                ),
            )
            group_rules.add_to_group(groups[1], person)
            if i % 10 == 0:
                group_rules.add_to_group(groups[0], person, roles[i % len(roles)])
        db.session.commit()

    seed(20, 0)
    client.get(_url(site, path))
    db.session.expire_all()  # the test shares the app's session: start both counts cold
    with count_queries() as small:
        assert client.get(_url(site, path)).status_code == 200
    seed(480, 20)
    db.session.expire_all()
    with count_queries() as large:
        assert client.get(_url(site, path)).status_code == 200
    assert len(large) == len(small), [s[:60] for s in large.statements]


def test_many_people_join_a_group_in_one_submit(site_world, login, make_stakeholder) -> None:
    site = site_world["site"]
    client = login(site_world["editor"])
    client.get(_url(site, "/people"))  # creates the standard groups
    group = queries.group_of_kind(site.id, "reference_group")
    already = make_stakeholder(site, name="Already In", groups=["reference_group"])
    new = [make_stakeholder(site, name=f"New {n}") for n in range(5)]
    page = client.get(_url(site, f"/groups/{group.id}")).get_data(as_text=True)
    assert page.count('name="person_ids"') == 5 and f'value="{already.id}"' not in page
    none = client.post(_url(site, f"/groups/{group.id}"), data={"person_ids": []})
    assert none.status_code == 422 and "Choose at least one person" in none.get_data(as_text=True)
    ok = client.post(_url(site, f"/groups/{group.id}"), data={"person_ids": [p.id for p in new]})
    assert ok.status_code == 302
    assert {m.person.name for m in queries.group_members(group)} == {
        "Already In",
        *(p.name for p in new),
    }
    twice = client.post(_url(site, f"/groups/{group.id}"), data={"person_ids": [already.id]})
    assert twice.status_code == 422 and "already in" in twice.get_data(as_text=True)
    added = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.object_type == "group_member", AuditEvent.action == "create"
        )
    )
    assert added == 6  # one history row for each person added, and the one added before
