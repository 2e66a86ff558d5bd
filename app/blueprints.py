"""Which blueprints make up the app, which of them live under a site, and which features
register extension points (overview panels, gateway checks, demo steps, personal data).

The one place a feature is registered. Importing the features here also loads every model
(each feature's views read its models), so SQLAlchemy and Alembic see every table without a
second list; tests/unit/test_architecture.py checks no model module is left out.

Nesting happens once, at import, because a blueprint cannot change after an app has
registered it (tests build many apps).
"""

from flask import Blueprint

from app import (
    business_case,
    delivery,
    documents,
    gateways,
    kpis,
    meetings,
    needs,
    notifications,
    people,
    plan,
    risks,
    sites,
)
from app.accounts import bp as accounts_bp
from app.business_case import bp as business_case_bp
from app.core.registry import Registry
from app.delivery import bp as delivery_bp
from app.documents import bp as documents_bp
from app.gateways import bp as gateways_bp
from app.home import bp as home_bp
from app.kpis import bp as kpis_bp
from app.meetings import bp as meetings_bp
from app.needs import bp as needs_bp
from app.needs.cli import cli_bp as needs_cli_bp
from app.notifications import bp as notifications_bp
from app.notifications import site_bp as mail_bp
from app.people import bp as people_bp
from app.people.cli import cli_bp as people_cli_bp
from app.plan import bp as plan_bp
from app.plan import mytasks_bp
from app.portfolio import bp as portfolio_bp
from app.risks import bp as risks_bp
from app.search import bp as search_bp
from app.sites import bp as site_admin_bp
from app.sites import site_bp

# Per-site features: their routes sit under /sites/<site_id>/ behind the site guard.
SITE_FEATURES: list[Blueprint] = [
    people_bp,
    plan_bp,
    meetings_bp,
    risks_bp,
    needs_bp,
    business_case_bp,
    kpis_bp,
    delivery_bp,
    gateways_bp,
    documents_bp,
    mail_bp,
    search_bp,
]

for _feature in SITE_FEATURES:
    site_bp.register_blueprint(_feature)


def top_level_blueprints() -> list[Blueprint]:
    return [
        home_bp,
        accounts_bp,
        site_admin_bp,
        site_bp,
        mytasks_bp,
        portfolio_bp,
        people_cli_bp,
        needs_cli_bp,
        notifications_bp,
    ]


# Features with a `register(registry)` (app/core/registry.py); create_app calls each once.
REGISTERING_FEATURES = [
    sites,
    people,
    plan,
    meetings,
    risks,
    needs,
    kpis,
    business_case,
    delivery,
    gateways,
    documents,
    notifications,
]


def register_features(registry: Registry) -> None:
    for feature in REGISTERING_FEATURES:
        feature.register(registry)
