"""KPI values: checking and saving them all-or-nothing, and reading them for pages and reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.core.errors import ServiceError
from app.extensions import db
from app.kpis import rules
from app.kpis.models import KpiTarget, KpiValue
from app.kpis.periods import Period
from app.toolkit import Kpi, get_toolkit

if TYPE_CHECKING:  # sites imports this module for its overview panel
    from app.sites.models import Site

# KPI 2 and 3 compare identified patients with the expected caseload (local hip fractures
# × 5). Until the Needs estimate is wired in, the denominator is the figure the site enters.
CASELOAD_KPIS = (2, 3)


@dataclass
class ValueRow:
    """One value to save, as read from the grid or a file. `where` names it in messages."""

    kpi_number: int
    period: Period
    numerator: int
    denominator: int
    where: str = ""
    field_prefix: str = ""  # the grid's field names: num_<n> / den_<n>


@dataclass
class Problem:
    message: str
    where: str = ""
    field: str | None = None
    duplicate: bool = False


class ValuesRejected(ServiceError):
    """Nothing was saved: every problem found, so people can fix them all at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was saved.")
        self.problems = problems

    @property
    def only_duplicates(self) -> bool:
        return all(p.duplicate for p in self.problems)


def check_rows(site: Site, rows: list[ValueRow], *, replace: bool, today: date) -> list[Problem]:
    """Every problem with `rows`, checked against each other and what the site already has."""
    problems: list[Problem] = []
    kpis = get_toolkit().kpis_by_number
    existing = {
        (v.kpi_number, v.period_start): v
        for v in db.session.scalars(select(KpiValue).where(KpiValue.site_id == site.id))
    }
    kinds: dict[int, str] = {}
    for value in existing.values():
        kinds.setdefault(value.kpi_number, value.period_kind)
    seen: set[tuple[int, date]] = set()
    for row in rows:
        # The grid has all 11 KPIs on one screen, so name the KPI when there is no row number.
        prefix = f"{row.where}: " if row.where else f"KPI {row.kpi_number}: "
        num_field = f"num_{row.field_prefix}" if row.field_prefix else None
        den_field = f"den_{row.field_prefix}" if row.field_prefix else None
        if row.kpi_number not in kpis:
            problems.append(Problem(f"{prefix}there is no KPI {row.kpi_number}.", row.where))
            continue
        if row.numerator < 0:
            problems.append(
                Problem(f"{prefix}the numerator cannot be negative.", row.where, num_field)
            )
        if row.denominator < 1:
            problems.append(
                Problem(
                    f"{prefix}the denominator must be 1 or more (a percentage needs one).",
                    row.where,
                    den_field,
                )
            )
        elif row.numerator > row.denominator:
            problems.append(
                Problem(
                    f"{prefix}the numerator ({row.numerator}) is more than the denominator "
                    f"({row.denominator}).",
                    row.where,
                    num_field,
                )
            )
        if row.period.is_future(today):
            problems.append(
                Problem(f"{prefix}{row.period.label} is in the future.", row.where, "period")
            )
        key = (row.kpi_number, row.period.start)
        if key in seen:
            problems.append(
                Problem(
                    f"{prefix}KPI {row.kpi_number} for {row.period.label} appears more than once.",
                    row.where,
                )
            )
        seen.add(key)
        kind = kinds.setdefault(row.kpi_number, row.period.kind)
        if kind != row.period.kind:
            problems.append(
                Problem(
                    f"{prefix}KPI {row.kpi_number} is recorded by {kind}; "
                    f"{row.period.key} is a {row.period.kind}.",
                    row.where,
                    "period",
                )
            )
        if key in existing and not replace:
            problems.append(
                Problem(
                    f"{prefix}KPI {row.kpi_number} for {row.period.label} is already recorded "
                    f"({existing[key].numerator} of {existing[key].denominator}).",
                    row.where,
                    num_field,
                    duplicate=True,
                )
            )
    return problems


def save_values(site: Site, rows: list[ValueRow], *, replace: bool, today: date) -> tuple[int, int]:
    """Add or (with `replace`) overwrite values; raises ValuesRejected and saves nothing."""
    if not rows:
        raise ValuesRejected([Problem("Enter at least one numerator and denominator.")])
    problems = check_rows(site, rows, replace=replace, today=today)
    if problems:
        raise ValuesRejected(problems)
    existing = {
        (v.kpi_number, v.period_start): v
        for v in db.session.scalars(select(KpiValue).where(KpiValue.site_id == site.id))
    }
    created = replaced = 0
    for row in rows:
        value = existing.get((row.kpi_number, row.period.start))
        if value is None:
            db.session.add(
                KpiValue(
                    site_id=site.id,
                    kpi_number=row.kpi_number,
                    period_kind=row.period.kind,
                    period_start=row.period.start,
                    numerator=row.numerator,
                    denominator=row.denominator,
                )
            )
            created += 1
        elif (value.numerator, value.denominator) != (row.numerator, row.denominator):
            value.numerator, value.denominator = row.numerator, row.denominator
            replaced += 1
    db.session.flush()
    return created, replaced


