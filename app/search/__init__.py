"""Site search: one box that finds tasks, people, risks, meetings, actions and decisions."""

from flask import Blueprint

# Nested under the site blueprint (app/blueprints.py): /sites/<id>/search
bp = Blueprint("search", __name__)

from app.search import views  # noqa: E402, F401
