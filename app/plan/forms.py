"""Forms of the plan: creating a plan, a task in full, the inline row, comments, import."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.forms import UKDateField
from app.core.numbers import whole_number
from app.plan.models import RAG_VALUES, SERVICE_KINDS, TASK_STATUSES
from app.plan.service import TaskChanges
from app.toolkit import get_toolkit


def _int_or_none(value):  # noqa: ANN001, ANN202
    if value in (None, "", "None"):
        return None
    # Not a choice (a letter, 25 digits no id column holds): the service refuses it with a
    # message, instead of the database driver overflowing.
    number = whole_number(value, minimum=1)
    return -1 if number is None else number


class CreatePlanForm(FlaskForm):
    service_kind = RadioField(
        "What is this project doing?",
        choices=list(SERVICE_KINDS.items()),
        validators=[InputRequired("Choose a new service or improving an existing one.")],
    )
    start_date = UKDateField(
        "Project start date", validators=[InputRequired("Enter the date the project starts.")]
    )


class StartDateForm(FlaskForm):
    """Confirming a new start date: move the tasks not started, or only the date."""

    start = HiddenField()
    move = RadioField(
        "What should happen to the plan?",
        choices=[("move", "Move the tasks not started"), ("keep", "Change the start date only")],
        validators=[InputRequired("Choose whether to move the tasks.")],
    )


class BulkTaskForm(FlaskForm):
    """One change for every task ticked; a field left as it is changes nothing."""

    task_ids = SelectMultipleField("Tasks", coerce=_int_or_none, validate_choice=False)
    every = BooleanField("Every task listed below")
    status = SelectField(
        "Status", choices=[("", "Leave as it is"), *TASK_STATUSES.items()], validate_choice=False
    )
    owner_id = SelectField("Owner", choices=[], validate_choice=False)
    start_date = UKDateField("Start date", validators=[Optional()])
    due_date = UKDateField("Due date", validators=[Optional()])

    def set_owners(self, owners: list[tuple[int, str]]) -> None:
        self.owner_id.choices = [
            ("", "Leave as it is"), ("none", "No owner"), *((str(i), n) for i, n in owners)
        ]  # fmt: skip

    def changes(self) -> TaskChanges:
        changes = TaskChanges()
        if self.status.data:
            changes.status = self.status.data
            changes.present.add("status")
        if self.owner_id.data:
            changes.owner_id = _int_or_none(self.owner_id.data.replace("none", ""))
            changes.present.add("owner_id")
        for name in ("start_date", "due_date"):
            if getattr(self, name).data:
                setattr(changes, name, getattr(self, name).data)
                changes.present.add(name)
        return changes


class InlineTaskForm(FlaskForm):
    """Status, owner and dates, edited in the plan's rows."""

    version = HiddenField()
    status = SelectField("Status", choices=list(TASK_STATUSES.items()))
    owner_id = SelectField("Owner", choices=[], coerce=_int_or_none, validate_choice=False)
    start_date = UKDateField("Start", validators=[Optional()])
    due_date = UKDateField("Due", validators=[Optional()])

    inline_fields = ("status", "owner_id", "start_date", "due_date")

    def set_owners(self, owners: list[tuple[int, str]]) -> None:
        self.owner_id.choices = [(None, "No owner")] + list(owners)

    def changes(self) -> TaskChanges:
        present = set(self.inline_fields)
        return TaskChanges(
            status=self.status.data,
            owner_id=self.owner_id.data,
            start_date=self.start_date.data,
            due_date=self.due_date.data,
            present=present,
        )


class TaskForm(InlineTaskForm):
    title = StringField(
        "Title", validators=[DataRequired("Enter the task's title."), Length(max=200)]
    )
    phase = SelectField("Phase", coerce=_int_or_none, validate_choice=False)
    guidance = TextAreaField("Guidance", validators=[Length(max=4000)])
    completed_date = UKDateField("Completed on", validators=[Optional()])
    essential = BooleanField("Essential (a gateway criterion)")
    milestone = BooleanField("Milestone")
    predecessor_id = SelectField(
        "Comes after", coerce=_int_or_none, validate_choice=False, choices=[]
    )
    reported_rag = SelectField(
        "Reported RAG",
        choices=[("", "Same as the dates say")] + list(RAG_VALUES.items()),
        description="Only if you judge the task differently from its dates.",
    )
    reported_rag_reason = TextAreaField("Why you report this RAG", validators=[Length(max=2000)])
    notes = TextAreaField("Notes", validators=[Length(max=4000)])

    inline_fields = (
        "status", "owner_id", "start_date", "due_date", "title", "phase", "guidance",
        "completed_date", "essential", "milestone", "predecessor_id", "reported_rag",
        "reported_rag_reason", "notes",
    )  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.phase.choices = [(p.number, p.label) for p in get_toolkit().phases]

    def set_predecessors(self, tasks: list[tuple[int, str]]) -> None:
        self.predecessor_id.choices = [(None, "None")] + list(tasks)

    def changes(self) -> TaskChanges:
        return TaskChanges(
            **{name: getattr(self, name).data for name in self.inline_fields},
            present=set(self.inline_fields),
        )


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Add a comment",
        validators=[DataRequired("Write a comment before sending it."), Length(max=4000)],
    )


class ImportForm(FlaskForm):
    workbook = FileField("Workbook (.xlsx)")


class ConfirmImportForm(FlaskForm):
    token = HiddenField()
