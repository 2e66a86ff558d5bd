"""A private link lets a calendar program subscribe to a site's meetings without a session."""

from icalendar import Calendar

from app.accounts.feeds import feed_token
from app.accounts.service import change_password
from app.extensions import db
from tests.conftest import PASSWORD
from tests.fixtures.meetings import create_meeting


def test_feed_opens_with_the_private_link_and_nothing_else(client, site_world) -> None:
    site, viewer = site_world["site"], site_world["viewer"]
    create_meeting(site, title="Steering group")
    db.session.commit()
    feed = f"/sites/{site.id}/meetings.ics"
    assert client.get(feed).status_code == 302  # no session, no token: sign in

    response = client.get(f"{feed}?token={feed_token(viewer)}")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.data)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [
        "Steering group (Riverside FLS)"
    ]

    # The token opens feeds only, and only the sites its user belongs to.
    assert client.get(f"/sites/{site.id}/?token={feed_token(viewer)}").status_code == 302
    outsider = feed_token(site_world["outsider"])
    assert client.get(f"{feed}?token={outsider}").status_code == 403
    assert client.get(f"{feed}?token=forged").status_code == 302


def test_changing_the_password_revokes_the_link(client, site_world) -> None:
    site, viewer = site_world["site"], site_world["viewer"]
    link = f"/sites/{site.id}/meetings.ics?token={feed_token(viewer)}"
    assert client.get(link).status_code == 200
    change_password(viewer, PASSWORD, "a completely new passphrase")
    db.session.commit()
    assert client.get(link).status_code == 302
