"""Meetings: calendar, agendas, attendance, minutes, the action log and calendar files."""

from flask import Blueprint

bp = Blueprint("meetings", __name__)

from app.meetings import views  # noqa: E402, F401
