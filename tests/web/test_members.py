"""One person, one record: members are people, roles follow access, owners and removal."""

from sqlalchemy import select

from app.accounts.models import Invitation, User
from app.extensions import db
from app.people.models import Group, GroupMember, Person
from app.plan.models import Plan, Task
from app.sites.models import Membership, MembershipOffer, Site
from tests.conftest import csrf_token, sign_in, sign_out
from tests.web.emailed_links import emailed_invitation_path

NEW_PASSWORD = "a long new passphrase"


def _team_roles(site) -> dict[str, list[str]]:  # noqa: ANN001
    rows = db.session.execute(
        select(GroupMember.team_role, Person.name)
        .join(Person, Person.id == GroupMember.person_id)
        .join(Group, Group.id == GroupMember.group_id)
        .where(Group.site_id == site.id, Group.kind == "project_team")
    ).all()
    roles: dict[str, list[str]] = {}
    for role, name in rows:
        roles.setdefault(role, []).append(name)
    return roles


def _add(client, site, **data):  # noqa: ANN001, ANN003, ANN202
    data.setdefault("role", "editor")
    data["csrf_token"] = csrf_token(client, f"/sites/{site.id}/members")
    return client.post(f"/sites/{site.id}/members", data=data)


def _join(client, email: str, user: User | None = None) -> User:  # noqa: ANN001
    """The invitee takes up the offer: a new account first chooses its password through the
    emailed link; then, signed in as themselves, they accept on their home page."""
    sign_out(client)
    if user is None:
        path = emailed_invitation_path(email)
        data = {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
        data["csrf_token"] = csrf_token(client, path)
        assert client.post(path, data=data).status_code == 302
        user = db.session.scalar(select(User).where(User.email == email))
    else:
        sign_in(client, user)
    offer_id = db.session.scalar(
        select(MembershipOffer.id).where(MembershipOffer.user_id == user.id)
    )
    home = client.get("/").get_data(as_text=True)
    assert f"/access-offers/{offer_id}/accept" in home
    accepted = client.post(
        f"/access-offers/{offer_id}/accept", data={"csrf_token": csrf_token(client, "/")}
    )
    assert accepted.status_code == 302
    sign_out(client)
    return user


def test_inviting_a_new_manager_creates_one_person_in_the_project_manager_role(
    client, site_world
) -> None:
    site = site_world["site"]
    sign_in(client, site_world["manager"])
    response = _add(
        client, site, email="Nia.Jones@Example.NHS.uk", name="Nia Jones", role="manager"
    )
    assert response.status_code == 302
    html = client.get(f"/sites/{site.id}/members").get_data(as_text=True)
    assert "nia.jones@example.nhs.uk has been offered manager access." in html
    # The link goes to the invitee only: never shown to the manager, only its hash stored.
    assert "/invitations/" not in html
    token = emailed_invitation_path("nia.jones@example.nhs.uk").rsplit("/", 1)[1]
    assert db.session.scalar(select(Invitation.token_hash)) != token
    user = db.session.scalar(select(User).where(User.email == "nia.jones@example.nhs.uk"))
    # Nothing is given until they accept.
    assert db.session.scalar(select(Membership).where(Membership.user_id == user.id)) is None
    _join(client, "nia.jones@example.nhs.uk")
    people = db.session.scalars(select(Person).where(Person.site_id == site.id)).all()
    assert [p.name for p in people if p.user_id == user.id] == ["Nia Jones"]
    assert _team_roles(site)["project-manager"] == ["Nia Jones"]
    # The same email again, in another case, is one person already on the site.
    sign_in(client, site_world["manager"])
    again = _add(client, site, email="NIA.JONES@example.nhs.uk", name="Nia Jones")
    assert again.status_code == 422 and "already has access" in again.get_data(as_text=True)


def test_adding_a_member_links_their_existing_people_entry(
    client, site_world, make_stakeholder
) -> None:
    site, editor = site_world["site"], site_world["editor"]
    entry = make_stakeholder(site, name="Ed Itor", email=editor.email.upper())
    db.session.execute(db.delete(Membership).where(Membership.user_id == editor.id))
    db.session.commit()
    sign_in(client, site_world["manager"])
    assert _add(client, site, email=editor.email, name="Ed").status_code == 302
    _join(client, editor.email, editor)
    sign_in(client, site_world["manager"])
    db.session.expire_all()
    assert db.session.get(Person, entry.id).user_id == editor.id
    count = db.session.scalar(
        select(db.func.count()).select_from(Person).where(Person.site_id == site.id)
    )
    assert count == 1
    html = client.get(f"/sites/{site.id}/people").get_data(as_text=True)
    assert "Ed Itor" in html and "Member" in html


def test_the_sponsor_fills_the_sponsor_role_and_is_shown_as_such(client, site_world) -> None:
    site = site_world["site"]
    sign_in(client, site_world["manager"])
    response = _add(
        client, site, email="sam@example.nhs.uk", name="Sam Sponsor", role="viewer", is_sponsor="y"
    )
    assert response.status_code == 302
    waiting = client.get(f"/sites/{site.id}/members").get_data(as_text=True)
    assert "Viewer and project sponsor" in waiting
    _join(client, "sam@example.nhs.uk")
    assert _team_roles(site)["project-sponsor"] == ["Sam Sponsor"]
    sign_in(client, site_world["manager"])
    html = client.get(f"/sites/{site.id}/members").get_data(as_text=True)
    assert "Project sponsor" in html


def test_a_role_held_by_someone_else_is_offered_as_a_swap(
    client, site_world, make_stakeholder, make_user
) -> None:
    site = site_world["site"]
    make_stakeholder(site, name="Old Manager", groups=["project_team"], team_role="project-manager")
    newcomer = make_user(name="New Manager")
    sign_in(client, site_world["manager"])
    response = _add(client, site, email=newcomer.email, name="New", role="manager")
    assert response.status_code == 302
    _join(client, newcomer.email, newcomer)
    sign_in(client, site_world["manager"])
    page = client.get(f"/sites/{site.id}/members").get_data(as_text=True)
    assert "Make New Manager the project manager instead" in page
    membership = db.session.scalar(select(Membership).where(Membership.user_id == newcomer.id))
    swap = client.post(
        f"/sites/{site.id}/members/{membership.id}/team-role",
        data={
            "role": "project-manager",
            "csrf_token": csrf_token(client, f"/sites/{site.id}/members"),
        },
    )
    assert swap.status_code == 302
    assert _team_roles(site)["project-manager"] == ["New Manager"]


def test_removing_a_member_says_what_they_own_and_reassigns_it(
    client, site_world, make_stakeholder, make_task
) -> None:
    site, editor = site_world["site"], site_world["editor"]
    sign_in(client, site_world["manager"])
    membership = db.session.scalar(select(Membership).where(Membership.user_id == editor.id))
    # Promote to create the editor's People entry through the service.
    client.post(
        f"/sites/{site.id}/members/{membership.id}",
        data={
            "role": "editor",
            "version": str(membership.version),
            "csrf_token": csrf_token(client, f"/sites/{site.id}/members"),
        },
    )
    person = db.session.scalar(select(Person).where(Person.user_id == editor.id))
    make_task(site, title="Find a clinical champion", owner_id=person.id)
    heir = make_stakeholder(site, name="Heir Apparent")
    url = f"/sites/{site.id}/members/{membership.id}/remove"
    page = client.get(url).get_data(as_text=True)
    assert "Task: Find a clinical champion" in page and "Who takes over" in page
    response = client.post(
        url, data={"new_owner_id": str(heir.id), "csrf_token": csrf_token(client, url)}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Membership).where(Membership.user_id == editor.id)) is None
    assert db.session.scalar(select(Task.owner_id)) == heir.id
    db.session.expire_all()
    assert db.session.get(Person, person.id).user_id is None  # still in People, unlinked


