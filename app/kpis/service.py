"""KPI values: checking and saving them all-or-nothing, and the site's targets.

Reads for pages and reports are in queries.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.core.db import first_write
from app.core.errors import ServiceError, StaleEdit
from app.core.numbers import DB_INT_MAX
from app.extensions import db
from app.kpis.models import KpiTarget, KpiValue
from app.kpis.periods import Period
from app.toolkit import get_toolkit

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
        if row.denominator > DB_INT_MAX:  # the numerator is checked against it below
            problems.append(
                Problem(
                    f"{prefix}the denominator is too large to be a count.", row.where, den_field
                )
            )
            continue
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
    with first_write(StaleEdit(what="these KPI values")):
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


def target_versions(site_id: int) -> dict[int, int]:
    query = select(KpiTarget.kpi_number, KpiTarget.version).where(KpiTarget.site_id == site_id)
    return {number: version for number, version in db.session.execute(query)}


def set_targets(site: Site, targets: dict[int, float | None]) -> None:
    """Set or clear the site's own target for each KPI given."""
    stored = {
        t.kpi_number: t
        for t in db.session.scalars(select(KpiTarget).where(KpiTarget.site_id == site.id))
    }
    for number, target in targets.items():
        if target is not None and not 0 <= target <= 100:
            raise ServiceError("A target is a percentage from 0 to 100.", f"target_{number}")
    with first_write(StaleEdit(what="the targets")):
        for number, target in targets.items():
            current = stored.get(number)
            if target is None and current is not None:
                db.session.delete(current)
            elif target is not None and current is None:
                db.session.add(KpiTarget(site_id=site.id, kpi_number=number, target=target))
            elif target is not None and current is not None and current.target != target:
                current.target = target
