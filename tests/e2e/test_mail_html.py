"""Every kind of email, opened in Chromium from its HTML part: the one button leads to the
page the email is about on the live server (BASE_URL is the server's address), and the
digest links each item (#32 item 8)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect

from app.accounts.invitations import create_invitation, invite_user
from app.accounts.service import create_user
from app.core.dates import today
from app.extensions import db
from app.gateways import service as gateways
from app.meetings import service as meetings
from app.meetings.service import ItemDetails, MeetingDetails
from app.notifications.invitations import queue_agenda
from app.notifications.reminders import queue_digests
from app.plan.models import Task
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_axe_violations
from tests.fixtures.gateways import every_reason
from tests.fixtures.meetings import create_group, create_person
from tests.fixtures.notifications import outbox, parsed


def _details(day: date, title: str, group_id: int) -> MeetingDetails:
    return MeetingDetails(
        kind="steering_group", title=title, day=day, start=time(10), end=time(11),
        group_id=group_id,
    )  # fmt: skip


def _world() -> dict:
    manager = create_user("pm@example.nhs.uk", "Priya Shah", PASSWORD)
    sponsor = create_user("sponsor@example.nhs.uk", "Helen Brooks", PASSWORD)
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=manager.id, role="manager"))
    db.session.add(Membership(site_id=site.id, user_id=sponsor.id, role="viewer", is_sponsor=True))
    priya = create_person(site, "Priya Shah", email="pm@example.nhs.uk", user_id=manager.id)
    group = create_group(site, "Steering group", [priya])
    coming = meetings.create_meeting(
        site, _details(today() + timedelta(days=2), "Steering group", group.id)
    )
    meetings.add_agenda_item(coming, ItemDetails(title="Data <b>review</b>"))
    dropped = meetings.create_meeting(
        site, _details(today() + timedelta(days=9), "Extra meeting", group.id)
    )
    past = meetings.create_meeting(
        site, _details(today() - timedelta(days=1), "Last group", group.id), past_ok=True
    )
    db.session.commit()
    meetings.cancel_meeting(dropped)
    meetings.issue_minutes(past)
    queue_agenda(coming)
    task = Task(site_id=site.id, phase=1, title="Map the pathway", status="not_started",
                owner_id=priya.id, due_date=today() - timedelta(days=2))  # fmt: skip
    db.session.add(task)
    gateways.request_review(site, 1, manager, every_reason(site, 1))
    db.session.commit()
    gateways.send_back(site, 1, sponsor, "The PID needs agreeing first.")
    db.session.commit()
    queue_digests(today())
    newcomer, _created = invite_user("new.person@example.nhs.uk", "New Person")
    create_invitation(newcomer, manager, site.id)
    db.session.commit()
    return {"site": site.id, "coming": coming.id, "dropped": dropped.id, "past": past.id,
            "task": task.id}  # fmt: skip


def _html(kind: str) -> str:
    (row, *_rest) = [m for m in outbox(kind=kind) if m.status == "queued"]
    return parsed(row).get_body(("html",)).get_content()


@pytest.fixture
def mail(live_server, seed, monkeypatch) -> dict:  # noqa: ANN001
    monkeypatch.setitem(live_server.app.config, "BASE_URL", live_server.url)
    ids = seed(_world)
    with live_server.app.app_context():
        kinds = ("invitation", "cancellation", "agenda", "minutes", "review_request",
                 "decision", "digest", "account_invitation")  # fmt: skip
        ids["html"] = {kind: _html(kind) for kind in kinds}
    return ids


def _open(page, html: str) -> None:  # noqa: ANN001
    """The email as a mail reader shows it: its own document, not one of the app's pages
    (whose Content-Security-Policy would apply to it)."""
    page.goto("about:blank")
    page.set_content(html)


def _follow(page, html: str, button: str) -> None:  # noqa: ANN001
    _open(page, html)
    link = page.get_by_role("link", name=button, exact=True)
    expect(link).to_be_visible()
    link.click()
    page.wait_for_load_state()


def test_each_email_s_button_opens_its_page(page, live_server, mail, sign_in_as) -> None:
    html, site = mail["html"], mail["site"]
    # The invitation to sign in, opened by someone who has no password yet.
    _follow(page, html["account_invitation"], "Choose your password")
    assert page.url.startswith(live_server("/invitations/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    sign_in_as("pm@example.nhs.uk", check=False)
    expected = {
        "invitation": ("Open the meeting", f"/sites/{site}/meetings/{mail['coming']}"),
        "agenda": ("Open the meeting", f"/sites/{site}/meetings/{mail['coming']}"),
        "cancellation": ("Open the meeting", f"/sites/{site}/meetings/{mail['dropped']}"),
        "minutes": ("Open the meeting", f"/sites/{site}/meetings/{mail['past']}"),
        "review_request": ("Open the gateway", f"/sites/{site}/gateways/1"),
        "decision": ("Open the gateway", f"/sites/{site}/gateways/1"),
        "digest": ("Open your home page", "/"),
    }
    for kind, (button, path) in expected.items():
        _follow(page, html[kind], button)
        assert page.url == live_server(path), kind
        expect(page.locator("main h1")).to_be_visible()

    # The digest links each item to its own page.
    _open(page, html["digest"])
    page.get_by_role("link", name="Task: Map the pathway", exact=False).click()
    page.wait_for_load_state()
    assert page.url == live_server(f"/sites/{site}/tasks/{mail['task']}")


def test_the_html_part_reads_well_and_escapes_what_people_typed(page, mail) -> None:
    agenda = mail["html"]["agenda"]
    assert "Data &lt;b&gt;review&lt;/b&gt;" in agenda
    _open(page, agenda)
    expect(page.get_by_text("Data <b>review</b>")).to_be_visible()
    assert_no_axe_violations(page)
    page.screenshot(path="/tmp/h9-mail-agenda.png", full_page=True)
    _open(page, mail["html"]["digest"])
    page.screenshot(path="/tmp/h9-mail-digest.png", full_page=True)