def test_erasing_a_person_who_is_a_user_deactivates_the_account(client, site_world) -> None:
    site, editor = site_world["site"], site_world["editor"]
    person = Person(site_id=site.id, name="Editor Person", email=editor.email, user_id=editor.id)
    db.session.add(person)
    db.session.commit()
    sign_in(client, site_world["manager"])
    url = f"/sites/{site.id}/people/{person.id}/erase"
    assert "also deactivates their account" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(client, url)}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Their user account has been deactivated" in html
    db.session.expire_all()
    assert db.session.get(User, editor.id).active is False
    assert db.session.get(Person, person.id).erased


def test_a_site_is_created_with_its_plan_and_a_population_with_commas(client, site_world) -> None:
    sign_in(client, site_world["admin"])
    response = client.post(
        "/sites/new",
        data={
            "name": "Hilltop FLS",
            "organisation": "Hilltop NHS Trust",
            "nation": "Scotland",
            "service_status": "improving",
            "start_date": "3/4/2026",
            "population_50_plus": "210,000",
            "csrf_token": csrf_token(client, "/sites/new"),
        },
    )
    assert response.status_code == 302
    site = db.session.scalar(select(Site).where(Site.name == "Hilltop FLS"))
    assert site.population_50_plus == 210000
    plan = db.session.scalar(select(Plan).where(Plan.site_id == site.id))
    assert plan.service_kind == "improving" and plan.start_date == site.start_date
    assert db.session.scalar(select(db.func.count(Task.id)).where(Task.site_id == site.id)) > 10
    kinds = db.session.scalars(select(Group.kind).where(Group.site_id == site.id)).all()
    assert "project_team" in kinds


