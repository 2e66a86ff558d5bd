"""The delivery figures for other pages' statements: the gateway check and the highlight
report read the promise, the audit's counts and the recovery plans (raised, and agreed by
the steering group) as labelled scalar subqueries (strings aggregated in the database), so
they cost no statement of their own, and rebuild the same `Delivery` rows the delivery page
shows through the same rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, case, cast, func, select
from sqlalchemy.orm import aliased

from app.core.dates import now_param
from app.core.dates import today as uk_today
from app.core.db import select_facts
from app.core.registry import CheckResult
from app.delivery.agreement import agreeing_meeting
from app.delivery.models import Promise
from app.delivery.promises import MEASURES
from app.delivery.recovery import STARTER_PREFIX
from app.delivery.service import Delivery, deliveries
from app.kpis.models import KpiValue
from app.kpis.periods import current_period
from app.meetings.models import Meeting
from app.risks.models import RaidEntry

if TYPE_CHECKING:
    from app.sites.models import Site

ROW, FIELD = ";", "|"
PROMISE_FIELDS = ("measure", "period", "starts_on", "ends_on", "patients", "fractures_per_patient")
MEASURED_KPIS = sorted({m.kpi for m in MEASURES.values() if m.kpi is not None})


def _joined(*columns: Any) -> Any:
    text = None
    for column in columns:
        part = func.coalesce(cast(column, String), "")
        text = part if text is None else text + FIELD + part
    return text


def _promise_and_counts(site_id: Any) -> dict[str, Any]:
    """The site's latest promise (and when it was agreed) and its KPI counts, as strings."""
    # Aliases, so each subquery reads its own rows of the promises table, and correlates
    # only to the sites table when the site id is a column (the portfolio's statement).
    versions, starts = aliased(Promise), aliased(Promise)
    newest = (
        select(func.max(versions.version))
        .where(versions.site_id == site_id)
        .correlate_except(versions)
        .scalar_subquery()
    )
    latest = (Promise.site_id == site_id, Promise.version == newest)
    first = (
        select(func.min(starts.starts_on))
        .where(starts.site_id == site_id, starts.version == newest)
        .correlate_except(starts)
        .scalar_subquery()
    )
    return {
        "delivery_promises": select(
            func.aggregate_strings(_joined(*(getattr(Promise, f) for f in PROMISE_FIELDS)), ROW)
        )
        .where(*latest)
        .correlate_except(Promise)
        .scalar_subquery(),
        "delivery_agreed": select(func.max(Promise.agreed_on))
        .where(*latest)
        .correlate_except(Promise)
        .scalar_subquery(),
        "delivery_counts": select(
            func.aggregate_strings(
                _joined(
                    KpiValue.kpi_number, KpiValue.period_start, KpiValue.period_kind,
                    KpiValue.numerator, KpiValue.denominator,
                ),
                ROW,
            )
        )
        .where(
            KpiValue.site_id == site_id,
            KpiValue.kpi_number.in_(MEASURED_KPIS),
            KpiValue.period_start >= first,
        )
        .correlate_except(KpiValue)
        .scalar_subquery(),
    }  # fmt: skip


def delivery_facts(site_id: int) -> dict[str, Any]:
    """The site's latest promise, its KPI counts and its recovery plans, as strings."""
    return {
        **_promise_and_counts(site_id),
        "delivery_plans": select(func.aggregate_strings(RaidEntry.starter_key, ROW))
        .where(RaidEntry.site_id == site_id, RaidEntry.starter_key.startswith(STARTER_PREFIX))
        .correlate_except(RaidEntry)
        .scalar_subquery(),
        # Plans recorded as agreed at a held steering-group meeting of the site: read when
        # the statement runs, so a meeting cancelled or moved later no longer counts.
        "delivery_plans_agreed": select(func.aggregate_strings(RaidEntry.starter_key, ROW))
        .join(Meeting, Meeting.id == RaidEntry.agreed_meeting_id)
        .where(
            RaidEntry.site_id == site_id, RaidEntry.starter_key.startswith(STARTER_PREFIX),
            Meeting.site_id == site_id, agreeing_meeting(now_param()),
            RaidEntry.changed_since_agreed_at.is_(None),
        )
        .correlate_except(RaidEntry, Meeting)
        .scalar_subquery(),
        # Plans changed after their agreement was recorded: to be agreed again.
        "delivery_plans_changed": select(func.aggregate_strings(RaidEntry.starter_key, ROW))
        .where(
            RaidEntry.site_id == site_id, RaidEntry.starter_key.startswith(STARTER_PREFIX),
            RaidEntry.agreed_meeting_id.is_not(None),
            RaidEntry.changed_since_agreed_at.is_not(None),
        )
        .correlate_except(RaidEntry)
        .scalar_subquery(),
    }  # fmt: skip


