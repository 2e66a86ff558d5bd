"""The delivery page's rules, on plain values: each promise against the audit's actuals by
quarter, the gap in patients and the fractures it means were not prevented."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from app.delivery.models import PERIOD_NAMES, Promise
from app.delivery.promises import MEASURES, Measure, add_quarters
from app.kpis.periods import Period, current_period

MISSED_RUNNING = 2  # missed this many quarters running: offer a recovery plan


def fractures_not_prevented(patients_short: float, per_patient: float | None) -> float | None:
    """Fractures the business case's cohort model expects the missing patients would have
    been spared (per_patient comes from that model when the case was agreed)."""
    if per_patient is None:
        return None
    return max(patients_short, 0) * per_patient


@dataclass(frozen=True)
class Quarter:
    period: Period
    promise: Promise
    numerator: int | None = None  # None: no audit data for this quarter
    denominator: int | None = None
    months: int = 3  # months of the quarter the audit has recorded so far

    @property
    def partial(self) -> bool:
        return self.has_data and self.months < 3

    @property
    def has_data(self) -> bool:
        return self.numerator is not None

    @property
    def promised(self) -> float:
        """The quarter's promise, or its share for the months recorded so far."""
        return (self.promise.patients or 0.0) * min(self.months, 3) / 3

    @property
    def percent(self) -> float | None:
        if not self.has_data or not self.denominator:
            return None
        return 100 * self.numerator / self.denominator

    @property
    def gap(self) -> float | None:
        """Patients short of the promise (negative: more than promised)."""
        return None if not self.has_data else self.promised - self.numerator

    @property
    def missed(self) -> bool:
        return self.gap is not None and round(self.gap) > 0

    @property
    def fractures(self) -> float | None:
        if self.gap is None:
            return None
        return fractures_not_prevented(self.gap, self.promise.fractures_per_patient)

    @property
    def period_name(self) -> str:
        return PERIOD_NAMES[self.promise.period]


@dataclass
class Delivery:
    """One promised measure, quarter by quarter."""

    key: str
    measure: Measure
    promises: list[Promise]
    quarters: list[Quarter] = field(default_factory=list)

    @property
    def with_data(self) -> list[Quarter]:
        return [q for q in self.quarters if q.has_data]

    @property
    def missed_running(self) -> bool:
        """Missed in each of the last quarters with data (two running)."""
        recent = self.with_data[-MISSED_RUNNING:]
        return len(recent) == MISSED_RUNNING and all(q.missed for q in recent)

    @property
    def latest(self) -> Quarter | None:
        return self.with_data[-1] if self.with_data else None

    @property
    def total_gap(self) -> float:
        return sum(max(q.gap or 0, 0) for q in self.with_data)

    @property
    def total_fractures(self) -> float | None:
        found = [q.fractures for q in self.with_data if q.fractures is not None]
        return sum(found) if found else None


def quarters_between(first: date, today: date) -> list[Period]:
    """Quarters from `first` up to the one `today` falls in."""
    end = current_period("quarter", today).start
    found, start = [], first
    while start <= end:
        found.append(Period(start, "quarter"))
        start = add_quarters(start, 1)
    return found


def promise_for(promises: Iterable[Promise], day: date) -> Promise | None:
    for promise in promises:
        if promise.starts_on <= day and (promise.ends_on is None or day < promise.ends_on):
            return promise
    return None


def deliveries(
    promises: list[Promise], counts: Iterable[tuple[int, date, str, int, int]], today: date
) -> list[Delivery]:
    """Each measure's promise against the audit's counts, summed into quarters (a quarter
    with only some months recorded is held to that share of its promise)."""
    by_quarter: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0, 0])
    for kpi, start, kind, numerator, denominator in counts:
        total = by_quarter[(kpi, current_period("quarter", start).start)]
        total[0] += numerator
        total[1] += denominator
        total[2] += 3 if kind == "quarter" else 1
    grouped: dict[str, list[Promise]] = defaultdict(list)
    for promise in promises:
        grouped[promise.measure].append(promise)
    result = []
    for key, measure in MEASURES.items():
        own = grouped.get(key)
        if not own:
            continue
        delivery = Delivery(key, measure, own)
        if measure.kpi is not None:
            for period in quarters_between(min(p.starts_on for p in own), today):
                promise = promise_for(own, period.start)
                if promise is None:
                    continue
                found = by_quarter.get((measure.kpi, period.start))
                if found is None:
                    if period.start < current_period("quarter", today).start:
                        delivery.quarters.append(Quarter(period, promise))
                    continue
                numerator, denominator, months = found
                delivery.quarters.append(
                    Quarter(period, promise, numerator, denominator, min(months, 3))
                )
        result.append(delivery)
    return result


def first_start(promises: list[Promise]) -> date | None:
    return min((p.starts_on for p in promises), default=None)


def measured_kpis(promises: list[Promise]) -> list[int]:
    return sorted({p.kpi_number for p in promises if p.kpi_number is not None})
