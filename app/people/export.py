"""The people list as a spreadsheet (CSV or xlsx), in the columns the import
(app/people/imports.py) reads, so a file exported here imports into another site.
Cleaning and formula escaping are app/core/spreadsheet.py's."""

from __future__ import annotations

from app.core import spreadsheet as sheets
from app.people.models import ENGAGEMENT_STATUSES, LEVELS, OTHER_CATEGORY, PREFERRED_CONTACT, Person
from app.people.vocabulary import category_names, role_names

# (field, column heading): the export's columns, and what an import can map columns to.
COLUMNS = (
    ("name", "Name"),
    ("job_title", "Job title"),
    ("organisation", "Organisation"),
    ("category", "Stakeholder category"),
    ("category_other", "Category description"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("preferred_contact", "Preferred contact"),
    ("influence", "Influence"),
    ("interest", "Interest"),
    ("engagement", "Engagement"),
    ("added_on", "Date added"),
    ("groups", "Groups"),
    ("notes", "Notes"),
)
WIDTHS = (24, 24, 30, 30, 20, 30, 18, 12, 10, 10, 14, 12, 40, 40)


def groups_text(person: Person) -> str:
    roles = role_names()
    parts = []
    for link in sorted(person.group_links, key=lambda m: (m.group.id, m.team_role)):
        role = roles.get(link.team_role)
        parts.append(f"{link.group.name}: {role}" if role else link.group.name)
    return "; ".join(dict.fromkeys(parts))


def person_row(person: Person) -> list[str]:
    names = category_names()
    values = {
        "name": person.name,
        "job_title": person.job_title,
        "organisation": person.organisation,
        "category": names.get(person.category, "") if person.category else "",
        "category_other": person.category_other if person.category == OTHER_CATEGORY else "",
        "email": person.email,
        "phone": person.phone,
        "preferred_contact": PREFERRED_CONTACT.get(person.preferred_contact, ""),
        "influence": LEVELS.get(person.influence, ""),
        "interest": LEVELS.get(person.interest, ""),
        "engagement": ENGAGEMENT_STATUSES.get(person.engagement, ""),
        "added_on": f"{person.added_on:%d/%m/%Y}" if person.added_on else "",
        "groups": groups_text(person),
        "notes": person.notes,
    }
    return [values[key] or "" for key, _heading in COLUMNS]


def people_csv(people: list[Person]) -> bytes:
    return sheets.csv_bytes([heading for _key, heading in COLUMNS], map(person_row, people))


def people_xlsx(people: list[Person], site_name: str) -> bytes:
    book = sheets.new_workbook(f"People – {site_name}")
    columns = [(heading, width) for (_key, heading), width in zip(COLUMNS, WIDTHS, strict=True)]
    added = [key for key, _heading in COLUMNS].index("added_on")

    def row(person: Person) -> list:
        values: list = person_row(person)
        values[added] = person.added_on  # a real date in the workbook (the CSV keeps dd/mm/yyyy)
        return values

    sheets.add_table_sheet(book, "People", columns, map(row, people))
    return sheets.workbook_bytes(book)
