"""Saving a site's business case and reading what the pages, documents and gateway need.

Plain values in, no request. Every save checks everything first and raises CaseInvalid
(field -> message) before anything is written, so bad input saves nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.business_case.calc import (
    MAX_HORIZON,
    MIN_HORIZON,
    OPTION_KEYS,
    Appraisal,
    Option,
    appraise,
)
from app.business_case.costs import check_value, default_costs, effective_costs
from app.business_case.models import (
    HEADER_DATES,
    HEADER_FIELDS,
    ROUTE_FIELDS,
    SPEC_FIELDS,
    BusinessCase,
    CostValue,
)
from app.core.dates import utcnow
from app.core.db import first_write
from app.core.errors import ServiceError, StaleEdit
from app.core.registry import registry
from app.documents.text import FieldCheck, check_field
from app.extensions import db
from app.needs import queries as needs_queries
from app.needs import service as needs_service
from app.needs.assumptions import effective_values
from app.needs.headline import refresh_headline
from app.risks.models import RaidEntry

if TYPE_CHECKING:
    from app.sites.models import Site

DECISION_KEY = "business-case-approval"  # the RAID log decision that records the approval
OUTCOMES = {"approved": "Approved", "rejected": "Not approved", "deferred": "Deferred"}
OUTCOME_STATUS = {"approved": "agreed", "rejected": "rejected", "deferred": "proposed"}
OWN_NUMBERS = ("identification", "treatment", "followup", "nurse_wte", "admin_wte", "sessions")


class CaseInvalid(ServiceError):
    """Several fields are wrong at once: field name -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Check the values entered.")
        self.errors = errors


# --- reading ---------------------------------------------------------------------------------


def get_case(site_id: int) -> BusinessCase | None:
    return db.session.scalar(select(BusinessCase).where(BusinessCase.site_id == site_id))


def case_for_update(site: Site) -> BusinessCase:
    """The site's business case; a new one is stored by the caller's `_flush`."""
    case = get_case(site.id)
    if case is None:
        case = BusinessCase(site_id=site.id)
        db.session.add(case)
    return case


def _flush(what: str) -> None:
    """Store the changes: the first save of a site's business case (or of a cost) may race
    another person's first save, who then gets the 409 page."""
    with first_write(StaleEdit(what=what)):
        pass


def cost_values(site_id: int) -> dict[str, CostValue]:
    return values_by_key(db.session.scalars(select(CostValue).where(CostValue.site_id == site_id)))


def values_by_key(rows: Iterable[CostValue | None]) -> dict[str, CostValue]:
    """The entered costs by key; rows for costs the model no longer has are ignored."""
    known = default_costs()
    return {row.key: row for row in rows if row is not None and row.key in known}


def own_option(case: BusinessCase | None, setup_default: float) -> Option | None:
    if case is None or not case.own_name.strip():
        return None
    return Option(
        "own",
        case.own_name,
        case.own_identification,
        case.own_treatment,
        case.own_followup,
        case.own_nurse_wte or 0.0,
        case.own_admin_wte or 0.0,
        case.own_sessions or 0.0,
        setup_default if case.own_setup is None else case.own_setup,
        case.own_description,
    )


@dataclass
class CaseState:
    case: BusinessCase | None
    values: dict[str, CostValue]
    appraisal: Appraisal

    @property
    def version(self) -> int:
        return self.case.version if self.case else 0


def load(site: Site) -> CaseState:
    """Everything the pages show: three queries whatever the data size."""
    return state_from(
        get_case(site.id), cost_values(site.id), needs_queries.current_state(site), site.nation
    )


def state_from(
    case: BusinessCase | None,
    values: dict[str, CostValue],
    needs: needs_service.NeedsState,
    nation: str | None = None,
) -> CaseState:
    """The appraisal of a case from what was loaded (no queries); `nation` picks the
    defaults that differ by nation (pay scales)."""
    costs = effective_costs({key: row.value for key, row in values.items()}, nation)
    result = appraise(
        needs.inputs,
        effective_values(needs.overrides),
        costs,
        case.horizon_years if case else MAX_HORIZON,
        own_option(case, costs["setup_cost"]),
        case.preferred if case else "full",
        lifetime=bool(case and case.lifetime),
    )
    return CaseState(case, values, result)


def decision_for(case: BusinessCase | None) -> RaidEntry | None:
    if case is None or case.decision_id is None:
        return None
    return db.session.get(RaidEntry, case.decision_id)


# --- saving ----------------------------------------------------------------------------------


def save_costs(
    site: Site,
    entered: dict[str, tuple[float | None, str]],
    horizon: int | None,
    lifetime: bool = False,
) -> BusinessCase:
    """`entered`: key -> (value or None for the default, reason). All checked before writing."""
    errors: dict[str, str] = {}
    known = default_costs()
    for key, (value, reason) in entered.items():
        if value is None:
            continue
        problem = check_value(known[key], value)
        if problem:
            errors[f"value_{key}"] = problem
        elif not reason.strip():
            errors[f"reason_{key}"] = f"Give a reason for changing {known[key].label.lower()}."
    if horizon is None or not MIN_HORIZON <= horizon <= MAX_HORIZON:
        errors["horizon"] = (
            f"Choose a horizon from {MIN_HORIZON} to {MAX_HORIZON} years: projections further "
            "ahead are too uncertain to put in a business case."
        )
    if errors:
        raise CaseInvalid(errors)
    existing = cost_values(site.id)
    for key, (value, reason) in entered.items():
        row = existing.get(key)
        if value is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = CostValue(site_id=site.id, key=key)
            db.session.add(row)
        row.value, row.reason = value, reason.strip()[:300]
    case = case_for_update(site)
    case.horizon_years = horizon or MAX_HORIZON
    case.lifetime = lifetime
    case.costs_saved_at = utcnow()
    _flush("the costs")
    refresh_headline(site)  # the portfolio states the same figures
    return case


