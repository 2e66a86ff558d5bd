"""Reading a site's needs figures, and what other features ask of them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.accounts.models import User
from app.core.db import select_facts
from app.core.registry import CheckResult
from app.extensions import db
from app.needs.models import NeedsVersion
from app.needs.service import NeedsState, state_from_version

if TYPE_CHECKING:
    from app.sites.models import Site


def latest_version(site_id: int) -> NeedsVersion | None:
    return db.session.scalar(
        select(NeedsVersion)
        .where(NeedsVersion.site_id == site_id)
        .order_by(NeedsVersion.id.desc())
        .limit(1)
    )


def current_state(site: Site) -> NeedsState:
    return state_from_version(latest_version(site.id))


def history(site: Site, limit: int = 50) -> list[tuple[NeedsVersion, str | None]]:
    """Newest first, with the name of whoever saved each version (one query)."""
    rows = db.session.execute(
        select(NeedsVersion, User.name)
        .outerjoin(User, User.id == NeedsVersion.created_by_id)
        .where(NeedsVersion.site_id == site.id)
        .order_by(NeedsVersion.id.desc())
        .limit(limit)
    ).all()
    return [(version, name) for version, name in rows]


# --- what other features ask -----------------------------------------------------------------


def expected_caseload(site_id: int) -> int | None:
    """The rule-of-5 caseload a year from the site's latest figures (None if not entered)."""
    return db.session.scalar(
        select(NeedsVersion.expected_caseload)
        .where(NeedsVersion.site_id == site_id)
        .order_by(NeedsVersion.id.desc())
        .limit(1)
    )


def needs_entered_facts(site_id: int) -> dict[str, Any]:
    """The latest figures' caseload, date and saved inputs (for the gateway check)."""

    def latest(column):  # noqa: ANN001, ANN202
        return (
            select(column)
            .where(NeedsVersion.site_id == site_id)
            .order_by(NeedsVersion.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return {
        "id": latest(NeedsVersion.id),
        "caseload": latest(NeedsVersion.expected_caseload),
        "created_at": latest(NeedsVersion.created_at),
        "data": latest(NeedsVersion.data),
    }


def needs_entered(site: Site, facts: Mapping[str, Any] | None = None) -> CheckResult:
    """For the Phase 3 gateway: are the numbers to assess and treat quantified?"""
    link = f"/sites/{site.id}/needs"  # the URL scheme is a contract; works outside requests too
    facts = select_facts(needs_entered_facts(site.id)) if facts is None else facts
    if facts["id"] is None:
        return CheckResult(False, "No needs figures have been entered yet.", link)
    if facts["caseload"] is None:
        return CheckResult(
            False, "Enter the population or hip fracture admissions to get the caseload.", link
        )
    rates = json.loads(facts["data"] or "{}").get("inputs", {}).get("rates", {})
    if any(rates.get(k) is None for k in ("assessment", "treatment", "followup")):
        return CheckResult(
            False, "Enter the current assessment, treatment and follow-up rates.", link
        )
    return CheckResult(
        True,
        f"Expected caseload {facts['caseload']:,} a year; figures saved "
        f"{facts['created_at']:%d/%m/%Y}.",
        link,
    )
