"""The sponsor and every team role holder are key players in People, with a category; the
home page calls the sponsor "Sponsor"."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.people import groups as group_rules
from app.people import queries
from app.people.models import Person
from app.sites.service import add_member


def test_a_sponsor_becomes_a_key_player_among_the_directors(site_world, make_user) -> None:
    site = site_world["site"]
    helen = make_user(name="Helen Brooks")
    add_member(site, helen.email, "viewer", is_sponsor=True)
    db.session.commit()
    person = db.session.scalar(select(Person).where(Person.user_id == helen.id))
    assert (person.influence, person.interest, person.category) == ("high", "high", "directors")


def test_every_team_role_holder_is_a_key_player(site_world, make_stakeholder) -> None:
    site = site_world["site"]
    group_rules.ensure_standard_groups(site)
    team = queries.group_of_kind(site.id, "project_team")
    listed = make_stakeholder(site, name="Already Listed", category="pharmacy")
    analyst = make_stakeholder(site, name="Dana Analyst")
    group_rules.add_many_to_group(team, [listed, analyst], "data-analyst")
    db.session.commit()
    assert (analyst.influence, analyst.interest, analyst.category) == (
        "high",
        "high",
        "fracture-pathway",
    )
    assert listed.category == "pharmacy"  # a category someone chose is kept


def test_the_home_page_calls_the_sponsor_sponsor(login, site_world, make_user) -> None:
    site = site_world["site"]
    helen = make_user(name="Helen Brooks")
    add_member(site, helen.email, "viewer", is_sponsor=True)
    db.session.commit()
    page = login(helen).get("/").get_data(as_text=True)
    row = page[page.index(site.name) :].split("</tr>")[0]
    assert "<td>Sponsor</td>" in row and "Viewer" not in row