def save_options(
    site: Site,
    name: str,
    description: str,
    numbers: dict[str, float | None],
    setup: float | None,
    preferred: str,
) -> BusinessCase:
    errors: dict[str, str] = {}
    name = name.strip()
    if name:
        for key in ("identification", "treatment", "followup"):
            value = numbers.get(key)
            if value is None:
                errors[f"own_{key}"] = "Enter this rate for your option, from 0 to 100%."
            elif not 0 <= value <= 100:
                errors[f"own_{key}"] = "Enter a percentage from 0 to 100."
        for key in ("nurse_wte", "admin_wte", "sessions"):
            value = numbers.get(key)
            if value is not None and not 0 <= value <= 50:
                errors[f"own_{key}"] = "Enter a number from 0 to 50."
        if not any(numbers.get(k) for k in ("nurse_wte", "admin_wte", "sessions")):
            errors["own_nurse_wte"] = (
                f"'{name[:60]}' has no staff, so it has no cost and cannot be compared. Enter "
                "the nurses, administrators or consultant sessions it needs."
            )
        if setup is not None and not 0 <= setup <= 1_000_000:
            errors["own_setup"] = "The set-up cost must be between £0 and £1,000,000."
    elif any(v is not None for v in numbers.values()) or setup is not None:
        errors["own_name"] = "Give your option a name, or clear its figures."
    if preferred not in OPTION_KEYS or (preferred == "own" and not name):
        errors["preferred"] = "Choose one of the options above (your own needs a name)."
    if errors:
        raise CaseInvalid(errors)
    case = case_for_update(site)
    case.own_name, case.own_description = name[:120], description.strip()
    for key in OWN_NUMBERS:
        setattr(case, f"own_{key}", numbers.get(key) if name else None)
    case.own_setup = setup if name else None
    case.preferred = preferred
    _flush("the options")
    refresh_headline(site)  # the portfolio states the same figures
    return case


def save_route(site: Site, texts: dict[str, str], deadline: date | None) -> BusinessCase:
    case = case_for_update(site)
    for key in ROUTE_FIELDS:
        setattr(case, key, texts.get(key, "").strip())
    case.deadline = deadline
    _flush("the decision route")
    return case


def save_spec(
    site: Site, texts: dict[str, str], dates: Mapping[str, date | None] | None = None
) -> BusinessCase:
    """The specification's text and its contract header. The period must run forwards and
    the review fall within it; everything is checked before anything is written."""
    dates = dates or {}
    start, end, review = (dates.get(k) for k in HEADER_DATES)
    errors = {}
    if start and end and end <= start:
        errors["contract_end"] = "The contract must end after it starts."
    if review and start and review < start:
        errors["review_date"] = "The review cannot be before the contract starts."
    elif review and end and review > end:
        errors["review_date"] = "Review the service before the contract ends."
    if errors:
        raise CaseInvalid(errors)
    case = case_for_update(site)
    for key in SPEC_FIELDS:
        setattr(case, key, texts.get(key, "").strip())
    for key in HEADER_FIELDS:
        setattr(case, key, texts.get(key, "").strip()[:160])
    for key in HEADER_DATES:
        setattr(case, key, dates.get(key))
    _flush("the specification")
    return case


def record_decision(
    site: Site, decided_on: date | None, body: str, outcome: str, notes: str, today: date
) -> RaidEntry:
    """The approval as a RAID log decision, so it shows in the log and the gateway reads it."""
    errors = {}
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision."
    elif decided_on > today:
        errors["decided_on"] = "The decision date cannot be in the future."
    if not body.strip():
        errors["body"] = "Enter who made the decision, for example the ICB's investment panel."
    if outcome not in OUTCOMES:
        errors["outcome"] = "Choose the outcome."
    if errors:
        raise CaseInvalid(errors)
    case = case_for_update(site)
    entry = decision_for(case)
    if entry is None:
        entry = RaidEntry(site_id=site.id, kind="decision", starter_key=DECISION_KEY, phase=4)
        db.session.add(entry)
    entry.title = "Approve the business case"
    entry.decider = body.strip()[:160]
    entry.decided_on = decided_on
    entry.decide_by = case.deadline
    entry.status = OUTCOME_STATUS[outcome]
    entry.outcome = f"{OUTCOMES[outcome]}. {notes.strip()}".strip()
    _flush("the decision")
    case.decision_id = entry.id
    db.session.flush()
    if outcome == "approved":  # what the agreed case predicted is kept as its promise
        for keep in registry().case_agreed:
            keep(site, decided_on)
    return entry


def outcome_of(entry: RaidEntry | None) -> str | None:
    if entry is None:
        return None
    return {status: key for key, status in OUTCOME_STATUS.items()}.get(entry.status)


def plain_english(case: BusinessCase | None) -> list[FieldCheck]:
    """The site's own words that go into the documents, checked like the PID's: the fields
    with long sentences, unexplained abbreviations or hard reading."""
    if case is None:
        return []
    fields = ROUTE_FIELDS | SPEC_FIELDS
    whole = "\n".join(getattr(case, key) for key in fields)
    checks = [
        check_field(key, label, getattr(case, key), whole)
        for key, label in fields.items()
        if getattr(case, key).strip()
    ]
    return [check for check in checks if not check.ok]


# --- what the Phase 4 gateway asks ---------------------------------------------------------
