from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.core.forms import UKDateField, WholeNumberField
from app.sites.models import NATIONS, SERVICE_STATUSES, SITE_ROLE_CHOICES
from app.sites.service import SiteDetails


class SiteForm(FlaskForm):
    name = StringField(
        "Site name",
        description="What the team calls the project, for example 'North Tees FLS'.",
        validators=[DataRequired("Enter the site's name."), Length(max=160)],
    )
    organisation = StringField(
        "Trust or health board",
        validators=[DataRequired("Enter the trust or health board."), Length(max=200)],
    )
    nation = SelectField("Nation", choices=[(n, n) for n in NATIONS], default="England")
    region = StringField(
        "Region", description="For example 'North East and Yorkshire'.", validators=[Length(max=80)]
    )
    commissioner = StringField(
        "Commissioner, ICB or health board",
        description="Who pays for the service.",
        validators=[Length(max=200)],
    )
    population_50_plus = WholeNumberField(
        "Population aged 50 and over",
        description="Leave blank if you do not know it yet; Phase 3 works it out.",
        validators=[
            Optional(),
            NumberRange(1, 100_000_000, "Population must be a whole number above 0."),
        ],
    )
    service_status = SelectField(
        "Service status", choices=list(SERVICE_STATUSES.items()), default="new"
    )
    start_date = UKDateField("Project start date", validators=[Optional()])
    description = TextAreaField("Description", validators=[Length(max=2000)])
    version = HiddenField()

    def details(self) -> SiteDetails:
        return SiteDetails(
            name=self.name.data or "",
            organisation=self.organisation.data or "",
            nation=self.nation.data,
            region=self.region.data or "",
            commissioner=self.commissioner.data or "",
            population_50_plus=self.population_50_plus.data,
            service_status=self.service_status.data,
            start_date=self.start_date.data,
            description=self.description.data or "",
        )


class NewSiteForm(SiteForm):
    """Creating a site asks once for what the plan needs, and the plan is made from it."""

    service_status = SelectField(
        "Service status",
        description="Improving services get the improvement plan; new and developing "
        "services get the plan for setting one up.",
        choices=list(SERVICE_STATUSES.items()),
        default="new",
    )
    start_date = UKDateField(
        "Project start date",
        description="The plan's tasks are dated from it. For example, 27/3/2026",
        validators=[InputRequired("Enter the date the project starts.")],
    )


class AddMemberForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter the person's email address."),
            Email("Enter an email address like name@nhs.net."),
            Length(max=254),
        ],
    )
    name = StringField(
        "Full name",
        description="How they will appear here until they accept.",
        validators=[DataRequired("Enter the person's full name."), Length(max=120)],
    )
    role = SelectField("Access on this site", choices=SITE_ROLE_CHOICES, default="editor")
    is_sponsor = BooleanField(
        "Project sponsor",
        description="Signs off the phase gateways, whatever their access.",
    )


class RemoveMemberForm(FlaskForm):
    new_owner_id = SelectField(
        "Who takes over what they own?", choices=[], coerce=str, validate_choice=False
    )


class MemberForm(FlaskForm):
    version = HiddenField()
    role = SelectField("Role", choices=SITE_ROLE_CHOICES)
    is_sponsor = BooleanField("Project sponsor")
