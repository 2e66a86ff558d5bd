from __future__ import annotations

import re
from datetime import time

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation

from app.core.forms import UKDateField, WholeNumberField
from app.core.numbers import whole_number
from app.meetings.actions import ActionDetails
from app.meetings.models import ACTION_STATUSES, MEETING_KINDS
from app.meetings.series import FREQUENCIES
from app.meetings.service import ItemDetails, MeetingDetails
from app.toolkit.vocabulary import gateway_phase_numbers

_TIME = re.compile(r"^\s*(\d{1,2})\s*[:.]?\s*(\d{2})\s*$")


def optional_int(value: object) -> int | None:
    """An id from a select or filter; None for blanks and for anything no row could have."""
    return whole_number(value, minimum=1)


def required(message: str):  # noqa: ANN201 - a WTForms validator
    """Like DataRequired, but keeps a 'could not read that' message instead of replacing it."""

    def _check(_form, field) -> None:  # noqa: ANN001
        if field.errors:
            raise StopValidation()
        if field.data in (None, ""):
            raise StopValidation(message)

    return _check


class TimeText(StringField):
    """A 24-hour time typed as 14:00, 14.00 or 1400."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_text = valuelist[0] if valuelist else ""
        self.data = None
        if not self.raw_text.strip():
            return
        match = _TIME.match(self.raw_text)
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            self.data = time(int(match[1]), int(match[2]))
        else:
            raise ValueError("Enter a time in 24-hour format, for example 14:00.")

    def _value(self) -> str:
        if isinstance(self.data, time):
            return f"{self.data:%H:%M}"
        return getattr(self, "raw_text", "") or ""


class LongSelectField(SelectField):
    """A select of a site's people or tasks: hundreds of options on a large site.

    `options_markup()` writes its <option> tags in Python, for
    templates/meetings/_select.html: the NHS.UK select macro spends a macro call on every
    option, which made the meeting page's time grow with the site's size.
    """

    def options_markup(self) -> Markup:
        chosen = str(self.data)  # as field_select compares: no data selects nothing
        # Plain string building: Markup.format on every option costs more than the rest.
        return Markup(
            "".join(
                f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
                f"{escape(text)}</option>\n"
                for value, text in self.choices or []
            )
        )


def _person_select(label: str, **kwargs) -> SelectField:
    # Choices are checked by the service against the site's people, with a clearer message.
    return LongSelectField(label, coerce=optional_int, validate_choice=False, **kwargs)


class MeetingForm(FlaskForm):
    kind = SelectField("Type of meeting", choices=list(MEETING_KINDS.items()))
    title = StringField(
        "Title",
        description="For example 'FLS steering group'.",
        validators=[DataRequired("Enter a title for the meeting."), Length(max=200)],
    )
    day = UKDateField("Date", validators=[required("Enter the date of the meeting.")])
    start_time = TimeText(
        "Start time",
        description="24-hour clock, UK time, for example 14:00",
        validators=[required("Enter the start time, for example 14:00.")],
    )
    end_time = TimeText(
        "End time",
        description="24-hour clock, for example 15:30",
        validators=[required("Enter the end time, for example 15:30.")],
    )
    location = StringField(
        "Location", description="Room and building.", validators=[Length(max=200)]
    )
    online_link = StringField(
        "Online meeting link",
        description="Teams or Zoom address, if people can join online.",
        validators=[Length(max=500)],
    )
    group_id = _person_select(
        "Group invited",
        description="Its members are invited; you can add or remove people afterwards.",
    )
    chair_id = _person_select("Chair")
    minute_taker_id = _person_select("Minute-taker")
    # shown only when the date is in the past: the person confirms it is not a slip
    in_the_past = BooleanField("Yes, record a meeting that has already happened")
    version = HiddenField()

    def set_choices(self, people: list, groups: list) -> None:
        none = [("", "Not chosen")]
        person_items = [(str(p.id), p.name) for p in people]
        self.chair_id.choices = none + person_items
        self.minute_taker_id.choices = none + person_items
        self.group_id.choices = [("", "No group")] + [(str(g.id), g.name) for g in groups]

    def details(self) -> MeetingDetails:
        return MeetingDetails(
            kind=self.kind.data,
            title=self.title.data or "",
            day=self.day.data,
            start=self.start_time.data,
            end=self.end_time.data,
            location=self.location.data or "",
            online_link=self.online_link.data or "",
            chair_id=self.chair_id.data,
            minute_taker_id=self.minute_taker_id.data,
            group_id=self.group_id.data,
        )


class SeriesForm(MeetingForm):
    day = UKDateField(
        "Date of the first meeting", validators=[required("Enter the first meeting's date.")]
    )
    frequency = SelectField("How often", choices=list(FREQUENCIES.items()), default="monthly")
    count = WholeNumberField(
        "Number of meetings",
        description="Up to 24, for example 6 or 12 for monthly meetings.",
        validators=[DataRequired("Enter how many meetings to book, from 2 to 24.")],
    )


class InviteForm(FlaskForm):
    person_id = _person_select("Person to invite")


class AgendaItemForm(FlaskForm):
    title = StringField(
        "Item", validators=[DataRequired("Enter a title for the agenda item."), Length(max=200)]
    )
    presenter_id = _person_select("Presenter")
    minutes_allotted = WholeNumberField(
        "Minutes allotted",
        validators=[Optional(), NumberRange(1, 480, "Enter a number of minutes from 1 to 480.")],
    )
    task_id = _person_select("Linked plan task (optional)")
    gateway_phase = SelectField(
        "Linked gateway (optional)",
        coerce=optional_int,
        choices=[("", "None")] + [(str(n), f"Phase {n} gateway") for n in gateway_phase_numbers()],
    )

    def set_choices(self, people: list, tasks: list) -> None:
        self.presenter_id.choices = [("", "Not chosen")] + [(str(p.id), p.name) for p in people]
        self.task_id.choices = [("", "None")] + [(str(t.id), t.title) for t in tasks]

    def details(self) -> ItemDetails:
        return ItemDetails(
            title=self.title.data or "",
            presenter_id=self.presenter_id.data,
            minutes_allotted=self.minutes_allotted.data,
            task_id=self.task_id.data,
            gateway_phase=self.gateway_phase.data,
        )


class MinutesForm(FlaskForm):
    notes = TextAreaField("Notes", validators=[Length(max=20_000)])
    decisions = TextAreaField(
        "Decisions", description="One decision per line.", validators=[Length(max=10_000)]
    )
    version = HiddenField()


class ActionForm(FlaskForm):
    description = TextAreaField(
        "Action", validators=[DataRequired("Describe the action."), Length(max=2000)]
    )
    owner_id = _person_select("Owner")
    due_date = UKDateField("Due date", validators=[Optional()])
    task_id = _person_select("Linked plan task (optional)")
    status = SelectField("Status", choices=list(ACTION_STATUSES.items()), default="open")
    version = HiddenField()

    def set_choices(self, people: list, tasks: list) -> None:
        self.owner_id.choices = [("", "Choose the owner")] + [(str(p.id), p.name) for p in people]
        self.task_id.choices = [("", "None")] + [(str(t.id), t.title) for t in tasks]

    def details(self) -> ActionDetails:
        return ActionDetails(
            description=self.description.data or "",
            owner_id=self.owner_id.data,
            due_date=self.due_date.data,
            task_id=self.task_id.data,
            status=self.status.data or "open",
        )


class ActionStatusForm(FlaskForm):
    status = SelectField("Status", choices=list(ACTION_STATUSES.items()))
    version = HiddenField()
