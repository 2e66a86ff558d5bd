"""Forms for the costs, the options, the decision route, the decision and the specification.

Numbers arrive as text ("£49,479", "3.5%") and are read by the needs feature's NumberForm,
so each field says exactly what is wrong with it.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional

from app.business_case.calc import OPTION_KEYS
from app.business_case.costs import default_costs
from app.business_case.models import ROUTE_FIELDS, SPEC_FIELDS
from app.business_case.service import OUTCOMES
from app.core.forms import UKDateField
from app.needs.forms import NumberForm

OWN_FIELDS = {
    "identification": "Identification rate (% of expected caseload)",
    "treatment": "Treatment rate (% of those assessed)",
    "followup": "Follow-up rate (% of those recommended treatment)",
    "nurse_wte": "Specialist nurses (WTE)",
    "admin_wte": "Administrators (WTE)",
    "sessions": "Consultant sessions a week",
}


class CostsForm(NumberForm):
    version = HiddenField()
    horizon = StringField(
        "Years to project",
        description="From 5 to 10 years: the budget by year covers them, and each year's "
        "patients are followed for them unless you choose their lifetimes below.",
    )
    lifetime = BooleanField(
        "Follow each year's patients for the rest of their lives (a lifetime horizon, as "
        "NICE's appraisals use)"
    )

    def entered(self) -> dict[str, tuple[float | None, str]]:
        return {
            key: (self.number(f"value_{key}"), getattr(self, f"reason_{key}").data or "")
            for key in default_costs()
        }


for _key, _item in default_costs().items():
    setattr(CostsForm, f"value_{_key}", StringField(f"Value to use for {_item.label}"))
    setattr(CostsForm, f"reason_{_key}", StringField(f"Reason for changing {_item.label}"))


class OptionsForm(NumberForm):
    version = HiddenField()
    preferred = RadioField(
        "Which option does the business case recommend?",
        choices=list(OPTION_KEYS.items()),
        validators=[InputRequired("Choose the option the business case recommends.")],
    )
    own_name = StringField("Name of your option", description="Leave blank if you have none.")
    own_description = TextAreaField("What your option is", validators=[Optional()])
    own_setup = StringField(
        "Set-up cost (£, one-off)", description="Leave blank to use the default set-up cost."
    )


for _key, _label in OWN_FIELDS.items():
    setattr(OptionsForm, f"own_{_key}", StringField(_label))


class RouteForm(FlaskForm):
    version = HiddenField()
    deadline = UKDateField("Deadline for the papers", validators=[Optional()])


_ROUTE_HINTS = {
    "payer": "The organisation that will fund the service: your trust, the ICB or health board.",
    "decision_process": "The panel or committee, what it needs from you and in what form.",
    "decision_timing": "When they meet and the dates you cannot miss.",
    "meeting": "Name and date of the meeting, and who will present the case.",
    "allies": "People who support the case and what each will do before the meeting.",
    "objections": "What people may object to, and how the case answers each objection.",
}
for _key, _label in ROUTE_FIELDS.items():
    setattr(RouteForm, _key, TextAreaField(_label, description=_ROUTE_HINTS[_key]))


class DecisionForm(FlaskForm):
    version = HiddenField()
    decided_on = UKDateField(
        "Date of the decision", validators=[InputRequired("Enter the date of the decision.")]
    )
    body = StringField("Who decided", description="For example, the ICB investment committee.")
    outcome = SelectField("Outcome", choices=[("", "Choose the outcome"), *OUTCOMES.items()])
    notes = TextAreaField("Conditions or reasons (optional)")


class SpecForm(FlaskForm):
    version = HiddenField()
    contract_number = StringField(
        "Contract number", description="The commissioner's contract reference, if it has one."
    )
    commissioner_lead = StringField(
        "Commissioner lead", description="Name and role of the person who commissions it."
    )
    provider_lead = StringField(
        "Provider lead", description="Name and role of the person responsible for the service."
    )
    contract_start = UKDateField("Contract starts", validators=[Optional()])
    contract_end = UKDateField("Contract ends", validators=[Optional()])
    review_date = UKDateField("Date of review", validators=[Optional()])


_SPEC_HINTS = {
    "aims": "What the service is for, in a few sentences.",
    "acceptance": "For example, everyone aged 50 and over with a fragility fracture.",
    "exclusions": "For example, fractures caused by major trauma; patients under 50.",
    "interdependencies": "Fracture clinics, radiology, falls services, GPs, pharmacy.",
    "location": "Where the service runs: the hospital, community clinics, GP surgeries.",
    "skills": "The skills the team needs and where it gets them.",
    "staffing": "Who does the work, their bands and hours.",
    "facilities": "Scanning, clinic rooms, pharmacy, parking.",
    "integration": "How patients come in and how their care continues after the service.",
    "identify": "How every patient aged 50+ with a fragility fracture is found.",
    "investigate": "How bone health and falls risk are assessed.",
    "inform": "How patients learn about their fracture risk and what helps.",
    "intervene": "Treatment, falls referral and helping patients keep taking treatment.",
    "integrate": "Sharing the plan with GPs and primary care for long-term care.",
    "quality": "Audit, national data, peer review and staff development.",
}
for _key, _label in SPEC_FIELDS.items():
    setattr(SpecForm, _key, TextAreaField(_label, description=_SPEC_HINTS[_key]))