def test_a_new_site_needs_a_start_date(client, site_world) -> None:
    sign_in(client, site_world["admin"])
    response = client.post(
        "/sites/new",
        data={
            "name": "Hilltop FLS",
            "organisation": "Hilltop NHS Trust",
            "nation": "England",
            "service_status": "new",
            "population_50_plus": "12x",
            "csrf_token": csrf_token(client, "/sites/new"),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the date the project starts." in html and 'value="12x"' in html


def test_an_empty_owner_list_says_how_to_add_people(client, site_world, make_plan) -> None:
    site = site_world["site"]
    make_plan(site)
    sign_in(client, site_world["editor"])
    html = client.get(f"/sites/{site.id}/tasks/new").get_data(as_text=True)
    assert "Nobody is listed in People yet" in html


def _count(client, count_queries, url: str) -> int:  # noqa: ANN001
    client.get(url)
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_people_and_members_pages_queries_do_not_grow(
    client, site_world, make_user, make_stakeholder, count_queries
) -> None:
    from app.sites.service import add_member

    site = site_world["site"]

    def grow(n: int) -> None:
        for _ in range(n):
            user = make_user()
            add_member(site, user.email, "manager" if _ % 2 else "editor", is_sponsor=_ == 3)
            make_stakeholder(
                site, groups=["project_team", "reference_group"], team_role="data-analyst"
            )
        db.session.commit()

    grow(4)
    sign_in(client, site_world["manager"])
    urls = [f"/sites/{site.id}/members", f"/sites/{site.id}/people"]
    small = [_count(client, count_queries, url) for url in urls]
    grow(20)
    assert [_count(client, count_queries, url) for url in urls] == small


def test_a_member_who_lost_their_invitation_gets_a_new_link(client, site_world) -> None:
    site = site_world["site"]
    sign_in(client, site_world["manager"])
    _add(client, site, email="late@example.nhs.uk", name="Lou Late")
    old_path = emailed_invitation_path("late@example.nhs.uk")
    offer = db.session.scalar(select(MembershipOffer))
    page = client.get(f"/sites/{site.id}/members").get_data(as_text=True)
    assert "Waiting for them to accept" in page and "Lou Late" in page
    response = client.post(
        f"/sites/{site.id}/members/offers/{offer.id}/invitation",
        data={"csrf_token": csrf_token(client, f"/sites/{site.id}/members")},
    )
    assert response.status_code == 302
    assert "/invitations/" not in client.get(f"/sites/{site.id}/members").get_data(as_text=True)
    new_path = emailed_invitation_path("late@example.nhs.uk")
    assert new_path != old_path
    sign_out(client)
    assert "newer invitation" in client.get(old_path).get_data(as_text=True)
    assert client.get(new_path).status_code == 200


def test_making_a_member_manager_fills_the_project_manager_role(client, site_world) -> None:
    site, editor = site_world["site"], site_world["editor"]
    membership = db.session.scalar(select(Membership).where(Membership.user_id == editor.id))
    sign_in(client, site_world["manager"])
    response = client.post(
        f"/sites/{site.id}/members/{membership.id}",
        data={
            "role": "manager",
            "is_sponsor": "y",
            "version": str(membership.version),
            "csrf_token": csrf_token(client, f"/sites/{site.id}/members"),
        },
        follow_redirects=True,
    )
    assert "Editor Person is now Project sponsor (manager access)." in response.get_data(
        as_text=True
    )
    roles = _team_roles(site)
    assert roles["project-manager"] == ["Editor Person"]
    assert roles["project-sponsor"] == ["Editor Person"]


def test_a_stale_change_of_access_is_a_409_and_changes_nothing(login, site_world) -> None:
    """Two managers open the members page; the second to save is shown the first's change."""

    site = site_world["site"]
    editor = db.session.scalar(
        select(Membership).where(
            Membership.site_id == site.id, Membership.user_id == site_world["editor"].id
        )
    )
    opened_at = editor.version
    editor.role = "manager"  # another manager saved first
    db.session.commit()
    client = login(site_world["manager"])
    response = client.post(
        f"/sites/{site.id}/members/{editor.id}",
        data={
            "csrf_token": csrf_token(client, f"/sites/{site.id}/members"),
            "version": str(opened_at),
            "role": "viewer",
        },
    )
    assert response.status_code == 409
    db.session.refresh(editor)
    assert editor.role == "manager"


def test_every_empty_owner_list_says_how_to_add_people(
    client, site_world, make_plan, make_task
) -> None:
    """The inline plan editor, the action forms and the risk form, as well as the task form."""
    site = site_world["site"]
    make_plan(site)
    task = make_task(site, title="Row to edit")
    sign_in(client, site_world["editor"])
    row = client.get(
        f"/sites/{site.id}/plan?edit={task.id}", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert f'id="owners-hint-{task.id}">Nobody to choose yet' in row
    assert f'href="/sites/{site.id}/people/new">add people</a>' in row
    for url in (f"/sites/{site.id}/actions", f"/sites/{site.id}/risks/new"):
        assert "Nobody is listed in People yet" in client.get(url).get_data(as_text=True), url


def test_a_people_entry_is_given_access_as_the_same_person(
    client, site_world, make_stakeholder
) -> None:
    site = site_world["site"]
    entry = make_stakeholder(site, name="Rhi Evans", email="rhi.evans@example.nhs.uk")
    sign_in(client, site_world["manager"])
    page = client.get(f"/sites/{site.id}/people/{entry.id}").get_data(as_text=True)
    assert f'href="/sites/{site.id}/members?invite={entry.id}">Give Rhi Evans access' in page
    form = client.get(f"/sites/{site.id}/members?invite={entry.id}").get_data(as_text=True)
    assert 'value="rhi.evans@example.nhs.uk"' in form and 'value="Rhi Evans"' in form
    response = _add(client, site, email="rhi.evans@example.nhs.uk", name="Rhi Evans")
    assert response.status_code == 302
    user = _join(client, "rhi.evans@example.nhs.uk")
    sign_in(client, site_world["manager"])
    db.session.expire_all()
    assert db.session.get(Person, entry.id).user_id == user.id
    named = db.session.scalars(select(Person.id).where(Person.name == "Rhi Evans")).all()
    assert named == [entry.id]
    # A member's page offers no second invitation.
    page = client.get(f"/sites/{site.id}/people/{entry.id}").get_data(as_text=True)
    assert "Give Rhi Evans access" not in page


def test_a_members_email_in_people_is_the_one_they_sign_in_with(login, site_world) -> None:
    """One place for the email: meeting mail (People) and account mail go to one address."""
    site, editor = site_world["site"], site_world["editor"]
    person = Person(site_id=site.id, name="Ed Itor", email=editor.email, user_id=editor.id)
    db.session.add(person)
    db.session.commit()
    client = login(site_world["manager"])
    url = f"/sites/{site.id}/people/{person.id}/edit"
    form = {
        "name": "Ed Itor",
        "email": "ed.personal@example.com",
        "user_id": str(editor.id),
        "preferred_contact": "email",
        "influence": "low",
        "interest": "low",
        "engagement": "engaged",
        "version": str(person.version),
        "csrf_token": csrf_token(client, url),
    }
    refused = client.post(url, data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f"Ed Itor signs in with {editor.email}" in html
    assert 'value="ed.personal@example.com"' in html  # what was typed is kept
    db.session.refresh(person)
    assert person.email == editor.email
    # The same address in capitals is the same address; other details still save.
    saved = client.post(url, data=form | {"email": editor.email.upper(), "phone": "01632 960 123"})
    assert saved.status_code == 302
    db.session.refresh(person)
    assert person.phone == "01632 960 123"
