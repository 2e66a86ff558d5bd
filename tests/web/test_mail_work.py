"""Review requests, decisions, daily digests and email choices, read back over SMTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core.dates import today
from app.extensions import db
from app.gateways import service as gateways
from app.meetings.models import Action
from app.notifications.models import MailPreference
from app.notifications.sender import send_due
from tests.conftest import csrf_token
from tests.fixtures.gateways import every_reason
from tests.fixtures.notifications import outbox, parsed


def test_a_review_request_emails_the_sponsor_with_a_link(site_world, smtp_server) -> None:
    site = site_world["site"]
    gateways.request_review(site, 1, site_world["manager"], every_reason(site, 1))
    db.session.commit()
    send_due()
    # The site has two sponsors (one with viewer access): each is told, nobody else.
    sponsors = {site_world["sponsor"].email, site_world["viewer_sponsor"].email}
    messages = smtp_server.inbox.messages
    assert {m["To"].addresses[0].addr_spec for m in messages} == sponsors
    assert len(messages) == 2
    message = smtp_server.inbox.to(site_world["sponsor"].email)[0]
    assert message["Subject"].startswith("Gateway review waiting for you")
    assert f"http://127.0.0.1:5000/sites/{site.id}/gateways/1" in message.get_body().get_content()


def test_a_decision_emails_the_project_manager(site_world, smtp_server) -> None:
    site = site_world["site"]
    gateways.request_review(site, 1, site_world["manager"], every_reason(site, 1))
    db.session.commit()
    gateways.send_back(site, 1, site_world["sponsor"], "The PID needs agreeing first.")
    db.session.commit()
    send_due()
    to_manager = smtp_server.inbox.to(site_world["manager"].email)
    assert [m["Subject"].split(":")[0] for m in to_manager] == ["Gateway decision"]
    assert "The PID needs agreeing first." in to_manager[0].get_body().get_content()
    # Nobody outside the site heard anything.
    assert not smtp_server.inbox.to(site_world["outsider"].email)


def test_switching_gateway_mail_off_stops_review_requests(site_world) -> None:
    db.session.add(MailPreference(user_id=site_world["sponsor"].id, gateway_mail=False))
    db.session.commit()
    gateways.request_review(
        site_world["site"], 1, site_world["manager"], every_reason(site_world["site"], 1)
    )
    db.session.commit()
    assert [m.user_id for m in outbox()] == [site_world["viewer_sponsor"].id]


@pytest.fixture
def owners(site_world, make_person, make_task):  # noqa: ANN001, ANN201
    """Two owners with overdue and soon-due work, one of them with a meeting action."""
    site, on = site_world["site"], date(2026, 11, 24)  # a Tuesday
    editor = make_person(site, "Eddie Editor", user=site_world["editor"], email="x@y.nhs.uk")
    manager = make_person(site, "Mo Manager", user=site_world["manager"])
    make_task(site, title="Map the pathway", owner_id=editor.id, due_date=on - timedelta(days=3))
    make_task(site, title="Book the room", owner_id=editor.id, due_date=on + timedelta(days=5))
    make_task(site, title="Later", owner_id=editor.id, due_date=on + timedelta(days=30))
    make_task(site, title="Done", owner_id=manager.id, due_date=on, status="complete")
    db.session.add(
        Action(site_id=site.id, description="Send the data", owner_id=manager.id, due_date=on)
    )
    db.session.commit()
    return on


def test_one_digest_per_owner_per_day(app, site_world, owners, smtp_server) -> None:
    editor, manager = site_world["editor"].email, site_world["manager"].email
    runner = app.test_cli_runner()
    for _ in range(2):  # cron run twice in a day: nothing new the second time
        result = runner.invoke(args=["send-reminders", "--date", owners.isoformat()])
        assert result.exit_code == 0, result.output
    assert "Queued 0 digests" in result.output
    result = runner.invoke(args=["send-mail", "--once"])
    assert "Sent 2" in result.output
    (to_editor,) = smtp_server.inbox.to(editor)
    (to_manager,) = smtp_server.inbox.to(manager)
    text = to_editor.get_body().get_content()
    assert "Overdue:" in text and "Map the pathway" in text and "Book the room" in text
    assert "Later" not in text
    assert "Send the data" in to_manager.get_body().get_content()  # a meeting action
    assert to_editor["List-Unsubscribe"]
    # The next day is a new digest.
    runner.invoke(args=["send-reminders", "--date", (owners + timedelta(days=1)).isoformat()])
    assert len(outbox(kind="digest")) == 4  # both still have work due


def test_weekly_readers_get_their_digest_on_mondays(app, site_world, owners) -> None:
    db.session.add(MailPreference(user_id=site_world["editor"].id, frequency="weekly"))
    db.session.add(MailPreference(user_id=site_world["manager"].id, frequency="none"))
    db.session.commit()
    runner = app.test_cli_runner()
    runner.invoke(args=["send-reminders", "--date", owners.isoformat()])  # Tuesday
    assert outbox(kind="digest") == []
    monday = owners + timedelta(days=6)
    runner.invoke(args=["send-reminders", "--date", monday.isoformat()])
    assert [m.user_id for m in outbox(kind="digest")] == [site_world["editor"].id]


def test_choosing_how_often(login, site_world) -> None:
    client = login(site_world["viewer"])
    page = client.get("/account/email")
    assert page.status_code == 200 and 'value="immediate" checked' in page.get_data(as_text=True)
    token = csrf_token(client, "/account/email")
    bad = client.post("/account/email", data={"frequency": "hourly", "csrf_token": token})
    assert bad.status_code == 422
    good = client.post("/account/email", data={"frequency": "weekly", "csrf_token": token})
    assert good.status_code == 302
    choice = db.session.get(MailPreference, site_world["viewer"].id)
    assert choice.frequency == "weekly" and choice.gateway_mail is False  # box left unticked


def test_site_agenda_notice_setting(login, site_world) -> None:
    site = site_world["site"]
    client = login(site_world["manager"])
    url = f"/sites/{site.id}/mail"
    token = csrf_token(client, url)
    assert (
        client.post(url, data={"agenda_notice_days": "99", "csrf_token": token}).status_code == 422
    )
    assert (
        client.post(url, data={"agenda_notice_days": "3", "csrf_token": token}).status_code == 302
    )
    db.session.refresh(site)
    assert site.agenda_notice_days == 3
    assert today()  # the page itself renders for viewers too
    assert login(site_world["viewer"]).get(url).status_code == 200


def test_a_weekly_sponsor_finds_the_review_in_the_monday_summary(app, site_world) -> None:
    db.session.add(MailPreference(user_id=site_world["sponsor"].id, frequency="weekly"))
    db.session.add(MailPreference(user_id=site_world["viewer_sponsor"].id, frequency="none"))
    db.session.commit()
    gateways.request_review(
        site_world["site"], 1, site_world["manager"], every_reason(site_world["site"], 1)
    )
    db.session.commit()
    monday = today() - timedelta(days=today().weekday()) + timedelta(days=7)
    app.test_cli_runner().invoke(args=["send-reminders", "--date", monday.isoformat()])
    (digest,) = outbox(kind="digest", user_id=site_world["sponsor"].id)
    text = parsed(digest).get_body().get_content()
    assert "Waiting for you to sign or agree:" in text and "Start Out gateway" in text


def test_the_review_request_lists_the_exceptions_with_the_teams_reasons(site_world) -> None:
    site = site_world["site"]
    reasons = {key: f"Because of {key}" for key in every_reason(site, 1)}
    gateways.request_review(site, 1, site_world["manager"], reasons)
    db.session.commit()
    body = (
        parsed(outbox(to_address=site_world["sponsor"].email)[0]).get_body(("plain",)).get_content()
    )
    assert f"Not met yet, with the team's reasons ({len(reasons)}):" in body
    assert "A clinical champion has agreed to lead the project." in body
    assert "Reason: Because of start-out.clinical-champion" in body


def test_the_decision_mail_gives_the_sponsors_reasons_and_conditions(site_world) -> None:
    site = site_world["site"]
    gateways.request_review(site, 1, site_world["manager"], every_reason(site, 1))
    db.session.commit()
    conditions = "Accepted if the PID is agreed by June."
    gateways.sign_off(site, 1, site_world["sponsor"], conditions, conditions=conditions)
    db.session.commit()
    body = (
        parsed(outbox(to_address=site_world["manager"].email)[0]).get_body(("plain",)).get_content()
    )
    assert f"Reasons and conditions:\n{conditions}" in body.replace("\r\n", "\n")
    assert "Accepted although not met (" in body
    assert "The project initiation document (PID) has been agreed by the sponsor." in body
