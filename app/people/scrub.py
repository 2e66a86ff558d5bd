"""Finding a person's details in free text and replacing them, with a count of what went.

Erasure looks for the full name, each part of it ("Aisha", "Rahman", so "Ms Rahman" too),
the email, the phone number however it is spaced or prefixed, and the job title, in
every text and JSON column of every table of the site, history included. Core UPDATEs,
so no new history row repeats the old text. JSON, whether in a JSON column or stored as
text (`needs_versions.data`), is parsed, its string values edited and written back: keys
and structure are never touched, so a job title "Other" cannot rename an "other" key.
Features that hold details the columns cannot show (stored emails, mail files) register an
`erasure_scrubbers` entry, called with the same secrets.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import JSON, String, Text, cast, func, or_, select

from app.extensions import db

REPLACEMENT = "[erased]"
HONORIFICS = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "rev"}
# Columns that hold codes and keys, never prose: left alone.
SKIPPED_COLUMNS = {
    "audit_events.action",
    "audit_events.object_type",
    "audit_events.field",
    "audit_events.parent_type",
    "calendar_links.token_hash",
}


@dataclass
class Secret:
    kind: str  # what the report calls it: "name", "part of the name", "email", ...
    pattern: re.Pattern
    needle: str  # lower-case text every match contains, for the SQL pre-filter
    replacement: str = REPLACEMENT


@dataclass
class ErasureReport:
    """What erasure found and removed: kinds of detail and the places they were in."""

    kinds: Counter = field(default_factory=Counter)  # kind -> matches replaced
    places: Counter = field(default_factory=Counter)  # "table.column" -> rows changed

    @property
    def total(self) -> int:
        return sum(self.kinds.values())

    def summary(self) -> str:
        if not self.kinds:
            return "No other mentions were found in the site's text or history."
        kinds = ", ".join(f"{kind} ({count})" for kind, count in sorted(self.kinds.items()))
        return (
            f"Removed {self.total} mentions from {sum(self.places.values())} places in "
            f"{len({p.split('.')[0] for p in self.places})} kinds of record: {kinds}."
        )


def _phone_pattern(phone: str) -> re.Pattern | None:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 6:
        return None
    gap = r"[\s\-.()]*"
    local = gap.join(digits)
    options = [local]
    if digits.startswith("0"):  # a UK number may be written +44 (0)1632 960123
        options.append(r"\+44" + gap + r"(?:\(0\))?" + gap + gap.join(digits[1:]))
    elif digits.startswith("44"):
        options.append("0" + gap + gap.join(digits[2:]))
    return re.compile(r"(?<!\d)(?:" + "|".join(options) + r")(?!\d)")


def secrets_for(
    name: str, email: str, phone: str, job_title: str, name_replacement: str = REPLACEMENT
) -> list[Secret]:
    """The patterns for one person; the full name comes first so it wins over its parts."""
    found: list[Secret] = []
    name = " ".join((name or "").split())
    if len(name) >= 3:
        pattern = re.compile(re.escape(name), re.IGNORECASE)
        found.append(Secret("name", pattern, name.lower(), name_replacement))
    for part in re.split(r"[\s,]+", name):
        part = part.strip(".'-")
        if len(part) < 3 or part.lower() in HONORIFICS:
            continue
        # A capital first letter: "Rose" the person, not "rose" the verb.
        pattern = re.compile(rf"\b{re.escape(part[0].upper())}(?i:{re.escape(part[1:])})\b")
        found.append(Secret("part of the name", pattern, part.lower()))
    email = (email or "").strip()
    if len(email) >= 3:
        found.append(Secret("email", re.compile(re.escape(email), re.IGNORECASE), email.lower()))
    phone_pattern = _phone_pattern(phone)
    if phone_pattern is not None:
        found.append(Secret("phone", phone_pattern, re.sub(r"\D", "", phone)[-2:]))
    title = " ".join((job_title or "").split())
    if len(title) >= 4:
        found.append(
            Secret(
                "job title", re.compile(rf"\b{re.escape(title)}\b", re.IGNORECASE), title.lower()
            )
        )
    return found


def replace_secrets(text: str, secrets: list[Secret], report: ErasureReport) -> str:
    """`text` with every secret replaced, counted in `report`."""
    for secret in secrets:
        text, count = secret.pattern.subn(secret.replacement, text)
        if count:
            report.kinds[secret.kind] += count
    return text


def _replace_in_json(value, secrets: list[Secret], report: ErasureReport):  # noqa: ANN001, ANN202
    if isinstance(value, str):
        return replace_secrets(value, secrets, report)
    if isinstance(value, list):
        return [_replace_in_json(item, secrets, report) for item in value]
    if isinstance(value, dict):
        return {k: _replace_in_json(v, secrets, report) for k, v in value.items()}
    return value


def _json_document(text: str) -> dict | list | None:
    """The object or array a text column holds as JSON, or None for any other text."""
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, dict | list) else None


def _scrubbed_text(text: str, secrets: list[Secret], report: ErasureReport) -> str:
    document = _json_document(text)
    if document is None:
        return replace_secrets(text, secrets, report)
    cleaned = _replace_in_json(document, secrets, report)
    return text if cleaned == document else json.dumps(cleaned)


def scrub_site(site_id: int, secrets: list[Secret], report: ErasureReport) -> None:
    """Replace every secret in every text and JSON column of the site's rows, history too."""
    if not secrets:
        return
    for table in db.metadata.sorted_tables:
        if "id" not in table.c:
            continue
        if "site_id" in table.c:
            in_site = table.c.site_id == site_id
        elif table.name == "sites":
            in_site = table.c.id == site_id
        else:
            continue  # users and sign-in records belong to no site
        for column in table.c:
            if f"{table.name}.{column.name}" in SKIPPED_COLUMNS or column.name.endswith("_key"):
                continue
            is_json = isinstance(column.type, JSON)
            if not is_json and not isinstance(column.type, String | Text):
                continue
            text = func.lower(cast(column, Text))
            matches = or_(*(text.contains(s.needle, autoescape=True) for s in secrets))
            rows = db.session.execute(select(table.c.id, column).where(in_site, matches)).all()
            limit = getattr(column.type, "length", None)
            for row_id, value in rows:
                if is_json:
                    cleaned = _replace_in_json(value, secrets, report)
                    if json.dumps(cleaned) == json.dumps(value):
                        continue
                else:
                    cleaned = _scrubbed_text(value, secrets, report)
                    if cleaned == value:
                        continue
                    if limit and _json_document(value) is None:
                        cleaned = cleaned[:limit]
                db.session.execute(
                    table.update().where(table.c.id == row_id).values({column.name: cleaned})
                )
                report.places[f"{table.name}.{column.name}"] += 1
