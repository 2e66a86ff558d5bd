"""The business case (Phase 4): costs, savings, options, the decision route and the documents."""

from flask import Blueprint

from app.core.registry import Registry

bp = Blueprint("business_case", __name__)

from app.business_case import views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own: the Phase 4
    gateway's business-case criteria, answered from its records, and its demo data."""
    from app.business_case.demo import demo_business_cases
    from app.business_case.service import (
        case_approved,
        decision_facts,
        funding_route_known,
        route_facts,
        spec_drafted,
        spec_facts,
    )

    registry.add_gateway_check(
        "spec_drafted", spec_drafted, "sites.business_case.specification", facts=spec_facts
    )
    registry.add_gateway_check(
        "funding_route_known", funding_route_known, "sites.business_case.route", facts=route_facts
    )
    registry.add_gateway_check(
        "case_approved", case_approved, "sites.business_case.decision", facts=decision_facts
    )
    registry.add_demo(demo_business_cases, order=55)
