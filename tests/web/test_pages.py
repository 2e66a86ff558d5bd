"""Pages that earn their place: the overview's gateway panel, the site navigation, the help
page's portfolio rules, the timeline's parts and month list."""

from __future__ import annotations

from datetime import date, datetime

from app.extensions import db
from app.gateways.models import Gateway, GatewayDecision
from app.plan.models import Plan, Task
from app.plan.timeline import build_charts, wrap_label
from app.plan.timeline_folds import months_of
from tests.conftest import sign_in


def test_overview_shows_the_current_gateway_and_a_review_waiting(site_world, client) -> None:
    site = site_world["site"]
    db.session.add_all(
        [
            Gateway(site_id=site.id, phase=1, status="signed_off"),
            Gateway(site_id=site.id, phase=2, status="review_requested"),
            GatewayDecision(
                site_id=site.id, phase=2, action="review_requested", at=datetime(2026, 4, 1, 9)
            ),
        ]
    )
    db.session.commit()
    sign_in(client, site_world["viewer"])
    html = client.get(f"/sites/{site.id}/").get_data(as_text=True)
    panel = html[html.index('id="gateway-panel"') :]
    panel = panel[: panel.index("</section>")]
    assert "Phase 2, Define and Scope" in panel and "Review requested" in panel
    assert "Review waiting:" in panel and "requested on 1 Apr 2026" in panel
    assert "The sponsor decides." in panel
    sign_in(client, site_world["sponsor"])
    html = client.get(f"/sites/{site.id}/").get_data(as_text=True)
    assert "Review and decide" in html


def test_documents_and_history_are_in_the_main_navigation(site_world, client) -> None:
    site = site_world["site"]
    sign_in(client, site_world["viewer"])
    html = client.get(f"/sites/{site.id}/").get_data(as_text=True)
    nav = html[html.index('aria-label="Site sections"') :]
    nav = nav[: nav.index("</nav>")]
    assert f'href="/sites/{site.id}/documents"' in nav
    assert f'href="/sites/{site.id}/history"' in nav
    # The timeline and the action log are reached from their parents, which stay current.
    timeline = client.get(f"/sites/{site.id}/timeline").get_data(as_text=True)
    assert f'href="/sites/{site.id}/plan" aria-current="page"' in timeline


def test_help_states_each_portfolio_rule(site_world, client) -> None:
    sign_in(client, site_world["viewer"])
    html = client.get("/help").get_data(as_text=True)
    for key in ("schedule", "risks", "engagement", "data", "overall"):
        assert f'id="portfolio-{key}"' in html
    assert "essential task is more than 28 days overdue" in html


def test_a_long_phase_is_one_table_whose_head_is_the_month_axis(site_world, client) -> None:
    """Printed, the browser repeats a table's head on every page the phase runs on to, so a
    long phase is not cut into parts that each leave the rest of a page empty (#32 item 7)."""
    site = site_world["site"]
    db.session.add(Plan(site_id=site.id, start_date=date(2026, 1, 5)))
    for i in range(30):
        db.session.add(
            Task(
                site_id=site.id,
                phase=1,
                position=i,
                title=f"Task {i} " + "with a long name " * (4 if i == 0 else 0),
                start_date=date(2026, 1, 5),
                due_date=date(2026, 7, 1 + i % 20),
            )
        )
    db.session.commit()
    sign_in(client, site_world["viewer"])
    html = client.get(f"/sites/{site.id}/timeline").get_data(as_text=True)
    assert html.count('class="app-gantt"') == 1  # 30 tasks, one phase: one table
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert ">Jan 2026<" in head  # the months are the table's head, drawn once
    assert html.count(">Jan 2026<") == 1 and "Jan 26<" not in html
    assert "(continued)" not in html
    assert html.count('<tr><td><svg class="app-gantt-strip"') == 32  # axis, band, 30 tasks
    # On a phone, the same tasks by month under their phase (tests/web/test_timeline_folding.py).
    assert "Every task, phase by phase" in html and ">July 2026</h4>" in html


def test_long_task_names_wrap_onto_two_lines() -> None:
    lines = wrap_label(
        "Ask an independent group to map the patient journey from fracture to follow-up"
    )
    assert len(lines) == 2 and not lines[-1].endswith("…")
    assert wrap_label("word " * 60)[-1].endswith("…")
    assert build_charts([], date(2026, 1, 1)) == [] and months_of([]) == []


def test_heat_map_cells_link_to_their_risks(site_world, client) -> None:
    from app.risks.models import RaidEntry

    site = site_world["site"]
    db.session.add_all(
        [
            RaidEntry(site_id=site.id, kind="risk", title="No nurse", likelihood=4, impact=5),
            RaidEntry(site_id=site.id, kind="risk", title="No room", likelihood=2, impact=2),
            RaidEntry(
                site_id=site.id,
                kind="risk",
                title="Mitigated",
                likelihood=4,
                impact=5,
                residual_likelihood=1,
                residual_impact=2,
            ),
        ]
    )
    db.session.commit()
    sign_in(client, site_world["viewer"])
    html = client.get(f"/sites/{site.id}/risks").get_data(as_text=True)
    assert f'href="/sites/{site.id}/risks?cell=4-5&amp;status=open#log"' in html
    listed = client.get(f"/sites/{site.id}/risks?cell=4-5&status=open").get_data(as_text=True)
    log = listed[listed.index('id="raid-log"') :]
    assert "No nurse" in log and "No room" not in log and "Mitigated" not in log
    assert 'id="cell-filter"' in listed
    ignored = client.get(f"/sites/{site.id}/risks?cell=9-9").get_data(as_text=True)
    assert 'id="cell-filter"' not in ignored and "No room" in ignored


def test_needs_shows_results_inputs_and_versions_one_at_a_time(
    site_world, client, save_needs
) -> None:
    from app.needs.inputs import NeedsInputs

    site = site_world["site"]
    sign_in(client, site_world["viewer"])
    first = client.get(f"/sites/{site.id}/needs").get_data(as_text=True)
    assert 'id="inputs"' in first and 'id="results"' not in first  # nothing saved: figures
    save_needs(site, NeedsInputs(population_total=184_000))
    results = client.get(f"/sites/{site.id}/needs").get_data(as_text=True)
    assert 'id="results"' in results and 'id="inputs"' not in results
    assert 'id="history"' not in results and 'aria-current="page">Results<' in results
    inputs = client.get(f"/sites/{site.id}/needs?show=inputs").get_data(as_text=True)
    assert 'id="inputs"' in inputs and 'id="results"' not in inputs
    versions = client.get(f"/sites/{site.id}/needs?show=versions").get_data(as_text=True)
    assert 'id="history"' in versions and "(current)" in versions
    assert len(versions) < len(results) + len(inputs)


def test_member_rows_keep_their_changes_in_one_menu(site_world, client) -> None:
    site = site_world["site"]
    sign_in(client, site_world["manager"])
    html = client.get(f"/sites/{site.id}/members").get_data(as_text=True)
    rows = html.count("<tr>") - 1
    assert html.count('class="nhsuk-details app-row-menu') == rows >= 4
    # Removal is a link inside each row's menu, to a page that asks first (and offers to
    # hand on what the member owns); no red button on every row.
    assert html.count(">Remove access<") == rows
    assert "nhsuk-button--warning" not in html
