"""KPIs: the FLS-DB indicators per period, run charts, targets and the national picture."""

from flask import Blueprint

bp = Blueprint("kpis", __name__)

from app.kpis import views  # noqa: E402, F401
