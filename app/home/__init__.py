"""Pages that belong to no site: the home page, help, the toolkit, the health check."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from app.home import views  # noqa: E402, F401
