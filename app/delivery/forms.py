"""The recovery plan forms: who owns it and what will be done (the gap is filled in from the
numbers, not typed), and the steering-group meeting that agreed it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.numbers import whole_number


def _id(value: object) -> int | None:
    """An id from a select; None for blanks and anything no row could have (25 digits)."""
    return whole_number(value, minimum=1)


class RecoveryForm(FlaskForm):
    owner_id = SelectField("Owner", coerce=_id, validate_choice=False)
    action = TextAreaField(
        "What the team will do to recover",
        validators=[DataRequired("Say what the team will do."), Length(max=5000)],
    )

    def setup(self, owners: list) -> RecoveryForm:  # noqa: ANN001 - people of the site
        self.owner_id.choices = [("", "Choose the owner")] + [(p.id, p.name) for p in owners]
        return self


class AgreementForm(FlaskForm):
    meeting_id = SelectField(
        "Steering group meeting that agreed the plan", coerce=_id, validate_choice=False
    )
    version = HiddenField()

    def setup(self, meetings: list[tuple[int, str]]) -> AgreementForm:
        self.meeting_id.choices = [("", "Choose the meeting")] + meetings
        return self
