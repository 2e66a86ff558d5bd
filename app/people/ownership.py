"""What a person owns (tasks, actions, risks), and handing it all to someone else.

Used before a member is removed, so the page can say what they still own and offer to
reassign it. Changes go through the ORM so each new owner is recorded in the history.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.core.errors import ServiceError
from app.core.registry import registry
from app.extensions import db
from app.people.models import Person
from app.sites.models import Membership


@dataclass
class Owned:
    kind: str  # "Task", "Action", "Risk, issue or other log entry"
    title: str


def _owner_models() -> list[tuple[str, type, str]]:
    # Features above people (plan, meetings, risks) register the records their owners hold.
    return registry().owned_records


def owned_by(person: Person) -> list[Owned]:
    """Everything on the site this person owns: one query per kind of record."""
    items = []
    for kind, model, text in _owner_models():
        rows = db.session.scalars(
            select(getattr(model, text))
            .where(model.site_id == person.site_id, model.owner_id == person.id)
            .order_by(model.id)
        )
        items.extend(Owned(kind, str(title)) for title in rows)
    return items


def reassign_owned(person: Person, new_owner: Person) -> int:
    """Give everything `person` owns to `new_owner` (same site); returns how many records."""
    if new_owner.site_id != person.site_id or new_owner.erased:
        raise ServiceError("Choose someone on this site to take these over.", "new_owner_id")
    if new_owner.id == person.id:
        raise ServiceError("Choose someone else to take these over.", "new_owner_id")
    moved = 0
    for _kind, model, _text in _owner_models():
        for record in db.session.scalars(
            select(model).where(model.site_id == person.site_id, model.owner_id == person.id)
        ):
            record.owner_id = new_owner.id
            moved += 1
    db.session.flush()
    return moved


def remove_member(membership: Membership, new_owner: Person | None = None) -> int:
    """End a member's access; what their People entry owns can go to `new_owner` first.

    The People entry stays (they are still a stakeholder), no longer linked to the account.
    Returns how many records were reassigned.
    """
    from app.people.linking import person_for_account

    person = person_for_account(membership.site, membership.user)
    moved = reassign_owned(person, new_owner) if new_owner is not None else 0
    person.user_id = None
    db.session.delete(membership)
    db.session.flush()
    return moved
