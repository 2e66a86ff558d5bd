"""FLS Tracker: plan, run and report a Fracture Liaison Service rollout."""

from __future__ import annotations

import logging

from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

from app.extensions import csrf, db, htmx, login_manager, migrate
from config import BASE_DIR, INSTANCE_DIR, Config, config_from_env


def create_app(config: Config | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    from app.core.numbers import BoundedIntConverter

    # Before any route is added: a URL id too big for the database is a 404, not a 500.
    app.url_map.converters["int"] = BoundedIntConverter
    app.config.from_object(config or config_from_env())
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set outside development and tests.")
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))

    _init_extensions(app)
    _init_templates(app)
    _register_blueprints(app)
    from app.core.security import register_security
    from app.sites.guard import register_guard

    register_security(app)  # before the guard, so a timed-out session is signed out first
    register_guard(app)  # the one place access is decided (app/sites/guard.py)

    from app.core.errors import register_error_handlers
    from app.demo import register_demo_commands
    from app.notifications.cli import register_mail_commands
    from app.toolkit import get_toolkit

    register_error_handlers(app)
    register_demo_commands(app)
    register_mail_commands(app)
    get_toolkit()  # validates the toolkit's data at start-up: a broken file stops the app
    return app


def _init_extensions(app: Flask) -> None:
    from app.core.db import postgres_engine_options

    # The deployment's PostgreSQL settings, under any engine options set in the config
    # (a test's own search_path, say): libpq `options` from both are kept.
    configured = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    settings = postgres_engine_options(app.config)
    libpq = " ".join(
        options.get("connect_args", {}).get("options", "") for options in (settings, configured)
    ).strip()
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**settings, **configured}
    if libpq:
        connect_args = {**settings.get("connect_args", {}), **configured.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] = connect_args | {"options": libpq}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to continue."
    # Information, not a success: _flashes.html shows "info" without the green "Done".
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from app.accounts.feeds import user_from_feed_token
    from app.accounts.sessions import load_session_user, register_session_records
    from app.core.db import configure_sqlite

    login_manager.user_loader(load_session_user)
    login_manager.request_loader(user_from_feed_token)
    register_session_records(app)
    with app.app_context():
        configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _init_templates(app: Flask) -> None:
    # The nhsuk macros rely on chainable undefined; tests make a missing variable in our own
    # templates an error instead (see StrictForOurTemplates).
    if app.config.get("JINJA_STRICT_UNDEFINED"):
        from app.core.template_helpers import StrictForOurTemplates

        app.jinja_env.undefined = StrictForOurTemplates
    else:
        app.jinja_env.undefined = ChainableUndefined
    # The nhsuk macros are .jinja files, which Flask would not escape by default.
    app.jinja_env.autoescape = True
    from app.core import tags, template_helpers

    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader(str(BASE_DIR / "templates")), PackageLoader("nhsuk_frontend_jinja")]
    )
    from app.sites.nav import register_nav

    template_helpers.register(app)
    tags.register(app)
    register_nav(app)


def _register_blueprints(app: Flask) -> None:
    from app.blueprints import register_features, top_level_blueprints
    from app.core.registry import EXTENSION_KEY, Registry

    for blueprint in top_level_blueprints():
        app.register_blueprint(blueprint)
    registry = Registry()
    register_features(registry)
    app.extensions[EXTENSION_KEY] = registry
