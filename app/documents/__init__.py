"""Documents: the PID and the steering-group highlight report, built from the live project."""

from flask import Blueprint

bp = Blueprint("documents", __name__, url_prefix="/documents")

from app.documents import views  # noqa: E402, F401
