"""Gateway checks measure what their criterion says, just under and just over each threshold."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.gateways.models import Gateway, GatewayDecision
from app.gateways.readiness import criteria
from app.gateways.service import request_review
from app.kpis.queries import TRACKED_PERIODS, kpis_tracked
from app.people.checks import champion_agreed
from app.plan.checks import plan_populated
from app.plan.models import Task
from tests.conftest import csrf_token


@pytest.fixture
def site(site_world):  # noqa: ANN001, ANN201
    return site_world["site"]


@pytest.fixture
def planned(site, make_plan, make_stakeholder):  # noqa: ANN001, ANN201
    """A plan from the library whose every task has an owner and a target date."""
    make_plan(site)
    owner = make_stakeholder(site)
    for task in db.session.scalars(select(Task).where(Task.site_id == site.id)):
        task.owner_id = owner.id
        task.due_date = task.due_date or date(2027, 1, 1)
    db.session.commit()
    return site


def _tasks(site) -> list[Task]:  # noqa: ANN001
    return list(db.session.scalars(select(Task).where(Task.site_id == site.id).order_by(Task.id)))


def test_plan_populated_not_met_with_one_task_unowned(planned) -> None:
    total = len(_tasks(planned))
    over = plan_populated(planned)
    assert over.met and over.detail == f"{total} of {total} tasks have an owner and a target date."
    _tasks(planned)[0].owner_id = None
    db.session.commit()
    under = plan_populated(planned)
    assert not under.met
    assert under.detail.startswith(f"{total - 1} of {total} tasks have an owner and a target date")


def test_plan_populated_not_met_with_one_task_undated(planned) -> None:
    _tasks(planned)[-1].due_date = None
    db.session.commit()
    assert not plan_populated(planned).met


def test_plan_populated_leaves_out_tasks_not_applicable(planned) -> None:
    task = _tasks(planned)[0]
    task.owner_id, task.status = None, "not_applicable"
    db.session.commit()
    assert plan_populated(planned).met


def test_plan_populated_one_owned_task_of_ninety_is_not_met(site, make_task, make_stakeholder):  # noqa: ANN001
    owner = make_stakeholder(site)
    make_task(site, owner_id=owner.id, due_date=date(2027, 1, 1))
    for _ in range(89):
        make_task(site)
    from app.plan.service import create_plan

    create_plan(site, "new", date(2026, 1, 1))  # the plan row; its tasks add to the count
    db.session.commit()
    result = plan_populated(site)
    assert not result.met and result.detail.startswith("1 of ")


def test_kpis_tracked_over_time_needs_several_periods(site, add_kpi_values) -> None:
    assert not kpis_tracked(site).met
    add_kpi_values(site, 4, [50.0] * (TRACKED_PERIODS - 1), start=date(2026, 1, 1))
    under = kpis_tracked(site)
    assert not under.met and f"{TRACKED_PERIODS - 1} periods" in under.detail
    add_kpi_values(site, 4, [55.0], start=date(2026, TRACKED_PERIODS, 1))
    over = kpis_tracked(site)
    assert over.met and over.detail == (
        f"KPI 4 has values for {TRACKED_PERIODS} periods, Jan 2026 to Jun 2026."
    )


def test_kpis_tracked_over_time_is_not_met_by_one_recent_value(site, add_kpi_values) -> None:
    add_kpi_values(site, 2, [60.0], start=date(2026, 10, 1))
    add_kpi_values(site, 3, [20.0], start=date(2026, 10, 1))
    assert not kpis_tracked(site).met


def test_champion_criterion_is_the_role_not_a_task_ticked_by_hand(site, make_task) -> None:
    """The app checks the champion itself: ticking the plan's task proves nothing."""
    task = make_task(site, library_key="agree-clinical-champion", title="Agree the champion")
    task.status, task.completed_date = "complete", date(2026, 2, 3)
    db.session.commit()
    assert not champion_agreed(site).met
    by_key = {c.key: c for c in criteria(site, 1).criteria}
    assert by_key["start-out.clinical-champion"].state == "not_met"


def test_champion_criterion_met_when_someone_holds_the_role(site, make_stakeholder) -> None:
    make_stakeholder(site, groups=["project_team"], team_role="lead-nurse", name="Ann Nurse")
    assert not champion_agreed(site).met
    make_stakeholder(site, groups=["project_team"], team_role="clinical-lead", name="Dr Evans")
    result = champion_agreed(site)
    assert result.met and "Dr Evans" in result.detail


def _post(client, site, path: str, data: dict | None = None):  # noqa: ANN001, ANN202
    token = csrf_token(client, f"/sites/{site.id}/gateways/1")
    return client.post(
        f"/sites/{site.id}/gateways/{path}", data={"csrf_token": token, **(data or {})}
    )


