"""The business case (Phase 4): costs, savings, options, the decision route and the documents."""

from flask import Blueprint

from app.core.registry import Registry

bp = Blueprint("business_case", __name__)

from app.business_case import views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own: the Phase 4
    gateway's business-case criteria, answered from its records, and its demo data."""
    from app.business_case.checks import (
        funding_route_known,
        route_facts,
        spec_drafted,
        spec_facts,
    )
    from app.business_case.demo import demo_business_cases
    from app.business_case.figures import approval_facts, case_approved_with_ask

    registry.add_gateway_check(
        "spec_drafted", spec_drafted, "sites.business_case.specification", facts=spec_facts
    )
    registry.add_gateway_check(
        "funding_route_known", funding_route_known, "sites.business_case.route", facts=route_facts
    )
    registry.add_gateway_check(
        "case_approved",
        case_approved_with_ask,
        "sites.business_case.decision",
        facts=approval_facts,
    )
    registry.add_demo(demo_business_cases, order=55)
    from app.business_case.figures import figure_facts, site_figures

    registry.site_figures = site_figures
    registry.site_figure_facts = figure_facts
    _history_words(registry)


def _history_words(registry: Registry) -> None:
    """How the business case reads in the site history: its form's labels, not its columns."""
    from app.business_case.calc import OPTION_KEYS
    from app.business_case.forms import OWN_FIELDS
    from app.business_case.models import ROUTE_FIELDS, SPEC_FIELDS

    # Field labels are shared by every feature, so only this feature's own column names are
    # declared; shared ones ("aims" is also the PID's, "location" a meeting's) read as words.
    own = {
        f"own_{key}": f"Your option: {label[0].lower()}{label[1:]}"
        for key, label in OWN_FIELDS.items()
    }
    own.update(
        own_name="Your option: name",
        own_description="Your option: what it is",
        own_setup="Your option: set-up cost (£, one-off)",
    )
    shared = {"aims", "meeting", "location", "skills", "staffing", "facilities", "quality"}
    words = {
        key: label for key, label in {**ROUTE_FIELDS, **SPEC_FIELDS}.items() if key not in shared
    }
    registry.history.add(
        objects={"business_case": "Business case", "business_case_cost": "Business case cost"},
        fields={
            **own,
            **words,
            "preferred": "Recommended option",
            "horizon_years": "Years to project",
            "costs_saved_at": "Costs saved",
            "decision_id": "The approval decision",
        },
        vocabularies={("business_case", "preferred"): OPTION_KEYS},
        ids={"decision_id": "entry"},
        # The record is one per site: its label adds nothing to "Business case".
        labels={"business_case": lambda label: ""},
    )
