"""Panels that read their numbers as facts say what the full pages say."""

from __future__ import annotations

from app.core.registry import registry
from app.extensions import db
from app.people.queries import PATIENT_CATEGORIES, site_coverage
from app.sites.overview import panel_context
from app.toolkit import get_toolkit


def _panel(kind: str):  # noqa: ANN202
    return next(p for p in registry().panels if p.template.startswith(f"{kind}/"))


def test_people_panel_agrees_with_the_coverage_page(app, make_site, make_stakeholder) -> None:  # noqa: ANN001
    site = make_site()
    toolkit = get_toolkit()
    category, other_category = toolkit.categories[0].key, toolkit.categories[1].key
    role, other_role = toolkit.roles[0].key, toolkit.roles[1].key
    patient, carer = PATIENT_CATEGORIES
    make_stakeholder(
        site, category=patient, groups=["reference_group", "project_team"], team_role=role
    )
    make_stakeholder(site, category=carer, groups=["steering_group"])
    make_stakeholder(site, category=category, groups=["reference_group"])
    make_stakeholder(site, category=category, groups=["reference_group"])
    make_stakeholder(site, category=other_category, groups=["project_team"], team_role=role)
    make_stakeholder(site, category=other_category, groups=["project_team"], team_role=other_role)
    gone = make_stakeholder(site, category=other_category, groups=["reference_group"])
    make_stakeholder(site, category=category)
    gone.erased = True
    db.session.commit()

    coverage = site_coverage(site, ensure_groups=False)
    panel = panel_context(_panel("people"), site)
    assert panel == {
        "people_count": sum(len(q.people) for q in coverage.quadrants),
        "categories_covered": len(coverage.categories) - len(coverage.empty_categories),
        "categories_total": len(coverage.categories),
        "roles_filled": len(coverage.roles) - len(coverage.vacant_roles),
        "roles_total": len(coverage.roles),
        "patients_met": coverage.patients_met,
    }
    assert panel["people_count"] == 7 and panel["patients_met"] is True
    assert panel["roles_filled"] == 2


def test_people_panel_of_an_empty_site(app, make_site) -> None:  # noqa: ANN001
    panel = panel_context(_panel("people"), make_site())
    assert panel["people_count"] == 0 and panel["roles_filled"] == 0
    assert panel["patients_met"] is False


def test_overview_facts_are_read_for_each_site_and_at_each_moment(
    app, make_site, monkeypatch
) -> None:  # noqa: ANN001
    # The overview builds its SELECT of facts once and keeps it: the site, today's date and
    # the time must still be the ones of the request that runs it.
    from datetime import timedelta

    from app.core import dates
    from app.meetings.models import Meeting
    from app.risks.models import RaidEntry
    from app.sites.overview import fact_values

    busy, quiet = make_site(), make_site()
    now, on = dates.utcnow(), dates.today()
    db.session.add_all(
        [
            Meeting(
                site_id=busy.id,
                title="Steering group",
                starts_at=now - timedelta(minutes=30),
                ends_at=now + timedelta(minutes=30),
            ),
            RaidEntry(
                site_id=busy.id,
                kind="risk",
                title="No nurse yet",
                likelihood=4,
                impact=4,
                review_on=on + timedelta(days=1),
            ),
        ]
    )
    db.session.commit()
    meetings, risks = _panel("meetings"), _panel("risks")

    def read(site):  # noqa: ANN001, ANN202
        found = fact_values(site, [meetings, risks])
        return found[0]["next_title"], found[1]["overdue"]

    assert read(busy) == ("Steering group", 0)
    assert read(quiet) == (None, 0)
    monkeypatch.setattr(dates, "utcnow", lambda: now + timedelta(hours=1))
    monkeypatch.setattr(dates, "today", lambda: on + timedelta(days=2))
    assert read(busy) == (None, 1)


def test_plan_panel_lists_next_steps_and_overdue_tasks(client, site_world, login) -> None:  # noqa: ANN001
    from datetime import timedelta

    from app.core.dates import today
    from app.plan.models import Task

    site, on = site_world["site"], today()
    db.session.add_all(
        [
            Task(site_id=site.id, phase=1, title="Agree the scope", due_date=on - timedelta(3)),
            Task(site_id=site.id, phase=1, title="Book the room", due_date=on + timedelta(20)),
            Task(
                site_id=site.id,
                phase=1,
                title="Write the brief",
                due_date=on - timedelta(9),
                status="complete",
            ),
            Task(site_id=site.id, phase=2, title="Map the pathway"),
        ]
    )
    db.session.commit()
    page = login(site_world["viewer"]).get(f"/sites/{site.id}/").get_data(as_text=True)
    # Late work first, tagged red (#32 item 3).
    overdue, next_steps = page.split("<h3>Overdue</h3>")[1].split("<h3>Next steps</h3>")
    assert "Book the room" in next_steps and "Agree the scope" not in next_steps
    assert "Agree the scope" in overdue and "Write the brief" not in overdue
    assert 'nhsuk-tag--red app-nowrap">Overdue</strong>' in overdue
    assert "Map the pathway" not in page  # no due date: neither a next step nor overdue
    assert "Plan:" in page and "Amber" in page.split("Plan:")[1][:200]


def test_the_kept_overview_select_holds_no_frozen_moment(app) -> None:  # noqa: ANN001
    # The SELECT is built once and kept: a date or time fixed when it was built would be
    # wrong the next day (facts must use now_param / today_param, valued at each run).
    from datetime import date

    from sqlalchemy.sql import visitors
    from sqlalchemy.sql.elements import BindParameter

    from app.sites.overview import _facts_statement

    with app.test_request_context():
        statement, _names = _facts_statement(tuple(registry().panels))
        binds = [e for e in visitors.iterate(statement) if isinstance(e, BindParameter)]
        moments = [b for b in binds if b.key in ("now_utc", "today_uk")]
        frozen = [b.key for b in binds if b.callable is None and isinstance(b.value, date)]
    assert moments and frozen == []