def _date(text: str) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _number(text: str) -> float | None:
    return float(text) if text else None


def _rows(text: str | None) -> list[list[str]]:
    return [row.split(FIELD) for row in (text or "").split(ROW) if row]


def deliveries_from(values: Mapping[str, Any], today: date) -> list[Delivery]:
    """The delivery rows from `delivery_facts` values (no queries)."""
    promises = [
        Promise(
            measure=measure, kpi_number=MEASURES[measure].kpi, period=period,
            starts_on=_date(starts), ends_on=_date(ends), patients=_number(patients),
            fractures_per_patient=_number(per_patient),
        )
        for measure, period, starts, ends, patients, per_patient in _rows(
            values["delivery_promises"]
        )
        if measure in MEASURES
    ]  # fmt: skip
    promises.sort(key=lambda p: p.starts_on)
    counts = [
        (int(kpi), _date(start), kind, int(numerator), int(denominator))
        for kpi, start, kind, numerator, denominator in _rows(values["delivery_counts"])
    ]
    return deliveries(promises, counts, today)


def _measures(text: str | None) -> set[str]:
    return {key.removeprefix(STARTER_PREFIX) for key in (text or "").split(ROW) if key}


def planned(values: Mapping[str, Any]) -> set[str]:
    """The measures with a recovery plan in the RAID log."""
    return _measures(values["delivery_plans"])


def agreed(values: Mapping[str, Any]) -> set[str]:
    """The measures whose recovery plan a held steering-group meeting of the site agreed,
    unchanged since."""
    return _measures(values["delivery_plans_agreed"])


def changed_since_agreed(values: Mapping[str, Any]) -> set[str]:
    """The measures whose recovery plan was changed after its agreement was recorded."""
    return _measures(values["delivery_plans_changed"])


def headline(delivery: Delivery, today: date) -> str | None:
    """'Patients assessed within 90 days: 212 of 300 promised this quarter (88 short)'."""
    q = delivery.latest
    if q is None:
        return None
    when = (
        "this quarter"
        if q.period.start == current_period("quarter", today).start
        else f"in {q.period.label}"
    )
    if q.partial:  # held to the share of the promise for the months recorded
        when += f" so far ({q.months} of 3 months recorded)"
    gap = f"{round(q.gap)} short" if q.missed else "met"
    return f"{delivery.measure.label}: {q.numerator} of {round(q.promised)} promised {when} ({gap})"


def report_lines(values: Mapping[str, Any], today: date) -> list[str]:
    """The highlight report's delivery lines, one for each promise with audit figures."""
    lines = [headline(d, today) for d in deliveries_from(values, today)]
    return [line for line in lines if line]


