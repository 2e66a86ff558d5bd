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


# The decision and reopen forms can share a page: each box has its own id so every label
# and error link points at the right one (the posted name stays "comments").
class ReopenForm(DecisionForm):
    comments = TextAreaField("Comments", id="reopen-comments", validators=[Length(max=4000)])


DECIDE_CHOICES = [
    ("sign_off", "Sign off"),
    ("send_back", "Send it back to the team"),
]


class DecideForm(FlaskForm):
    """The sponsor's one decision: sign off (on conditions typed once, when criteria are not
    met) or send back with what needs to happen first."""

    decision = RadioField(
        "Your decision",
        choices=DECIDE_CHOICES,
        validators=[InputRequired("Choose to sign off or to send it back.")],
    )
    conditions = TextAreaField(
        "Your reasons and conditions",
        id="conditions",
        description="Why you accept what is not met and on what conditions; or, if you send "
        "it back, what needs to happen first.",
        validators=[Length(max=4000)],
    )
