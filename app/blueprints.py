"""Which blueprints make up the app, and which of them live under a site.

Nesting happens once, at import, because a blueprint cannot change after an app has
registered it (tests build many apps).
"""

from flask import Blueprint

from app.accounts import bp as accounts_bp
from app.documents import bp as documents_bp
from app.gateways import bp as gateways_bp
from app.home import bp as home_bp
from app.kpis import bp as kpis_bp
from app.meetings import bp as meetings_bp
from app.needs import bp as needs_bp
from app.people import bp as people_bp
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
    kpis_bp,
    gateways_bp,
    documents_bp,
    search_bp,
]

for _feature in SITE_FEATURES:
    site_bp.register_blueprint(_feature)


def top_level_blueprints() -> list[Blueprint]:
    return [home_bp, accounts_bp, site_admin_bp, site_bp, mytasks_bp, portfolio_bp]
