"""Gateways: readiness checks at the end of each phase and the sponsor's sign-off."""

from flask import Blueprint

bp = Blueprint("gateways", __name__)

from app.gateways import views  # noqa: E402, F401
