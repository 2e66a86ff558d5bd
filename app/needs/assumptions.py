"""The model's assumptions: loaded once from assumptions.toml, overridable per site."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ASSUMPTIONS_FILE = Path(__file__).with_name("assumptions.toml")
KINDS = ("percent", "count", "years")


@dataclass(frozen=True)
class Assumption:
    key: str
    label: str
    value: float
    unit: str
    kind: str
    meaning: str
    citation: str


@dataclass(frozen=True)
class Override:
    value: float
    reason: str


@cache
def default_assumptions() -> dict[str, Assumption]:
    """Every assumption in file order; a malformed file stops the app with a clear message."""
    with ASSUMPTIONS_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    loaded = {}
    for key, item in raw.items():
        missing = {"label", "value", "unit", "kind", "meaning", "citation"} - set(item)
        if missing:
            raise ValueError(f"{ASSUMPTIONS_FILE.name}: {key}: missing {sorted(missing)}")
        if item["kind"] not in KINDS:
            raise ValueError(f"{ASSUMPTIONS_FILE.name}: {key}: kind must be one of {KINDS}")
        loaded[key] = Assumption(
            key=key,
            label=item["label"],
            value=float(item["value"]),
            unit=item["unit"],
            kind=item["kind"],
            meaning=item["meaning"],
            citation=item["citation"],
        )
    return loaded


def check_override(assumption: Assumption, value: float) -> str | None:
    """Why `value` cannot replace the assumption, or None when it can."""
    if value < 0:
        return f"{assumption.label} cannot be negative."
    if assumption.kind == "percent" and value > 100:
        return f"{assumption.label} is a percentage: enter a number from 0 to 100."
    if assumption.kind != "percent" and value == 0:
        return f"{assumption.label} must be more than 0."
    return None


def effective_values(overrides: dict[str, Override] | None = None) -> dict[str, float]:
    """The value the model uses for each assumption: the site's override or the default."""
    overrides = overrides or {}
    return {
        key: overrides[key].value if key in overrides else item.value
        for key, item in default_assumptions().items()
    }
