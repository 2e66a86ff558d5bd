"""A private link lets a calendar program subscribe to one site's meetings without a session."""

import re

from icalendar import Calendar

from app.accounts.feeds import issue_link
from app.accounts.service import change_password
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, sign_in, sign_out
from tests.fixtures.meetings import create_meeting


def _token(user, site) -> str:  # noqa: ANN001
    token = issue_link(user.id, site.id)
    db.session.commit()
    return token


def test_feed_opens_with_the_private_link_and_nothing_else(client, site_world) -> None:
    site, viewer = site_world["site"], site_world["viewer"]
    create_meeting(site, title="Steering group")
    db.session.commit()
    feed = f"/sites/{site.id}/meetings.ics"
    assert client.get(feed).status_code == 302  # no session, no token: sign in

    token = _token(viewer, site)
    response = client.get(f"{feed}?token={token}")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.data)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [
        "Steering group (Riverside FLS)"
    ]

    # The token opens this site's feed only: not pages, not another site's feed.
    assert client.get(f"/sites/{site.id}/?token={token}").status_code == 302
    other = site_world["other_site"]
    assert client.get(f"/sites/{other.id}/meetings.ics?token={token}").status_code == 302
    assert client.get(f"{feed}?token=forged").status_code == 302


def test_a_link_is_per_site_and_can_be_replaced_and_stopped(client, site_world) -> None:
    site, viewer = site_world["site"], site_world["viewer"]
    feed = f"/sites/{site.id}/meetings.ics"
    page = f"/sites/{site.id}/meetings/calendar-link"
    sign_in(client, viewer)  # a viewer manages their own link: the guard lets them post it
    assert "You have no calendar link" in client.get(page).get_data(as_text=True)

    made = client.post(page, data={"csrf_token": csrf_token(client, page)})
    assert made.status_code == 200
    first = re.search(r"token=([\w-]+)", made.get_data(as_text=True)).group(1)
    shown_again = client.get(page).get_data(as_text=True)
    assert first not in shown_again and "is not shown again" in shown_again

    replaced = client.post(page, data={"csrf_token": csrf_token(client, page)})
    second = re.search(r"token=([\w-]+)", replaced.get_data(as_text=True)).group(1)
    assert second != first

    revoke = f"{page}/revoke"
    assert "Stop your calendar link" in client.get(revoke).get_data(as_text=True)
    sign_out(client)
    assert client.get(f"{feed}?token={first}").status_code == 302  # replaced: dead
    assert client.get(f"{feed}?token={second}").status_code == 200

    sign_in(client, viewer)
    client.post(revoke, data={"csrf_token": csrf_token(client, revoke)})
    sign_out(client)
    assert client.get(f"{feed}?token={second}").status_code == 302  # stopped


def test_a_link_stops_when_membership_ends(client, site_world) -> None:
    site, viewer = site_world["site"], site_world["viewer"]
    token = _token(viewer, site)
    feed = f"/sites/{site.id}/meetings.ics?token={token}"
    assert client.get(feed).status_code == 200
    for membership in list(site.memberships):
        if membership.user_id == viewer.id:
            db.session.delete(membership)
    db.session.commit()
    assert client.get(feed).status_code == 403


def test_changing_the_password_revokes_the_link(client, site_world) -> None:
    site, viewer = site_world["site"], site_world["viewer"]
    link = f"/sites/{site.id}/meetings.ics?token={_token(viewer, site)}"
    assert client.get(link).status_code == 200
    change_password(viewer, PASSWORD, "a completely new passphrase")
    db.session.commit()
    assert client.get(link).status_code == 302
