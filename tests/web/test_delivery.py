"""The delivery feature: the agreed case's promise is kept, and the delivery page puts it
beside the audit's figures quarter by quarter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.business_case import service as case_service
from app.core.dates import today
from app.delivery.models import RAMP_UP, STEADY, Promise
from app.delivery.promises import add_quarters
from app.delivery.service import fractures_not_prevented
from app.extensions import db
from app.kpis.periods import current_period
from app.needs.figures import figures_for

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
