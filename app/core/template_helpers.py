"""Filters and globals every template may use."""

from flask import Flask, g
from flask_login import current_user

from app.core import access, dates


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        uk_date=dates.uk_date,
        uk_datetime=dates.uk_datetime,
        uk_time=dates.uk_time,
        thousands=lambda n: "" if n is None else f"{n:,}",
    )
    app.jinja_env.globals.update(can=access.can, is_sponsor=access.is_sponsor, today=dates.today)

    @app.context_processor
    def common_context() -> dict:
        return {
            "site": getattr(g, "site", None),
            "site_role": getattr(g, "site_role", None),
            "user": current_user,
        }
