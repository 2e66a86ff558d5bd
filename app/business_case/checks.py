"""The business case's gateway checks: each declares its facts (scalar subqueries) so the
gateways feature fetches those of every check in one SELECT; called with the site alone, a
check reads its own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.business_case.models import ROUTE_FIELDS, SPEC_FIELDS, SPEC_REQUIRED, BusinessCase
from app.core.db import select_facts
from app.core.registry import CheckResult
from app.risks.models import RaidEntry

if TYPE_CHECKING:
    from app.sites.models import Site

ROUTE_NEEDED = ("payer", "decision_process", "decision_timing")


def _case_column(site_id: int, column):  # noqa: ANN001, ANN202
    return select(column).where(BusinessCase.site_id == site_id).scalar_subquery()


def spec_facts(site_id: int) -> dict[str, Any]:
    facts = {key: _case_column(site_id, getattr(BusinessCase, key)) for key in SPEC_REQUIRED}
    return facts | {"case": _case_column(site_id, BusinessCase.id)}


def route_facts(site_id: int) -> dict[str, Any]:
    return {key: _case_column(site_id, getattr(BusinessCase, key)) for key in ROUTE_NEEDED}


def decision_facts(site_id: int) -> dict[str, Any]:
    """The recorded decision on the case (the RAID entry the case points at)."""

    def entry(column):  # noqa: ANN001, ANN202
        return (
            select(column)
            .join(BusinessCase, BusinessCase.decision_id == RaidEntry.id)
            .where(BusinessCase.site_id == site_id)
            .scalar_subquery()
        )

    return {
        name: entry(getattr(RaidEntry, name))
        for name in ("decided_on", "status", "decider", "outcome")
    }


def spec_drafted(site: Site, facts: Mapping[str, Any] | None = None) -> CheckResult:
    link = f"/sites/{site.id}/business-case/specification"
    facts = select_facts(spec_facts(site.id)) if facts is None else facts
    if facts["case"] is None:
        return CheckResult(False, "No service specification has been started.", link)
    missing = [SPEC_FIELDS[key] for key in SPEC_REQUIRED if not facts[key].strip()]
    if missing:
        return CheckResult(
            False, "The specification still needs: " + ", ".join(missing).lower() + ".", link
        )
    return CheckResult(
        True, "Every required section of the service specification is written.", link
    )


def funding_route_known(site: Site, facts: Mapping[str, Any] | None = None) -> CheckResult:
    """Who pays, how they decide and when: the decision route's first three fields."""
    link = f"/sites/{site.id}/business-case/route"
    facts = select_facts(route_facts(site.id)) if facts is None else facts
    missing = [ROUTE_FIELDS[key] for key in ROUTE_NEEDED if not (facts[key] or "").strip()]
    if missing:
        return CheckResult(False, "Still to write: " + ", ".join(missing).lower() + ".", link)
    return CheckResult(True, f"Paid for by {facts['payer']}; the decision route is written.", link)


def case_approved(site: Site, facts: Mapping[str, Any] | None = None) -> CheckResult:
    link = f"/sites/{site.id}/business-case/decision"
    facts = select_facts(decision_facts(site.id)) if facts is None else facts
    if facts["decided_on"] is None:
        return CheckResult(False, "No decision on the business case has been recorded.", link)
    when = f"{facts['decided_on']:%d/%m/%Y}"
    if facts["status"] != "agreed":
        return CheckResult(
            False, f"{facts['decider']} did not approve it on {when}: {facts['outcome']}", link
        )
    return CheckResult(True, f"Approved by {facts['decider']} on {when}.", link)
