"""The plan table's plain rows, drawn in Python for speed.

The plan page lists every task of a site (300 at the benchmark size). As a Jinja macro, each
row cost about twenty attribute look-ups, escapes and filter calls through the template
runtime, and the rows were the largest part of the page's time (issue #23). Here a row is
one format string over escaped values, so a row costs a few microseconds. The tags are
`app.core.tags`' (as in every template); the editing row stays a template
(`templates/plan/_task_edit_row.html`). Everything a row needs that is the same for every
row (links, whether the reader may edit, which row takes focus) is worked out once per
render in `RowLinks`; what repeats across rows (days, owners' names, RAG cells) is drawn
once. The page's other part that grows with the site (the owner filter's options) is drawn
here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask import url_for
from markupsafe import Markup, escape

from app.core.access import can
from app.core.dates import uk_date
from app.core.tags import rag_tag, tag
from app.plan.models import TASK_STATUSES
from app.plan.queries import TaskView

_NOT_SET = '<span class="nhsuk-u-secondary-text-colour">{}</span>'
_ESSENTIAL = f" {tag('Essential', 'white', 'app-tag-s')}"
_MILESTONE = f" {tag('Milestone', 'purple', 'app-tag-s')}"
_ROW = """
<tr class="nhsuk-table__row" id="task-{id}">
  <th scope="row" class="nhsuk-table__cell app-plan-title app-stack__head">
    <a href="{task_prefix}{id}">{title}</a>{tags}
  </th>
  <td class="nhsuk-table__cell" data-label="Owner">{owner}</td>
  <td class="nhsuk-table__cell app-nowrap" data-label="Start">{start}</td>
  <td class="nhsuk-table__cell app-nowrap" data-label="Due">{due}</td>
  <td class="nhsuk-table__cell" data-label="Status">{status}</td>
  <td class="nhsuk-table__cell app-rag" data-label="RAG">{rag}</td>{action}
</tr>"""
_ACTION = """
  <td class="nhsuk-table__cell app-plan-actions app-stack__nolabel" data-label="Action">\
<a href="{url}#task-{id}" hx-get="{url}" hx-target="closest tr" hx-swap="outerHTML"{focus}>\
Edit<span class="nhsuk-u-visually-hidden"> {title}</span></a></td>"""


@dataclass(frozen=True)
class RowLinks:
    """What every row of one render shares."""

    task_prefix: str  # the task page's URL without the id
    edit_parts: tuple[str, str] | None  # the Edit link around the id; None: cannot edit
    focus_all: bool = False  # the one row of an htmx fragment takes focus
    focus_id: int | None = None  # the row just saved takes focus again


def row_links(filter_args: dict[str, str], focus_all: bool, focus_id: int | None) -> RowLinks:
    """The links for one render; the Edit link keeps the current filters."""
    edit_parts = None
    if can("editor"):
        before, after = url_for("sites.plan.index", edit=0, **filter_args).split("edit=0", 1)
        edit_parts = (str(escape(before)), str(escape(after)))
    task_prefix = str(escape(url_for("sites.plan.task", task_id=0)[:-1]))
    return RowLinks(task_prefix, edit_parts, focus_all, focus_id)


def _rag_cell(view: TaskView) -> str:
    """The derived tag first, then a small reported tag when they differ.

    A rosier report never hides the dates: the derived word stays first and is announced
    as such."""
    rag, reported = view.rag, view.task.reported_rag
    cell = rag_tag(rag, classes="app-tag-s app-nowrap" if rag else "app-tag-s")
    if rag and reported and rag != "complete" and reported != rag:
        if view.rosier:
            cell += Markup('<span class="nhsuk-u-visually-hidden"> from the dates,</span>')
        reported_tag = rag_tag(
            reported, "Reported ", classes="app-tag-s app-nowrap app-tag-reported"
        )
        cell += Markup("\n    ") + reported_tag
    return cell


@lru_cache(maxsize=4096)
def _day(value: date) -> str:
    # A plan's 600 dates fall on far fewer days: each is formatted once.
    return uk_date(value)


_NO_DATE = _NOT_SET.format("Not set")
_NO_OWNER = _NOT_SET.format("No owner")


def _date(value: date | None) -> str:
    return _day(value) if value else _NO_DATE


_STATUS_HTML = {key: str(escape(label)) for key, label in TASK_STATUSES.items()}


def _row(view: TaskView, links: RowLinks, owners: dict[int, str]) -> str:
    """One row's markup; `owners` keeps each owner's escaped name for the render."""
    task = view.task
    title = escape(task.title)
    tags = (_ESSENTIAL if task.essential else "") + (_MILESTONE if task.milestone else "")
    owner = task.owner
    if owner is None:
        owner_html = _NO_OWNER
    else:
        owner_html = owners.get(task.owner_id)
        if owner_html is None:
            owner_html = owners[task.owner_id] = str(escape(owner.name))
    if view.overdue:
        due = (
            f"<strong>{_day(task.due_date)}</strong>"
            '<span class="nhsuk-u-visually-hidden"> (overdue)</span>'
        )
    else:
        due = _date(task.due_date)
    action = ""
    if links.edit_parts is not None:
        focus = links.focus_all or links.focus_id == task.id
        action = _ACTION.format(
            url=f"{links.edit_parts[0]}edit={task.id}{links.edit_parts[1]}",
            id=task.id,
            focus=" autofocus" if focus else "",
            title=title,
        )
    status = _STATUS_HTML.get(task.status)
    return _ROW.format(
        id=task.id,
        task_prefix=links.task_prefix,
        title=title,
        tags=tags,
        owner=owner_html,
        start=_date(task.start_date),
        due=due,
        status=status if status is not None else escape(view.status_label),
        rag=_rag_cell(view),
        action=action,
    )


def plan_row(view: TaskView, links: RowLinks) -> Markup:
    """One task as one compact row of the plan table."""
    return Markup(_row(view, links, {}))


def plan_rows(views: list[TaskView], links: RowLinks) -> Markup:
    """A phase's rows."""
    owners: dict[int, str] = {}
    return Markup("".join([_row(view, links, owners) for view in views]))


def owner_options(owners: list[tuple[int, str]], selected: str) -> Markup:
    """The owner filter's <option>s after "Anyone" and "No owner": one per person of the site,
    whose number grows with the site (a hundred at the benchmark size), so drawn here."""
    return Markup(
        "".join(
            [
                f'<option value="{pid}"{" selected" if selected == str(pid) else ""}>'
                f"{escape(name)}</option>"
                for pid, name in owners
            ]
        )
    )
