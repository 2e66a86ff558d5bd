"""RAID rules and reads, without a request."""

from datetime import date, timedelta

import pytest

from app.core.errors import ServiceError
from app.core.registry import registry
from app.extensions import db
from app.plan.models import Task
from app.risks import queries, service
from app.risks.models import RaidEntry
from app.risks.queries import Filters, band_counts, heat_map, list_entries, overdue_reviews
from app.risks.service import EntryDetails
from app.sites.overview import panel_context


@pytest.fixture
def site(make_site):  # noqa: ANN001, ANN201
    return make_site()


def risk(**values) -> EntryDetails:  # noqa: ANN003
    values.setdefault("title", "No recurrent funding")
    values.setdefault("status", "open")
    return EntryDetails(kind="risk", **values)


def test_create_scored_risk(site) -> None:  # noqa: ANN001
    entry = service.create_entry(site, risk(likelihood=4, impact=5))
    assert entry.inherent_score == 20
    assert entry.band.name == "Very high"
    assert entry.current_score == 20


@pytest.mark.parametrize(
    "values, field",
    [
        ({"likelihood": 6, "impact": 3}, "likelihood"),
        ({"likelihood": 3, "impact": 0}, "impact"),
        ({"likelihood": "x", "impact": 3}, "likelihood"),
        ({"likelihood": 3}, "impact"),
        (
            {"likelihood": 3, "impact": 3, "residual_likelihood": 9, "residual_impact": 1},
            "residual_likelihood",
        ),
        ({"likelihood": 3, "impact": 3, "residual_impact": 2}, "residual_likelihood"),
    ],
)
def test_bad_scores_name_the_field_and_save_nothing(site, values, field) -> None:  # noqa: ANN001
    with pytest.raises(ServiceError) as error:
        service.create_entry(site, risk(**values))
    assert error.value.field == field
    assert "1" in error.value.message or "both" in error.value.message
    assert db.session.scalar(db.select(db.func.count(RaidEntry.id))) == 0


def test_decision_outcome_needs_a_date(site) -> None:  # noqa: ANN001
    details = EntryDetails(
        kind="decision", title="Fund a pilot", status="agreed", outcome="Agreed for 12 months"
    )
    with pytest.raises(ServiceError) as error:
        service.create_entry(site, details)
    assert error.value.field == "decided_on"
    details.decided_on = date(2026, 3, 3)
    assert service.create_entry(site, details).status == "agreed"


def test_decision_cannot_be_agreed_without_an_outcome(site) -> None:  # noqa: ANN001
    with pytest.raises(ServiceError) as error:
        service.create_entry(site, EntryDetails(kind="decision", title="Fund", status="agreed"))
    assert error.value.field == "outcome"


def test_status_must_suit_the_kind(site) -> None:  # noqa: ANN001
    with pytest.raises(ServiceError) as error:
        service.create_entry(site, EntryDetails(kind="decision", title="Fund", status="open"))
    assert error.value.field == "status"
    with pytest.raises(ServiceError):
        service.create_entry(site, risk(status="agreed"))


def test_owner_from_another_site_is_refused(site, make_site, make_person) -> None:  # noqa: ANN001
    stranger = make_person(make_site(), name="Someone Else")
    with pytest.raises(ServiceError) as error:
        service.create_entry(site, risk(owner_id=stranger.id))
    assert error.value.field == "owner_id"
    erased = make_person(site, name="Gone", erased=True)
    with pytest.raises(ServiceError):
        service.create_entry(site, risk(owner_id=erased.id))
    own = make_person(site, name="Our PM")
    assert service.create_entry(site, risk(owner_id=own.id)).owner_id == own.id
    assert [p.name for p in service.owner_choices(site.id)] == ["Our PM"]


def test_fields_of_other_kinds_are_cleared(site) -> None:  # noqa: ANN001
    details = EntryDetails(
        kind="issue", title="DXA waits", status="open", severity="high", likelihood=3, impact=3
    )
    entry = service.create_entry(site, details)
    assert entry.likelihood is None and entry.severity == "high"


def test_issue_needs_a_severity(site) -> None:  # noqa: ANN001
    with pytest.raises(ServiceError) as error:
        service.create_entry(site, EntryDetails(kind="issue", title="DXA waits", status="open"))
    assert error.value.field == "severity"


def test_heat_map_counts_open_risks_by_current_score(site, make_site) -> None:  # noqa: ANN001
    service.create_entry(site, risk(likelihood=4, impact=5))
    service.create_entry(site, risk(likelihood=4, impact=5))
    mitigated = service.create_entry(site, risk(likelihood=4, impact=5))
    service.create_entry(site, risk(likelihood=2, impact=2, status="closed"))
    service.create_entry(site, risk())  # unscored
    service.create_entry(make_site(), risk(likelihood=4, impact=5))  # another site
    heat = heat_map(site.id)
    assert heat.count(4, 5) == 3 and heat.total == 3 and heat.unscored == 1

    service.add_mitigation(site, mitigated, "Business case to the ICB", residual=(2, 3))
    heat = heat_map(site.id)
    assert heat.count(4, 5) == 2
    assert heat.count(2, 3) == 1
    assert heat.band(2, 3).name == "Medium"
    assert band_counts(site.id) == {"low": 0, "medium": 1, "high": 0, "very_high": 2, "unscored": 1}
    risks_panel = next(p for p in registry().panels if p.template.startswith("risks/"))
    assert panel_context(risks_panel, site)["band_counts"] == band_counts(site.id)


