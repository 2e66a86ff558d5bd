"""The RAID log: risks (scored), issues, assumptions, dependencies and decisions."""

from flask import Blueprint

# Nested under the site blueprint (app/blueprints.py), so every route is behind the site guard.
bp = Blueprint("risks", __name__)

from app.risks import views  # noqa: E402, F401
