"""Saving and reading a site's needs figures, and what other features ask of them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.sql.selectable import ScalarSelect

from app.accounts.models import User
from app.core.db import select_facts
from app.core.errors import ServiceError
from app.extensions import db
from app.needs.assumptions import Override, check_override, default_assumptions, effective_values
from app.needs.model import (
    Admissions,
    NeedsInputs,
    NeedsResults,
    Scenario,
    approx,
    compute,
    validate,
)
from app.needs.models import NeedsVersion

if TYPE_CHECKING:
    from app.sites.models import Site


class NeedsHeadline(NamedTuple):
    population_50_plus: int | None
    hip_fractures_prevented_5y: int | None


class NeedsInvalid(ServiceError):
    """Several fields are wrong at once: field name -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Check the figures entered.")
        self.errors = errors


@dataclass
class NeedsState:
    """What a site has saved (all empty before its first save)."""

    version: NeedsVersion | None = None
    inputs: NeedsInputs = field(default_factory=NeedsInputs)
    overrides: dict[str, Override] = field(default_factory=dict)
    scenarios: list[Scenario] = field(default_factory=list)

    @property
    def version_id(self) -> int:
        return self.version.id if self.version else 0

    def results(self) -> NeedsResults:
        return compute(self.inputs, effective_values(self.overrides), self.scenarios)


# --- (de)serialising the saved payload -------------------------------------------------------


def _payload(state: NeedsState) -> str:
    return json.dumps(
        {
            "inputs": asdict(state.inputs),
            "overrides": {k: asdict(v) for k, v in state.overrides.items()},
            "scenarios": [asdict(s) for s in state.scenarios],
        },
        sort_keys=True,
    )


def state_from_version(version: NeedsVersion | None) -> NeedsState:
    if version is None:
        return NeedsState()
    data = version.payload
    raw = data.get("inputs", {})
    inputs = NeedsInputs(
        population_total=raw.get("population_total"),
        bands=raw.get("bands", {}),
        admissions={k: Admissions(**v) for k, v in raw.get("admissions", {}).items()},
        rates=raw.get("rates", {}),
        staffing=raw.get("staffing", {}),
    )
    known = default_assumptions()
    overrides = {k: Override(**v) for k, v in data.get("overrides", {}).items() if k in known}
    scenarios = [Scenario(**s) for s in data.get("scenarios", [])]
    return NeedsState(version, inputs, overrides, scenarios)


# --- reading ---------------------------------------------------------------------------------


def latest_version(site_id: int) -> NeedsVersion | None:
    return db.session.scalar(
        select(NeedsVersion)
        .where(NeedsVersion.site_id == site_id)
        .order_by(NeedsVersion.id.desc())
        .limit(1)
    )


def current_state(site: Site) -> NeedsState:
    return state_from_version(latest_version(site.id))


def history(site: Site, limit: int = 50) -> list[tuple[NeedsVersion, str | None]]:
    """Newest first, with the name of whoever saved each version (one query)."""
    rows = db.session.execute(
        select(NeedsVersion, User.name)
        .outerjoin(User, User.id == NeedsVersion.created_by_id)
        .where(NeedsVersion.site_id == site.id)
        .order_by(NeedsVersion.id.desc())
        .limit(limit)
    ).all()
    return [(version, name) for version, name in rows]


# --- saving ----------------------------------------------------------------------------------


def save(site: Site, state: NeedsState, by: User | None, change: str) -> NeedsVersion:
    """Write a new version (versions are never edited) with its headline numbers."""
    errors = validate(state.inputs)
    for key, override in state.overrides.items():
        problem = check_override(default_assumptions()[key], override.value)
        if problem:
            errors[f"value_{key}"] = problem
        if not override.reason.strip():
            errors[f"reason_{key}"] = (
                f"Give a reason for changing {default_assumptions()[key].label.lower()}."
            )
    values = effective_values(state.overrides)
    if values["population_per_nurse_low"] > values["population_per_nurse_high"]:
        errors["value_population_per_nurse_low"] = (
            "The lower end of the population per nurse must not be more than the upper end."
        )
    if errors:
        raise NeedsInvalid(errors)
    results = state.results()
    version = NeedsVersion(
        site_id=site.id,
        created_by_id=by.id if by else None,
        change=change.strip()[:200],
        data=_payload(state),
        population_50_plus=results.population,
        expected_caseload=results.caseload,
        hip_fractures_prevented_5y=results.hip_prevented_5y,
    )
    db.session.add(version)
    if results.population is not None and site.population_50_plus != results.population:
        site.population_50_plus = results.population  # one figure, shown the same everywhere
    db.session.flush()
    return version


