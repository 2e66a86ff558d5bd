from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.gateways.models import CRITERION_STATES


class CriterionForm(FlaskForm):
    state = RadioField(
        "Is this met?",
        choices=list(CRITERION_STATES.items()),
        validators=[InputRequired("Choose met, not met or not applicable.")],
    )
    note = TextAreaField(
        "Note", description="What shows it is met, or why it does not apply.",
        validators=[Length(max=2000)],
    )  # fmt: skip
    evidence_url = StringField(
        "Link to evidence (optional)", description="For example, a link to the minutes or the PID.",
        validators=[Length(max=500)],
    )  # fmt: skip
    version = HiddenField()


class DecisionForm(FlaskForm):
    comments = TextAreaField("Comments", validators=[Length(max=4000)])


# The sign-off, send-back and reopen forms can share a page: each box has its own id so
# every label and error link points at the right one (the posted name stays "comments").
class SendBackForm(DecisionForm):
    comments = TextAreaField("Comments", id="send-back-comments", validators=[Length(max=4000)])


class ReopenForm(DecisionForm):
    comments = TextAreaField("Comments", id="reopen-comments", validators=[Length(max=4000)])
