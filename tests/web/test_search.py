"""Site search and the plan's words filter: found, not found, erased people, other sites,
query counts at two sizes, and the PostgreSQL full-text form of the match."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.dialects import postgresql

from app.extensions import db
from app.meetings.models import Action, Meeting
from app.people.gdpr import erase_person
from app.people.models import Person
from app.plan.models import Plan, Task
from app.risks.models import RaidEntry
from app.search.queries import text_match
from tests.conftest import sign_in


def _seed(site, n: int = 1, tag: str = "") -> None:  # noqa: ANN001
    for i in range(n):
        db.session.add_all(
            [
                Task(site_id=site.id, phase=1, title=f"Book the DXA scanner slot {tag}{i}"),
                Person(site_id=site.id, name=f"Morag Fairbairn{tag}{i}", organisation="Age UK"),
                RaidEntry(site_id=site.id, kind="risk", title=f"DXA waiting list grows {i}"),
                RaidEntry(site_id=site.id, kind="decision", title=f"Use the DXA hub {i}"),
                Meeting(
                    site_id=site.id,
                    title=f"DXA pathway workshop {i}",
                    starts_at=datetime(2026, 5, 4, 9),
                    ends_at=datetime(2026, 5, 4, 10),
                ),
                Action(site_id=site.id, description=f"Ask radiology about DXA capacity {i}"),
            ]
        )
    db.session.commit()


def test_search_finds_each_kind_and_links_to_it(site_world, client) -> None:
    site = site_world["site"]
    _seed(site)
    sign_in(client, site_world["viewer"])
    html = client.get(f"/sites/{site.id}/search?q=dxa").get_data(as_text=True)
    assert "5 results for" in html
    for key in ("tasks", "risks", "meetings", "actions", "decisions"):
        assert f'id="results-{key}"' in html, key
    assert 'id="results-people"' not in html
    assert "Book the DXA scanner slot" in html and f"/sites/{site.id}/tasks/" in html
    html = client.get(f"/sites/{site.id}/search?q=morag+age").get_data(as_text=True)
    assert "Morag Fairbairn0" in html and 'id="results-people"' in html
    assert "1 result for" in html


def test_search_with_nothing_found_or_no_words(site_world, client) -> None:
    site = site_world["site"]
    sign_in(client, site_world["viewer"])
    empty = client.get(f"/sites/{site.id}/search").get_data(as_text=True)
    assert "Type a few words" in empty
    html = client.get(f"/sites/{site.id}/search?q=%25_%25").get_data(as_text=True)
    assert "Nothing on this site matches" in html


def test_search_never_shows_another_sites_records(site_world, client, make_site) -> None:
    other = make_site(name="Elsewhere")
    _seed(other, tag="x")
    sign_in(client, site_world["viewer"])
    html = client.get(f"/sites/{site_world['site'].id}/search?q=morag").get_data(as_text=True)
    assert "Morag" not in html.split("</h1>", 1)[1].split("<footer", 1)[0].replace(
        'value="morag"', ""
    )


def test_an_erased_person_is_not_found(site_world, client) -> None:
    site = site_world["site"]
    person = Person(site_id=site.id, name="Ffion Llewellyn", email="ffion@example.nhs.uk")
    db.session.add(person)
    db.session.commit()
    sign_in(client, site_world["manager"])
    assert "Ffion Llewellyn" in client.get(f"/sites/{site.id}/search?q=Llewellyn").text
    erase_person(db.session.get(Person, person.id), site_world["manager"])
    db.session.commit()
    html = client.get(f"/sites/{site.id}/search?q=Llewellyn").get_data(as_text=True)
    assert "Nothing on this site matches" in html
    assert "Ffion" not in client.get(f"/sites/{site.id}/search?q=ffion").text.split("</h1>")[1]


def test_search_runs_the_same_queries_at_two_sizes(site_world, client, count_queries) -> None:
    site = site_world["site"]
    sign_in(client, site_world["viewer"])
    url = f"/sites/{site.id}/search?q=dxa"
    _seed(site, 2)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _seed(site, 40, tag="b")
    with count_queries() as large:
        html = client.get(url).get_data(as_text=True)
    assert len(large) == len(small)
    assert "add a word to narrow them" in html


def test_postgresql_uses_full_text_search() -> None:
    clause = text_match([Task.title, Task.notes], "dxa scan", "postgresql")
    sql = str(clause.compile(dialect=postgresql.dialect()))
    assert "to_tsvector" in sql and "plainto_tsquery" in sql and "@@" in sql
    sqlite = str(text_match([Task.title], "dxa scan", "sqlite").compile())
    assert sqlite.lower().count("like") == 2


def test_plan_filter_by_words_lives_in_the_url(site_world, client) -> None:
    site = site_world["site"]
    db.session.add_all(
        [
            Plan(site_id=site.id, start_date=date(2026, 1, 5)),
            Task(site_id=site.id, phase=1, title="Write the business case"),
            Task(site_id=site.id, phase=2, title="Map the pathway", notes="ask the business team"),
            Task(site_id=site.id, phase=2, title="Hold the first meeting"),
        ]
    )
    db.session.commit()
    sign_in(client, site_world["viewer"])
    html = client.get(f"/sites/{site.id}/plan?q=Business").get_data(as_text=True)
    assert "Write the business case" in html and "Map the pathway" in html
    assert "Hold the first meeting" not in html
    assert 'name="q" type="search" value="Business"' in html
    html = client.get(f"/sites/{site.id}/plan?q=business+case").get_data(as_text=True)
    assert "Write the business case" in html and "Map the pathway" not in html


def test_search_finds_what_a_person_owns_or_chairs(site_world, client) -> None:
    """Searching for a name lists her tasks, actions and risks and the meetings she chairs."""
    site = site_world["site"]
    morag = Person(site_id=site.id, name="Morag Fairbairn")
    other = Person(site_id=site.id, name="Someone Else")
    db.session.add_all([morag, other])
    db.session.flush()
    db.session.add_all(
        [
            Task(site_id=site.id, phase=1, title="Agree the pathway", owner_id=morag.id),
            Task(site_id=site.id, phase=1, title="Not hers", owner_id=other.id),
            Action(site_id=site.id, description="Send the slides", owner_id=morag.id),
            RaidEntry(site_id=site.id, kind="risk", title="Clinic space", owner_id=morag.id),
            Meeting(
                site_id=site.id,
                title="Steering group",
                chair_id=morag.id,
                starts_at=datetime(2026, 5, 4, 9),
                ends_at=datetime(2026, 5, 4, 10),
            ),
        ]
    )
    db.session.commit()
    sign_in(client, site_world["viewer"])
    html = client.get(f"/sites/{site.id}/search?q=fairbairn").get_data(as_text=True)
    for found in ("Agree the pathway", "Send the slides", "Clinic space", "Steering group"):
        assert found in html, found
    assert "Not hers" not in html and "Owner: Morag Fairbairn" in html
    assert "Chair: Morag Fairbairn" in html
    assert "5 results for" in html  # her People entry too
