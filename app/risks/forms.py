"""Forms for the RAID log. Range and cross-field rules live in the service, so a bad value
gets one clear message whether it came from this form or from a hand-made request."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import UKDateField
from app.core.numbers import whole_number
from app.risks.models import IMPACT_WORDS, LIKELIHOOD_WORDS, SEVERITIES
from app.risks.service import EntryDetails, statuses_for
from app.toolkit import get_toolkit


def _int_or_raw(value: object) -> object:
    """An int when the text is a whole number, None when empty, the raw text otherwise
    (the service then names the field and says what is allowed)."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    number = whole_number(text)
    return number if number is not None else text


class ScoreField(SelectField):
    def __init__(self, label: str, words: dict[int, str], **kwargs) -> None:
        choices = [("", "Not scored")] + [(n, f"{n} – {word}") for n, word in words.items()]
        super().__init__(
            label, choices=choices, coerce=_int_or_raw, validate_choice=False, **kwargs
        )


def phase_choices() -> list[tuple[object, str]]:
    return [("", "Not tied to a phase")] + [(p.number, p.label) for p in get_toolkit().phases]


class EntryForm(FlaskForm):
    title = StringField(
        "Title",
        description="A short line that says what could happen, has happened or must be decided.",
        validators=[DataRequired("Enter a title."), Length(max=200)],
    )
    description = TextAreaField("Description", validators=[Length(max=5000)])
    owner_id = SelectField("Owner", coerce=_int_or_raw, validate_choice=False)
    raised_on = UKDateField("Date raised", description="Leave blank for today.")
    phase = SelectField("Phase", coerce=_int_or_raw, validate_choice=False)
    status = SelectField("Status", validate_choice=False)
    review_on = UKDateField("Next review", description="For example, 27/3/2026.")
    likelihood = ScoreField("Likelihood before mitigation", LIKELIHOOD_WORDS)
    impact = ScoreField("Impact before mitigation", IMPACT_WORDS)
    residual_likelihood = ScoreField("Likelihood after mitigation", LIKELIHOOD_WORDS)
    residual_impact = ScoreField("Impact after mitigation", IMPACT_WORDS)
    severity = SelectField(
        "Severity", choices=[("", "Choose severity"), *SEVERITIES.items()], validate_choice=False
    )
    action = TextAreaField("Action being taken", validators=[Length(max=5000)])
    decider = StringField(
        "Who decides",
        description="For example, the steering group or the project sponsor.",
        validators=[Length(max=160)],
    )
    decide_by = UKDateField("Decision needed by")
    outcome = TextAreaField(
        "Outcome", description="What was decided. Leave blank until it is decided."
    )
    decided_on = UKDateField("Date decided")
    meeting_id = SelectField(
        "Meeting where it was decided", coerce=_int_or_raw, validate_choice=False
    )
    version = HiddenField()

    def setup(self, kind: str, owners: list, meetings: list | None = None) -> EntryForm:  # noqa: ANN001
        self.kind = kind
        self.meeting_id.choices = [("", "Not recorded")] + list(meetings or [])
        self.owner_id.choices = [("", "No owner yet")] + [(p.id, p.name) for p in owners]
        self.phase.choices = phase_choices()
        self.status.choices = list(statuses_for(kind).items())
        return self

    def details(self) -> EntryDetails:
        return EntryDetails(
            kind=self.kind,
            title=self.title.data or "",
            description=self.description.data or "",
            owner_id=self.owner_id.data,
            raised_on=self.raised_on.data,
            phase=self.phase.data,
            status=self.status.data or "",
            review_on=self.review_on.data,
            likelihood=self.likelihood.data,
            impact=self.impact.data,
            residual_likelihood=self.residual_likelihood.data,
            residual_impact=self.residual_impact.data,
            severity=self.severity.data or None,
            action=self.action.data or "",
            decider=self.decider.data or "",
            decide_by=self.decide_by.data,
            outcome=self.outcome.data or "",
            decided_on=self.decided_on.data,
            meeting_id=self.meeting_id.data or None,
        )


class MitigationForm(FlaskForm):
    description = TextAreaField(
        "Action", validators=[DataRequired("Describe the action."), Length(max=2000)]
    )
    task_id = SelectField("Linked plan task", coerce=_int_or_raw, validate_choice=False)
    residual_likelihood = ScoreField("Likelihood after mitigation", LIKELIHOOD_WORDS)
    residual_impact = ScoreField("Impact after mitigation", IMPACT_WORDS)

    def setup(self, tasks: list[tuple[int, str]]) -> MitigationForm:
        self.task_id.choices = [("", "Not linked to a task")] + tasks
        return self


class StartersForm(FlaskForm):
    starters = SelectMultipleField("Starter risks", validate_choice=False)
