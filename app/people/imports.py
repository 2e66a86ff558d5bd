"""Importing people from a spreadsheet: map columns, check every row, then save all or none.

Between the upload and the confirmation the file waits in the database
(`app.core.pending_uploads`, bound to the site and the person importing); each preview and
the confirmation read it again from there, so nothing the browser sends back is trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.audit import record_event
from app.core.forms import parse_uk_date
from app.core.spreadsheet import unescape
from app.core.spreadsheet_reader import UploadError, read_upload
from app.extensions import db
from app.people.export import COLUMNS
from app.people.groups import STANDARD_GROUPS, add_to_group, ensure_standard_groups
from app.people.models import (
    ENGAGEMENT_STATUSES,
    LEVELS,
    OTHER_CATEGORY,
    PREFERRED_CONTACT,
    Group,
    Person,
)
from app.people.service import PersonData, person_problems
from app.people.vocabulary import category_names, role_names
from app.sites.models import Site

MAX_ROWS = 5000


class ImportProblem(ValueError):
    """The file cannot be read at all (wrong type, encoding, empty): nothing was saved."""


def read_table(filename: str, content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header row and the data rows (with their row numbers in the file), as text."""
    try:
        table = read_upload(filename, content, max_rows=MAX_ROWS)
    except UploadError as error:
        raise ImportProblem(error.message) from None
    table = [(n, [_cell_text(c).strip() for c in row]) for n, row in table]
    table = [(n, row) for n, row in table if any(row)]
    if not table:
        raise ImportProblem("The file has no rows. The first row must hold the column headings.")
    (_, headers), rows = table[0], table[1:]
    if not rows:
        raise ImportProblem("The file has a header row but no people under it.")
    width = len(headers)
    rows = [(n, [unescape(c) for c in (row + [""] * width)[:width]]) for n, row in rows]
    return headers, rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


FIELD_LABELS = dict(COLUMNS)
# Headings people use for each field, normalised (lower case, letters and digits only).
SYNONYMS = {
    "name": {"name", "fullname", "person", "contactname", "stakeholder"},
    "job_title": {"jobtitle", "title", "role", "position", "job"},
    "organisation": {"organisation", "organization", "org", "employer", "service", "team"},
    "category": {"stakeholdercategory", "category", "stakeholdergroup", "type"},
    "category_other": {"categorydescription", "othercategory", "categoryother"},
    "email": {"email", "emailaddress", "mail", "email1"},
    "phone": {"phone", "telephone", "phonenumber", "tel", "mobile", "telephonenumber"},
    "preferred_contact": {"preferredcontact", "contactpreference", "preferredcontactmethod"},
    "influence": {"influence", "power"},
    "interest": {"interest"},
    "engagement": {"engagement", "engagementstatus", "status"},
    "added_on": {"dateadded", "added", "addedon", "date"},
    "groups": {"groups", "group", "membership", "memberships"},
    "notes": {"notes", "note", "comments", "comment"},
}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def guess_mapping(headers: list[str]) -> list[str]:
    mapping, used = [], set()
    for header in headers:
        key = next((f for f, names in SYNONYMS.items() if _norm(header) in names), "")
        mapping.append("" if key in used else key)
        used.add(key)
    return mapping


# --- Checking the rows --------------------------------------------------------------------


@dataclass
class PlannedRow:
    number: int
    data: PersonData
    action: str  # "add", "update" or "same" (already held, nothing new)
    existing: Person | None = None
    groups: list[tuple[str, str]] = field(default_factory=list)  # (group name, role key)


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    errors: list[str]
    mapped: list[str]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def _lookup(value: str, options: dict[str, str], what: str) -> str:
    """Accept a key ("not_interested") or its label ("Not interested"), any case."""
    wanted = _norm(value)
    for key, label in options.items():
        if wanted in (_norm(key), _norm(label)):
            return key
    raise ValueError(f"{what} '{value}' is not one of: {', '.join(options.values())}")


def _row_data(cells: dict[str, str]) -> tuple[PersonData, list[str], list[tuple[str, str]]]:
    data = PersonData(name=cells.get("name", ""))
    problems: list[str] = []
    for name in ("job_title", "organisation", "category_other", "email", "phone", "notes"):
        setattr(data, name, cells.get(name, ""))
    choices = {
        "category": (category_names(), "Category"),
        "preferred_contact": (PREFERRED_CONTACT, "Preferred contact"),
        "influence": (LEVELS, "Influence"),
        "interest": (LEVELS, "Interest"),
        "engagement": (ENGAGEMENT_STATUSES, "Engagement"),
    }
    for name, (options, what) in choices.items():
        if not cells.get(name):
            continue
        try:
            setattr(data, name, _lookup(cells[name], options, what))
        except ValueError as error:
            problems.append(str(error))
    if cells.get("added_on"):
        try:
            data.added_on = parse_uk_date(cells["added_on"])
        except ValueError:
            problems.append(f"Date added '{cells['added_on']}' is not a date like 27/03/2026")
    groups: list[tuple[str, str]] = []
    roles = role_names()
    for part in filter(None, (p.strip() for p in cells.get("groups", "").split(";"))):
        group_name, _, role = (s.strip() for s in part.partition(":"))
        role_key = ""
        if role:
            try:
                role_key = _lookup(role, roles, "Project-team role")
            except ValueError as error:
                problems.append(str(error))
        groups.append((group_name, role_key))
    problems.extend(message for _field, message in person_problems(data))
    return data, problems, groups


