from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.validators import InputRequired, NumberRange

from app.core.forms import WholeNumberField
from app.notifications.models import FREQUENCIES


class PreferenceForm(FlaskForm):
    frequency = RadioField(
        "Reminders about your overdue and soon-due tasks and actions",
        choices=list(FREQUENCIES.items()),
        validators=[InputRequired("Choose how often you want reminder emails.")],
    )
    gateway_mail = BooleanField("Email me gateway review requests and decisions straight away")
    meeting_mail = BooleanField("Send me meeting invitations, agendas and minutes")


class SiteMailForm(FlaskForm):
    # minimum=None: NumberRange below says what the range is, in days.
    agenda_notice_days = WholeNumberField(
        "Days before a meeting that its agenda is emailed",
        minimum=None,
        validators=[
            InputRequired("Enter a number of days from 0 to 30."),
            NumberRange(0, 30, "Enter a number of days from 0 to 30."),
        ],
    )
