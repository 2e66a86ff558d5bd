"""People: stakeholders, the project team and the groups they belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

# Nested under the site blueprint (app/blueprints.py): every route is /sites/<id>/...
bp = Blueprint("people", __name__)

# members_views: who has access to a site (/sites/<id>/members, endpoints sites.*). Members
# are people, so those pages live here, registered on the site blueprint itself.
from app.people import members_views, views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.core.pending_uploads import forget_site_uploads
    from app.people import checks
    from app.people.demo import bench_people, demo_people
    from app.people.gdpr import scrub_offers
    from app.people.groups import ensure_standard_groups
    from app.people.linking import link_member
    from app.people.queries import coverage_summary, overview_facts

    registry.add_panel(
        "people/_overview_panel.html", coverage_summary, order=20, facts=overview_facts
    )
    registry.add_demo(demo_people, bench_people, order=10)
    registry.add_gateway_check(
        "team_roles_filled", checks.team_roles_filled, "sites.people.index",
        facts=checks.team_roles_facts,
    )  # fmt: skip
    registry.add_gateway_check(
        "champion_agreed", checks.champion_agreed, "sites.people.index",
        facts=checks.champion_facts,
    )  # fmt: skip
    registry.add_gateway_check(
        "stakeholders_listed", checks.stakeholders_listed, "sites.people.coverage",
        facts=checks.stakeholders_facts,
    )  # fmt: skip
    registry.add_gateway_check(
        "patients_involved", checks.patients_involved, "sites.people.coverage",
        facts=checks.patients_facts,
    )  # fmt: skip
    registry.site_setup.append(ensure_standard_groups)
    registry.member_linkers.append(lambda membership: link_member(membership)[1])
    registry.erasure_hooks.append(forget_site_uploads)  # uploads waiting to be imported
    registry.erasure_scrubbers.append(scrub_offers)
    _history_words(registry)


def _history_words(registry: Registry) -> None:
    from app.core.history_words import NameSource
    from app.people.models import ENGAGEMENT_STATUSES, GROUP_KINDS, LEVELS, Group, Person

    registry.history.add(
        objects={"person": "Person", "group": "Group", "group_member": "Group member"},
        fields={"owner_id": "Owner", "person_id": "Person", "group_id": "Group"},
        vocabularies={
            ("group", "kind"): GROUP_KINDS,
            ("person", "engagement"): ENGAGEMENT_STATUSES,
            ("person", "influence"): LEVELS,
            ("person", "interest"): LEVELS,
        },
        ids={"owner_id": "person", "person_id": "person", "group_id": "group"},
    )
    registry.history.add_names(
        "person",
        NameSource(Person, Person.name, "a person no longer on this site", erased=Person.erased),
    )
    registry.history.add_names("group", NameSource(Group, Group.name, "a deleted group"))
