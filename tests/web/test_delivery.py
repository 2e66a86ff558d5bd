"""The delivery feature: the agreed case's promise is kept, and the delivery page puts it
beside the audit's figures quarter by quarter."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.business_case import service as case_service
from app.core.dates import today
from app.delivery.models import RAMP_UP, STEADY, Promise
from app.delivery.promises import add_quarters
from app.delivery.service import fractures_not_prevented
from app.extensions import db
from app.kpis.models import KpiValue
from app.kpis.periods import current_period
from app.needs.figures import figures_for
from tests.conftest import sign_in

THIS_QUARTER = current_period("quarter", today()).start
# Agreed in the quarter five back: its promise starts four quarters back (year 1's
# ramp-up covers the last four finished quarters) and the steady state this quarter.
AGREED = add_quarters(THIS_QUARTER, -5) + timedelta(days=10)


def _agree(site, on: date = AGREED, outcome: str = "approved") -> None:  # noqa: ANN001
    case_service.record_decision(site, on, "ICB investment panel", outcome, "", today())
    db.session.commit()


def _promise(site, measure: str, period: str) -> Promise:  # noqa: ANN001
    return db.session.scalar(
        select(Promise).where(
            Promise.site_id == site.id, Promise.measure == measure, Promise.period == period
        )
    )


def test_an_agreed_case_keeps_its_predictions_as_the_promise(make_site, needs_for_case) -> None:
    site = make_site(name="Promise FLS")
    needs_for_case(site)
    _agree(site, outcome="deferred")
    assert db.session.scalar(select(func.count(Promise.id))) == 0  # not agreed: no promise
    _agree(site)
    rows = db.session.scalars(select(Promise).where(Promise.site_id == site.id)).all()
    assert {(r.measure, r.period) for r in rows} == {
        (m, p)
        for m in ("identified", "assessed", "scanned", "treated", "adherent", "staff", "cost")
        for p in (RAMP_UP, STEADY)
    }
    assert {r.measure: r.kpi_number for r in rows} == {
        "identified": 2, "assessed": 4, "scanned": 5, "treated": 10, "adherent": 11,
        "staff": None, "cost": None,
    }  # fmt: skip
    figures = figures_for(site)
    steady = _promise(site, "identified", STEADY)
    ramp = _promise(site, "identified", RAMP_UP)
    assert (ramp.starts_on, ramp.ends_on, steady.starts_on, steady.ends_on) == (
        add_quarters(THIS_QUARTER, -4), THIS_QUARTER, THIS_QUARTER, None,
    )  # fmt: skip
    # The same figures the business case states: patients a quarter at the option's rate.
    rate = figures.rates["identification"]
    assert steady.percent == pytest.approx(rate)
    assert steady.patients == pytest.approx(figures.patients_a_year / 4 * rate / 100)
    assert ramp.patients < steady.patients  # year 1 ramps up from today's service
    staff = figures.nurse_wte + figures.admin_wte + (figures.sessions or 0) / 10
    assert _promise(site, "staff", STEADY).amount == pytest.approx(staff)
    assert _promise(site, "cost", RAMP_UP).amount == pytest.approx(figures.first_year_cost)
    assert _promise(site, "cost", STEADY).amount == pytest.approx(figures.later_year_cost)

    # The fractures a missing patient means come from the business case's own model: the
    # extra patients treated a year, at the per-patient figure, give its fractures prevented.
    treated_steady = _promise(site, "treated", STEADY)
    treated_ramp = _promise(site, "treated", RAMP_UP)
    today_treated = 2 * treated_ramp.patients - treated_steady.patients  # ramp: halfway
    extra_a_year = 4 * (treated_steady.patients - today_treated)
    assert fractures_not_prevented(
        extra_a_year, treated_steady.fractures_per_patient
    ) == pytest.approx(figures.fractures_prevented)

    # Recording the same agreement again keeps the one version; a new agreement adds one.
    _agree(site)
    assert db.session.scalar(select(func.max(Promise.version))) == 1
    _agree(site, on=AGREED + timedelta(days=1))
    assert db.session.scalar(select(func.max(Promise.version))) == 2
    assert db.session.scalar(select(func.count(Promise.id))) == 28  # the first one stays


def _quarter_value(site, kpi: int, start: date, numerator: int, denominator: int) -> None:  # noqa: ANN001
    db.session.add(
        KpiValue(
            site_id=site.id, kpi_number=kpi, period_kind="quarter", period_start=start,
            numerator=numerator, denominator=denominator,
        )
    )  # fmt: skip


def _cells(html: str, row_id: str) -> str:
    found = re.search(rf'<tr class="nhsuk-table__row" id="{row_id}">(.*?)</tr>', html, re.S)
    assert found, row_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def test_the_delivery_page_sets_each_promise_against_the_audit(
    app,
    make_site,
    make_user,
    add_member,
    needs_for_case,  # noqa: ANN001
) -> None:
    site = make_site(name="Delivery FLS")
    needs_for_case(site)
    user = make_user()
    add_member(site, user, "viewer")
    client = app.test_client()
    sign_in(client, user)
    url = f"/sites/{site.id}/delivery"

    html = client.get(url).get_data(as_text=True)
    assert 'id="delivery-no-case"' in html and "approval decision" in html

    _agree(site)
    html = client.get(url).get_data(as_text=True)
    assert 'id="delivery-no-data"' in html and "Record the KPI values" in html

    ramp = _promise(site, "identified", RAMP_UP)
    promised = round(ramp.patients)
    q = [add_quarters(THIS_QUARTER, -n) for n in (4, 3, 2, 1)]
    _quarter_value(site, 2, q[0], promised + 5, 1000)  # met
    # q[1]: no data
    _quarter_value(site, 2, q[2], promised - 30, 1000)  # missed
    _quarter_value(site, 2, q[3], promised - 40, 1000)  # missed again: recovery
    _quarter_value(site, 4, q[3], 10, 100)
    assessed = round(_promise(site, "assessed", RAMP_UP).patients) + 1
    _quarter_value(site, 4, q[2], assessed, assessed)  # assessment met the quarter before
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert 'id="delivery-no-data"' not in html
    latest = _cells(html, "delivery-identified")
    fractures = fractures_not_prevented(40, ramp.fractures_per_patient)
    assert f"{promised - 40} {promised} 40 short {fractures:.1f}" in latest
    assert html.count("No data for this quarter") >= 1
    assert 'id="recovery-identified"' in html  # missed two quarters running
    assert 'id="recovery-assessed"' not in html  # missed once
    assert 'id="recovery-scanned"' not in html  # no data at all
    assert "No data yet for any quarter" in _cells(html, "delivery-scanned")
    # A promise no KPI measures says what evidence would show it.
    assert "electronic staff record" in _cells(html, "delivery-staff")
    assert "finance ledger" in _cells(html, "delivery-cost")
    # One run chart per measured promise, with the promise drawn as a target line.
    chart = re.search(r"<svg[^>]*delivery-chart[^>]*>.*?</svg>", html, re.S)
    assert chart and 'class="delivery-promise"' in chart.group(0)
    assert html.count('class="delivery-actual"') >= 3 + 2  # identified 3 points, assessed 2


def test_the_delivery_page_runs_a_fixed_few_statements_at_any_number_of_periods(
    app,
    make_site,
    make_user,
    needs_for_case,
    count_queries,  # noqa: ANN001
) -> None:
    client = app.test_client()
    sign_in(client, make_user(global_role="admin"))
    counts = []
    for quarters in (2, 12):
        site = make_site(name=f"Delivery FLS {quarters}")
        needs_for_case(site)
        _agree(site, on=add_quarters(THIS_QUARTER, -quarters - 1) + timedelta(days=3))
        for n in range(1, quarters + 1):
            for kpi in (2, 4, 5, 10, 11):
                _quarter_value(site, kpi, add_quarters(THIS_QUARTER, -n), 50, 100)
        db.session.commit()
        url = f"/sites/{site.id}/delivery"
        client.get(url)
        with count_queries() as queries:
            html = client.get(url).get_data(as_text=True)
        assert html.count('class="delivery-actual"') == 5 * quarters
        counts.append(len(queries.statements))
    assert counts[0] == counts[1] <= 6, counts


def test_a_promise_missed_twice_running_raises_a_recovery_plan_in_the_raid_log(
    app,
    make_site,
    make_user,
    add_member,
    make_person,
    needs_for_case,  # noqa: ANN001
) -> None:
    from app.core.audit import AuditEvent
    from app.risks.models import RaidEntry
    from tests.conftest import csrf_token

    site = make_site(name="Recovery FLS")
    needs_for_case(site)
    editor, viewer = make_user(), make_user()
    add_member(site, editor, "editor")
    add_member(site, viewer, "viewer")
    owner = make_person(site, "Grace Okafor")
    _agree(site)
    promised = round(_promise(site, "identified", RAMP_UP).patients)
    q = [add_quarters(THIS_QUARTER, -n) for n in (2, 1)]
    _quarter_value(site, 2, q[0], promised - 30, 1000)
    _quarter_value(site, 4, q[1], 1, 100)  # assessment missed once: no recovery offered
    db.session.commit()
    client = app.test_client()
    sign_in(client, editor)
    page = f"/sites/{site.id}/delivery"
    url = f"{page}/recovery/identified"
    # Missed once: no prompt, and the form refuses (409), whatever is posted.
    assert "raise-recovery-identified" not in client.get(page).get_data(as_text=True)
    assert client.get(url).status_code == 409
    _quarter_value(site, 2, q[1], promised - 40, 1000)
    db.session.commit()

    sign_in(client, viewer)  # a viewer sees the warning but is not offered the form
    html = client.get(page).get_data(as_text=True)
    assert 'id="recovery-identified"' in html and "raise-recovery-identified" not in html
    sign_in(client, editor)
    html = client.get(page).get_data(as_text=True)
    assert f'href="{url}"' in html
    form = client.get(url).get_data(as_text=True)
    assert f"{promised - 30} of {promised} promised (30 short)" in form
    assert "70 patients short in all" in form

    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, "owner_id": "", "action": "More"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose who owns the recovery plan." in html and ">More</textarea>" in html
    assert db.session.scalar(select(func.count(RaidEntry.id))) == 1  # only the approval
    for bad in ("999999", "abc"):
        data = {"csrf_token": token, "owner_id": bad, "action": "More"}
        assert client.post(url, data=data).status_code == 422
    assert client.post(f"{page}/recovery/nonsense", data={"csrf_token": token}).status_code == 404

    data = {"csrf_token": token, "owner_id": str(owner.id), "action": "Search radiology weekly."}
    response = client.post(url, data=data)
    assert response.status_code == 302
    entry = db.session.scalar(select(RaidEntry).where(RaidEntry.kind == "issue"))
    assert (entry.owner_id, entry.severity, entry.status, entry.phase) == (
        owner.id, "high", "open", 5,
    )  # fmt: skip
    assert "70 patients short in all" in entry.description
    assert entry.action == "Search radiology weekly."
    assert db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.object_type == "raid_entry")
    )
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Recovery plan raised in the RAID log as an issue owned by Grace Okafor." in shown
    html = client.get(page).get_data(as_text=True)
    assert f"issue #{entry.id}" in html and "raise-recovery-identified" not in html


def test_the_gateway_criterion_reads_the_same_gaps_as_the_page(
    app,
    make_site,
    needs_for_case,
    make_person,  # noqa: ANN001
) -> None:
    from app.core.db import select_facts
    from app.delivery import recovery
    from app.delivery.facts import deliveries_from, delivers_case, delivery_facts
    from app.delivery.service import deliveries

    site = make_site(name="Gateway FLS")
    met, reason, link = delivers_case(site)
    assert not met and "No business case has been agreed" in reason
    assert link == f"/sites/{site.id}/delivery"
    needs_for_case(site)
    _agree(site)
    met, reason, _link = delivers_case(site)
    assert not met and "No KPI values" in reason

    promised = round(_promise(site, "identified", RAMP_UP).patients)
    q = [add_quarters(THIS_QUARTER, -n) for n in (2, 1)]
    _quarter_value(site, 2, q[0], promised + 1, 1000)
    _quarter_value(site, 2, q[1], promised - 12, 1000)
    db.session.commit()
    met, reason, _link = delivers_case(site)
    assert met and "delivering what its business case promised" in reason
    assert f"Patients identified: {promised - 12} of {promised} promised in" in reason

    first = db.session.scalar(
        select(KpiValue).where(KpiValue.site_id == site.id, KpiValue.period_start == q[0])
    )
    first.numerator = promised - 5  # now missed two quarters running
    db.session.commit()
    met, reason, _link = delivers_case(site)
    assert not met and "no recovery plan: patients identified" in reason

    # The facts rebuild exactly the page's rows (the same gaps, the same fractures).
    from app.delivery import queries

    promises = queries.latest_promise(site.id)
    counts = queries.kpi_counts(site.id, [2, 4, 5, 10, 11], promises[0].starts_on)
    page = deliveries(promises, counts, today())
    facts = deliveries_from(select_facts(delivery_facts(site.id)), today())

    def shown(rows: list) -> list:  # what a reader sees: whole patients, fractures to 0.1
        return [
            (d.key, [(q.period, q.numerator, round(q.gap or 0), round(q.fractures or 0, 1))
                     for q in d.quarters])
            for d in rows
        ]  # fmt: skip

    assert shown(page) == shown(facts)

    delivery = next(d for d in page if d.key == "identified")
    recovery.raise_recovery(site, delivery, make_person(site, "Owner").id, "Weekly search.")
    db.session.commit()
    met, reason, _link = delivers_case(site)  # raised, but no steering group has agreed it
    assert not met and "no steering group meeting has agreed it yet" in reason
