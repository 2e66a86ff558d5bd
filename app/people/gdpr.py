"""Personal data: what the app holds about a person, and erasing it (UK GDPR).

Other features plug in through the registry (app/core/registry.py): `person_sections` list
what a person owns or attends (shown on their page and included in their data export);
`erasure_hooks` remove what a feature holds about them when they are erased.
Logs name ids only, never the person.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy import String, Text, func, or_, select

from app.core.audit import AuditEvent, record_event
from app.core.errors import ServiceError
from app.core.registry import registry
from app.extensions import db
from app.people.models import ERASED_NAME, Person

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


def erase_person(person: Person, by_user) -> None:  # noqa: ANN001 - a User or None
    """Remove the person's name and contact details everywhere, history included.

    Tasks and actions they owned stay, without an owner. Group memberships go. Every text
    column of every table of the site that still holds the name or email is rewritten,
    and history rows about the person lose their old and new values. Not committed.
    """
    if person.erased:
        raise ServiceError("This person's details have already been erased.")
    site_id, person_id = person.site_id, person.id
    secrets = [s for s in {person.name.strip(), person.email.strip()} if len(s) >= 3]
    for link in list(person.group_links):
        db.session.delete(link)
    for name in _BLANKED:
        setattr(person, name, "")
    person.name, person.category, person.user_id, person.erased = ERASED_NAME, None, None, True
    db.session.flush()
    for hook in registry().erasure_hooks:
        hook(person_id, site_id)
    db.session.flush()
    _scrub_site_text(site_id, secrets)
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
    log.info("Person #%s on site #%s erased", person_id, site_id)


def _scrub_site_text(site_id: int, secrets: list[str]) -> None:
    """Replace each secret, in any case, in every text column of every table of the site.

    Core UPDATEs, so no history row is written with the old text in it.
    """
    if not secrets:
        return
    pattern = re.compile("|".join(re.escape(s) for s in secrets), re.IGNORECASE)
    for table in db.metadata.sorted_tables:
        if "site_id" not in table.c or "id" not in table.c:
            continue
        for column in table.c:
            if not isinstance(column.type, String | Text):
                continue
            matches = or_(
                *(func.lower(column).contains(s.lower(), autoescape=True) for s in secrets)
            )
            rows = db.session.execute(
                select(table.c.id, column).where(table.c.site_id == site_id, matches)
            ).all()
            limit = getattr(column.type, "length", None)
            for row_id, value in rows:
                cleaned = pattern.sub(ERASED_NAME, value)
                db.session.execute(
                    table.update()
                    .where(table.c.id == row_id)
                    .values({column.name: cleaned[:limit] if limit else cleaned})
                )


def personal_data(person: Person) -> dict:
    """Everything held about one person, for a subject access request (JSON-ready)."""
    from app.people.service import category_label, role_names

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