def test_review_with_unmet_criteria_needs_listed_exceptions(login, site_world, site) -> None:
    manager = login(site_world["manager"])
    page = manager.get(f"/sites/{site.id}/gateways/1").get_data(as_text=True)
    blockers = criteria(site, 1).blockers
    assert f"{len(blockers)} criteria are not met yet" in page
    refused = _post(manager, site, "1/request-review")
    assert refused.status_code == 422
    assert db.session.scalar(select(Gateway.status).where(Gateway.site_id == site.id)) is None
    reasons = {f"request-exception-{c.key}": f"Reason {i}" for i, c in enumerate(blockers)}
    del reasons[f"request-exception-{blockers[-1].key}"]
    still = _post(manager, site, "1/request-review", reasons)
    assert still.status_code == 422 and "Reason 0" in still.get_data(as_text=True)
    reasons[f"request-exception-{blockers[-1].key}"] = "Last one"
    assert _post(manager, site, "1/request-review", reasons).status_code == 302
    decision = db.session.scalar(select(GatewayDecision))
    assert [e["key"] for e in decision.exceptions] == [c.key for c in blockers]
    # The sponsor sees the team's reasons beside each exception.
    sponsor = login(site_world["sponsor"])
    assert "reason: Last one" in sponsor.get(f"/sites/{site.id}/gateways/1").get_data(as_text=True)


def test_review_with_every_criterion_met_needs_no_exceptions(site, site_world, monkeypatch) -> None:
    from app.gateways import service

    monkeypatch.setattr(service, "criteria", lambda *_: service.Readiness([]))
    gateway = request_review(site, 1, site_world["manager"])
    assert gateway.status == "review_requested"


def test_the_sponsor_decides_in_one_form_near_the_top(login, site_world, site) -> None:
    """A summary (met, excepted with the team's reasons, not met) and one decision form
    come before the criteria; the conditions are typed once, not once per criterion."""
    manager = login(site_world["manager"])
    blockers = criteria(site, 1).blockers
    reasons = {f"request-exception-{c.key}": f"Later: {c.key}" for c in blockers}
    _post(manager, site, "1/request-review", reasons)
    sponsor = login(site_world["sponsor"])
    page = sponsor.get(f"/sites/{site.id}/gateways/1").get_data(as_text=True)
    assert page.index('id="decide"') < page.index("<h2>Criteria</h2>")
    assert page.count(f'action="/sites/{site.id}/gateways/1/decision"') == 1
    summary = page.split('data-testid="decision-summary">')[1].split("<")[0]
    met = len(criteria(site, 1).criteria) - len(blockers)
    assert summary == f"{met} met, {len(blockers)} excepted, 0 not met."
    assert f"The team's reason: Later: {blockers[0].key}" in page
    assert page.count('name="conditions"') == 1 and 'name="exception-' not in page
    bad = _post(sponsor, site, "1/decision", {"decision": "sign_off"})
    assert bad.status_code == 422 and 'href="#conditions"' in bad.get_data(as_text=True)
    ok = _post(sponsor, site, "1/decision", {"decision": "sign_off", "conditions": "By June"})
    assert ok.status_code == 302
    decision = db.session.scalar(
        select(GatewayDecision).where(GatewayDecision.action == "signed_off_exceptions")
    )
    assert [e["reason"] for e in decision.exceptions] == ["By June"] * len(blockers)
    assert decision.comments == "By June"


def test_one_error_link_per_distinct_unmet_criterion(login, site_world, site) -> None:
    manager = login(site_world["manager"])
    page = _post(manager, site, "1/request-review").get_data(as_text=True)
    summary = page.split('id="gw-error"')[1].split("</ul>")[0]
    links = [part.split("</a>")[0] for part in summary.split("<a ")[1:]]
    assert len(links) == len(criteria(site, 1).blockers) > 1
    assert len(set(links)) == len(links)


def test_criterion_error_links_point_at_that_rows_boxes(login, site_world, site) -> None:
    editor = login(site_world["editor"])
    key = "start-out.stakeholders-identified"
    page = _post(editor, site, f"1/criteria/{key}", {"state": "not_applicable", "note": ""})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    target = html.split('id="criterion-error"')[1].split('href="#')[1].split('"')[0]
    assert target.startswith("note-") and f'id="{target}"' in html


def test_what_blocks_it_does_not_print_a_full_stop_before_the_colon(
    login, site_world, site
) -> None:
    page = login(site_world["viewer"]).get(f"/sites/{site.id}/gateways/1").get_data(as_text=True)
    assert "lead the project.</a>:" not in page
    assert "lead the project</a>: " in page
