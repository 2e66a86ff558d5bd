"""Readiness in a fixed few statements: every check's facts in one SELECT, the counts the
list and the overview show in one, and the same answers as evaluating the criteria in full."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.registry import registry
from app.demo import seed_bench
from app.extensions import db
from app.gateways.models import CriterionConfirmation
from app.gateways.overview import overview_facts, overview_panel
from app.gateways.readiness import PHASES, check_results, evaluate, results_of, summaries
from app.gateways.task_facts import fact_of_tasks
from app.plan.models import Task
from app.sites.models import Site
from app.toolkit import get_toolkit


@pytest.fixture
def two_sizes(app) -> tuple[Site, Site]:  # noqa: ANN001
    small, large = seed_bench(1, 12)[0], seed_bench(1, 36)[0]
    db.session.commit()
    return small, large


def _answer_some(site: Site) -> None:
    """People's answers of each kind, and essential tasks done and not applicable."""
    checked = registry().gateway_checks
    states = ["met", "not_applicable", "not_met"]
    for phase in PHASES:
        person = [o for o in get_toolkit().phase(phase).outcomes if o.auto_check not in checked]
        for n, outcome in enumerate(person):
            db.session.add(
                CriterionConfirmation(
                    site_id=site.id,
                    phase=phase,
                    criterion_key=outcome.key,
                    state=states[n % 3],
                    note="Because" if n % 3 == 1 else "",
                )
            )
    tasks = db.session.scalars(
        select(Task).where(Task.site_id == site.id, Task.essential.is_(True)).order_by(Task.id)
    ).all()
    for n, task in enumerate(tasks):
        task.status = ("complete", "not_applicable", "not_started")[n % 3]
    db.session.commit()


def test_summaries_agree_with_the_full_criteria(two_sizes) -> None:  # noqa: ANN001
    for site in two_sizes:
        _answer_some(site)
        full, counted = evaluate(site, PHASES), summaries(site, PHASES)
        for phase in PHASES:
            readiness, summary = full[phase], counted[phase]
            assert (summary.met, summary.applicable, summary.ready, summary.label) == (
                readiness.met,
                readiness.applicable,
                readiness.ready,
                readiness.label,
            ), phase
        assert any(r.met for r in full.values())
        assert any(c.state == "not_applicable" for r in full.values() for c in r.criteria)


def test_each_check_answers_the_same_from_the_shared_select(two_sizes) -> None:  # noqa: ANN001
    for site in two_sizes:
        shared = check_results(site, PHASES) | results_of(
            site, sorted(set(fact_of_tasks().values()))
        )
        assert set(shared) == set(registry().gateway_checks)  # every check, criterion or task
        for key, entry in registry().gateway_checks.items():
            assert shared[key] == entry.check(site, _own_facts(entry, site)), key
            assert shared[key] == entry.check(site), key  # fetching its own facts


def _own_facts(entry, site: Site) -> dict:  # noqa: ANN001
    return _own_facts_of(entry.facts, site)


def _own_facts_of(declare, site: Site) -> dict:  # noqa: ANN001
    from app.core.db import select_facts

    return select_facts(declare(site.id))


def test_readiness_statements_do_not_grow(two_sizes, count_queries) -> None:  # noqa: ANN001
    counts = []
    for site in two_sizes:
        _answer_some(site)
        db.session.expire_all()
        assert site.id  # reloads the site itself, which pages have already done
        with count_queries() as every_phase:
            evaluate(site, PHASES)
        with count_queries() as one_phase:
            evaluate(site, [1])
        with count_queries() as counted:
            summaries(site, PHASES)
        with count_queries() as panel:
            card = overview_panel(site, _own_facts_of(overview_facts, site))
        assert card["readiness"] == summaries(site, [card["current"]])[card["current"]]
        counts.append(tuple(len(q.statements) for q in (every_phase, one_phase, counted, panel)))
    # facts and answers in one SELECT, essential tasks in one; the counts alone in one;
    # the overview card: statuses, review requests and counts are facts, one SELECT
    assert counts == [(2, 2, 1, 1), (2, 2, 1, 1)]
