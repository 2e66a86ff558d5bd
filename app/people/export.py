"""The people list as a spreadsheet (CSV or xlsx), and reading one back in.

Cells that a spreadsheet would run as a formula (starting with =, +, - or @) are written
with a leading apostrophe; reading a file back removes that apostrophe again, so a file
exported here imports unchanged into another site.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from app.people.models import ENGAGEMENT_STATUSES, LEVELS, OTHER_CATEGORY, PREFERRED_CONTACT, Person
from app.people.service import category_names, role_names

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
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 5000


class ImportProblem(ValueError):
    """The file cannot be read at all (wrong type, encoding, empty): nothing was saved."""


def escape_cell(value: str) -> str:
    """Stop a spreadsheet running a cell as a formula."""
    return "'" + value if value and value.startswith(FORMULA_STARTS) else value


def unescape_cell(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


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
    return [escape_cell(values[key] or "") for key, _heading in COLUMNS]


def people_csv(people: list[Person]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens names with accents correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heading for _key, heading in COLUMNS])
    for person in people:
        writer.writerow(person_row(person))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def people_xlsx(people: list[Person], site_name: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "People"
    sheet.append([heading for _key, heading in COLUMNS])
    added = [key for key, _heading in COLUMNS].index("added_on")
    for person in people:
        row: list = person_row(person)
        row[added] = person.added_on  # a real date in the workbook (the CSV keeps dd/mm/yyyy)
        sheet.append(row)
        sheet.cell(row=sheet.max_row, column=added + 1).number_format = "DD/MM/YYYY"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in zip(
        "ABCDEFGHIJKLMN", (24, 24, 30, 30, 20, 30, 18, 12, 10, 10, 14, 12, 40, 40), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    workbook.properties.title = f"People – {site_name}"[:200]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Reading a file ---------------------------------------------------------------------


def read_table(filename: str, content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header row and the data rows (with their row numbers in the file), as text."""
    if not content:
        raise ImportProblem("The file is empty. Choose a CSV or Excel file with a header row.")
    lower = (filename or "").lower()
    if lower.endswith(".xlsx") or content[:2] == b"PK":
        table = _read_xlsx(content)
    elif lower.endswith((".csv", ".txt")) or not lower:
        table = _read_csv(content)
    else:
        raise ImportProblem("Choose a .csv or .xlsx file. Other file types cannot be read.")
    table = [(n, [c.strip() for c in row]) for n, row in table]
    table = [(n, row) for n, row in table if any(row)]
    if not table:
        raise ImportProblem("The file has no rows. The first row must hold the column headings.")
    (_, headers), rows = table[0], table[1:]
    if not rows:
        raise ImportProblem("The file has a header row but no people under it.")
    if len(rows) > MAX_ROWS:
        raise ImportProblem(f"The file has {len(rows)} rows; import at most {MAX_ROWS} at once.")
    width = len(headers)
    rows = [(n, [unescape_cell(c) for c in (row + [""] * width)[:width]]) for n, row in rows]
    return headers, rows


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportProblem(
            "The file is saved as UTF-16 text. Save it again as 'CSV UTF-8 (comma delimited)'."
        )
    try:
        return content.decode("utf-8-sig")  # with or without the byte-order mark
    except UnicodeDecodeError:
        raise ImportProblem(
            "The file is not saved as UTF-8 text, so names with accents would be garbled. "
            "In Excel choose File, Save as, 'CSV UTF-8 (comma delimited)' and try again."
        ) from None


def _read_csv(content: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if first_line.count(delimiter) == 0 and "\t" in first_line:
        raise ImportProblem("Columns must be separated by commas or semicolons, not tabs.")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportProblem(f"The CSV file could not be read: {error}.") from None
    return list(enumerate(rows, start=1))


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


def _read_xlsx(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return [
                (number, [_cell_text(v) for v in row])
                for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
        finally:
            workbook.close()
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError, IndexError):
        raise ImportProblem(
            "The Excel file could not be opened. Save it as .xlsx and try again."
        ) from None
