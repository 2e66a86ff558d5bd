"""People: stakeholders, the project team and the groups they belong to."""

from flask import Blueprint

# Nested under the site blueprint (app/blueprints.py): every route is /sites/<id>/...
bp = Blueprint("people", __name__)

# members_views: who has access to a site (/sites/<id>/members, endpoints sites.*). Members
# are people, so those pages live here, registered on the site blueprint itself.
from app.people import members_views, views  # noqa: E402, F401
