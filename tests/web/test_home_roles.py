"""Home pages by role answer "what needs me now" (#32 item 2): a manager sees everything
late at her sites whoever owns it, the reviews waiting, the next meetings and each site's
RAG; support staff see the sites in order of need; the statement count stays fixed."""

from __future__ import annotations

from datetime import timedelta

from app.core.dates import today, utcnow
from app.extensions import db
from app.gateways import service as gateways
from app.meetings.models import Action, AgendaItem
from app.plan.models import Task
from app.risks.models import RaidEntry
from tests.fixtures.gateways import every_reason
from tests.fixtures.meetings import create_meeting


def _late(html: str) -> str:
    if 'id="late-heading"' not in html:
        return ""
    return html.split('id="late-heading"', 1)[1].split("</section>", 1)[0]


def _riverside(site_world, make_person) -> dict:  # noqa: ANN001
    """Overdue work owned by others, a risk past review, a review waiting, a meeting with
    its agenda next week."""
    site = site_world["site"]
    ola = make_person(site, "Ola Owner")
    past = today() - timedelta(days=3)
    for n in range(3):
        db.session.add(Task(site_id=site.id, phase=1, title=f"Late task {n}",
                            status="in_progress", owner_id=ola.id, due_date=past))  # fmt: skip
    db.session.add(Task(site_id=site.id, phase=1, title="Done late", status="complete",
                        due_date=past))  # fmt: skip
    db.session.add(Task(site_id=site.id, phase=1, title="Later task", due_date=today()))
    db.session.add(Action(site_id=site.id, description="Late action", owner_id=ola.id,
                          due_date=past))  # fmt: skip
    db.session.add(RaidEntry(site_id=site.id, kind="risk", title="Data access slips",
                             review_on=past, owner_id=ola.id))  # fmt: skip
    db.session.add(RaidEntry(site_id=site.id, kind="risk", title="Closed risk",
                             review_on=past, status="closed"))  # fmt: skip
    meeting = create_meeting(site, starts=utcnow() + timedelta(days=8), title="Steering group")
    db.session.add(AgendaItem(site_id=site.id, meeting_id=meeting.id, title="Data"))
    db.session.commit()
    gateways.request_review(site, 1, site_world["manager"], every_reason(site, 1))
    db.session.commit()
    return {"site": site}


def test_the_manager_sees_everything_late_at_her_sites(login, site_world, make_person) -> None:
    _riverside(site_world, make_person)
    html = login(site_world["manager"]).get("/").get_data(as_text=True)
    late = _late(html)
    for shown in ("Late task 0", "Late task 1", "Late task 2", "Late action",
                  "Data access slips", "Phase 1: Start Out gateway", "Ola Owner"):  # fmt: skip
        assert shown in late, shown
    for hidden in ("Done late", "Later task", "Closed risk"):
        assert hidden not in late, hidden
    assert "Risk past its review date" in late and "Task overdue" in late
    # The next meetings, agenda or not; each site's overall RAG in the site list.
    assert "Steering group" in html.split('id="meetings-heading"', 1)[1]
    table = html.split("Sites you can open", 1)[1]
    assert '<th scope="col">Overall</th>' in table
    assert "nhsuk-tag--" in table.split("<tbody", 1)[1]


def test_an_editor_does_not_get_the_managers_panel(login, site_world, make_person) -> None:
    _riverside(site_world, make_person)
    html = login(site_world["editor"]).get("/").get_data(as_text=True)
    assert _late(html) == ""


def test_support_staff_see_sites_in_order_of_need(login, site_world, make_site) -> None:
    site = site_world["site"]  # red: three overdue essential tasks
    calm = make_site(name="Aardvark FLS")  # first by name, no plan: after the red site
    past = today() - timedelta(days=20)
    for n in range(3):
        db.session.add(Task(site_id=site.id, phase=1, title=f"Essential {n}", essential=True,
                            status="not_started", due_date=past))  # fmt: skip
    db.session.commit()
    html = login(site_world["support"]).get("/").get_data(as_text=True)
    listing = html.split("Sites by need, worst first", 1)[1]
    assert listing.index(site.name) < listing.index(calm.name)


def test_the_managers_home_runs_the_same_statements_however_much_is_late(
    login, site_world, make_person, make_site, add_member, count_queries
) -> None:  # noqa: ANN001
    client = login(site_world["manager"])
    _riverside(site_world, make_person)
    client.get("/")
    db.session.expunge_all()  # as in production, the request starts with an empty session
    with count_queries() as small:
        assert client.get("/").status_code == 200
    for n in range(3):
        more = make_site(name=f"More {n}")
        add_member(more, site_world["manager"], "manager")
        for i in range(4):
            db.session.add(Task(site_id=more.id, phase=1, title=f"T{i}",
                                due_date=today() - timedelta(days=1)))  # fmt: skip
        db.session.commit()
    client.get("/")  # the portfolio's kept task counts are taken again once after a change
    db.session.expunge_all()
    with count_queries() as large:
        page = client.get("/").get_data(as_text=True)
    assert "More 2" in _late(page)
    # The signed-in user, the sites and offers, the portfolio rows (phase and RAG), what
    # waits for a decision, the person's own work due, the late work at the sites they
    # manage, and the next meetings: 7, one over the pages' 6, for the manager's panel.
    assert len(large) == len(small) <= 7, (len(small), len(large))
