from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from app.core.forms import UKDateField
from app.documents.models import NARRATIVE_FIELDS


class NarrativeForm(FlaskForm):
    """The PID's narrative fields; the limits keep the printed PID within four pages."""

    version = HiddenField()

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name, *_rest in NARRATIVE_FIELDS}


for _name, _label, _hint, _limit in NARRATIVE_FIELDS:
    _field_class = StringField if _limit <= 200 else TextAreaField
    setattr(
        NarrativeForm,
        _name,
        _field_class(
            _label,
            description=f"{_hint} Up to {_limit:,} characters.",
            validators=[
                Length(
                    max=_limit,
                    message=f"{_label} must be {_limit:,} characters or fewer "
                    "so the PID stays short enough to print.",
                )
            ],
        ),
    )


class AgreeForm(FlaskForm):
    number = StringField(
        "Version number",
        description="For example v1.0 for the first agreed version, then v1.1, v1.2.",
        validators=[
            DataRequired("Enter the version number, for example v1.0."),
            Regexp(
                r"^v\d{1,3}\.\d{1,3}$",
                message="Write the version as v, a number, a full stop "
                "and a number, for example v1.0.",
            ),  # fmt: skip
        ],
    )
    agreed_on = UKDateField(
        "Date agreed", validators=[DataRequired("Enter the date you agreed the PID.")]
    )


class ReportPeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it only chooses what to show

    since = UKDateField("Report on changes since")


class DeclineForm(FlaskForm):
    comments = TextAreaField(
        "What needs to change before you agree it",
        id="decline-comments",
        validators=[Length(max=4000)],
    )
