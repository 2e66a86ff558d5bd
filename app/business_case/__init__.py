"""The business case (Phase 4): costs, savings, options, the decision route and the documents."""

from flask import Blueprint

bp = Blueprint("business_case", __name__)

from app.business_case import views  # noqa: E402, F401
