"""Saving a site's needs figures (reads are in `app.needs.queries`)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from app.accounts.models import User
from app.core.errors import ServiceError
from app.extensions import db
from app.needs.assumptions import Override, check_override, default_assumptions, effective_values
from app.needs.headline import refresh_headline
from app.needs.model import (
    Admissions,
    NeedsInputs,
    NeedsResults,
    Scenario,
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
    refresh_headline(site)  # the portfolio states the documents' figures
    return version
