"""The cohort model's defaults (economics.toml): each with its range, source and year, and
every money value brought to one price year with the NHS cost inflation index."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ECONOMICS_FILE = Path(__file__).with_name("economics.toml")
KINDS = ("money", "share", "rate", "qaly", "years", "ratio")
REQUIRED = {"label", "value", "low", "high", "unit", "kind", "source", "year"}


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    value: float  # central, in the price base for money
    low: float
    high: float
    unit: str
    kind: str
    source: str
    year: str
    price_year: str = ""  # money only: the source's price year
    stated: float | None = None  # money only: the value as the source gives it

    @property
    def citation(self) -> str:
        prices = f", {self.price_year} prices" if self.price_year else ""
        return f"{self.source} ({self.year}{prices})"

    def show(self, value: float) -> str:
        """A value as people read it: £19,000, 2.75%, 0.22, 5."""
        if self.kind == "money":
            step = 100 if value < 10_000 else 1000
            return f"£{round(value / step) * step:,.0f}"
        if self.kind in ("share", "rate"):
            return f"{value * 100:.3g}%"
        return f"{value:g}"


@dataclass(frozen=True)
class Economics:
    price_base: str
    index: dict[str, float]
    index_source: str
    parameters: dict[str, Parameter]

    def uplift(self, price_year: str) -> float:
        """The factor that brings `price_year` prices to the price base."""
        return self.index[self.price_base] / self.index[price_year]

    def central(self) -> dict[str, float]:
        return {key: p.value for key, p in self.parameters.items()}


def _check(key: str, item: dict) -> None:
    missing = REQUIRED - set(item)
    if missing:
        raise ValueError(f"{ECONOMICS_FILE.name}: {key}: missing {sorted(missing)}")
    if item["kind"] not in KINDS:
        raise ValueError(f"{ECONOMICS_FILE.name}: {key}: unknown kind {item['kind']!r}")
    if not item["low"] <= item["value"] <= item["high"]:
        raise ValueError(f"{ECONOMICS_FILE.name}: {key}: the value is outside its range")
    if item["kind"] == "money" and "price_year" not in item:
        raise ValueError(f"{ECONOMICS_FILE.name}: {key}: a cost needs its price year")


@cache
def economics() -> Economics:
    """Every default in file order, money at the price base; a malformed file stops the app."""
    with ECONOMICS_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    base = raw.pop("price_base")["year"]
    inflation = raw.pop("inflation")
    source = inflation.pop("source")
    index = {year: float(value) for year, value in inflation.items()}
    if base not in index:
        raise ValueError(f"{ECONOMICS_FILE.name}: no index value for the price base {base}")
    parameters = {}
    for key, item in raw.items():
        _check(key, item)
        factor = 1.0
        if item["kind"] == "money":
            if item["price_year"] not in index:
                raise ValueError(f"{ECONOMICS_FILE.name}: {key}: no index for its price year")
            factor = index[base] / index[item["price_year"]]
        parameters[key] = Parameter(
            key=key,
            label=item["label"],
            value=float(item["value"]) * factor,
            low=float(item["low"]) * factor,
            high=float(item["high"]) * factor,
            unit=item["unit"],
            kind=item["kind"],
            source=item["source"],
            year=str(item["year"]),
            price_year=item.get("price_year", ""),
            stated=float(item["value"]) if item["kind"] == "money" else None,
        )
    return Economics(base, index, source, parameters)
