"""The portfolio's kept delivery shares (`app.portfolio.delivery_shares`, #34): every change
to a site's promises or KPI values, however it is written, marks the site's share out of
date; the next view takes that site's share again and no other; a share taken on another
day is taken again (the quarters move with the date); the daily job takes the day's."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, insert, select, update

from app.core.dates import today
from app.delivery.facts import DeliveryShare, delivery_column, share_from
from app.delivery.models import STEADY, Promise
from app.delivery.promises import add_quarters
from app.extensions import db
from app.kpis.models import KpiValue
from app.kpis.periods import current_period
from app.portfolio import delivery_shares
from app.portfolio.models import SiteTaskCounts
from app.portfolio.service import portfolio_rows
from app.sites.models import Site
from tests.conftest import sign_in

IDENTIFIED_KPI = 2  # app.delivery.promises.MEASURES["identified"]


def _quarter(count: int, on: date | None = None) -> date:
    return add_quarters(current_period("quarter", on or today()).start, count)


def _agree_case(site: Site, patients: float = 100, on: date | None = None) -> Promise:
    """A promise of `patients` found a quarter, from four quarters before `on`'s."""
    promise = Promise(
        site_id=site.id, version=1, agreed_on=_quarter(-4, on), measure="identified",
        kpi_number=IDENTIFIED_KPI, period=STEADY, starts_on=_quarter(-4, on), ends_on=None,
        patients=patients,
    )  # fmt: skip
    db.session.add(promise)
    db.session.commit()
    return promise


def _found(site: Site, quarter: date, numerator: int) -> KpiValue:
    value = KpiValue(
        site_id=site.id, kpi_number=IDENTIFIED_KPI, period_kind="quarter",
        period_start=quarter, numerator=numerator, denominator=numerator * 2,
    )  # fmt: skip
    db.session.add(value)
    db.session.commit()
    return value


def _delivery_version(site: Site) -> int:
    return db.session.scalar(
        select(SiteTaskCounts.delivery_version).where(SiteTaskCounts.site_id == site.id)
    )


def _shares(user_id: int, on: date | None = None) -> dict[str, DeliveryShare | None]:
    return {r.name: r.delivery for r in portfolio_rows(user_id, on or today(), 30)}


def _worked_out(site: Site, on: date | None = None) -> DeliveryShare | None:
    """The share as the delivery feature's rule gives it, from the site's rows now."""
    text = db.session.scalar(select(delivery_column(site.id)))
    return share_from(text, on or today())


def test_every_kind_of_change_to_a_sites_promises_and_figures_marks_it(make_site) -> None:
    site, other = make_site(name="Marked"), make_site(name="Untouched")
    assert _delivery_version(site) == 0
    promise = _agree_case(site)
    assert _delivery_version(site) == 1
    value = _found(site, _quarter(-2), 80)
    assert _delivery_version(site) == 2
    value.numerator = 90
    db.session.commit()
    assert _delivery_version(site) == 3
    promise.patients = 120
    db.session.commit()
    assert _delivery_version(site) == 4
    # written without the ORM (as imports, merges and plain SQL may)
    db.session.execute(update(KpiValue).where(KpiValue.id == value.id).values(numerator=70))
    db.session.execute(update(Promise).where(Promise.id == promise.id).values(patients=90))
    db.session.execute(
        insert(KpiValue).values(
            site_id=site.id, kpi_number=IDENTIFIED_KPI, period_kind="quarter",
            period_start=_quarter(-3), numerator=10, denominator=20,
        )
    )  # fmt: skip
    db.session.execute(delete(KpiValue).where(KpiValue.id == value.id))
    db.session.commit()
    assert _delivery_version(site) == 8
    db.session.execute(delete(Promise).where(Promise.id == promise.id))
    db.session.commit()
    assert _delivery_version(site) == 9
    assert _delivery_version(other) == 0
    # A row moved to another site marks both.
    db.session.execute(update(KpiValue).where(KpiValue.site_id == site.id).values(site_id=other.id))
    db.session.commit()
    assert (_delivery_version(site), _delivery_version(other)) == (10, 1)


