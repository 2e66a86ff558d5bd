"""PostgreSQL as a deployment (#34 item 1): connection settings, and statistics gathered
after the CLI's bulk loads so the first users are not planned against empty tables."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.core.db import postgres_engine_options
from app.extensions import db

POSTGRES = "postgresql+psycopg://fls@db.example/fls"
DEFAULTS = {
    "DATABASE_POOL_SIZE": 5,
    "DATABASE_MAX_OVERFLOW": 5,
    "DATABASE_STATEMENT_TIMEOUT_MS": 0,
    "DATABASE_JIT": False,
}


def test_postgres_connections_open_with_jit_off_and_the_pool_asked_for() -> None:
    options = postgres_engine_options({**DEFAULTS, "SQLALCHEMY_DATABASE_URI": POSTGRES})
    assert options == {
        "pool_size": 5,
        "max_overflow": 5,
        "connect_args": {"options": "-c jit=off"},
    }


def test_a_statement_timeout_is_set_when_asked_and_jit_left_to_the_server_when_on() -> None:
    config = {
        **DEFAULTS,
        "SQLALCHEMY_DATABASE_URI": POSTGRES,
        "DATABASE_STATEMENT_TIMEOUT_MS": 30000,
        "DATABASE_JIT": True,
        "DATABASE_POOL_SIZE": 10,
    }
    options = postgres_engine_options(config)
    assert options["connect_args"] == {"options": "-c statement_timeout=30000"}
    assert options["pool_size"] == 10


def test_sqlite_gets_no_postgres_settings() -> None:
    assert postgres_engine_options({**DEFAULTS, "SQLALCHEMY_DATABASE_URI": "sqlite://"}) == {}


def _on_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _analyze_count(table: str) -> int:
    db.session.execute(text("SELECT pg_stat_clear_snapshot()"))
    return db.session.scalar(
        text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = :t"), {"t": table}
    )


def test_the_app_s_own_connections_run_without_jit(app) -> None:  # noqa: ANN001
    if not _on_postgres():
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    assert db.session.scalar(text("SHOW jit")) == "off"


def test_seed_bench_and_flask_analyze_gather_statistics(app) -> None:  # noqa: ANN001
    if not _on_postgres():
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    before = _analyze_count("tasks")
    result = app.test_cli_runner().invoke(args=["seed-bench", "--sites", "1", "--tasks", "5"])
    assert result.exit_code == 0, result.output
    after_seed = _analyze_count("tasks")
    assert after_seed == before + 1
    result = app.test_cli_runner().invoke(args=["analyze"])
    assert result.exit_code == 0 and "Statistics gathered" in result.output
    assert _analyze_count("tasks") == after_seed + 1


def test_flask_analyze_on_sqlite_says_there_is_nothing_to_do(app) -> None:  # noqa: ANN001
    if _on_postgres():
        pytest.skip("SQLite only")
    result = app.test_cli_runner().invoke(args=["analyze"])
    assert result.exit_code == 0 and "nothing done" in result.output