def delivers_case(site: Site, facts: Mapping[str, Any] | None = None) -> CheckResult:
    """Phase 5 and 6: the service delivers what its case promised (no promise missed two
    quarters running), or the steering group has agreed, at a meeting it held, a recovery
    plan for each one missed."""
    facts = select_facts(delivery_facts(site.id)) if facts is None else facts
    link = f"/sites/{site.id}/delivery"
    if facts["delivery_agreed"] is None:
        return CheckResult(
            False, "No business case has been agreed, so there is no promise to check.", link
        )
    today = uk_today()
    rows = [d for d in deliveries_from(facts, today) if d.with_data]
    if not rows:
        return CheckResult(
            False, "No KPI values have been recorded since the business case was agreed.", link
        )
    missed = [d for d in rows if d.missed_running]
    unplanned = [d for d in missed if d.key not in planned(facts)]
    unagreed = [d for d in missed if d.key in planned(facts) and d.key not in agreed(facts)]
    changed = [d for d in unagreed if d.key in changed_since_agreed(facts)]
    unagreed = [d for d in unagreed if d not in changed]
    words = "; ".join(line for line in (headline(d, today) for d in rows) if line)
    gaps = []
    if unplanned:
        gaps.append(
            f"Missed the business case's promise two quarters running with no recovery plan: "
            f"{_names(unplanned)}."
        )
    if unagreed:
        gaps.append(
            "A recovery plan is in the RAID log but no steering group meeting has agreed it "
            f"yet: {_names(unagreed)}."
        )
    if changed:
        gaps.append(
            "A recovery plan was changed after the steering group agreed it, so it counts "
            f"again once the steering group's agreement is recorded again: {_names(changed)}."
        )
    if gaps:
        return CheckResult(False, f"{' '.join(gaps)} {words}.", link)
    if missed:
        opening = (
            "The steering group has agreed a recovery plan for each promise missed twice running."
        )
    else:
        opening = "The service is delivering what its business case promised."
    return CheckResult(True, f"{opening} {words}.", link)


def _names(rows: list[Delivery]) -> str:
    return ", ".join(d.measure.label[0].lower() + d.measure.label[1:] for d in rows)


# --- the portfolio's "delivering its case" column ---------------------------------------

PORTFOLIO_MEASURES = ("identified", "treated")  # patients found, and started on treatment
SPLIT = "#"
ON_TRACK = 0.9  # delivering 90% or more of the promised patients
NO_SHARE = "No agreed case or no figures yet"


@dataclass(frozen=True)
class DeliveryShare:
    """How much of its promise a site delivers: patients found and started on treatment,
    summed over the quarters the audit has figures for."""

    found: int
    found_promised: int
    treated: int
    treated_promised: int

    @property
    def share(self) -> float:
        """The share of promised patients found and treated (the two shares' mean)."""
        parts = [
            actual / promised
            for actual, promised in (
                (self.found, self.found_promised),
                (self.treated, self.treated_promised),
            )
            if promised
        ]
        return sum(parts) / len(parts) if parts else 0.0

    @property
    def percent(self) -> int:
        """The share in whole percent, as the portfolio's page and workbook state it."""
        return round(self.share * 100)

    @property
    def on_track(self) -> bool:
        return self.share >= ON_TRACK

    @property
    def words(self) -> str:
        return (
            f"Found {self.found:,} of {self.found_promised:,} promised; treated "
            f"{self.treated:,} of {self.treated_promised:,}"
        )


def delivery_column(site_id: Any) -> Any:
    """One column for a statement over many sites (`site_id` the sites' id column): the
    promise and the audit's counts as one string, read by `share_from`."""
    facts = _promise_and_counts(site_id)
    # A site with no promise has no share: one look-up, not the promise's and the counts'
    # (most sites in their first phases have no business case agreed yet).
    has_promise = (
        select(Promise.id).where(Promise.site_id == site_id).correlate_except(Promise).exists()
    )
    text = (
        func.coalesce(facts["delivery_promises"], "")
        + SPLIT
        + func.coalesce(facts["delivery_counts"], "")
    )
    return case((has_promise, text), else_=None)


def share_from(text: str | None, today: date) -> DeliveryShare | None:
    """The site's share from `delivery_column`'s value (None: no agreed case or no data)."""
    promises, _, counts = (text or "").partition(SPLIT)
    if not promises:
        return None
    values = {"delivery_promises": promises, "delivery_counts": counts}
    rows = {d.key: d for d in deliveries_from(values, today) if d.key in PORTFOLIO_MEASURES}
    totals = []
    for key in PORTFOLIO_MEASURES:
        quarters = rows[key].with_data if key in rows else []
        totals += [
            sum(q.numerator for q in quarters),
            round(sum(q.promised for q in quarters)),
        ]
    if not totals[1] and not totals[3]:
        return None
    return DeliveryShare(*totals)
