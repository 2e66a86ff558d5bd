"""Personal data: what the app holds about a person, and erasing it (UK GDPR).

Other features plug in through the registry (app/core/registry.py): `person_sections` list
what a person owns or attends (shown on their page and included in their data export);
`erasure_hooks` remove what a feature holds about them when they are erased;
`erasure_scrubbers` remove what only their details can find (offers, stored mail).
Logs name ids only, never the person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from app.core.audit import AuditEvent, record_event
from app.core.errors import ServiceError
from app.core.registry import registry
from app.extensions import db
from app.people.models import ERASED_NAME, Person
from app.people.scrub import HONORIFICS, ErasureReport, Secret, scrub_site, secrets_for
from app.people.vocabulary import category_label, role_names
from app.sites.models import MembershipOffer
from app.sites.offers import forget_offers

log = logging.getLogger(__name__)


# Extension point for the person page and the personal-data export: other features register
# a callable (person) -> list[PersonItem] under a heading, e.g. ("Risks owned", risks_owned).
@dataclass
class PersonItem:
    title: str
    endpoint: str | None = None  # linked when the endpoint exists, with these URL values
    values: dict | None = None
    detail: str = ""
    data: dict | None = None  # what the personal-data export holds about this item


def person_sections(person: Person) -> list[tuple[str, list[PersonItem]]]:
    return [(heading, load(person)) for heading, load in registry().person_sections]


# --- Erasure (UK GDPR right to erasure) -------------------------------------------------

# Other features register callables (person_id, site_id) -> None (`registry.erasure_hooks`)
# that remove whatever personal data of this person they hold. They run after the person's
# own record is blanked and before the site's free text and history are scrubbed.
_BLANKED = ("job_title", "organisation", "category_other", "email", "phone", "notes")


def erase_person(person: Person, by_user) -> ErasureReport:  # noqa: ANN001 - a User or None
    """Remove the person's name and contact details everywhere, history included.

    Tasks and actions they owned stay, without an owner. Group memberships go. Every text
    and JSON column of every table of the site that still holds the name, a part of it,
    the email, the phone number or the job title is rewritten, and history rows about
    the person lose their old and new values. Returns what was removed. Not committed.
    """
    if person.erased:
        raise ServiceError("This person's details have already been erased.")
    site_id, person_id = person.site_id, person.id
    secrets = secrets_for(
        person.name, person.email, person.phone, person.job_title, name_replacement=ERASED_NAME
    )
    report = ErasureReport()
    for link in list(person.group_links):
        db.session.delete(link)
    for name in _BLANKED:
        setattr(person, name, "")
    person.name, person.category, person.user_id, person.erased = ERASED_NAME, None, None, True
    db.session.flush()
    for hook in registry().erasure_hooks:
        hook(person_id, site_id)
    db.session.flush()
    # Scrubbers first: they remove rows (offers, messages) the column scrub would only
    # rewrite, and must still find the details in them.
    for scrub in registry().erasure_scrubbers:
        scrub(site_id, secrets, report)
    scrub_site(site_id, secrets, report)
    audit = AuditEvent.__table__
    db.session.execute(
        audit.update()
        .where(audit.c.object_type == "person", audit.c.object_id == person_id)
        .values(label=ERASED_NAME, old_value=None, new_value=None)
    )
    record_event(
        "erase",
        user_id=getattr(by_user, "id", None),
        site_id=site_id,
        object_type="person",
        object_id=person_id,
        label=ERASED_NAME,
        detail=f"Personal data of person #{person_id} erased",
    )
    db.session.flush()
    db.session.expire_all()
    log.info("Person #%s on site #%s erased (%s mentions)", person_id, site_id, report.total)
    return report


def personal_data(person: Person) -> dict:
    """Everything held about one person, for a subject access request (JSON-ready)."""
    roles = role_names()
    history = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.site_id == person.site_id,
            AuditEvent.object_type == "person",
            AuditEvent.object_id == person.id,
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return {
        "person": {
            "id": person.id,
            "site_id": person.site_id,
            "name": person.name,
            "job_title": person.job_title,
            "organisation": person.organisation,
            "stakeholder_category": category_label(person),
            "email": person.email,
            "phone": person.phone,
            "preferred_contact": person.preferred_contact,
            "influence": person.influence,
            "interest": person.interest,
            "engagement": person.engagement,
            "notes": person.notes,
            "date_added": person.added_on.isoformat() if person.added_on else None,
            "linked_user_id": person.user_id,
            "erased": person.erased,
        },
        "groups": [
            {"group": link.group.name, "role": roles.get(link.team_role, "")}
            for link in person.group_links
        ],
        **{
            heading: [item.data or {"title": item.title} for item in items]
            for heading, items in person_sections(person)
        },
        "history": [
            {
                "at": event.at.isoformat(),
                "action": event.action,
                "field": event.field,
                "old_value": event.old_value,
                "new_value": event.new_value,
                "by_user_id": event.user_id,
            }
            for event in history
        ],
    }


def scrub_offers(site_id: int, secrets: list[Secret], report: ErasureReport) -> None:
    """Access offered to the person goes: an offer holding their email, or their full name
    as the manager typed it (registered in registry.erasure_scrubbers)."""

    def held(offer: MembershipOffer) -> bool:
        words = offer.name_given.split()
        while words and words[0].lower().strip(".") in HONORIFICS:  # "Dr Aisha Rahman"
            words.pop(0)
        typed = {"email": offer.email.strip(), "name": " ".join(words)}
        return any(
            secret.pattern.fullmatch(typed[secret.kind])
            for secret in secrets
            if secret.kind in typed
        )

    gone = forget_offers(site_id, held)
    if gone:
        report.places["membership_offers.offer"] += gone