def values_in_period(site: Site, period: Period) -> dict[int, KpiValue]:
    query = select(KpiValue).where(
        KpiValue.site_id == site.id, KpiValue.period_start == period.start
    )
    return {v.kpi_number: v for v in db.session.scalars(query)}


def delete_period(site: Site, period: Period) -> int:
    # One object at a time, so each deletion is written to the history.
    values = list(values_in_period(site, period).values())
    for value in values:
        db.session.delete(value)
    db.session.flush()
    return len(values)


def targets_for(site_id: int) -> dict[int, float]:
    query = select(KpiTarget.kpi_number, KpiTarget.target).where(KpiTarget.site_id == site_id)
    return {number: target for number, target in db.session.execute(query)}


def set_targets(site: Site, targets: dict[int, float | None]) -> None:
    """Set or clear the site's own target for each KPI given."""
    stored = {
        t.kpi_number: t
        for t in db.session.scalars(select(KpiTarget).where(KpiTarget.site_id == site.id))
    }
    for number, target in targets.items():
        if target is not None and not 0 <= target <= 100:
            raise ServiceError("A target is a percentage from 0 to 100.", f"target_{number}")
        current = stored.get(number)
        if target is None and current is not None:
            db.session.delete(current)
        elif target is not None and current is None:
            db.session.add(KpiTarget(site_id=site.id, kpi_number=number, target=target))
        elif target is not None and current is not None and current.target != target:
            current.target = target
    db.session.flush()


def all_values(site_id: int) -> dict[int, list[KpiValue]]:
    """Every value of the site, per KPI, oldest first: one query."""
    query = (
        select(KpiValue)
        .where(KpiValue.site_id == site_id)
        .order_by(KpiValue.kpi_number, KpiValue.period_start)
    )
    series: dict[int, list[KpiValue]] = defaultdict(list)
    for value in db.session.scalars(query):
        series[value.kpi_number].append(value)
    return series


@dataclass
class KpiSeries:
    """One KPI's values with everything a chart or summary needs."""

    kpi: Kpi
    values: list[KpiValue]
    site_target: float | None
    run: rules.RunChartAnalysis = field(init=False)
    xmr: rules.XmRAnalysis | None = field(init=False)

    def __post_init__(self) -> None:
        self.run = rules.analyse_run_chart(self.percents)
        self.xmr = rules.analyse_xmr(self.percents)

    @property
    def percents(self) -> list[float]:
        return [v.percent for v in self.values]

    @property
    def labels(self) -> list[str]:
        return [period_of(v).label for v in self.values]

    @property
    def target(self) -> float | None:
        """The line to aim for: the site's own target, else the national 80/50/80 goal."""
        return self.site_target if self.site_target is not None else self.kpi.goal

    @property
    def target_label(self) -> str:
        return "Site target" if self.site_target is not None else "80/50/80 goal"

    def flags(self, view: str = "run") -> list[str]:
        """For each point, the names of the rules it is part of ("" when none)."""
        analysis = self.xmr if view == "xmr" and self.xmr else self.run
        names: list[set[str]] = [set() for _ in self.values]
        for signal in analysis.signals:
            if signal.rule == "runs":
                continue  # about the whole series, not particular points
            for index in signal.indices:
                names[index].add(rules.RULE_NAMES[signal.rule])
        return [", ".join(sorted(n)) for n in names]

    def signals_in_words(self, view: str = "run") -> list[str]:
        analysis = self.xmr if view == "xmr" and self.xmr else self.run
        centre = "mean" if analysis is self.xmr else "median"
        return [
            rules.describe(s, self.kpi.higher_is_better, self.labels, centre)
            for s in sorted(analysis.signals, key=lambda s: (s.start, s.end))
        ]


def period_of(value: KpiValue) -> Period:
    return Period(value.period_start, value.period_kind)


def kpi_series(site_id: int, number: int) -> KpiSeries:
    kpi = get_toolkit().kpi(number)
    query = (
        select(KpiValue)
        .where(KpiValue.site_id == site_id, KpiValue.kpi_number == number)
        .order_by(KpiValue.period_start)
    )
    return KpiSeries(kpi, list(db.session.scalars(query)), targets_for(site_id).get(number))


def all_series(site_id: int) -> list[KpiSeries]:
    values, targets = all_values(site_id), targets_for(site_id)
    return [
        KpiSeries(k, values.get(k.number, []), targets.get(k.number)) for k in get_toolkit().kpis
    ]