# --- what other features ask -----------------------------------------------------------------


def portfolio_needs(site_ids: list[int]) -> dict[int, NeedsHeadline]:
    """Each site's population covered and hip fractures prevented, in one query for all sites."""
    if not site_ids:
        return {}
    newest = (
        select(func.max(NeedsVersion.id))
        .where(NeedsVersion.site_id.in_(site_ids))
        .group_by(NeedsVersion.site_id)
    )
    rows = db.session.execute(
        select(
            NeedsVersion.site_id,
            NeedsVersion.population_50_plus,
            NeedsVersion.hip_fractures_prevented_5y,
        ).where(NeedsVersion.id.in_(newest))
    ).all()
    return {site_id: NeedsHeadline(pop, hip) for site_id, pop, hip in rows}


def expected_caseload(site_id: int) -> int | None:
    """The rule-of-5 caseload a year from the site's latest figures (None if not entered)."""
    return db.session.scalar(
        select(NeedsVersion.expected_caseload)
        .where(NeedsVersion.site_id == site_id)
        .order_by(NeedsVersion.id.desc())
        .limit(1)
    )


def needs_entered_facts(site_id: int) -> dict[str, Any]:
    """The latest figures' caseload, date and saved inputs (for the gateway check)."""

    def latest(column):  # noqa: ANN001, ANN202
        return (
            select(column)
            .where(NeedsVersion.site_id == site_id)
            .order_by(NeedsVersion.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return {
        "id": latest(NeedsVersion.id),
        "caseload": latest(NeedsVersion.expected_caseload),
        "created_at": latest(NeedsVersion.created_at),
        "data": latest(NeedsVersion.data),
    }


def needs_entered(site: Site, facts: Mapping[str, Any] | None = None) -> tuple[bool, str, str]:
    """For the Phase 3 gateway: are the numbers to assess and treat quantified?"""
    link = f"/sites/{site.id}/needs"  # the URL scheme is a contract; works outside requests too
    facts = select_facts(needs_entered_facts(site.id)) if facts is None else facts
    if facts["id"] is None:
        return False, "No needs figures have been entered yet.", link
    if facts["caseload"] is None:
        return False, "Enter the population or hip fracture admissions to get the caseload.", link
    rates = json.loads(facts["data"] or "{}").get("inputs", {}).get("rates", {})
    if any(rates.get(k) is None for k in ("assessment", "treatment", "followup")):
        return False, "Enter the current assessment, treatment and follow-up rates.", link
    return (
        True,
        f"Expected caseload {facts['caseload']:,} a year; figures saved "
        f"{facts['created_at']:%d/%m/%Y}.",
        link,
    )


@dataclass(frozen=True)
class LatestFigures:
    """What the overview shows of the latest needs version."""

    population_50_plus: int | None
    expected_caseload: int | None
    hip_fractures_prevented_5y: int | None


_FIGURES = ("population_50_plus", "expected_caseload", "hip_fractures_prevented_5y")


def overview_facts(site_id: int) -> dict[str, ScalarSelect]:
    """The panel's facts: the latest version's id and headline figures (as `latest_version`)."""
    latest = (
        select(NeedsVersion.id)
        .where(NeedsVersion.site_id == site_id)
        .order_by(NeedsVersion.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return {
        "latest": latest,
        **{
            name: select(getattr(NeedsVersion, name))
            .where(NeedsVersion.id == latest)
            .scalar_subquery()
            for name in _FIGURES
        },
    }


def overview_panel(site: Site, facts: dict[str, Any]) -> dict:
    version = None
    if facts["latest"] is not None:
        version = LatestFigures(*(facts[name] for name in _FIGURES))
    hip = version.hip_fractures_prevented_5y if version else None
    return {
        "needs_version": version,
        "hip_display": approx(hip) if hip is not None else "",
        "needs_url": url_for("sites.needs.index", site_id=site.id),
    }