def _identity(data: PersonData) -> tuple:
    if data.email:
        return ("email", data.email.lower())
    return ("name", data.name.lower(), data.organisation.lower())


def plan_import(site: Site, headers: list[str], rows: list, mapping: list[str]) -> ImportPlan:
    """Check every row against the rules and the people already held; change nothing."""
    errors: list[str] = []
    mapped = [m for m in mapping if m]
    if "name" not in mapped:
        errors.append("Choose which column holds the name.")
    for key in dict.fromkeys(m for m in mapped if mapped.count(m) > 1):
        errors.append(f"More than one column is set to '{FIELD_LABELS[key]}'; choose one.")
    if errors:
        return ImportPlan([], errors, mapped)
    held = db.session.scalars(
        select(Person).where(Person.site_id == site.id, Person.erased.is_(False))
    ).all()
    existing = {
        _identity(PersonData(name=p.name, organisation=p.organisation, email=p.email)): p
        for p in held
    }
    seen: dict[tuple, int] = {}
    planned = []
    for number, row in rows:
        cells = {key: row[i] for i, key in enumerate(mapping) if key and i < len(row)}
        data, problems, groups = _row_data(cells)
        for message in problems:
            errors.append(f"Row {number}: {message}.".replace("..", "."))
        identity = _identity(data)
        if identity in seen:
            what = "email address" if data.email else "name and organisation"
            errors.append(f"Row {number}: the same {what} as row {seen[identity]}.")
            continue
        seen[identity] = number
        person = existing.get(identity)
        if person is None:
            planned.append(PlannedRow(number, data, "add", None, groups))
            continue
        merged = _merge(person, data, cells)
        changed = any(
            getattr(merged, f) != getattr(person, f)
            for f in PersonData.field_names()
            if f != "user_id" and f in cells
        )
        planned.append(PlannedRow(number, merged, "update" if changed else "same", person, groups))
    return ImportPlan(planned, errors, mapped)


def _merge(person: Person, data: PersonData, cells: dict[str, str]) -> PersonData:
    """The person as held, with the file's non-empty cells laid over it."""
    held = PersonData(**{f: getattr(person, f) for f in PersonData.field_names()})
    overlay = {f: getattr(data, f) for f in PersonData.field_names() if cells.get(f)}
    return replace(held, **overlay)


def apply_import(site: Site, plan: ImportPlan, filename: str) -> dict[str, int]:
    """Save a plan without errors: new people, updates, and the group memberships named."""
    if plan.errors:
        raise ImportProblem("The file has problems; nothing was saved.")
    ensure_standard_groups(site)
    groups = {
        g.name.lower(): g
        for g in db.session.scalars(
            select(Group).where(Group.site_id == site.id).options(selectinload(Group.members))
        )
    }
    standard_names = {name.lower(): kind for kind, (name, _d) in STANDARD_GROUPS.items()}
    added = updated = joined = 0
    for row in plan.rows:
        person = row.existing
        if person is None:
            person = Person(site_id=site.id)
            db.session.add(person)
            added += 1
        elif row.action == "update":
            updated += 1
        for name in PersonData.field_names():
            value = getattr(row.data, name)
            if name in ("user_id", "added_on") and value is None:
                continue
            setattr(person, name, value)
        if person.category != OTHER_CATEGORY:
            person.category_other = ""
        db.session.flush()
        for group_name, role in row.groups:
            group = groups.get(group_name.lower())
            if group is None:
                kind = standard_names.get(group_name.lower(), "custom")
                group = Group(site_id=site.id, kind=kind, name=group_name[:120])
                db.session.add(group)
                db.session.flush()
                groups[group_name.lower()] = group
            role = role if group.kind == "project_team" else ""
            if group.kind == "project_team" and not role:
                continue  # a project-team place needs a role; the file did not name one
            if any(m.person_id == person.id and m.team_role == role for m in group.members):
                continue
            group.members.append(add_to_group(group, person, role))
            joined += 1
    record_event(
        "import",
        site_id=site.id,
        object_type="people",
        detail=f"Imported {filename[:100]}: {added} added, {updated} updated",
    )
    db.session.flush()
    return {"added": added, "updated": updated, "joined": joined}