def recorded_periods(series: list[KpiSeries]) -> list[tuple[Period, int]]:
    """Each period with values and how many KPIs it has, newest first."""
    counts: dict[Period, int] = defaultdict(int)
    for item in series:
        for value in item.values:
            counts[period_of(value)] += 1
    return sorted(counts.items(), reverse=True)


# Which signal the summary shows when several end on the same point.
_PRIORITY = {"astronomical": 0, "shift": 1, "trend": 2, "runs": 3}


@dataclass
class KpiSummaryRow:
    kpi: Kpi
    points: int
    latest_label: str | None
    latest: float | None
    numerator: int | None
    denominator: int | None
    change: float | None  # percentage points since the previous period
    target: float | None
    target_label: str
    target_met: bool | None
    signal: str  # in words, e.g. "improving: 6 points above the median (...)"
    mood: str  # improving / worsening / unusual / no signal / no data
    # The period the shown signal ends in, and whether that is the latest one: a signal that
    # ended months ago is history, not news (the index marks it with its date).
    signal_period: str | None = None
    signal_current: bool = True

    @property
    def met_text(self) -> str:
        if self.target_met is None:
            return "No target" if self.target is None else "No data"
        return "Met" if self.target_met else "Not met"


def summary_row(series: KpiSeries) -> KpiSummaryRow:
    values = series.values
    latest = values[-1] if values else None
    previous = values[-2] if len(values) > 1 else None
    target_met = None
    if latest is not None and series.target is not None:
        better = series.kpi.higher_is_better
        target_met = latest.percent >= series.target if better else latest.percent <= series.target
    signal_period, signal_current = None, True
    if not values:
        signal, mood = "No values yet", "no data"
    elif not series.run.signals:
        signal, mood = "No signal: the variation looks like chance", "no signal"
    else:
        chosen = max(series.run.signals, key=lambda s: (s.end, -_PRIORITY.get(s.rule, 9)))
        signal = rules.describe(chosen, series.kpi.higher_is_better, series.labels)
        mood = rules.meaning(chosen, series.kpi.higher_is_better)
        signal_period = series.labels[min(chosen.end, len(values) - 1)]
        signal_current = chosen.end >= len(values) - 1
    return KpiSummaryRow(
        kpi=series.kpi,
        points=len(values),
        latest_label=period_of(latest).label if latest else None,
        latest=latest.percent if latest else None,
        numerator=latest.numerator if latest else None,
        denominator=latest.denominator if latest else None,
        change=(latest.percent - previous.percent) if previous and latest else None,
        target=series.target,
        target_label=series.target_label,
        target_met=target_met,
        signal=signal,
        mood=mood,
        signal_period=signal_period,
        signal_current=signal_current,
    )


def kpi_summary(site_id: int) -> list[KpiSummaryRow]:
    """All 11 KPIs: latest value, change, target met or not, the signal in words (2 queries)."""
    return [summary_row(series) for series in all_series(site_id)]


def latest_kpi_values(site_ids: list[int], kpi_number: int) -> dict[int, float]:
    """The latest percentage of one KPI for each site that has one, in one query."""
    if not site_ids:
        return {}
    latest = (
        select(KpiValue.site_id, func.max(KpiValue.period_start).label("latest"))
        .where(KpiValue.kpi_number == kpi_number, KpiValue.site_id.in_(site_ids))
        .group_by(KpiValue.site_id)
        .subquery()
    )
    query = (
        select(KpiValue.site_id, KpiValue.numerator, KpiValue.denominator)
        .join(
            latest,
            (KpiValue.site_id == latest.c.site_id) & (KpiValue.period_start == latest.c.latest),
        )
        .where(KpiValue.kpi_number == kpi_number)
    )
    return {
        site_id: 100.0 * numerator / denominator
        for site_id, numerator, denominator in db.session.execute(query)
    }


RECENT_MONTHS = 3


def kpis_recorded(site: Site, today: date | None = None) -> tuple[bool, str, str]:
    """Gateway auto-check: values are recorded and the latest is recent (no backlog)."""
    from app.core.dates import today as uk_today

    today = today or uk_today()
    link = f"/sites/{site.id}/kpis"  # the URL scheme is a contract; works outside requests too
    row = db.session.execute(
        select(func.count(KpiValue.id), func.max(KpiValue.period_start)).where(
            KpiValue.site_id == site.id
        )
    ).one()
    count, newest = row
    if not count:
        return False, "No KPI values have been recorded yet.", link
    months_old = (today.year - newest.year) * 12 + today.month - newest.month
    label = f"{newest:%b %Y}"
    if months_old > RECENT_MONTHS:
        return (
            False,
            f"The latest KPI values are for {label}, more than {RECENT_MONTHS} months ago.",
            link,
        )
    return True, f"{count} KPI values recorded, the latest for {label}.", link


def overview_panel(site: Site) -> dict:
    rows = kpi_summary(site.id)
    return {"rows": [r for r in rows if r.points], "any": any(r.points for r in rows)}
