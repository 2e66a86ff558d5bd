"""How sure the economic case is: one-way sensitivity (a tornado), a probabilistic run and
its cost-effectiveness acceptability curve, and low, central and high cases.

Every uncertain input has a range (economics.toml's low and high; the site multipliers
in economic.SITE_RANGES). One-way: each input at each end of its range, the rest central.
Probabilistic: every input drawn at once from a triangular distribution over its range
(peak at the central value), 1,000 draws from a fixed seed so the same inputs always give
the same answer. The low and high cases are the draws at the 10th and 90th centiles of
net benefit at £20,000 a QALY. Plain values in and out; no Flask.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.business_case.cohort import WILLINGNESS
from app.business_case.economic import SITE_RANGES, SiteInputs, evaluate, parameters
from app.business_case.economics import economics

DRAWS = 1000
SEED = 20170419  # fixed: the same inputs always give the same probabilities
CURVE_STEP = 2_500  # £ a QALY between points of the acceptability curve
CURVE_TOP = 50_000
TORNADO_BARS = 10  # the inputs that move the answer most
# Inputs whose range is shown but held still: a model setting, not an uncertain quantity.
FIXED = {"cost_index_fracture", "cost_year_alive"}


def ranges() -> dict[str, tuple[str, float, float, float]]:
    """Every uncertain input: key -> (label, low, central, high)."""
    found = {
        key: (p.label, p.low, p.value, p.high)
        for key, p in economics().parameters.items()
        if key not in FIXED and p.low < p.high
    }
    return found | SITE_RANGES


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    low_value: float  # the input at each end of its range
    high_value: float
    low_result: float  # net benefit a patient (£, at £20,000 a QALY) with the input low
    high_result: float

    @property
    def swing(self) -> float:
        return abs(self.high_result - self.low_result)


@dataclass(frozen=True)
class Tornado:
    central: float  # net monetary benefit for one year's patients at the central values
    willingness: float
    bars: list[Bar]


def tornado(inputs: SiteInputs, willingness: float = WILLINGNESS[0]) -> Tornado:
    """Net monetary benefit for one year's patients, each input at each end of its range;
    the TORNADO_BARS inputs with the widest swing, widest first."""
    base = parameters()
    scale = inputs.patients
    central = evaluate(inputs, base).net_benefit(willingness) * scale
    bars = []
    for key, (label, low, _mid, high) in ranges().items():
        low_result = evaluate(inputs, base | {key: low}).net_benefit(willingness) * scale
        high_result = evaluate(inputs, base | {key: high}).net_benefit(willingness) * scale
        bars.append(Bar(key, label, low, high, low_result, high_result))
    bars.sort(key=lambda bar: bar.swing, reverse=True)
    return Tornado(central, willingness, bars[:TORNADO_BARS])


@dataclass(frozen=True)
class Draw:
    cost: float  # extra cost a patient, discounted
    qalys: float  # QALYs gained a patient, discounted


@dataclass(frozen=True)
class Probabilistic:
    draws: list[Draw]
    patients: float

    def chance(self, willingness: float) -> float:
        """The share of draws in which the service is cost-effective at `willingness`."""
        good = sum(1 for d in self.draws if willingness * d.qalys - d.cost > 0)
        return good / len(self.draws)

    def curve(self) -> list[tuple[float, float]]:
        """(£ a QALY, chance cost-effective) from £0 to CURVE_TOP."""
        steps = range(0, CURVE_TOP + CURVE_STEP, CURVE_STEP)
        return [(float(w), self.chance(w)) for w in steps]

    def centile(self, share: float, willingness: float = WILLINGNESS[0]) -> Draw:
        """The draw at `share` (0-1) of the way up the net benefit ranking."""
        ranked = sorted(self.draws, key=lambda d: willingness * d.qalys - d.cost)
        return ranked[min(len(ranked) - 1, int(share * len(ranked)))]

    @property
    def chance_cost_saving(self) -> float:
        return sum(1 for d in self.draws if d.cost <= 0) / len(self.draws)


def probabilistic(inputs: SiteInputs, draws: int = DRAWS, seed: int = SEED) -> Probabilistic:
    """`draws` runs with every input drawn at once (triangular over its range)."""
    rng = random.Random(seed)
    spread = ranges()
    base = parameters()
    results = []
    for _ in range(draws):
        p = dict(base)
        for key, (_label, low, mid, high) in spread.items():
            p[key] = rng.triangular(low, high, mid)
        comparison = evaluate(inputs, p)
        results.append(Draw(comparison.cost(), comparison.qalys()))
    return Probabilistic(results, inputs.patients)


@dataclass(frozen=True)
class Case:
    name: str
    cost: float  # for one year's patients, discounted
    qalys: float

    @property
    def icer(self) -> float | None:
        return self.cost / self.qalys if self.qalys > 0 else None


def cases(inputs: SiteInputs, run: Probabilistic) -> list[Case]:
    """Low (10th centile of net benefit), central (central inputs) and high (90th)."""
    central = evaluate(inputs, parameters())
    n = inputs.patients
    low, high = run.centile(0.1), run.centile(0.9)
    return [
        Case("Low", low.cost * n, low.qalys * n),
        Case("Central", central.cost() * n, central.qalys() * n),
        Case("High", high.cost * n, high.qalys * n),
    ]
