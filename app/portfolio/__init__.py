"""The cross-site view for the charity's service-delivery staff (support and admin users).

Reads every feature's data for many sites at once, in a fixed number of queries; the only
thing it writes is who follows which site ("sites I support").
"""

from flask import Blueprint

bp = Blueprint("portfolio", __name__)

from app.portfolio import views  # noqa: E402, F401
