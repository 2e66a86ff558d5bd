"""Support staff triage the portfolio (issue #32 item 4, #34 item 2): sites ranked by a
documented need score within each overall status, every column sortable by a link, and a
page of 50 sites whose totals still cover every site."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.core.dates import today
from app.extensions import db
from app.gateways.models import Gateway
from app.plan.models import Task
from app.portfolio import need
from app.portfolio.dimensions import DIMENSIONS
from app.portfolio.queries import PAGE_SIZE
from tests.conftest import sign_in


def _overdue(site, days: int) -> None:  # noqa: ANN001
    """Three open tasks late, the oldest `days` days (three overdue: the schedule is red)."""
    for late in (days, 2, 1):
        db.session.add(
            Task(site_id=site.id, phase=1, title="Late", due_date=today() - timedelta(days=late))
        )


@pytest.fixture
def red_sites(make_site, make_user):  # noqa: ANN001, ANN201
    """Three sites red overall, named in the reverse of their need."""
    a, b, c = (make_site(name=f"{letter} FLS", region="London") for letter in "ABC")
    _overdue(a, 20)
    _overdue(b, 10)
    _overdue(c, 5)
    db.session.add(Gateway(site_id=c.id, phase=1, status="review_requested"))  # + 50
    db.session.commit()
    return make_user(global_role="support")


def _table_names(html: str) -> list[str]:
    table = html[html.index("<tbody") :]
    return re.findall(r'<a href="/sites/\d+/">([^<]+)</a>', table)


def test_need_score_follows_its_written_formula() -> None:
    assert need.need_score(0, False, 0, 10, stale_days=30) == 0
    assert need.need_score(2, True, 3, 45, stale_days=30) == 2000 + 50 + 3 + 15
    assert need.need_score(0, False, 0, None, stale_days=30) == 30  # never changed
    assert need.need_score(0, False, 900, 900, stale_days=30) == 2 * need.MAX_DAYS
    # One more red dimension outweighs a waiting review and any lateness or staleness.
    assert need.need_score(2, False, 0, 0, 30) > need.need_score(1, True, 900, 900, 30)
    text = need.formula(30)
    assert "1,000 × red dimensions" in text and "beyond 30 days" in text


def test_sites_are_ranked_by_need_within_their_overall_status(red_sites, client) -> None:
    sign_in(client, red_sites)
    html = client.get("/portfolio").get_data(as_text=True)
    # Each is red in schedule and engagement (2,000); C has a review waiting (+50) and its
    # oldest task 5 days late (+5), A 20 days (+20), B 10 (+10): C 2,055, A 2,020, B 2,010.
    assert _table_names(html) == ["C FLS", "A FLS", "B FLS"]
    start = html.index('id="attention-first"')
    attention = html[start : html.index("</ol>", start)]
    assert re.findall(r">([ABC] FLS)</a>", attention) == ["C FLS", "A FLS", "B FLS"]
    assert "need 2055" in attention
    # The formula is the caption of the table and on the help page, in the same words.
    assert need.formula(30) in html
    assert need.formula(30) in client.get("/help").get_data(as_text=True)


def test_every_column_sorts_by_a_link_with_aria_sort(red_sites, client) -> None:
    sign_in(client, red_sites)
    html = client.get("/portfolio").get_data(as_text=True)
    headers = re.findall(r'<th scope="col"[^>]*aria-sort="(\w+)">\s*<a href="([^"]+)">', html)
    links = [href for _sort, href in headers]
    for key in ("name", "support", "rag", *DIMENSIONS, "phase", "meeting", "lead"):
        assert any(f"sort={key}&amp;dir=" in href for href in links), key
    assert len(headers) == 11  # every column of the table (delivering its case included)
    assert [sort for sort, _href in headers].count("ascending") == 1  # the default: Overall

    html = client.get("/portfolio?sort=risks&dir=desc").get_data(as_text=True)
    flip = '<a href="/portfolio?view=all&amp;sort=risks&amp;dir=asc"'
    assert f'aria-sort="descending">\n    {flip}' in html
    html = client.get("/portfolio?sort=schedule").get_data(as_text=True)
    statuses = re.findall(r'data-dimension="schedule" data-status="(\w+)"', html)
    assert statuses == ["red", "red", "red"]
    assert _table_names(html) == ["C FLS", "A FLS", "B FLS"]  # ties by need


def test_a_page_holds_50_sites_and_the_totals_cover_every_site(
    make_site, make_user, client
) -> None:
    for number in range(PAGE_SIZE + 5):
        make_site(name=f"Site {number:03d}", region="London" if number % 2 else "Wales")
    sign_in(client, make_user(global_role="support"))
    first = client.get("/portfolio?sort=name").get_data(as_text=True)
    assert first.count("data-site-id=") == PAGE_SIZE
    assert "Showing 1 to 50 of 55 sites, page 1 of 2." in first
    assert "all 55 sites" in first  # the summary counts every site, not the page
    second = client.get("/portfolio?sort=name&page=2").get_data(as_text=True)
    assert _table_names(second) == [f"Site {n:03d}" for n in range(50, 55)]
    # Past the last page: the last page; nonsense: the first.
    assert "page 2 of 2" in client.get("/portfolio?sort=name&page=99").get_data(as_text=True)
    assert "page 1 of 2" in client.get("/portfolio?page=abc").get_data(as_text=True)
    # A filter narrows the rows; the totals are still every site's.
    wales = client.get("/portfolio?region=Wales").get_data(as_text=True)
    assert "Showing 28 of 55 sites." in wales and "all 55 sites" in wales


def test_support_home_lists_one_page_of_sites_worst_first(red_sites, make_site, client) -> None:
    for number in range(PAGE_SIZE):
        make_site(name=f"Quiet {number:03d}")
    sign_in(client, red_sites)
    html = client.get("/").get_data(as_text=True)
    table = html[html.index("<tbody") :]
    names = re.findall(r'<a href="/sites/\d+/">([^<]+)</a>', table)
    assert len(names) == PAGE_SIZE and names[:3] == ["C FLS", "A FLS", "B FLS"]
    assert "The 50 sites that need help most, of 53" in html
    assert 'href="/portfolio?view=all"' in html


def test_the_page_does_not_grow_with_the_number_of_sites(app, make_user, client) -> None:
    """A page of 50 at 60 sites and at 120: the same size give or take the totals' digits
    (the whole portfolio was 2.5 MB at 1,000 sites, issue 34)."""
    from app.demo import seed_bench

    sign_in(client, make_user(global_role="support"))
    sizes = []
    for added in (60, 60):
        seed_bench(added, 2)
        db.session.commit()
        html = client.get("/portfolio?view=all").get_data(as_text=True)
        assert html.count("data-site-id=") == PAGE_SIZE
        sizes.append(len(html.encode()))
    at_60, at_120 = sizes
    assert at_120 < at_60 * 1.05, sizes
    assert at_120 < 200_000, sizes
