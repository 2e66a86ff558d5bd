"""The migrations build exactly the schema the models describe."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine

from app.extensions import db
from app.plan.models import Task
from tests.conftest import make_app


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="checked once, on SQLite")
def test_migrations_match_the_models(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        engine = create_engine(url)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        engine.dispose()
        db.engine.dispose()
    assert differences == [], "models changed without a migration: flask db migrate -m '...'"


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="checked once, on SQLite")
def test_sites_made_before_the_kept_task_counts_get_theirs(tmp_path) -> None:
    """Migration 0022 gives existing sites their row and installs the triggers."""
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="0021")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO sites (id, name, organisation, nation, region, commissioner,"
                " service_status, description, agenda_notice_days, version, created_at,"
                " updated_at) VALUES (7, 'Older', 'Trust', 'England', '', '', 'new', '', 5, 1,"
                " '2026-01-01', '2026-01-01')"
            )
        upgrade()
        db.session.add(Task(site_id=7, phase=1, title="Older task", status="not_started"))
        db.session.commit()
        with db.engine.begin() as connection:
            kept = connection.exec_driver_sql(
                "SELECT site_id, tasks_version, counted_version FROM site_task_counts"
            ).all()
        db.engine.dispose()
    assert kept == [(7, 1, None)]
