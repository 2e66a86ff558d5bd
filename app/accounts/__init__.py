from flask import Blueprint

bp = Blueprint("accounts", __name__, cli_group=None)

from app.accounts import cli, invitation_views, reset_views, views  # noqa: E402, F401
