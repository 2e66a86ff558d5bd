"""The cost model's defaults: loaded once from costs.toml, each with its source and year."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from app.business_case.economics import economics

COSTS_FILE = Path(__file__).with_name("costs.toml")
KINDS = ("money", "percent", "count")
GROUPS = {
    "staff": "Staff",
    "patients": "For each patient",
    "running": "Running and set-up costs",
    "savings": "Savings and the economic case",
}
REQUIRED = {"label", "group", "value", "unit", "kind", "min", "max", "meaning", "source", "year"}


@dataclass(frozen=True)
class CostDefault:
    key: str
    label: str
    group: str
    value: float
    unit: str
    kind: str
    low: float
    high: float
    meaning: str
    source: str
    year: str
    zero: str = ""  # what a value of 0 means, in words ("Not counted")
    price_year: str = ""  # money: the source's prices, before bringing them to the base
    stated: float | None = None  # money: the value as the source gives it
    scotland: tuple[float, str] | None = None  # (value, source) for sites in Scotland

    def for_nation(self, nation: str | None) -> CostDefault:
        """This default as a site in `nation` uses it (Scotland's own pay scales)."""
        if nation == "Scotland" and self.scotland is not None:
            value, source = self.scotland
            return replace(self, value=value, stated=value, source=source, scotland=None)
        return self

    @property
    def citation(self) -> str:
        prices = f", {self.price_year} prices" if self.price_year else ""
        return f"{self.source} ({self.year}{prices})"


@cache
def default_costs() -> dict[str, CostDefault]:
    """Every default in file order; a malformed file stops the app with a clear message."""
    with COSTS_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    loaded = {}
    for key, item in raw.items():
        missing = REQUIRED - set(item)
        if missing:
            raise ValueError(f"{COSTS_FILE.name}: {key}: missing {sorted(missing)}")
        if item["kind"] not in KINDS or item["group"] not in GROUPS:
            raise ValueError(f"{COSTS_FILE.name}: {key}: unknown kind or group")
        if not item["min"] <= item["value"] <= item["max"]:
            raise ValueError(f"{COSTS_FILE.name}: {key}: the default is outside its range")
        if item["kind"] == "money" and "price_year" not in item:
            raise ValueError(f"{COSTS_FILE.name}: {key}: a cost needs its price year")
        factor = economics().uplift(item["price_year"]) if item["kind"] == "money" else 1.0
        loaded[key] = CostDefault(
            key=key,
            label=item["label"],
            group=item["group"],
            # Money to the pound at the price base; other kinds exactly as written.
            value=float(round(item["value"] * factor)) if factor != 1.0 else float(item["value"]),
            unit=item["unit"],
            kind=item["kind"],
            low=float(item["min"]),
            high=float(item["max"]),
            meaning=item["meaning"],
            source=item["source"],
            year=str(item["year"]),
            zero=item.get("zero", ""),
            price_year=item.get("price_year", ""),
            stated=float(item["value"]) if item["kind"] == "money" else None,
            scotland=(
                (float(item["scotland"]["value"]), item["scotland"]["source"])
                if "scotland" in item
                else None
            ),
        )
    return loaded


def show(item: CostDefault, value: float) -> str:
    """A value as people read it: £49,479, 3.5%, 1 (or what 0 means, for some)."""
    if value == 0 and item.zero:
        return item.zero
    if item.kind == "money":
        return f"£{value:,.0f}"
    if item.kind == "percent":
        return f"{value:g}%"
    return f"{value:g}"


def check_value(item: CostDefault, value: float) -> str | None:
    """Why `value` cannot replace the default, or None when it can."""
    if value < 0:
        return f"{item.label} cannot be negative."
    if not item.low <= value <= item.high:
        return (
            f"{item.label} must be between {show(item, item.low)} and {show(item, item.high)} "
            f"({item.unit}); {show(item, value)} looks like a typing slip."
        )
    return None


def nation_costs(nation: str | None) -> dict[str, CostDefault]:
    """Every default as a site in `nation` uses it."""
    return {key: item.for_nation(nation) for key, item in default_costs().items()}


def effective_costs(
    overrides: dict[str, float] | None = None, nation: str | None = None
) -> dict[str, float]:
    """The value the model uses for each key: the site's own or the nation's default."""
    overrides = overrides or {}
    return {key: overrides.get(key, item.value) for key, item in nation_costs(nation).items()}