def test_the_next_view_shows_the_changed_share(make_site, make_user) -> None:
    user_id = make_user(global_role="support").id
    site = make_site(name="Delivering")
    assert _shares(user_id)["Delivering"] is None  # no agreed case
    promise = _agree_case(site)
    assert _shares(user_id)["Delivering"] is None  # no figures yet
    value = _found(site, _quarter(-2), 80)
    assert _shares(user_id)["Delivering"] == DeliveryShare(80, 100, 0, 0) == _worked_out(site)
    value.numerator = 95  # through the app's models
    db.session.commit()
    assert _shares(user_id)["Delivering"] == DeliveryShare(95, 100, 0, 0)
    db.session.execute(update(Promise).where(Promise.id == promise.id).values(patients=50))
    db.session.commit()  # plain SQL
    assert _shares(user_id)["Delivering"] == DeliveryShare(95, 50, 0, 0) == _worked_out(site)
    db.session.execute(delete(KpiValue).where(KpiValue.site_id == site.id))
    db.session.commit()
    assert _shares(user_id)["Delivering"] is None


def test_the_portfolio_page_takes_again_only_the_shares_out_of_date(
    app, make_site, make_user, count_queries
) -> None:  # noqa: ANN001
    client = app.test_client()
    sign_in(client, make_user(global_role="admin"))
    changed, steady = make_site(name="Changed"), make_site(name="Steady")
    for site in (changed, steady):
        _agree_case(site)
        _found(site, _quarter(-2), 80)
    assert client.get("/portfolio").status_code == 200
    with count_queries() as quiet:
        assert client.get("/portfolio").status_code == 200
    kept_steady = db.session.execute(
        select(SiteTaskCounts.delivery_counted_version, SiteTaskCounts.delivery_counted_on).where(
            SiteTaskCounts.site_id == steady.id
        )
    ).one()

    db.session.execute(update(KpiValue).where(KpiValue.site_id == changed.id).values(numerator=40))
    db.session.commit()
    with count_queries() as queries:
        html = client.get("/portfolio?sort=delivering").get_data(as_text=True)
    taken = [s for s in queries.statements if "delivery_promises" in s]
    assert len(taken) == 1 and "IN (" in taken[0]  # the one site's share, by id
    kept = [s for s in queries.statements if s.lstrip().upper().startswith("UPDATE")]
    assert len(kept) == 1  # one executemany
    # the share taken, kept, and the signed-in user read again after the commit
    assert len(queries.statements) == len(quiet.statements) + 3
    assert html.index("Changed") < html.index("Steady")  # 40% sorts before 80%
    assert "Found 40 of 100 promised" in html
    again = db.session.execute(
        select(SiteTaskCounts.delivery_counted_version, SiteTaskCounts.delivery_counted_on).where(
            SiteTaskCounts.site_id == steady.id
        )
    ).one()
    assert again == kept_steady


def test_the_portfolio_page_runs_the_same_statements_whatever_number_of_shares_changed(
    app, make_site, make_user, count_queries
) -> None:  # noqa: ANN001
    client = app.test_client()
    sign_in(client, make_user(global_role="admin"))
    counts = []
    for number in (2, 6):
        for _ in range(number):
            site = make_site()
            _agree_case(site)
            _found(site, _quarter(-2), 80)
        assert client.get("/portfolio").status_code == 200
        db.session.execute(update(KpiValue).values(numerator=KpiValue.numerator + 1))
        db.session.commit()  # every site changed
        with count_queries() as queries:
            assert client.get("/portfolio").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_share_taken_yesterday_is_taken_again_today(make_site, make_user) -> None:
    """Quarters move with the date: figures recorded for a quarter not yet begun count from
    its first day, so yesterday's share is not today's."""
    user_id = make_user(global_role="support").id
    site = make_site(name="Dated")
    on = date(2026, 3, 31)  # the last day of a quarter
    _agree_case(site, on=on)
    _found(site, _quarter(-1, on), 80)
    _found(site, _quarter(1, on), 30)  # the next quarter's, recorded early
    assert _shares(user_id, on)["Dated"] == DeliveryShare(80, 100, 0, 0)
    next_day = on + timedelta(days=1)
    assert _worked_out(site, next_day) != _worked_out(site, on)
    assert _shares(user_id, next_day)["Dated"] == _worked_out(site, next_day)
    assert (
        db.session.scalar(
            select(SiteTaskCounts.delivery_counted_on).where(SiteTaskCounts.site_id == site.id)
        )
        == next_day
    )


