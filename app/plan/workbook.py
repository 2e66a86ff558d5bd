"""The plan as an Excel workbook, out and back in.

Export: one row per task in the shape project managers know, RAG cells filled, header
frozen, filters on, a hidden ID column so a re-import matches rows to tasks. Cleaning and
formula escaping are app/core/spreadsheet.py's.

Import: every row is checked first; any invalid row blocks the whole import (row number
and reason) and nothing is saved. A valid workbook gives a preview of what will be added
and changed; `apply_import` then saves it through the same service rules as the forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl.styles import Font, PatternFill

from app.core import spreadsheet as sheets
from app.core.dates import uk_date
from app.core.errors import ServiceError
from app.core.forms import parse_uk_date
from app.core.spreadsheet_reader import UploadError, read_upload
from app.plan import rag as rules
from app.plan.models import TASK_STATUSES, Task
from app.plan.service import TaskChanges, add_task, owner_choices, update_task
from app.sites.models import Site
from app.toolkit import get_toolkit

HEADERS = [
    ("ID", 8), ("Phase", 30), ("Task", 60), ("Owner", 24), ("Start", 12), ("Due", 12),
    ("Status", 16), ("RAG", 11), ("Essential", 11), ("Milestone", 11), ("Notes", 50),
]  # fmt: skip
FILLS = {"red": "FFD5281B", "amber": "FFFFB81C", "green": "FF007F3B", "complete": "FF005EB8"}
MAX_ROWS = 5000
COMPARED = ("phase", "title", "owner_id", "start_date", "due_date", "status", "essential",
            "milestone", "notes")  # fmt: skip
FIELD_LABELS = {
    "phase": "Phase", "title": "Task", "owner_id": "Owner", "start_date": "Start",
    "due_date": "Due", "status": "Status", "essential": "Essential", "milestone": "Milestone",
    "notes": "Notes",
}  # fmt: skip


def export_plan(site: Site, tasks: list[Task], today: date) -> bytes:
    toolkit = get_toolkit()
    book = sheets.new_workbook(f"Project plan: {site.name}")
    sheet = sheets.add_table_sheet(book, "Project plan", HEADERS, freeze="B2")
    for task in tasks:
        derived = rules.task_rag(task, today)
        row = sheets.append_row(
            sheet,
            [
                task.id,
                toolkit.phase(task.phase).label,
                task.title,
                task.owner.name if task.owner else "",
                task.start_date,
                task.due_date,
                TASK_STATUSES.get(task.status, task.status),
                rules.RAG_LABELS.get(derived, "") if derived else "",
                "Yes" if task.essential else "No",
                "Yes" if task.milestone else "No",
                task.notes,
            ],
        )
        if derived in FILLS:
            sheet.cell(row, 8).fill = PatternFill("solid", fgColor=FILLS[derived])
            if derived in ("red", "green", "complete"):
                sheet.cell(row, 8).font = Font(color="FFFFFFFF", bold=True)
    sheet.column_dimensions["A"].hidden = True
    sheet.auto_filter.ref = f"A1:{sheet.cell(1, len(HEADERS)).column_letter}{sheet.max_row}"
    return sheets.workbook_bytes(book)


class ImportError_(ServiceError):
    """The workbook cannot be imported; `problems` lists (row number, reason)."""

    def __init__(self, problems: list[tuple[int | None, str]]) -> None:
        super().__init__("The workbook cannot be imported.", "workbook")
        self.problems = problems


@dataclass
class ImportRow:
    row: int
    task: Task | None
    values: dict
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, old, new


@dataclass
class ImportPreview:
    added: list[ImportRow]
    changed: list[ImportRow]
    unchanged: int


def _phase_number(value: object) -> int | None:
    toolkit = get_toolkit()
    if isinstance(value, int | float) and int(value) in toolkit.phases_by_number:
        return int(value)
    text = str(value or "").strip().lower()
    for phase in toolkit.phases:
        names = (phase.label, phase.name, str(phase.number), f"phase {phase.number}")
        if text in (name.lower() for name in names):
            return phase.number
    return None


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_uk_date(str(value))


def _yes(value: object) -> bool:
    return str(value or "").strip().lower() in ("yes", "y", "true", "1", "x")


def _show(name: str, value: object, owners: dict[int, str]) -> str:
    if value is None or value == "":
        return "(blank)"
    if name == "owner_id":
        return owners.get(value, "(unknown)")
    if name == "phase":
        return get_toolkit().phase(value).label
    if name == "status":
        return TASK_STATUSES.get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return uk_date(value)
    return str(value)


def read_workbook(site: Site, data: bytes, tasks: list[Task], today: date) -> ImportPreview:
    """Check every row; raise ImportError_ listing all problems, or return the preview."""
    try:
        table = read_upload("plan.xlsx", data, max_rows=MAX_ROWS, kinds=("xlsx",))
    except UploadError as error:
        raise ImportError_([(None, error.message)]) from None
    if not table:
        raise ImportError_([(None, "The workbook is empty.")])
    rows = [row for _number, row in table]
    header = [str(h or "").strip().lower() for h in rows[0]]
    columns = {name: header.index(name.lower()) for name, _ in HEADERS if name.lower() in header}
    missing = [n for n in ("Phase", "Task", "Status") if n not in columns]
    if missing:
        raise ImportError_([(1, f"The header row needs these columns: {', '.join(missing)}.")])
    owners = dict(owner_choices(site))
    owner_ids = {name.strip().lower(): pid for pid, name in owners.items()}
    by_id = {t.id: t for t in tasks}
    status_keys = {label.lower(): key for key, label in TASK_STATUSES.items()} | {
        key: key for key in TASK_STATUSES
    }
    problems: list[tuple[int | None, str]] = []
    parsed: list[ImportRow] = []
    for number, raw in table[1:]:

        def cell(name: str, raw=raw) -> object:
            index = columns.get(name)
            value = raw[index] if index is not None and index < len(raw) else None
            return sheets.unescape(value.strip()) if isinstance(value, str) else value

        if all(v in (None, "") for v in raw):
            continue
        task = None
        if cell("ID") not in (None, ""):
            try:
                task = by_id.get(int(cell("ID")))
            except (TypeError, ValueError):
                task = None
            if task is None:
                problems.append((number, f"ID {cell('ID')} is not a task of this plan."))
                continue
        phase = _phase_number(cell("Phase"))
        if phase is None:
            problems.append((number, f"Unknown phase '{cell('Phase')}'."))
            continue
        title = str(cell("Task") or "").strip()
        if not title:
            problems.append((number, "The task has no title."))
            continue
        try:
            start, due = _date(cell("Start")), _date(cell("Due"))
        except ValueError:
            problems.append((number, "A date could not be read: use day/month/year."))
            continue
        if start and due and due < start:
            problems.append((number, "The due date is before the start date."))
            continue
        status = status_keys.get(str(cell("Status") or "").strip().lower())
        if status is None:
            problems.append((number, f"Unknown status '{cell('Status')}'."))
            continue
        owner_name = str(cell("Owner") or "").strip()
        owner_id = owner_ids.get(owner_name.lower()) if owner_name else None
        if owner_name and owner_id is None:
            problems.append((number, f"'{owner_name}' is not one of this site's people."))
            continue
        values = {"phase": phase, "title": title, "owner_id": owner_id, "start_date": start,
                  "due_date": due, "status": status}  # fmt: skip
        for name, key in (("Essential", "essential"), ("Milestone", "milestone")):
            if name in columns:
                values[key] = _yes(cell(name))
        if "Notes" in columns:
            values["notes"] = str(cell("Notes") or "").strip()
        parsed.append(ImportRow(number, task, values))
    if problems:
        raise ImportError_(problems)
    added, changed, unchanged = [], [], 0
    for item in parsed:
        if item.task is None:
            added.append(item)
            continue
        for name in COMPARED:
            old, new = getattr(item.task, name), item.values.get(name)
            if name in item.values and (old or None) != (new or None):
                shown = (_show(name, old, owners), _show(name, new, owners))
                item.changes.append((FIELD_LABELS[name], *shown))
        if item.changes:
            changed.append(item)
        else:
            unchanged += 1
    return ImportPreview(added, changed, unchanged)


def apply_import(site: Site, preview: ImportPreview, today: date) -> tuple[int, int]:
    """Save a checked preview; a rule the service refuses stops everything (caller rolls back)."""
    for item in preview.added + preview.changed:
        changes = TaskChanges(**item.values, present=set(item.values))
        try:
            if item.task is None:
                add_task(site, changes, today)
            else:
                update_task(item.task, changes, today)
        except ServiceError as error:
            raise ImportError_([(item.row, error.message)]) from None
    return len(preview.added), len(preview.changed)
