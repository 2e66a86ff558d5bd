"""The home page: reviews to sign, work due, the next meetings; fixed query count."""

from __future__ import annotations

from datetime import UTC, timedelta

from app.core.dates import today, utcnow
from app.extensions import db
from app.gateways import service as gateways
from app.meetings.models import Action, AgendaItem
from tests.fixtures.gateways import every_reason
from tests.fixtures.meetings import create_meeting


def _section(html: str, heading_id: str) -> str:
    if f'id="{heading_id}"' not in html:
        return ""
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def _waiting(html: str) -> str:
    return _section(html, "for-you-heading")


def _meetings(html: str) -> str:
    return _section(html, "meetings-heading")


def test_the_sponsor_sees_the_review_waiting(login, site_world) -> None:
    gateways.request_review(
        site_world["site"], 1, site_world["manager"], every_reason(site_world["site"], 1)
    )
    db.session.commit()
    html = login(site_world["sponsor"]).get("/").get_data(as_text=True)
    assert "Waiting for your decision" in _waiting(html)
    assert f'/sites/{site_world["site"].id}/gateways/1"' in _waiting(html)
    # The manager who asked has nothing to sign.
    other = login(site_world["manager"]).get("/").get_data(as_text=True)
    assert "Waiting for your decision" not in other


def test_work_and_meetings_that_wait(login, site_world, make_person, make_task) -> None:
    site, editor = site_world["site"], site_world["editor"]
    me = make_person(site, "Eddie Editor", user=editor)
    make_task(site, title="Overdue task", owner_id=me.id, due_date=today() - timedelta(days=2))
    make_task(site, title="Far-off task", owner_id=me.id, due_date=today() + timedelta(days=40))
    db.session.add(
        Action(site_id=site.id, description="Chase the data", owner_id=me.id, due_date=today())
    )
    soon = utcnow().replace(microsecond=0) + timedelta(minutes=5)
    create_meeting(site, starts=soon, title="Team huddle")
    db.session.commit()
    page = login(editor).get("/").get_data(as_text=True)
    html = _waiting(page)
    assert "Overdue task" in html and "Chase the data" in html and "Overdue" in html
    assert "Far-off task" not in html
    assert "Team huddle" in _meetings(page) and "No agenda yet" in _meetings(page)


def test_an_empty_home_says_so(login, site_world) -> None:
    html = login(site_world["viewer"]).get("/").get_data(as_text=True)
    assert "Nothing is waiting for you" in html


def _load(site, person, n: int, make_task) -> None:  # noqa: ANN001
    for i in range(n):
        make_task(site, title=f"Task {i}", owner_id=person.id, due_date=today())
        db.session.add(
            Action(site_id=site.id, description=f"Action {i}", owner_id=person.id, due_date=today())
        )
        meeting = create_meeting(site, starts=utcnow() + timedelta(minutes=5 + i), title=f"M{i}")
        if i % 2:
            db.session.add(AgendaItem(site_id=site.id, meeting_id=meeting.id, title="Item"))
    db.session.commit()


def test_home_queries_do_not_grow(
    login, site_world, make_person, make_task, make_site, add_member, count_queries
) -> None:
    editor = site_world["editor"]
    client = login(editor)
    me = make_person(site_world["site"], "Eddie Editor", user=editor)
    gateways.request_review(
        site_world["site"], 1, site_world["manager"], every_reason(site_world["site"], 1)
    )
    db.session.commit()
    _load(site_world["site"], me, 2, make_task)
    with count_queries() as small:
        assert client.get("/").status_code == 200
    for _ in range(3):
        site = make_site()
        add_member(site, editor, "editor", sponsor=True)
        gateways.request_review(site, 1, site_world["manager"], every_reason(site, 1))
        _load(site, make_person(site, "Eddie Editor", user=editor), 6, make_task)
    with count_queries() as large:
        page = client.get("/")
    assert page.get_data(as_text=True).count("Waiting for your decision") == 1
    assert len(large) == len(small), (len(small), len(large))


def test_this_weeks_meetings_at_each_of_my_sites(
    login, site_world, make_site, add_member, time_machine
) -> None:
    """On a Wednesday: Monday's meeting without minutes, Friday's with or without an
    agenda and next week's, at either of the editor's sites; not another site's."""
    from datetime import datetime

    from app.core.dates import london_to_utc

    time_machine.move_to(datetime(2026, 3, 4, 12, 0, tzinfo=UTC), tick=False)  # a Wednesday
    editor, site = site_world["editor"], site_world["site"]
    second, stranger = make_site(name="Second FLS"), make_site(name="Stranger FLS")
    add_member(second, editor, "viewer")

    def at(day: int, hour: int) -> datetime:
        return london_to_utc(datetime(2026, 3, day, hour, 0))

    create_meeting(site, starts=at(2, 10), title="Monday huddle")  # minutes never issued
    issued = create_meeting(site, starts=at(2, 14), title="Issued huddle")
    issued.minutes_issued_at = at(2, 16)
    create_meeting(second, starts=at(6, 10), title="Friday board")  # no agenda
    ready = create_meeting(second, starts=at(6, 14), title="Ready board")
    db.session.add(AgendaItem(site_id=second.id, meeting_id=ready.id, title="Item"))
    create_meeting(site, starts=at(9, 10), title="Next week meeting")
    create_meeting(stranger, starts=at(5, 10), title="Stranger meeting")
    db.session.commit()

    html = _meetings(login(editor).get("/").get_data(as_text=True))
    assert "Monday huddle" in html and "Minutes not issued" in html
    assert "Friday board" in html and "No agenda yet" in html
    assert "Second FLS" in html
    # The next meetings are listed whether or not they have their agenda (#32 item 2).
    assert "Ready board" in html and "Next week meeting" in html
    for absent in ("Issued huddle", "Stranger meeting"):
        assert absent not in html
