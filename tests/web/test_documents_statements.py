"""The documents run a fixed few statements, the same on a small site and on one three
times its size, and no more than they do today.

They are not yet within the six of tests/web/test_query_budget.py (marked there): besides
the request's own two (the signed-in user and the site membership) and one SELECT of the
site's facts (narrative, versions, figures, gateways), the PID reads four lists (people,
plan, meetings, risks) and the report seven (plan, three risk lists, changes, actions and
KPI values with targets).
"""

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from app.demo import seed_bench
from app.extensions import db
from app.sites.models import Site
from tests.conftest import sign_in

SMALL_TASKS, LARGE_TASKS = 12, 36

NOW_AT_MOST = {
    "/documents": 7,
    "/documents/pid.docx": 7,
    "/documents/steering-report": 11,
    "/documents/steering-report.docx": 11,
}


@pytest.fixture
def two_sites(app, make_user) -> tuple[FlaskClient, Site, Site]:  # noqa: ANN001
    small, large = seed_bench(1, SMALL_TASKS)[0], seed_bench(1, LARGE_TASKS)[0]
    db.session.commit()
    client = app.test_client()
    sign_in(client, make_user(global_role="admin"))
    return client, small, large


def _statements(client: FlaskClient, count_queries: Callable, site: Site, page: str) -> int:
    url = f"/sites/{site.id}{page}"
    assert client.get(url).status_code == 200, url  # warm up: first-request work aside
    with count_queries() as queries:
        assert client.get(url).status_code == 200, url
    return len(queries.statements)


@pytest.mark.parametrize("page", list(NOW_AT_MOST))
def test_documents_run_a_fixed_few_statements(page: str, two_sites, count_queries) -> None:
    client, small, large = two_sites
    few = _statements(client, count_queries, small, page)
    many = _statements(client, count_queries, large, page)
    assert few == many, f"{few} statements on the small site, {many} on the large"
    assert many <= NOW_AT_MOST[page], f"{many} statements"
