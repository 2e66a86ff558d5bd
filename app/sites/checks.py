"""Facts about the site's members that plan tasks rest on (see app/people/checks.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.core.db import select_facts
from app.core.registry import CheckResult
from app.sites.models import Membership, Site


def sponsor_facts(site_id: int) -> dict[str, Any]:
    """The first member marked as the site's sponsor, by name."""
    sponsor = (
        select(User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.site_id == site_id, Membership.is_sponsor.is_(True))
        .order_by(Membership.id)
        .limit(1)
    )
    return {"sponsor": sponsor.scalar_subquery()}


def sponsor_confirmed(site: Site, facts: Mapping[str, Any] | None = None) -> CheckResult:
    facts = select_facts(sponsor_facts(site.id)) if facts is None else facts
    if facts["sponsor"]:
        return CheckResult(True, f"{facts['sponsor']} is the site's sponsor.")
    return CheckResult(False, "No member of the site is marked as its sponsor.")
