"""People: stakeholders, the project team and the groups they belong to."""

from flask import Blueprint

# Nested under the site blueprint (app/blueprints.py): every route is /sites/<id>/...
bp = Blueprint("people", __name__)

from app.people import views  # noqa: E402, F401
