"""Small things that erode trust (#32 item 9), each fixed and held by a test."""

from __future__ import annotations

import io
from datetime import timedelta

from docx import Document

from app.core.dates import to_london, today, utcnow
from app.extensions import db
from app.meetings.models import Action, AgendaItem, Invitee
from tests.conftest import csrf_token
from tests.fixtures.meetings import create_meeting, create_person


def test_join_online_is_a_link_not_raw_markup(login, site_world) -> None:
    site = site_world["site"]
    meeting = create_meeting(site, online_link="https://teams.example/meet?a=1&b=2")
    other = create_meeting(site, online_link="javascript:alert(1)", title="Odd link")
    db.session.commit()
    client = login(site_world["viewer"])
    html = client.get(f"/sites/{site.id}/meetings/{meeting.id}").get_data(as_text=True)
    assert '<a href="https://teams.example/meet?a=1&amp;b=2">' in html
    assert "&lt;a href" not in html
    odd = client.get(f"/sites/{site.id}/meetings/{other.id}").get_data(as_text=True)
    assert 'href="javascript:' not in odd and "javascript:alert(1)" in odd


def test_being_sent_to_sign_in_is_information_not_done(client, site_world) -> None:
    page = client.get(f"/sites/{site_world['site'].id}/plan", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Sign in to continue." in html
    assert "Done" not in html.split("Sign in to continue.")[0][-400:]
    assert "nhsuk-notification-banner--success" not in html


def _invited_meeting(site_world, days: int = 10):  # noqa: ANN001, ANN202
    site = site_world["site"]
    ann = create_person(site, "Ann Chair", email="ann@example.nhs.uk")
    bob = create_person(site, "Bob Notes")  # no address: not emailed
    meeting = create_meeting(site, starts=utcnow().replace(microsecond=0) + timedelta(days=days))
    for person in (ann, bob):
        db.session.add(Invitee(site_id=site.id, meeting_id=meeting.id, person_id=person.id))
    db.session.commit()
    return meeting


def test_cancelling_says_who_is_emailed(login, site_world) -> None:
    meeting = _invited_meeting(site_world)
    client = login(site_world["manager"])
    url = f"/sites/{site_world['site'].id}/meetings/{meeting.id}/cancel"
    page = client.get(url).get_data(as_text=True)
    assert "A cancellation is emailed to Ann Chair" in page and "Bob Notes" not in page
    done = client.post(url, data={"csrf_token": csrf_token(client, url)}, follow_redirects=True)
    assert "A cancellation is emailed to Ann Chair" in done.get_data(as_text=True)


def test_saving_a_moved_meeting_says_who_is_emailed(login, site_world) -> None:
    meeting = _invited_meeting(site_world)
    client = login(site_world["manager"])
    url = f"/sites/{site_world['site'].id}/meetings/{meeting.id}/edit"
    day = to_london(meeting.starts_at).date() + timedelta(days=1)
    data = {
        "csrf_token": csrf_token(client, url), "version": str(meeting.version),
        "kind": "steering_group", "title": "Steering group", "day": day.strftime("%d/%m/%Y"),
        "start_time": "10:00", "end_time": "11:00",
    }  # fmt: skip
    page = client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
    assert "Meeting details saved. An updated invitation is emailed to Ann Chair" in page


def test_help_links_the_portfolio_only_for_support_staff(login, site_world) -> None:
    for role, linked in (("manager", False), ("sponsor", False), ("support", True)):
        html = login(site_world[role]).get("/help").get_data(as_text=True)
        assert ('href="/portfolio"' in html) is linked, role


def test_the_admin_pages_link_the_email_outbox(login, site_world) -> None:
    html = login(site_world["admin"]).get("/admin/users").get_data(as_text=True)
    assert 'href="/admin/mail"' in html


def test_minutes_printed_later_judge_actions_against_the_meeting_day(login, site_world) -> None:
    site = site_world["site"]
    earlier = create_meeting(site, starts=utcnow() - timedelta(days=60), title="Earlier")
    meeting = create_meeting(site, starts=utcnow() - timedelta(days=30))
    day = to_london(meeting.starts_at).date()
    db.session.add(AgendaItem(site_id=site.id, meeting_id=meeting.id, title="Actions",
                              standing_key="action_review", position=1))  # fmt: skip
    db.session.add(Action(site_id=site.id, meeting_id=earlier.id, description="Late then",
                          due_date=day - timedelta(days=5)))  # fmt: skip
    db.session.add(Action(site_id=site.id, meeting_id=earlier.id, description="Late only now",
                          due_date=day + timedelta(days=5)))  # fmt: skip
    db.session.commit()
    assert day + timedelta(days=5) < today()  # overdue today, not at the meeting
    client = login(site_world["viewer"])
    docx = client.get(f"/sites/{site.id}/meetings/{meeting.id}/minutes.docx").data
    rows = {
        row.cells[0].text: row.cells[3].text
        for table in Document(io.BytesIO(docx)).tables
        for row in table.rows
    }
    assert "overdue" in rows["Late then"] and "overdue" not in rows["Late only now"]


def test_80_50_80_and_a_risk_score_are_explained_where_they_appear(login, site_world) -> None:
    from app.risks.models import RaidEntry

    site = site_world["site"]
    db.session.add(RaidEntry(site_id=site.id, kind="risk", title="Radiology capacity",
                             likelihood=4, impact=5))  # fmt: skip
    db.session.commit()
    client = login(site_world["manager"])
    targets = client.get(f"/sites/{site.id}/kpis/targets").get_data(as_text=True)
    assert "80/50/80 goals (at least 80% of patients identified, 50% recommended" in targets
    risks = client.get(f"/sites/{site.id}/risks").get_data(as_text=True)
    assert "(score 20 of 25)" in risks and "(20)" not in risks


def test_needs_workbook_formulas_carry_cached_values(site_world, client, save_needs) -> None:
    """Read with data_only=True (as previews and pandas do), every formula has its value."""
    from openpyxl import load_workbook

    from app.needs.inputs import Admissions, NeedsInputs
    from tests.conftest import sign_in

    site = site_world["site"]
    save_needs(
        site,
        NeedsInputs(population_total=184_000, admissions={"hip": Admissions(400, 20, 400)}),
    )
    sign_in(client, site_world["viewer"])
    data = client.get(f"/sites/{site.id}/needs.xlsx").data
    formulas = load_workbook(io.BytesIO(data))["Results"]
    values = load_workbook(io.BytesIO(data), data_only=True)["Results"]
    rows = [
        (formula_row[0].value, value_row[1].value, value_row[4].value)
        for formula_row, value_row in zip(
            formulas.iter_rows(min_row=2), values.iter_rows(min_row=2), strict=True
        )
        if str(formula_row[1].value).startswith("=")
    ]
    assert len(rows) == 21
    for label, cached, stored in rows:
        assert isinstance(cached, (int, float)), label
        assert round(cached, 2) == stored, label
    by_label = {label: cached for label, cached, _stored in rows}
    assert by_label["Expected fragility fracture caseload a year"] == 2000
