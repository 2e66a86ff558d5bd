"""The suite refuses a database it did not create (it would empty every table)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from config import TestConfig
from tests.database_guard import MARKER_TABLE, claim, refusal_reason

ROOT = Path(__file__).resolve().parents[2]


def _engine(tmp_path: Path, *statements: str):  # noqa: ANN202
    engine = create_engine(f"sqlite:///{tmp_path / 'some.sqlite'}")
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    return engine


def test_a_database_with_someone_elses_rows_is_refused(tmp_path: Path) -> None:
    engine = _engine(
        tmp_path, "CREATE TABLE users (id INTEGER)", "INSERT INTO users (id) VALUES (1)"
    )
    reason = refusal_reason(engine)
    assert reason is not None
    assert "holds data the test suite did not put there" in reason
    assert "users" in reason and "TEST_DATABASE_URL" in reason


def test_an_empty_or_claimed_database_is_used(tmp_path: Path) -> None:
    engine = _engine(tmp_path, "CREATE TABLE users (id INTEGER)")
    assert refusal_reason(engine) is None  # empty tables: nothing to lose
    claim(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO users (id) VALUES (1)"))
        assert connection.scalar(text(f"SELECT count(*) FROM {MARKER_TABLE}")) == 1
    assert refusal_reason(engine) is None  # the suite's own leftovers from an earlier run


def test_the_tests_ignore_database_url() -> None:
    """DATABASE_URL names a deployment: the test settings never read it."""
    env = {**os.environ, "DATABASE_URL": "postgresql://live.example/fls", "FLS_ENV": "test"}
    env.pop("TEST_DATABASE_URL", None)
    code = "from config import TestConfig; print(TestConfig.SQLALCHEMY_DATABASE_URI)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "sqlite://"
    assert TestConfig.SQLALCHEMY_DATABASE_URI.startswith(("sqlite", "postgresql"))


def test_the_suite_stops_before_touching_a_refused_database(tmp_path: Path) -> None:
    """The whole run stops with the reason, and the data is still there."""
    engine = _engine(
        tmp_path, "CREATE TABLE users (id INTEGER)", "INSERT INTO users (id) VALUES (1)"
    )
    env = {**os.environ, "TEST_DATABASE_URL": str(engine.url), "FLS_ENV": "test"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "tests/web/test_sites.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 4, result.stdout + result.stderr
    assert "holds data the test suite did not put there" in result.stdout + result.stderr
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM users")) == 1
    engine.dispose()
