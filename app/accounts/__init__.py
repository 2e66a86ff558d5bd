from flask import Blueprint

bp = Blueprint("accounts", __name__, cli_group=None)

from app.accounts import (  # noqa: E402, F401
    account_views,
    cli,
    invitation_views,
    reset_views,
    sso_views,
    two_factor_views,
    views,
)
