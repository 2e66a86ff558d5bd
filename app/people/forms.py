"""Forms for people, groups, memberships and imports."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.core.dates import today
from app.core.forms import UKDateField, WholeNumberField, not_in_future
from app.people.models import ENGAGEMENT_STATUSES, LEVELS, PREFERRED_CONTACT
from app.people.service import PersonData, email_problem, phone_problem
from app.people.vocabulary import category_names


def _email_ok(_form, field) -> None:  # noqa: ANN001
    if message := email_problem((field.data or "").strip()):
        raise ValidationError(message)


def _phone_ok(_form, field) -> None:  # noqa: ANN001
    if message := phone_problem((field.data or "").strip()):
        raise ValidationError(message)


def _strip(value):  # noqa: ANN001, ANN202
    return value.strip() if isinstance(value, str) else value


class PersonForm(FlaskForm):
    version = HiddenField()
    name = StringField(
        "Full name",
        filters=[_strip],
        validators=[DataRequired("Enter the person's name."), Length(max=120)],
    )
    job_title = StringField("Job title", filters=[_strip], validators=[Optional(), Length(max=160)])
    organisation = StringField(
        "Organisation", filters=[_strip], validators=[Optional(), Length(max=200)]
    )
    category = SelectField(
        "Stakeholder category",
        description="Which of the reference group's categories they speak for.",
        validators=[Optional()],
    )
    category_other = StringField(
        "Describe the category",
        filters=[_strip],
        description="Only when you choose 'Other', for example 'Ambulance service'.",
        validators=[Optional(), Length(max=120)],
    )
    email = StringField(
        "Email address", filters=[_strip], validators=[Optional(), Length(max=254), _email_ok]
    )
    phone = StringField(
        "Phone number", filters=[_strip], validators=[Optional(), Length(max=40), _phone_ok]
    )
    preferred_contact = SelectField(
        "Preferred way to contact them", choices=list(PREFERRED_CONTACT.items()), default="email"
    )
    influence = SelectField(
        "Influence over the project",
        description="High: can make or block decisions about the service.",
        choices=list(LEVELS.items()),
        default="low",
    )
    interest = SelectField(
        "Interest in the project",
        description="High: the service affects them or their work a great deal.",
        choices=list(LEVELS.items()),
        default="low",
    )
    engagement = SelectField(
        "Engagement", choices=list(ENGAGEMENT_STATUSES.items()), default="identified"
    )
    added_on = UKDateField("Date added", validators=[Optional(), not_in_future(today)])
    user_id = SelectField(
        "Their account in FLS Tracker",
        description="Link someone who uses this app, so they can own tasks and sign off.",
        validators=[Optional()],
    )
    notes = TextAreaField("Notes", filters=[_strip], validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, users: list[tuple[int, str]] = (), **kwargs) -> None:  # noqa: ANN002
        super().__init__(*args, **kwargs)
        self.category.choices = [("", "Not yet known"), *category_names().items()]
        self.user_id.choices = [("", "Not linked"), *((str(i), n) for i, n in users)]

    def validate_category_other(self, field) -> None:  # noqa: ANN001
        if self.category.data == "other" and not field.data:
            raise ValidationError("Describe the category when you choose 'Other'.")

    def person_data(self) -> PersonData:
        return PersonData(
            name=self.name.data or "",
            job_title=self.job_title.data or "",
            organisation=self.organisation.data or "",
            category=self.category.data or None,
            category_other=self.category_other.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            preferred_contact=self.preferred_contact.data,
            notes=self.notes.data or "",
            influence=self.influence.data,
            interest=self.interest.data,
            engagement=self.engagement.data,
            added_on=self.added_on.data,
            user_id=int(self.user_id.data) if self.user_id.data else None,
        )


class GroupForm(FlaskForm):
    version = HiddenField()
    name = StringField(
        "Group name",
        filters=[_strip],
        validators=[DataRequired("Enter a name for the group."), Length(max=120)],
    )
    description = TextAreaField(
        "What the group is for", filters=[_strip], validators=[Optional(), Length(max=2000)]
    )
    quorum = WholeNumberField(
        "Quorum",
        description="How many members must attend for a meeting to take decisions. "
        "Leave empty if there is none.",
        validators=[Optional(), NumberRange(min=1, max=500, message="Enter a number from 1.")],
    )


def _person_id(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1  # not anyone: the view says to choose people from the list


class MemberForm(FlaskForm):
    """Add several people to a group at once: a checkbox for everyone not in it yet."""

    person_ids = SelectMultipleField(
        "People to add", coerce=_person_id, validate_choice=False,
        validators=[DataRequired("Choose at least one person to add.")],
    )  # fmt: skip
    team_role = SelectField("Role on the project team", validators=[Optional()])

    def __init__(self, *args, people=(), roles=(), **kwargs) -> None:  # noqa: ANN001, ANN002
        super().__init__(*args, **kwargs)
        self.person_ids.choices = [(i, n) for i, n in people]
        self.team_role.choices = [("", "Choose a role"), *roles]


class JoinGroupForm(FlaskForm):
    group_id = SelectField("Group", validators=[DataRequired("Choose a group.")])
    team_role = SelectField("Role, if the group is the project team", validators=[Optional()])

    def __init__(self, *args, groups=(), roles=(), **kwargs) -> None:  # noqa: ANN001, ANN002
        super().__init__(*args, **kwargs)
        self.group_id.choices = [("", "Choose a group"), *((str(g.id), g.name) for g in groups)]
        self.team_role.choices = [("", "No role"), *roles]


class ImportUploadForm(FlaskForm):
    file = FileField("A CSV or Excel (.xlsx) file")


class ImportConfirmForm(FlaskForm):
    token = HiddenField()
