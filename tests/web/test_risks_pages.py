"""The RAID log pages through the test client: forms, errors, stale edits, export, counts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.core.audit import AuditEvent
from app.extensions import db
from app.risks.models import Mitigation, RaidEntry
from tests.fixtures.risks import build_entry

pytestmark = pytest.mark.app_config(WTF_CSRF_ENABLED=False)


@pytest.fixture
def world(site_world, login):  # noqa: ANN001, ANN201
    site_world["client"] = login(site_world["editor"])
    site_world["base"] = f"/sites/{site_world['site'].id}/risks"
    return site_world


def count() -> int:
    return db.session.scalar(db.select(db.func.count(RaidEntry.id)))


def test_add_a_scored_risk(world, make_person) -> None:  # noqa: ANN001
    owner = make_person(world["site"], name="Priya Shah")
    response = world["client"].post(
        world["base"] + "/new?kind=risk",
        data={
            "title": "No recurrent funding",
            "status": "open",
            "owner_id": str(owner.id),
            "likelihood": "4",
            "impact": "5",
            "review_on": "1/2/2030",
            "phase": "4",
        },
    )
    assert response.status_code == 302
    entry = db.session.scalar(db.select(RaidEntry))
    assert (entry.likelihood, entry.impact, entry.owner_id, entry.phase) == (4, 5, owner.id, 4)
    assert entry.review_on == date(2030, 2, 1)
    page = world["client"].get(response.headers["Location"]).get_data(as_text=True)
    assert "Very high" in page and "Priya Shah" in page and "Created" in page


@pytest.mark.parametrize(
    "kind, data, message",
    [
        (
            "risk",
            {"likelihood": "7", "impact": "3"},
            "Likelihood before mitigation must be a whole number from 1",
        ),
        (
            "risk",
            {"likelihood": "3", "impact": "0"},
            "Impact before mitigation must be a whole number from 1",
        ),
        ("risk", {"likelihood": "3"}, "Give the impact before mitigation too"),
        (
            "decision",
            {"status": "agreed", "outcome": "Fund it"},
            "Enter the date the decision was made",
        ),
        ("issue", {"severity": ""}, "Choose how severe the issue is"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(world, kind, data, message) -> None:  # noqa: ANN001
    form = {"title": "Something typed", "status": "proposed" if kind == "decision" else "open"}
    response = world["client"].post(world["base"] + f"/new?kind={kind}", data=form | data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in html and message in html
    assert 'value="Something typed"' in html  # the person's input is kept
    assert count() == 0


def test_owner_from_another_site_is_refused(world, make_person) -> None:  # noqa: ANN001
    stranger = make_person(world["other_site"], name="Elsewhere Person")
    response = world["client"].post(
        world["base"] + "/new?kind=risk",
        data={"title": "T", "status": "open", "owner_id": str(stranger.id)},
    )
    assert response.status_code == 422
    assert "Choose an owner from this site&#39;s people." in response.get_data(as_text=True)
    assert count() == 0


def test_stale_edit_gets_the_409_page(world) -> None:  # noqa: ANN001
    entry = build_entry(world["site"].id, title="Original", likelihood=2, impact=2)
    db.session.commit()
    form = {
        "title": "Mine",
        "status": "open",
        "likelihood": "2",
        "impact": "2",
        "version": str(entry.version),
    }
    url = f"{world['base']}/{entry.id}/edit"
    assert world["client"].post(url, data=form | {"title": "Theirs"}).status_code == 302
    response = world["client"].post(url, data=form)
    assert response.status_code == 409
    assert "Someone else changed this" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(RaidEntry, entry.id).title == "Theirs"


def test_add_mitigation_moves_the_heat_map(world) -> None:  # noqa: ANN001
    entry = build_entry(world["site"].id, likelihood=4, impact=5)
    db.session.commit()
    client = world["client"]
    before = client.get(world["base"]).get_data(as_text=True)
    assert '<g data-cell="4-5" data-count="1">' in before
    response = client.post(
        f"{world['base']}/{entry.id}/mitigations",
        data={
            "description": "Business case to the ICB",
            "residual_likelihood": "2",
            "residual_impact": "3",
        },
    )
    assert response.status_code == 302
    after = client.get(world["base"]).get_data(as_text=True)
    assert '<g data-cell="4-5" data-count="0">' in after
    assert '<g data-cell="2-3" data-count="1">' in after
    assert '<td data-cell="2-3"><a href=' in after and '#log">1</a> (Medium)</td>' in after
    bad = client.post(f"{world['base']}/{entry.id}/mitigations", data={"description": ""})
    assert bad.status_code == 422 and "Describe the action." in bad.get_data(as_text=True)


def test_mitigation_done_and_history(world) -> None:  # noqa: ANN001
    entry = build_entry(world["site"].id, likelihood=3, impact=3)
    mitigation = Mitigation(site_id=world["site"].id, entry_id=entry.id, description="Advertise")
    db.session.add(mitigation)
    db.session.commit()
    client = world["client"]
    url = f"{world['base']}/{entry.id}/mitigations/{mitigation.id}/done"
    assert client.post(url, data={"done": "y"}).status_code == 302
    html = client.get(f"{world['base']}/{entry.id}").get_data(as_text=True)
    assert "Action marked done" in html and "Reopen" in html
    # A second "mark done" from a page opened earlier does not undo it.
    client.post(url, data={"done": "y"})
    db.session.expire_all()
    assert db.session.get(Mitigation, mitigation.id).done


def test_records_of_another_site_are_404(world) -> None:  # noqa: ANN001
    theirs = build_entry(world["other_site"].id)
    db.session.commit()
    for url in (f"/{theirs.id}", f"/{theirs.id}/edit", f"/{theirs.id}/delete"):
        assert world["client"].get(world["base"] + url).status_code == 404


def test_delete_asks_first(world) -> None:  # noqa: ANN001
    entry = build_entry(world["site"].id, title="Going")
    db.session.commit()
    page = world["client"].get(f"{world['base']}/{entry.id}/delete")
    assert page.status_code == 200 and "Delete this risk?" in page.get_data(as_text=True)
    assert count() == 1
    assert world["client"].post(f"{world['base']}/{entry.id}/delete").status_code == 302
    assert count() == 0
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "delete"))


def test_empty_log_offers_starters(world) -> None:  # noqa: ANN001
    html = world["client"].get(world["base"]).get_data(as_text=True)
    assert "The log is empty" in html
    assert 'name="starters" type="checkbox" value="funding"' in html
    response = world["client"].post(
        world["base"] + "/starters", data={"starters": ["funding", "dxa"]}
    )
    assert response.status_code == 302
    assert {e.starter_key for e in db.session.scalars(db.select(RaidEntry))} == {"funding", "dxa"}
    none = world["client"].post(world["base"] + "/starters", data={})
    assert none.status_code == 422 and "Choose at least one" in none.get_data(as_text=True)


def test_filters_are_in_the_url(world) -> None:  # noqa: ANN001
    build_entry(world["site"].id, title="Big one", likelihood=5, impact=5)
    build_entry(world["site"].id, title="Small one", likelihood=1, impact=1)
    db.session.commit()
    html = world["client"].get(world["base"] + "?kind=risk&band=very_high").get_data(as_text=True)
    table = html[html.index('id="raid-log"') :]
    assert "Big one" in table and "Small one" not in table
    assert "risks.xlsx?kind=risk&amp;band=very_high" in html


def test_overdue_reviews_are_flagged(world) -> None:  # noqa: ANN001
    build_entry(world["site"].id, title="Late", review_on=date.today() - timedelta(days=3))
    db.session.commit()
    html = world["client"].get(world["base"]).get_data(as_text=True)
    assert "Reviews overdue" in html and "Review overdue" in html
    overview = world["client"].get(f"/sites/{world['site'].id}/").get_data(as_text=True)
    assert "1 entry needs reviewing" in overview


def test_export_spreadsheet(world, make_person) -> None:  # noqa: ANN001
    owner = make_person(world["site"], name='=HYPERLINK("http://x")')
    build_entry(
        world["site"].id,
        title="=1+1",
        likelihood=4,
        impact=5,
        owner_id=owner.id,
        residual_likelihood=1,
        residual_impact=2,
    )
    build_entry(world["site"].id, kind="issue", title="DXA waits", severity="high")
    db.session.commit()
    response = world["client"].get(f"/sites/{world['site'].id}/risks.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    rows = {
        row[1]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    risk = rows["'=1+1"]
    assert risk["Owner"].startswith("'=")
    assert (risk["Score before"], risk["Band before"], risk["Band after"]) == (
        20,
        "Very high",
        "Low",
    )
    band_col = header.index("Band before") + 1
    risk_row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == "'=1+1")
    assert sheet.cell(risk_row, band_col).fill.start_color.rgb.endswith("F28B82")
    assert all(
        sheet.cell(r, c).data_type != "f"
        for r in range(1, sheet.max_row + 1)
        for c in range(1, sheet.max_column + 1)
    )
    assert rows["DXA waits"]["Severity"] == "High"


def test_viewer_sees_no_edit_controls(site_world, login) -> None:  # noqa: ANN001
    build_entry(site_world["site"].id, likelihood=2, impact=2)
    db.session.commit()
    client = login(site_world["viewer"])
    html = client.get(f"/sites/{site_world['site'].id}/risks").get_data(as_text=True)
    assert "Add a risk" not in html
    assert re.search(r"Heat map of open risks", html)


def _seed(site_id: int, n: int, people: list[int]) -> None:
    kinds = ["risk", "issue", "decision", "assumption", "dependency"]
    for i in range(n):
        kind = kinds[i % 5]
        entry = build_entry(
            site_id,
            kind=kind,
            title=f"Entry {i}",
            owner_id=people[i % len(people)],
            likelihood=(i % 5) + 1 if kind == "risk" else None,
            impact=((i * 3) % 5) + 1 if kind == "risk" else None,
            severity="high" if kind == "issue" else None,
            review_on=date(2020, 1, 1) if i % 7 == 0 else None,
        )
        db.session.add(Mitigation(site_id=site_id, entry_id=entry.id, description="m"))
    db.session.commit()


def test_log_page_queries_do_not_grow(world, make_person, count_queries) -> None:  # noqa: ANN001
    site = world["site"]
    people = [make_person(site, name=f"Person {i}").id for i in range(5)]
    client = world["client"]
    url = world["base"]
    _seed(site.id, 10, people)
    client.get(url)  # warm up
    db.session.expire_all()  # the test shares the app's session: start both counts cold
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _seed(site.id, 290, people)
    db.session.expire_all()
    with count_queries() as large:
        html = client.get(url).get_data(as_text=True)
    assert html.count("<tr>") >= 300
    assert len(large) == len(small), (len(small), len(large))
    assert len(small) <= 8


def test_a_decision_records_the_meeting_where_it_was_made(world) -> None:  # noqa: ANN001
    from app.core.dates import utcnow
    from tests.fixtures.meetings import create_meeting

    held = create_meeting(world["site"], utcnow() - timedelta(days=3), title="March steering")
    elsewhere = create_meeting(world["other_site"], utcnow() - timedelta(days=3))
    db.session.commit()
    form = {
        "title": "Fund a second FLS nurse",
        "status": "agreed",
        "outcome": "Agreed for 12 months.",
        "decided_on": (date.today() - timedelta(days=3)).strftime("%d/%m/%Y"),
    }
    refused = world["client"].post(
        world["base"] + "/new?kind=decision", data={**form, "meeting_id": str(elsewhere.id)}
    )
    assert refused.status_code == 422
    assert "Choose a meeting of this site." in refused.get_data(as_text=True)
    assert count() == 0

    saved = world["client"].post(
        world["base"] + "/new?kind=decision", data={**form, "meeting_id": str(held.id)}
    )
    assert saved.status_code == 302
    assert db.session.scalar(db.select(RaidEntry.meeting_id)) == held.id
    page = world["client"].get(saved.headers["Location"]).get_data(as_text=True)
    assert "March steering" in page and f"/meetings/{held.id}" in page


def test_mitigation_history_is_linked_to_its_entry_by_id(world) -> None:  # noqa: ANN001
    """#29 item 8: the entry page finds its mitigations' history by the ids the rows carry,
    not by the wording of their labels (which may change, or be rewritten by erasure)."""
    entry = build_entry(world["site"].id, likelihood=3, impact=3)
    other = build_entry(world["site"].id, likelihood=2, impact=2)
    mitigation = Mitigation(site_id=world["site"].id, entry_id=entry.id, description="Advertise")
    db.session.add_all([mitigation, Mitigation(site_id=world["site"].id, entry_id=other.id,
                                               description="Someone else's action")])  # fmt: skip
    db.session.commit()
    client = world["client"]
    url = f"{world['base']}/{entry.id}/mitigations/{mitigation.id}/done"
    assert client.post(url, data={"done": "y"}).status_code == 302
    rows = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.object_type == "raid_mitigation")
    ).all()
    assert {(row.parent_type, row.parent_id) for row in rows} == {
        ("raid_entry", entry.id), ("raid_entry", other.id),
    }  # fmt: skip
    for row in rows:
        row.label = "an action"  # a label reworded later says nothing about the entry
    db.session.commit()
    html = client.get(f"{world['base']}/{entry.id}").get_data(as_text=True)
    assert "Action marked done" in html
    assert "Someone else" not in html