def test_a_share_racing_a_change_stays_out_of_date(make_site) -> None:
    site = make_site(name="Raced")
    _agree_case(site)
    value = _found(site, _quarter(-2), 80)
    read = _delivery_version(site)  # the version a view reads before it takes the share
    value.numerator = 60  # saved by someone else meanwhile
    db.session.commit()
    delivery_shares.recompute({site.id: read}, today())
    out_of_date = select(SiteTaskCounts.site_id).where(delivery_shares.out_of_date(today()))
    assert db.session.scalars(out_of_date).all() == [site.id]


def test_the_daily_reminders_job_takes_the_day_s_shares(app, make_site) -> None:  # noqa: ANN001
    first, second = make_site(name="First"), make_site(name="Second")
    _agree_case(first)
    _found(first, _quarter(-2), 80)
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Delivery shares taken again for 2 sites." in result.output
    kept = db.session.scalars(select(SiteTaskCounts).order_by(SiteTaskCounts.site_id)).all()
    assert [(k.delivery_counted_on, k.delivery_counted_version) for k in kept] == [
        (today(), kept[0].delivery_version),
        (today(), kept[1].delivery_version),
    ]
    assert delivery_shares.kept_share(
        {name: getattr(kept[0], name) for name in delivery_shares.SHARE_COLUMNS}
    ) == DeliveryShare(80, 100, 0, 0)
    assert (
        delivery_shares.kept_share(
            {name: getattr(kept[1], name) for name in delivery_shares.SHARE_COLUMNS}
        )
        is None
    )
    again = app.test_cli_runner().invoke(args=["send-reminders"])
    assert "Delivery shares taken again for 0 sites." in again.output
    assert second.id  # no case: kept as no share


def test_the_portfolio_counts_sites_by_band_and_sums_what_the_live_ones_deliver(
    app, make_site, make_user
) -> None:  # noqa: ANN001
    """The delivery section: a bar a band (not a site), each a link to the band's sites,
    and the patients found across the sites with a case and figures, summed."""
    client = app.test_client()
    sign_in(client, make_user(global_role="support"))
    for name, patients, found in (("Short", 100, 40), ("Also short", 200, 100), ("Ahead", 50, 60)):
        site = make_site(name=name)
        _agree_case(site, patients)
        _found(site, _quarter(-2), found)
    make_site(name="No case")
    html = client.get("/portfolio?view=all").get_data(as_text=True)
    section = html.split('id="delivery-heading"', 1)[1].split("<table", 1)[0]
    assert "The 3 sites with an agreed case and audit figures deliver" in section
    # (40 + 100 + 60) of (100 + 200 + 50); the share is the rule's, over the sums
    assert "Found 200 of 350 promised; treated 0 of 0." in section
    assert f"deliver {DeliveryShare(200, 350, 0, 0).percent}% of what" in section
    for key, label, sites in (
        ("short", "Short of the promise (under 90%)", 2),
        ("on-track", "Delivering 90% or more", 1),
        ("none", "No agreed case or no figures yet", 1),
    ):
        assert (
            f'<a href="/portfolio?view=all&amp;delivering={key}">{label}: {sites} site' in section
        )
    assert section.count('class="app-band"') == 3


def test_the_band_chart_draws_every_band_the_filter_offers_and_marks_the_one_shown(
    app, make_site, make_user
) -> None:  # noqa: ANN001
    from app.delivery.chart import BAND_COLOURS
    from app.portfolio.queries import DELIVERING_FILTERS

    assert set(BAND_COLOURS) == set(DELIVERING_FILTERS)
    client = app.test_client()
    sign_in(client, make_user(global_role="support"))
    site = make_site(name="Short")
    _agree_case(site)
    _found(site, _quarter(-2), 10)
    html = client.get("/portfolio?view=all&delivering=short").get_data(as_text=True)
    assert html.count('aria-current="true"') == 1
    assert 'delivering=short" aria-current="true">' in html
