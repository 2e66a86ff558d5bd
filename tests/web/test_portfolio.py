"""The portfolio: each column for hand-built sites, filters, sorting, follows, the workbook,
access, and a fixed number of queries whatever the number of sites."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from app.core.audit import AuditEvent
from app.core.dates import london_to_utc, today, utcnow
from app.extensions import db
from app.gateways.models import Gateway, GatewayDecision
from app.meetings.models import Meeting
from app.needs.figures import figures_for
from app.needs.models import FigureHeadline, NeedsVersion
from app.people.models import Group, GroupMember, Person
from app.plan.models import Task
from app.portfolio.models import SiteFollow
from app.portfolio.service import portfolio_rows
from app.sites.models import Site
from app.toolkit.vocabulary import RAG
from tests.conftest import csrf_token, sign_in


def _task(site, status="not_started", due=None, essential=False, **extra):  # noqa: ANN001, ANN202
    db.session.add(
        Task(
            site_id=site.id,
            phase=1,
            title="T",
            status=status,
            due_date=due,
            essential=essential,
            **extra,
        )
    )


def _set_last_change(site, days_ago: int) -> None:  # noqa: ANN001
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.site_id == site.id)
        # midday in London on that day, so the count of days does not depend on the hour
        # the test runs (late evening UTC, a day in summer time is already the next day)
        .values(at=london_to_utc(datetime.combine(today() - timedelta(days=days_ago), time(12))))
    )


def _lead(site, name, email="", phone="", role="project-manager", kind="project_team"):  # noqa: ANN001, ANN202
    group = Group(site_id=site.id, kind=kind, name="Project team")
    person = Person(site_id=site.id, name=name, email=email, phone=phone)
    db.session.add_all([group, person])
    db.session.flush()
    db.session.add(
        GroupMember(site_id=site.id, group_id=group.id, person_id=person.id, team_role=role)
    )


@pytest.fixture
def world(make_site, make_user):  # noqa: ANN001, ANN201
    """Three hand-built sites whose every column is known."""
    d = today()
    north = make_site(
        name="Alpha FLS", organisation="Alpha Trust", region="North West", service_status="new"
    )
    south = make_site(
        name="Bravo FLS", organisation="Bravo Trust", region="London", service_status="improving"
    )
    west = make_site(
        name="Charlie FLS",
        organisation="Charlie Board",
        nation="Wales",
        region="South Wales",
        service_status="developing",
    )
    # Alpha: an essential task overdue → red; 1 of 2 essential done; 1 overdue.
    _task(north, "in_progress", d - timedelta(days=3), essential=True)
    _task(north, "complete", d - timedelta(days=10), essential=True)
    _task(north, "not_started", d + timedelta(days=60))
    _task(north, "not_applicable", d - timedelta(days=90), essential=True)
    # Bravo: a non-essential task blocked → amber; phases 1 and 2 signed, 3 in review.
    _task(south, "blocked", d + timedelta(days=30))
    _task(south, "complete", essential=True)
    db.session.add_all(
        [
            Gateway(site_id=south.id, phase=1, status="signed_off"),
            Gateway(site_id=south.id, phase=2, status="signed_off_exceptions"),
            Gateway(site_id=south.id, phase=3, status="review_requested"),
            GatewayDecision(
                site_id=south.id, phase=1, action="signed_off", at=datetime(2026, 1, 5, 10)
            ),
            GatewayDecision(
                site_id=south.id,
                phase=2,
                action="signed_off_exceptions",
                at=datetime(2026, 3, 9, 15),
            ),
            GatewayDecision(
                site_id=south.id, phase=3, action="review_requested", at=datetime(2026, 4, 1, 9)
            ),
            NeedsVersion(
                site_id=south.id, population_50_plus=100_000, hip_fractures_prevented_5y=90
            ),
            NeedsVersion(
                site_id=south.id, population_50_plus=120_000, hip_fractures_prevented_5y=110
            ),
            NeedsVersion(
                site_id=west.id, population_50_plus=80_000, hip_fractures_prevented_5y=None
            ),
            # The business case's figure, stored when it was saved (app.needs.headline): the
            # portfolio shows it, never the needs model's own 90 or 110 above.
            FigureHeadline(site_id=south.id, hip_prevented=37, horizon="10 years"),
            Meeting(
                site_id=south.id,
                title="Past",
                starts_at=utcnow() - timedelta(days=2),
                ends_at=utcnow() - timedelta(days=2, hours=-1),
            ),
            Meeting(
                site_id=south.id,
                title="Cancelled",
                starts_at=utcnow() + timedelta(days=1),
                ends_at=utcnow() + timedelta(days=1, hours=1),
                cancelled=True,
            ),
            Meeting(
                site_id=south.id,
                title="Next",
                starts_at=datetime(2099, 5, 4, 9),
                ends_at=datetime(2099, 5, 4, 10),
            ),
            Meeting(
                site_id=south.id,
                title="Later",
                starts_at=datetime(2099, 6, 4, 9),
                ends_at=datetime(2099, 6, 4, 10),
            ),
        ]
    )
    _lead(south, "Pat Manager", "pat@example.nhs.uk", "0113 000 0000")
    _lead(north, "Not the lead", "x@example.nhs.uk", role="data-analyst")
    _lead(west, "Group but wrong kind", kind="steering_group")
    db.session.commit()
    # Last change: Alpha 45 days ago (stale), Bravo and Charlie today.
    _set_last_change(north, 45)
    db.session.commit()
    return {
        "north": north,
        "south": south,
        "west": west,
        "support": make_user(global_role="support"),
    }


def test_each_column_for_hand_built_sites(world) -> None:
    rows = {r.name: r for r in portfolio_rows(world["support"].id, today(), 30)}
    alpha, bravo, charlie = rows["Alpha FLS"], rows["Bravo FLS"], rows["Charlie FLS"]

    assert (alpha.organisation, alpha.place, alpha.status) == (
        "Alpha Trust",
        "England, North West",
        "new",
    )
    assert (alpha.rag, alpha.essential_done, alpha.essential_applicable, alpha.overdue) == (
        "red",
        1,
        2,
        1,
    )
    assert alpha.phase == 1 and alpha.last_signoff_phase is None and alpha.review_phase is None
    assert alpha.days_since_change == 45 and alpha.stale and alpha.needs_attention
    assert alpha.lead_name is None and alpha.next_meeting is None
    assert alpha.population_50_plus is None

    assert (bravo.rag, bravo.essential_done, bravo.essential_applicable, bravo.overdue) == (
        "amber",
        1,
        1,
        0,
    )
    assert bravo.phase == 3
    assert (bravo.last_signoff_phase, bravo.last_signoff_at) == (2, datetime(2026, 3, 9, 15))
    assert bravo.review_phase == 3 and bravo.needs_attention
    assert bravo.next_meeting == datetime(2099, 5, 4, 9)
    assert bravo.days_since_change == 0 and not bravo.stale
    assert (bravo.lead_name, bravo.lead_email, bravo.lead_phone) == (
        "Pat Manager",
        "pat@example.nhs.uk",
        "0113 000 0000",
    )
    assert (bravo.population_50_plus, bravo.hip_fractures_prevented_5y) == (120_000, 37)

    assert charlie.rag is None and charlie.rag_name == "No plan"
    assert (charlie.essential_done, charlie.essential_applicable, charlie.overdue) == (0, 0, 0)
    assert charlie.place == "Wales, South Wales" and charlie.lead_name is None
    assert not charlie.needs_attention


def test_page_shows_the_columns_and_summary(world, client) -> None:
    sign_in(client, world["support"])
    html = client.get("/portfolio").get_data(as_text=True)
    bravo = html[html.index(f'data-site-id="{world["south"].id}"') :]
    bravo = bravo[: bravo.index("</tr>")]
    expected = ["Bravo Trust", "England, London", "Improving", "3. ", "Review waiting", "Amber"]
    expected += ["1 of 1 essential done", "Phase 2 signed off 9 Mar 2026", "4 May 2099"]
    expected += ["Pat Manager", "pat@example.nhs", 'data-rag="green"']
    for text in expected:
        assert text in bravo, text
    alpha = html[html.index(f'data-site-id="{world["north"].id}"') :]
    alpha = alpha[: alpha.index("</tr>")]
    assert 'data-rag="amber"' in alpha and "No change for 45 days" in alpha
    assert "1 of 2 essential done" in alpha and "No meeting held or booked" in alpha
    # Summary: 2 of 3 need attention; headline figures from the 2 sites with needs figures.
    assert re.search(r'id="attention-count">2<', html)
    assert "From the needs figures of 2 of 3 sites" in html
    assert 'id="headline-population">200,000<' in html
    assert 'id="headline-hips">37<' in html
    assert 'visually-hidden">Sites by overall status</caption>' in html
    assert (
        html.count('role="img" aria-labelledby="chart-') == 3
        and '<title id="chart-rag-title">' in html
    )


def test_filters_search_and_sort_live_in_the_url(world, client) -> None:
    sign_in(client, world["support"])

    def names(url: str) -> list[str]:
        html = client.get(url).get_data(as_text=True)
        table = html[html.index("<tbody") :] if "<tbody" in html else ""
        return re.findall(r'<a href="/sites/\d+/">([^<]+)</a>', table)

    assert names("/portfolio") == ["Alpha FLS", "Bravo FLS", "Charlie FLS"]
    assert names("/portfolio?rag=amber") == ["Alpha FLS"]
    assert names("/portfolio?rag=green") == ["Bravo FLS"]
    assert names("/portfolio?rag=amber&region=London") == []
    assert names("/portfolio?region=London") == ["Bravo FLS"]
    assert names("/portfolio?status=developing") == ["Charlie FLS"]
    assert names("/portfolio?phase=3") == ["Bravo FLS"]
    assert names("/portfolio?rag=none") == ["Charlie FLS"]
    assert names("/portfolio?q=charlie") == ["Charlie FLS"]
    assert names("/portfolio?attention=1") == ["Alpha FLS", "Bravo FLS"]
    assert names("/portfolio?sort=rag") == ["Alpha FLS", "Bravo FLS", "Charlie FLS"]
    assert names("/portfolio?sort=name&dir=desc") == ["Charlie FLS", "Bravo FLS", "Alpha FLS"]
    assert names("/portfolio?sort=changed&dir=desc") == ["Alpha FLS", "Bravo FLS", "Charlie FLS"]
    assert names("/portfolio?sort=phase&dir=desc")[0] == "Bravo FLS"
    assert names("/portfolio?rag=nonsense&phase=99&sort=evil") == [
        "Alpha FLS",
        "Bravo FLS",
        "Charlie FLS",
    ]
    html = client.get("/portfolio?rag=red&region=North+West").get_data(as_text=True)
    assert '<option value="red" selected' in html and 'value="North West" selected' in html


def test_following_sites_makes_sites_i_support_the_default(world, client) -> None:
    support = world["support"]
    sign_in(client, support)
    html = client.get("/portfolio").get_data(as_text=True)
    assert "Sites I support (0)" in html
    token = csrf_token(client, "/portfolio")
    response = client.post(
        f"/portfolio/sites/{world['west'].id}/follow",
        data={"csrf_token": token, "follow": "1", "query": "view=all&rag=none"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/portfolio?view=all&rag=none")
    assert db.session.query(SiteFollow).filter_by(user_id=support.id).count() == 1
    # Following twice keeps one row.
    client.post(
        f"/portfolio/sites/{world['west'].id}/follow", data={"csrf_token": token, "follow": "1"}
    )
    assert db.session.query(SiteFollow).filter_by(user_id=support.id).count() == 1
    html = client.get("/portfolio").get_data(as_text=True)
    assert re.findall(r'<a href="/sites/\d+/">([^<]+)</a>', html) == ["Charlie FLS"]
    assert "Stop supporting" in html
    assert "Bravo FLS" in client.get("/portfolio?view=all").get_data(as_text=True)
    client.post(
        f"/portfolio/sites/{world['west'].id}/follow", data={"csrf_token": token, "follow": "0"}
    )
    assert db.session.query(SiteFollow).count() == 0
    # Without the CSRF token nothing changes.
    refused = client.post(f"/portfolio/sites/{world['west'].id}/follow", data={"follow": "1"})
    assert refused.status_code == 400
    assert db.session.query(SiteFollow).count() == 0
    assert (
        client.post(
            "/portfolio/sites/987654/follow", data={"csrf_token": token, "follow": "1"}
        ).status_code
        == 404
    )


def test_the_redirect_after_following_keeps_only_our_own_parameters(world, client) -> None:
    sign_in(client, world["support"])
    token = csrf_token(client, "/portfolio")
    response = client.post(
        f"/portfolio/sites/{world['west'].id}/follow",
        data={
            "csrf_token": token,
            "follow": "1",
            "query": "view=all&next=https://evil.example&rag=red",
        },
    )
    assert response.headers["Location"].endswith("/portfolio?view=all&rag=red")


def test_workbook_has_the_columns_fills_and_filters(world, client) -> None:
    db.session.get(type(world["north"]), world["north"].id).name = '=HYPERLINK("x")'
    db.session.commit()
    sign_in(client, world["support"])
    response = client.get("/portfolio.xlsx?sort=name")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    assert header[:7] == [
        "Site",
        "Organisation",
        "Nation",
        "Region",
        "Status",
        "Current phase",
        "RAG",
    ]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {'\'=HYPERLINK("x")', "Bravo FLS", "Charlie FLS"}
    bravo = [c.value for c in rows["Bravo FLS"]]
    assert bravo[6] == "Amber" and bravo[7:10] == [1, 1, 0]
    assert rows["Bravo FLS"][6].fill.start_color.rgb.endswith(RAG["amber"].pale)
    assert rows['\'=HYPERLINK("x")'][6].value == "Red"
    assert rows['\'=HYPERLINK("x")'][6].fill.start_color.rgb.endswith(RAG["red"].pale)
    assert bravo[16:19] == ["Pat Manager", "pat@example.nhs.uk", "0113 000 0000"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.column_dimensions["A"].width == 34
    # The filters apply to the workbook too.
    assert bravo[19:24] == ["Green", "Amber", "Green", "Green", "Green"]
    green = load_workbook(BytesIO(client.get("/portfolio.xlsx?rag=green").data)).active
    assert [r[0].value for r in green.iter_rows(min_row=2)] == ["Bravo FLS"]


@pytest.mark.parametrize("path", ["/portfolio", "/portfolio.xlsx"])
def test_only_support_and_admin_open_the_portfolio(site_world, client, path) -> None:
    for role in ("viewer", "manager", "outsider"):
        sign_in(client, site_world[role])
        assert client.get(path).status_code == 403, role
    for role in ("support", "admin"):
        sign_in(client, site_world[role])
        assert client.get(path).status_code == 200, role
    sign_in(client, None)
    assert "/login" in client.get(path).headers["Location"]


def test_support_staff_read_every_site_but_change_nothing_unless_members(
    site_world, client, add_member
) -> None:
    support, site = site_world["support"], site_world["site"]
    sign_in(client, support)
    assert client.get(f"/sites/{site.id}/").status_code == 200
    token = csrf_token(client, f"/sites/{site.id}/plan")
    denied = client.post(f"/sites/{site.id}/plan", data={"csrf_token": token, "kind": "new"})
    assert denied.status_code == 403
    add_member(site, support, "manager")
    allowed = client.post(f"/sites/{site.id}/plan", data={"csrf_token": token, "kind": "new"})
    assert allowed.status_code != 403


def test_overview_offers_the_way_back_with_the_filters(world, client) -> None:
    sign_in(client, world["support"])
    client.get("/portfolio?rag=red&region=North+West")
    html = client.get(f"/sites/{world['north'].id}/").get_data(as_text=True)
    assert 'href="/portfolio?view=all&amp;region=North+West&amp;rag=red"' in html
    assert "Back to the portfolio" in html


def test_home_page_shows_support_staff_the_summary(world, client, make_user, add_member) -> None:
    sign_in(client, world["support"])
    html = client.get("/").get_data(as_text=True)
    assert 'id="attention-count">2<' in html and 'href="/portfolio"' in html
    member = make_user()
    add_member(world["north"], member)
    sign_in(client, member)
    assert "attention-count" not in client.get("/").get_data(as_text=True)


def _count(client, count_queries, url: str) -> int:  # noqa: ANN001
    client.get(url)
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_page_and_workbook_run_at_most_five_queries_at_10_and_200_sites(
    app, client, make_user, count_queries
) -> None:
    from app.demo import seed_bench

    support = make_user(global_role="support")
    seed_bench(10, 3)
    db.session.commit()
    sign_in(client, support)
    small = {
        url: _count(client, count_queries, url) for url in ("/portfolio", "/portfolio.xlsx", "/")
    }
    seed_bench(190, 3)
    db.session.commit()
    large = {
        url: _count(client, count_queries, url) for url in ("/portfolio", "/portfolio.xlsx", "/")
    }
    assert large == small
    assert small["/portfolio"] <= 5 and small["/portfolio.xlsx"] <= 5
    html = client.get("/portfolio?view=all").get_data(as_text=True)
    assert html.count("data-site-id=") == 50  # a page of 50
    html = client.get("/portfolio?view=all&page=4").get_data(as_text=True)
    assert html.count("data-site-id=") == 50
    assert "Showing 151 to 200 of 200 sites, page 4 of 4." in html


def test_rows_agree_with_each_features_own_functions(app, make_user) -> None:
    """The one aggregated query gives what each feature's own records and rules give, worked
    out here record by record in Python."""
    from app.demo import seed_bench
    from app.gateways.models import SIGNED
    from app.plan.rag import RolledTask, derived_rag, effective_rag, roll_up
    from app.sites.queries import current_phase_numbers

    sites = seed_bench(12, 20)
    for i, site in enumerate(sites[:6]):  # some gateways signed, one reopened, one in review
        for phase in range(1, i + 1):
            db.session.add(Gateway(site_id=site.id, phase=phase, status="signed_off"))
            db.session.add(
                GatewayDecision(
                    site_id=site.id,
                    phase=phase,
                    action="signed_off",
                    at=utcnow() - timedelta(days=10 - phase),
                )
            )
    db.session.add(Gateway(site_id=sites[7].id, phase=1, status="review_requested"))
    db.session.add(Gateway(site_id=sites[8].id, phase=1, status="reopened"))
    db.session.add(GatewayDecision(site_id=sites[8].id, phase=1, action="signed_off", at=utcnow()))
    db.session.commit()
    ids = [s.id for s in sites]
    rows = {r.site_id: r for r in portfolio_rows(make_user().id, today(), 30)}
    rolled = {site_id: [] for site_id in ids}
    overdue = dict.fromkeys(ids, 0)
    for task in db.session.scalars(select(Task)):
        derived = derived_rag(task.status, None, task.due_date, today())
        rolled[task.site_id].append(
            RolledTask(effective_rag(derived, task.reported_rag), task.essential)
        )
        late = task.due_date is not None and task.due_date < today()
        overdue[task.site_id] += late and task.status not in ("complete", "not_applicable")
    phases = current_phase_numbers(ids)
    standing = {
        (g.site_id, g.phase) for g in db.session.scalars(select(Gateway)) if g.status in SIGNED
    }
    signoffs = {}  # each site's latest sign-off whose gateway still stands
    for decision in db.session.scalars(select(GatewayDecision).order_by(GatewayDecision.at)):
        if decision.action in SIGNED and (decision.site_id, decision.phase) in standing:
            signoffs[decision.site_id] = (decision.phase, decision.at)
    waiting = {site_id: [] for site_id in ids}
    for gateway in db.session.scalars(select(Gateway).where(Gateway.status == "review_requested")):
        waiting[gateway.site_id].append(gateway.phase)
    meetings = {}  # each site's next meeting not cancelled and not over
    for meeting in db.session.scalars(select(Meeting).order_by(Meeting.starts_at.desc())):
        if not meeting.cancelled and meeting.ends_at >= utcnow():
            meetings[meeting.site_id] = meeting.starts_at
    needs = {}  # each site's newest needs version, and the hip fractures its documents state
    for version in db.session.scalars(select(NeedsVersion).order_by(NeedsVersion.id)):
        hips = figures_for(db.session.get(Site, version.site_id)).hip_prevented
        needs[version.site_id] = (version.population_50_plus, None if hips is None else round(hips))
    for site_id in ids:
        row = rows[site_id]
        tasks = rolled[site_id]
        assert row.rag == roll_up(tasks)
        essential = [t.rag for t in tasks if t.essential and t.rag is not None]
        assert (row.essential_done, row.essential_applicable) == (
            essential.count("complete"), len(essential))  # fmt: skip
        assert row.overdue == overdue[site_id]
        assert row.phase == phases[site_id]
        assert (row.last_signoff_phase, row.last_signoff_at) == signoffs.get(site_id, (None, None))
        assert row.review_phase == min(waiting[site_id], default=None)
        assert row.next_meeting == meetings.get(site_id)
        wanted = needs.get(site_id, (None, None))
        assert (row.population_50_plus, row.hip_fractures_prevented_5y) == wanted


def _booked(site) -> None:  # noqa: ANN001
    db.session.add(
        Meeting(
            site_id=site.id,
            title="Next",
            starts_at=utcnow() + timedelta(days=7),
            ends_at=utcnow() + timedelta(days=7, hours=1),
        )
    )


def test_sites_in_different_states_get_different_statuses(make_site, make_user) -> None:
    from app.risks.models import RaidEntry

    d = today()
    on_track, one_late, stuck, risky = (
        make_site(name=name) for name in ("On track", "One late", "Stuck", "Risky")
    )
    for site in (on_track, one_late, stuck, risky):
        _task(site, "in_progress", d + timedelta(days=40), essential=True)
    _task(one_late, "in_progress", d - timedelta(days=2))
    for days in (40, 10, 5):
        _task(stuck, "not_started", d - timedelta(days=days), essential=True)
    db.session.add(
        RaidEntry(site_id=risky.id, kind="risk", title="No nurse", likelihood=4, impact=5)
    )
    for site in (on_track, one_late, risky):
        _booked(site)
    db.session.commit()
    rows = {r.name: r for r in portfolio_rows(make_user(global_role="support").id, d, 30)}

    def statuses(name: str) -> tuple:
        row = rows[name]
        return (row.overall, *(rating.status for rating in row.ratings.values()))

    assert statuses("On track") == ("green", "green", "green", "green", "green")
    assert statuses("One late") == ("green", "amber", "green", "green", "green")
    assert statuses("Risky") == ("amber", "green", "red", "green", "green")
    assert statuses("Stuck") == ("red", "red", "green", "red", "green")
    assert rows["Stuck"].ratings["schedule"].reason == "Essential task over 28 days late"
    assert rows["One late"].ratings["schedule"].reason == "1 task overdue"


def test_a_first_visit_offers_the_sites_of_a_region_to_support(world, client) -> None:
    support = world["support"]
    sign_in(client, support)
    html = client.get("/portfolio").get_data(as_text=True)
    assert 'id="first-visit"' in html and 'name="region" value="London"' in html
    token = csrf_token(client, "/portfolio")
    response = client.post(
        "/portfolio/regions/follow", data={"csrf_token": token, "region": "London"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("view=mine")
    followed = db.session.scalars(
        db.select(SiteFollow.site_id).where(SiteFollow.user_id == support.id)
    ).all()
    assert followed == [world["south"].id]
    html = client.get("/portfolio").get_data(as_text=True)
    assert 'id="first-visit"' not in html and "Sites I support (1)" in html
    unknown = client.post("/portfolio/regions/follow", data={"csrf_token": token, "region": "X"})
    assert unknown.status_code == 404


def test_rows_escape_names_and_contacts(world, client) -> None:
    """The rows are drawn in Python (app/portfolio/rows.py): names stay text."""
    world["west"].name = "<b>Charlie</b> & Co"
    _lead(world["west"], "<i>Lee</i>", email="lee@example.nhs.uk", phone="<0123>")
    db.session.commit()
    sign_in(client, world["support"])
    html = client.get("/portfolio?q=charlie").get_data(as_text=True)
    row = html[html.index(f'data-site-id="{world["west"].id}"') :]
    row = row[: row.index("</tr>")]
    assert "<b>" not in row and "<i>" not in row and "<0123>" not in row
    assert "&lt;b&gt;Charlie&lt;/b&gt; &amp; Co" in row and "&lt;i&gt;Lee&lt;/i&gt;" in row
    assert 'name="query" value="view=all&amp;q=charlie"' in row


def test_the_kept_filter_form_follows_the_filters_and_the_regions(world, client) -> None:
    # The view keeps the drawn form per set of filters and regions (views._filter_form).
    sign_in(client, world["support"])

    def form(url: str) -> str:
        html = client.get(url).get_data(as_text=True)
        return html[
            html.index('class="app-filters"') : html.index("</form>", html.index("app-filters"))
        ]

    london = form("/portfolio?region=London&q=bra")
    assert re.search(r'<option value="London" selected', london) and 'value="bra"' in london
    plain = form("/portfolio")
    assert not re.search(r"selected", plain) and 'value="bra"' not in plain
    assert form("/portfolio?region=London&q=bra") == london
    world["north"].region = "Wessex"  # a region appears: the form is drawn again
    db.session.commit()
    assert '<option value="Wessex"' in form("/portfolio")


def test_a_portfolio_with_no_sites_yet_says_so(make_user, client) -> None:
    """No filter is set, so the page does not blame the filters for the empty table."""
    sign_in(client, make_user(global_role="support"))
    db.session.commit()
    html = client.get("/portfolio").get_data(as_text=True)
    assert 'id="no-sites"' in html and "There are no FLS sites yet" in html
    assert "No sites match these filters" not in html
    filtered = client.get("/portfolio?q=nothing").get_data(as_text=True)
    assert 'id="no-sites"' in filtered


def test_rows_are_read_by_column_name_not_position(app, make_user, monkeypatch) -> None:
    """Adding or moving a column in the portfolio statement changes nothing it shows."""
    from app.demo import seed_bench
    from app.portfolio import ranking, statement

    seed_bench(4, 20)
    user_id = make_user().id
    expected = portfolio_rows(user_id, today(), 30)

    def reversed_columns(on):  # noqa: ANN001, ANN202
        query = statement.rows_query(on)
        return query.with_only_columns(*reversed(query.selected_columns))

    monkeypatch.setattr(ranking, "rows_query", reversed_columns)
    ranking.ranked_for.cache_clear()  # built again from the reversed statement
    try:
        assert portfolio_rows(user_id, today(), 30) == expected
    finally:
        ranking.ranked_for.cache_clear()
