"""Needs and benefits (Phase 3): population, caseload, staffing and fractures prevented."""

from flask import Blueprint

bp = Blueprint("needs", __name__)

from app.needs import views  # noqa: E402, F401
