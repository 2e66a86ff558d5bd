"""The answer a finance director reads first: for the recommended option against today's
service, the extra cost, QALYs gained, cost per QALY, the chance it is cost-effective and
the break-even year (or its absence), with the sensitivity analysis behind them."""

from __future__ import annotations

from dataclasses import dataclass

from app.business_case.calc import Appraisal
from app.business_case.cohort import WILLINGNESS
from app.business_case.economic import EconomicCase, economic_case
from app.business_case.uncertainty import (
    Case,
    Probabilistic,
    Tornado,
    cases,
    probabilistic,
    tornado,
)


@dataclass(frozen=True)
class Answer:
    case: EconomicCase
    run: Probabilistic
    tornado: Tornado
    cases: list[Case]

    @property
    def chances(self) -> list[tuple[int, float]]:
        """(£ a QALY, chance cost-effective) at each end of NICE's range."""
        return [(w, self.run.chance(w)) for w in WILLINGNESS]

    @property
    def verdict(self) -> str:
        """The answer in one sentence, in the words a panel uses."""
        icer = self.case.icer
        if self.case.comparison.dominant:
            return "cost-saving: it saves more than it costs and gains QALYs"
        if icer is None:
            return "not cost-effective: it gains no QALYs"
        if icer <= WILLINGNESS[0]:
            return "cost-effective: below NICE's £20,000 a QALY"
        if icer <= WILLINGNESS[1]:
            return "cost-effective within NICE's £20,000 to £30,000 a QALY range"
        return "not cost-effective at NICE's £20,000 to £30,000 a QALY"


def answer(appraisal: Appraisal, key: str | None = None) -> Answer | None:
    """The answer for option `key` (the recommended one by default), or None when the
    option or today's service cannot be worked out yet."""
    case = economic_case(appraisal, key)
    if case is None:
        return None
    run = probabilistic(case.inputs)
    return Answer(case, run, tornado(case.inputs), cases(case.inputs, run))
