"""The project plan: tasks by phase with RAG, the timeline, the workbook in and out."""

from flask import Blueprint

bp = Blueprint("plan", __name__)
mytasks_bp = Blueprint("mytasks", __name__)

from app.plan import rebuild_views, views  # noqa: E402, F401
