"""Sites: one FLS project each. `site_bp` is the parent of every per-site blueprint."""

from flask import Blueprint

# Everything under /sites/<id>/ is registered on site_bp, whose guard checks access first.
site_bp = Blueprint("sites", __name__, url_prefix="/sites/<int:site_id>")
bp = Blueprint("site_admin", __name__, cli_group=None)

from app.sites import cli, views  # noqa: E402, F401