def test_mitigation_task_must_be_on_this_site(site, make_site) -> None:  # noqa: ANN001
    entry = service.create_entry(site, risk(likelihood=3, impact=3))
    other = make_site()
    task = Task(site_id=other.id, phase=1, title="Elsewhere")
    db.session.add(task)
    db.session.flush()
    with pytest.raises(ServiceError) as error:
        service.add_mitigation(site, entry, "Do it", task_id=task.id)
    assert error.value.field == "task_id"
    with pytest.raises(ServiceError) as error:
        service.add_mitigation(site, entry, "Do it", residual=(2, 7))
    assert error.value.field == "residual_impact"


def test_steering_group_reads(site) -> None:  # noqa: ANN001
    for n, (likelihood, impact) in enumerate([(1, 1), (5, 5), (3, 4), (2, 5), (4, 4), (1, 2)]):
        service.create_entry(site, risk(title=f"R{n}", likelihood=likelihood, impact=impact))
    service.create_entry(site, risk(title="closed", likelihood=5, impact=5, status="closed"))
    service.create_entry(
        site, EntryDetails(kind="issue", title="minor", status="open", severity="low")
    )
    service.create_entry(
        site, EntryDetails(kind="issue", title="bad", status="open", severity="critical")
    )
    service.create_entry(
        site, EntryDetails(kind="issue", title="done", status="closed", severity="high")
    )
    later = date(2026, 6, 1)
    service.create_entry(
        site, EntryDetails(kind="decision", title="late", status="proposed", decide_by=later)
    )
    service.create_entry(
        site,
        EntryDetails(
            kind="decision", title="soon", status="proposed", decide_by=later - timedelta(days=30)
        ),
    )
    service.create_entry(site, EntryDetails(kind="decision", title="undated", status="proposed"))
    service.create_entry(
        site,
        EntryDetails(
            kind="decision", title="made", status="agreed", outcome="Yes", decided_on=later
        ),
    )
    assert [e.title for e in queries.top_risks(site.id)] == ["R1", "R4", "R2", "R3", "R5"]
    assert [e.title for e in queries.top_risks(site.id, limit=2)] == ["R1", "R4"]
    assert [e.title for e in queries.open_issues(site.id)] == ["bad", "minor"]
    assert [e.title for e in queries.decisions_needed(site.id)] == ["soon", "late", "undated"]


def test_overdue_reviews_count_only_active_entries(site) -> None:  # noqa: ANN001
    past, future = date(2020, 1, 1), date(2099, 1, 1)
    service.create_entry(site, risk(review_on=past))
    service.create_entry(site, risk(review_on=past, status="closed"))
    service.create_entry(site, risk(review_on=future))
    service.create_entry(
        site, EntryDetails(kind="decision", title="d", status="proposed", review_on=past)
    )
    assert overdue_reviews(site.id, date(2026, 1, 1)) == 2


def test_filters(site, make_person) -> None:  # noqa: ANN001
    owner = make_person(site)
    service.create_entry(site, risk(title="big", likelihood=5, impact=5, owner_id=owner.id))
    service.create_entry(site, risk(title="small", likelihood=1, impact=2))
    service.create_entry(
        site, EntryDetails(kind="issue", title="iss", status="open", severity="low")
    )

    def titles(**args) -> list[str]:  # noqa: ANN003
        return [e.title for e, _n in list_entries(site.id, Filters.from_args(args))]

    assert titles(band="very_high") == ["big"]
    assert titles(band="low") == ["small"]
    assert titles(kind="issue") == ["iss"]
    assert titles(owner=str(owner.id)) == ["big"]
    assert set(titles(owner="none")) == {"small", "iss"}
    assert len(titles(band="nonsense", kind="nothing")) == 3


def test_starters_are_added_once(site) -> None:  # noqa: ANN001
    added = service.add_starters(site, ["funding", "dxa"], date(2026, 1, 5))
    assert {e.starter_key for e in added} == {"funding", "dxa"}
    assert all(e.kind == "risk" and e.inherent_score for e in added)
    again = service.add_starters(site, ["funding", "workforce"], date(2026, 1, 5))
    assert [e.starter_key for e in again] == ["workforce"]
    with pytest.raises(ServiceError):
        service.add_starters(site, ["made-up"], date(2026, 1, 5))
    with pytest.raises(ServiceError):
        service.add_starters(site, [], date(2026, 1, 5))
