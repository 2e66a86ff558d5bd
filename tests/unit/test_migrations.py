"""The migrations build exactly the schema the models describe."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine

from app.extensions import db
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
