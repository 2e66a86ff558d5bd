"""A recovery plan: when a promise is missed two quarters running, an issue in the RAID log
with the gap filled in from the numbers and an owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.errors import ServiceError
from app.delivery.service import MISSED_RUNNING, Delivery
from app.risks import service as risks_service
from app.risks.models import RaidEntry

if TYPE_CHECKING:
    from app.sites.models import Site

STARTER_PREFIX = "delivery-recovery-"  # the RAID entry's starter key, then the measure


def gap_words(delivery: Delivery) -> str:
    """The missed quarters in numbers: what the audit counted, what was promised, the gap
    and the fractures it means were not prevented."""
    recent = delivery.with_data[-MISSED_RUNNING:]
    parts = [
        f"{q.period.label}: {q.numerator} of {round(q.promised)} promised ({round(q.gap)} short)"
        for q in recent
    ]
    gap = sum(round(q.gap) for q in recent)
    fractures = [q.fractures for q in recent if q.fractures is not None]
    words = (
        f"{delivery.measure.label} (KPI {delivery.measure.kpi}) fell short of the business "
        f"case's promise two quarters running. {'; '.join(parts)}. {gap} patients short in all"
    )
    if fractures:
        words += f", about {sum(fractures):.1f} fractures the model expected to prevent"
    return words + "."


def title_for(delivery: Delivery) -> str:
    return f"Recovery plan: {delivery.measure.label.lower()} below the business case's promise"


def raise_recovery(site: Site, delivery: Delivery, owner_id: int | None, action: str) -> RaidEntry:
    """The recovery plan as an open, high-severity issue in the RAID log (phase 5)."""
    if not delivery.missed_running:
        raise ServiceError(
            f"{delivery.measure.label} has not missed the promise two quarters running."
        )
    if owner_id is None:
        raise ServiceError("Choose who owns the recovery plan.", "owner_id")
    return risks_service.create_entry(
        site,
        risks_service.EntryDetails(
            kind="issue",
            title=title_for(delivery),
            description=gap_words(delivery),
            owner_id=owner_id,
            phase=5,
            status="open",
            severity="high",
            action=action,
        ),
        starter_key=STARTER_PREFIX + delivery.key,
    )
