"""The site overview's own panels (everything but the gateway card) read their data in a
fixed few statements: one SELECT of every panel's facts, the plan's tasks and the KPI
values, beside loading the signed-in user and the membership check.

The gateway card belongs to the gateways feature (its facts join the same SELECT; see
tests/web/test_gateway_readiness.py); the page is measured here without it. The current
phase comes as SQL (`registry.current_phase_fact`, registered by the gateways feature).
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.core.registry import registry
from app.demo import seed_bench
from app.extensions import db
from app.gateways.models import Gateway
from app.gateways.queries import current_phase_fact
from app.sites.overview import overview_panels
from app.sites.queries import current_phase_numbers
from tests.conftest import sign_in

# The signed-in user (reloaded here as on every site page of tests/web/test_query_budget.py),
# the membership check, then the panels' facts, the plan's tasks and the KPI values.
OWN_PANELS_BUDGET = 5


@pytest.fixture
def own_panels_only(app, monkeypatch) -> None:  # noqa: ANN001
    found = registry()
    monkeypatch.setattr(
        found, "panels", [p for p in found.panels if not p.template.startswith("gateways/")]
    )


def _statements(client: FlaskClient, count_queries, url: str) -> int:  # noqa: ANN001
    assert client.get(url).status_code == 200  # warm up: first-request work aside
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries.statements)


def test_own_panels_run_a_fixed_few_statements(
    own_panels_only, make_user, app, count_queries
) -> None:  # noqa: ANN001
    small, large = seed_bench(1, 12)[0], seed_bench(1, 36)[0]
    db.session.commit()
    client = app.test_client()
    sign_in(client, make_user(global_role="admin"))
    few = _statements(client, count_queries, f"/sites/{small.id}/")
    many = _statements(client, count_queries, f"/sites/{large.id}/")
    assert few == many, f"{few} statements on the small site, {many} on the large"
    assert many <= OWN_PANELS_BUDGET, f"{many} statements"


def test_the_panels_facts_are_one_statement(own_panels_only, app, make_site, count_queries) -> None:  # noqa: ANN001
    site = make_site()
    db.session.refresh(site)  # the page has its site loaded already
    with app.test_request_context(), count_queries() as queries:
        panels = overview_panels(site)
    # facts, tasks and KPI values: the other panels have no query of their own
    assert len(queries.statements) == 3
    assert [template.split("/")[0] for template, _ in panels] == [
        "plan", "people", "meetings", "risks", "needs", "kpis",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("signed", "current"), [((), 1), ((1, 2), 3), ((1, 3), 2), ((1, 2, 3, 4, 5, 6), 6)]
)
def test_the_phase_fact_follows_the_current_phase_rule(
    signed: tuple[int, ...], current: int, make_site
) -> None:
    site = make_site()
    for phase in (1, 2, 3, 4, 5, 6):
        status = "signed_off" if phase in signed else "not_ready"
        db.session.add(Gateway(site_id=site.id, phase=phase, status=status))
    db.session.flush()
    assert db.session.scalar(db.select(current_phase_fact(site.id))) == current
    assert current_phase_numbers([site.id]) == {site.id: current}
