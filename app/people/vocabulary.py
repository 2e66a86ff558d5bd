"""The people feature's words from the toolkit: stakeholder categories and team roles.

Read by the person rules (`service`), the data export and erasure (`gdpr`), imports and
pages alike; it imports nothing else of the feature, so none of them import each other
for it.
"""

from __future__ import annotations

from app.people.models import OTHER_CATEGORY, Person
from app.toolkit import get_toolkit


def category_names() -> dict[str, str]:
    """Category key -> name, in the toolkit's order, then "other"."""
    names = {c.key: c.name for c in get_toolkit().categories}
    names[OTHER_CATEGORY] = "Other"
    return names


def role_names() -> dict[str, str]:
    return {r.key: r.name for r in get_toolkit().roles}


def category_label(person: Person) -> str:
    if not person.category:
        return "Not categorised"
    if person.category == OTHER_CATEGORY:
        return f"Other: {person.category_other}" if person.category_other else "Other"
    return category_names().get(person.category, person.category)
