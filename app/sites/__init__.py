"""Sites: one FLS project each. `site_bp` is the parent of every per-site blueprint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

# Everything under /sites/<id>/ is registered on site_bp, whose guard checks access first.
site_bp = Blueprint("sites", __name__, url_prefix="/sites/<int:site_id>")
bp = Blueprint("site_admin", __name__, cli_group=None)

from app.sites import cli, offer_views, views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """How sites, members and users read in the change history."""
    from app.accounts.models import User
    from app.core.history_words import NameSource
    from app.sites.checks import sponsor_confirmed, sponsor_facts
    from app.sites.models import SERVICE_STATUSES, SITE_ROLE_CHOICES

    registry.add_gateway_check(
        "sponsor_confirmed", sponsor_confirmed, "sites.people.members", facts=sponsor_facts
    )

    registry.history.add(
        objects={"site": "Site", "membership": "Member", "user": "User"},
        fields={
            "user_id": "User",
            "is_sponsor": "Sponsor",
            "sponsor_granted_by_id": "Made sponsor by",
        },
        vocabularies={
            ("membership", "role"): dict(SITE_ROLE_CHOICES),
            ("site", "service_status"): SERVICE_STATUSES,
        },
        ids={"user_id": "user", "sponsor_granted_by_id": "user"},
    )
    registry.history.add_names(
        "user", NameSource(User, User.name, "a former user", site_scoped=False)
    )
