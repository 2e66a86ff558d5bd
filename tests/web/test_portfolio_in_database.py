"""The portfolio pages, filters, sorts and counts in the database (issue #34 item 2): each
page, filter, sort and total agrees with the rows rated in Python (the oracle: every site's
row from `portfolio_rows`, filtered and sorted here by the rules the page states)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from app.core.dates import today
from app.demo import seed_bench
from app.extensions import db
from app.gateways.models import Gateway
from app.plan.models import Task
from app.portfolio import listing
from app.portfolio.dimensions import BANDS, DIMENSIONS
from app.portfolio.models import SiteFollow
from app.portfolio.queries import PAGE_SIZE, SORT_LABELS, Filters
from app.portfolio.service import PortfolioRow, portfolio_rows
from app.portfolio.summary import phase_names
from app.sites.models import SERVICE_STATUSES

STALE = 30


def _band(status: str | None, r: PortfolioRow) -> tuple[int, int]:
    return (BANDS.index(status), -r.need)


# The page's orders as the rows say them (None: the row has no value and comes last).
ORACLE = {
    "name": lambda r: r.name.lower(),
    "support": lambda r: not r.followed,
    "need": lambda r: -r.need,
    "organisation": lambda r: r.organisation.lower(),
    "region": lambda r: (r.nation, r.region),
    "status": lambda r: list(SERVICE_STATUSES).index(r.status),
    "phase": lambda r: r.phase,
    "rag": lambda r: _band(r.overall, r),
    **{key: (lambda r, key=key: _band(r.ratings[key].status, r)) for key in DIMENSIONS},
    "essential": lambda r: (
        r.essential_done / r.essential_applicable if r.essential_applicable else -1.0
    ),
    "overdue": lambda r: r.overdue,
    "signoff": lambda r: r.last_signoff_at,
    "meeting": lambda r: r.next_meeting,
    "changed": lambda r: r.days_since_change,
    "lead": lambda r: r.lead_name.lower() if r.lead_name else None,
    "delivering": lambda r: r.delivery.share if r.delivery else None,
}


def _stale(r: PortfolioRow) -> bool:
    """No change for more than the limit, or never changed (the page's words)."""
    return r.days_since_change is None or r.days_since_change > STALE


def _needs_attention(r: PortfolioRow) -> bool:
    """Red overall, stale, or a gateway review waiting (the page's words)."""
    return r.overall == "red" or _stale(r) or r.review_phase is not None


def _oracle_order(rows: list[PortfolioRow], key: str, descending: bool) -> list[int]:
    get = ORACLE[key]
    present = sorted(
        (r for r in rows if get(r) is not None), key=lambda r: (r.name.lower(), r.site_id)
    )
    present.sort(key=get, reverse=descending)  # stable: ties stay by name
    return [r.site_id for r in present + [r for r in rows if get(r) is None]]


@pytest.fixture
def varied(make_user):  # noqa: ANN201
    """Sixty sites of the benchmark's kinds, some late, some with a review waiting, a few
    supported by the user."""
    sites = seed_bench(PAGE_SIZE + 10, 6)
    user = make_user(global_role="support")
    for i, site in enumerate(sites):
        if i % 4 == 0:
            for late in (40, 3, 2):
                db.session.add(
                    Task(site_id=site.id, phase=1, title="Late", essential=bool(i % 8),
                         due_date=today() - timedelta(days=late + i))
                )  # fmt: skip
        if i % 7 == 0:
            db.session.add(Gateway(site_id=site.id, phase=1, status="review_requested"))
        if i % 5 == 0:
            db.session.add(SiteFollow(user_id=user.id, site_id=site.id))
    db.session.commit()
    return user


def _all_pages(user_id: int, filters: Filters) -> tuple[list[int], listing.Portfolio]:
    sites = listing.glance(user_id, today())
    shown, first = [], None
    for number in (1, 2, 3):
        found = listing.portfolio_view(
            user_id, today(), STALE, Filters(**{**filters.__dict__, "page": number}), sites,
            phase_names(),
        )  # fmt: skip
        first = first or found
        if found.filters.page == number:
            shown += [r.site_id for r in found.rows]
    return shown, first


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_every_sort_pages_in_the_order_the_rows_give(varied, descending: bool) -> None:
    rows = portfolio_rows(varied.id, today(), STALE)
    assert len({r.overall for r in rows}) >= 2 and len({r.need for r in rows}) >= 5  # varied
    for key in SORT_LABELS:
        filters = Filters(view="all", sort=key, descending=descending)
        shown, first = _all_pages(varied.id, filters)
        assert len(first.rows) == PAGE_SIZE, key
        assert shown == _oracle_order(rows, key, descending), key


def test_every_filter_keeps_the_sites_the_rows_say(varied) -> None:
    rows = portfolio_rows(varied.id, today(), STALE)
    region = rows[3].region
    cases = [
        (Filters(view="mine"), lambda r: r.followed),
        (Filters(view="all", region=region), lambda r: r.region == region),
        (Filters(view="all", status="new"), lambda r: r.status == "new"),
        (Filters(view="all", phase=1), lambda r: r.phase == 1),
        (Filters(view="all", rag="red"), lambda r: r.overall == "red"),
        (Filters(view="all", rag="green"), lambda r: r.overall == "green"),
        (Filters(view="all", q="fls 01"), lambda r: "fls 01" in r.name.lower()),
        (Filters(view="all", q="TRUST 02"), lambda r: "trust 02" in r.organisation.lower()),
        (Filters(view="all", q="100%_"), lambda r: False),  # LIKE's wildcards: plain text
        (Filters(view="all", attention=True), _needs_attention),
        (Filters(view="all", delivering="none"), lambda r: r.delivery is None),
        (
            Filters(view="all", region=region, attention=True),
            lambda r: r.region == region and _needs_attention(r),
        ),
    ]
    for filters, keep in cases:
        shown, first = _all_pages(varied.id, filters)
        expected = [r.site_id for r in rows if keep(r)]
        assert sorted(shown) == sorted(expected), filters
        assert first.matching == len(expected), filters
        # Every filtered order is still worst first, by need.
        assert shown == _oracle_order([r for r in rows if keep(r)], "rag", False), filters


def test_the_totals_cover_every_site_while_a_page_shows_50(varied) -> None:
    rows = portfolio_rows(varied.id, today(), STALE)
    _shown, found = _all_pages(varied.id, Filters(view="all", region=rows[0].region))
    s = found.summary
    assert s.total == len(rows) == PAGE_SIZE + 10
    assert {k: n for k, _label, n in s.by_rag} == {
        b: Counter(r.overall for r in rows)[b] for b in BANDS
    }
    assert {k: n for k, _label, n in s.by_phase} == {
        p: sum(r.phase == p for r in rows) for p in phase_names()
    }
    assert {k: n for k, _label, n in s.by_status} == Counter(r.status for r in rows)
    assert s.attention == sum(map(_needs_attention, rows))
    assert s.red == sum(r.overall == "red" for r in rows)
    assert s.stale == sum(map(_stale, rows))
    assert s.review_waiting == sum(r.review_phase is not None for r in rows)
    assert s.population_50_plus == sum(r.population_50_plus or 0 for r in rows)
    attention = _oracle_order([r for r in rows if _needs_attention(r)], "rag", False)
    assert [r.site_id for r in s.attention_first] == attention[:5]
    assert found.following == sum(r.followed for r in rows)
    # The "sites I support" view's totals are its own.
    _shown, mine = _all_pages(varied.id, Filters(view="mine"))
    assert mine.summary.total == sum(r.followed for r in rows)


def test_the_database_ranks_by_counts_taken_today(varied, client) -> None:
    """A task made late since the counts were kept moves its site up the first page."""
    from tests.conftest import sign_in

    sign_in(client, varied)
    rows = portfolio_rows(varied.id, today(), STALE)  # keeps every site's counts
    last = _oracle_order(rows, "rag", False)[-1]
    for late in (90, 80, 70, 60):
        db.session.add(
            Task(site_id=last, phase=1, title="Late", essential=True,
                 due_date=today() - timedelta(days=late))
        )  # fmt: skip
    db.session.execute(
        Gateway.__table__.insert().values(site_id=last, phase=2, status="review_requested")
    )
    db.session.commit()
    html = client.get("/portfolio?view=all").get_data(as_text=True)
    body = html[html.index("<tbody") :]
    assert f'data-site-id="{last}"' in body
