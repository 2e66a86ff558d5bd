"""Demo and benchmark data for the RAID log."""

from app.demo import seed_bench, seed_demo
from app.extensions import db
from app.risks import queries
from app.risks.models import RaidEntry


def test_demo_riverside_has_what_the_steering_group_needs(app) -> None:  # noqa: ANN001
    ctx = seed_demo()
    riverside = ctx.sites["riverside"].id
    top = queries.top_risks(riverside, limit=1)[0]
    assert top.starter_key == "funding" and top.band.name == "Very high"
    assert any("DXA" in issue.title for issue in queries.open_issues(riverside))
    decisions = queries.decisions_needed(riverside)
    assert decisions and decisions[0].decider == "FLS steering group"


def test_bench_adds_a_tenth_of_the_tasks_as_entries(app) -> None:  # noqa: ANN001
    sites = seed_bench(2, 150)
    for site in sites:
        entries = list(db.session.scalars(db.select(RaidEntry).where(RaidEntry.site_id == site.id)))
        assert len(entries) == 15
        assert all(e.band for e in entries if e.kind == "risk")
