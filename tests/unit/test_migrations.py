"""The migrations build exactly the schema the models describe, triggers included.

Each database the suite runs on is checked: SQLite (a file of its own) when
TEST_DATABASE_URL is unset, PostgreSQL when it names one. On PostgreSQL the migrations run in
a schema of their own (`migration_check`, dropped before and after), so they never touch the
tables the rest of the suite uses.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from types import ModuleType

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import Connection, create_engine, inspect, select, text

from app.extensions import db
from tests.conftest import make_app

TEST_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRESQL = TEST_URL.startswith("postgresql")
SCHEMA = "migration_check"


@contextmanager
def _migrated_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database of its own, for the migrations to fill."""
    if not ON_POSTGRESQL:
        yield make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'migrated.sqlite'}")
        return
    admin = create_engine(TEST_URL)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    options = {"connect_args": {"options": f"-csearch_path={SCHEMA}"}, "pool_pre_ping": True}
    try:
        yield make_app(SQLALCHEMY_DATABASE_URI=TEST_URL, SQLALCHEMY_ENGINE_OPTIONS=options)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()


def _triggers(connection: Connection) -> list[tuple[str, str]]:
    """Every trigger (and on PostgreSQL, its function) as the database holds it."""
    if connection.dialect.name == "sqlite":
        rows = connection.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        )
    else:
        rows = connection.execute(
            text(
                "SELECT t.tgname, pg_get_triggerdef(t.oid) || ' ' || p.prosrc"
                " FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
                " JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
                " ORDER BY t.tgname"
            )
        )
    return [tuple(row) for row in rows]


def test_upgrading_an_empty_database_gives_the_models_schema_and_triggers(tmp_path) -> None:
    with _migrated_app(tmp_path) as app, app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
            migrated_triggers = _triggers(connection)
        # The same database made from the models (as the tests and the benchmark make it).
        db.session.remove()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
        db.drop_all()
        db.create_all()
        with db.engine.connect() as connection:
            model_triggers = _triggers(connection)
        db.session.remove()
        db.engine.dispose()
    assert differences == [], "models changed without a migration: flask db migrate -m '...'"
    assert migrated_triggers == model_triggers
    assert len(model_triggers) == (13 if not ON_POSTGRESQL else 12)


def test_sites_made_before_the_kept_task_counts_get_theirs(tmp_path) -> None:
    """Migration 0022 gives existing sites their row and installs the triggers; after 0024 a
    rename no longer makes the site count again, a status change still does."""
    with _migrated_app(tmp_path) as app, app.app_context():
        upgrade(revision="0021")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO sites (id, name, organisation, nation, region, commissioner,"
                " service_status, description, agenda_notice_days, version, created_at,"
                " updated_at) VALUES (7, 'Older', 'Trust', 'England', '', '', 'new', '', 5, 1,"
                " '2026-01-01', '2026-01-01')"
            )
        upgrade(revision="0023")

        # Plain SQL: the models (and their history rows) are today's, the schema is 0023's.
        def run(sql: str) -> None:
            with db.engine.begin() as connection:
                connection.exec_driver_sql(sql)

        run(
            "INSERT INTO tasks (id, site_id, phase, position, title, guidance, status, essential,"
            " milestone, reported_rag_reason, notes, version, created_at, updated_at) VALUES"
            " (1, 7, 1, 1, 'Older task', '', 'not_started', FALSE, FALSE, '', '', 1,"
            " '2026-01-01', '2026-01-01')"
        )
        run("UPDATE tasks SET title = 'Renamed before 0024'")  # 0022's triggers: any column
        upgrade()
        run("UPDATE tasks SET title = 'Renamed after 0024'")  # today's: only what is counted
        run("UPDATE tasks SET status = 'in_progress'")
        with db.engine.begin() as connection:
            kept = connection.exec_driver_sql(
                "SELECT site_id, tasks_version, counted_version FROM site_task_counts"
            ).all()
        db.session.remove()
        db.engine.dispose()
    assert kept == [(7, 3, None)]


def test_sites_with_history_before_0045_get_their_last_change_kept(tmp_path) -> None:
    """Migration 0045 takes each existing site's last change from its history (changes only,
    not sign-ins), and from then on the triggers keep it; downgrading drops it again."""
    with _migrated_app(tmp_path) as app, app.app_context():
        upgrade(revision="0044")

        def run(sql: str) -> list:
            with db.engine.begin() as connection:
                result = connection.exec_driver_sql(sql)
                return result.all() if result.returns_rows else []

        run(
            "INSERT INTO sites (id, name, organisation, nation, region, commissioner,"
            " service_status, description, agenda_notice_days, version, created_at,"
            " updated_at) VALUES (7, 'Older', 'Trust', 'England', '', '', 'new', '', 5, 1,"
            " '2026-01-01', '2026-01-01')"
        )
        history = "INSERT INTO audit_events (at, site_id, action, object_type, label) VALUES "
        run(history + "('2026-03-01 09:00:00', 7, 'update', 'task', 'A task')")
        run(history + "('2026-04-01 09:00:00', 7, 'login', 'user', 'Signed in')")
        upgrade(revision="0045")
        kept = run("SELECT site_id, last_change_at FROM site_task_counts")
        run(history + "('2026-05-01 09:00:00', 7, 'create', 'risk', 'A risk')")
        moved_on = run("SELECT last_change_at FROM site_task_counts")
        downgrade(revision="0044")
        columns = [c["name"] for c in inspect(db.engine).get_columns("site_task_counts")]
        db.session.remove()
        db.engine.dispose()
    assert [(site, str(at)[:16]) for site, at in kept] == [(7, "2026-03-01 09:00")]
    assert str(moved_on[0][0])[:16] == "2026-05-01 09:00"
    assert "last_change_at" not in columns


def test_sites_with_a_case_before_0046_get_their_share_on_the_first_view(tmp_path) -> None:
    """0046 adds the kept delivery share empty and out of date (taken by the first portfolio
    view or the daily job, through the delivery feature's one rule), installs the triggers
    that mark it, and downgrading drops them and the columns again."""
    from datetime import date

    from app.delivery.facts import DeliveryShare
    from app.kpis.periods import current_period
    from app.portfolio import delivery_shares

    today = date(2026, 6, 15)
    quarter = current_period("quarter", today).start  # 2026-04-01
    with _migrated_app(tmp_path) as app, app.app_context():
        upgrade(revision="0045")

        def run(sql: str) -> list:
            with db.engine.begin() as connection:
                result = connection.exec_driver_sql(sql)
                return result.all() if result.returns_rows else []

        run(
            "INSERT INTO sites (id, name, organisation, nation, region, commissioner,"
            " service_status, description, agenda_notice_days, version, created_at,"
            " updated_at) VALUES (7, 'Promised', 'Trust', 'England', '', '', 'new', '', 5, 1,"
            " '2026-01-01', '2026-01-01')"
        )
        run(
            "INSERT INTO delivery_promises (site_id, version, agreed_on, measure, kpi_number,"
            " period, starts_on, patients, created_at) VALUES (7, 1, '2026-01-01', 'identified',"
            " 2, 'steady', '2026-01-01', 100, '2026-01-01')"
        )
        values = (
            "INSERT INTO kpi_values (site_id, kpi_number, period_kind, period_start, numerator,"
            " denominator, version, created_at, updated_at) VALUES "
        )
        run(values + f"(7, 2, 'quarter', '{quarter}', 80, 160, 1, '2026-01-01', '2026-01-01')")
        upgrade(revision="0046")
        before = run("SELECT delivery_version, delivery_counted_version FROM site_task_counts")
        taken = delivery_shares.recompute_out_of_date(today)
        kept = run(
            "SELECT delivery_found, delivery_found_promised, delivery_treated,"
            " delivery_treated_promised FROM site_task_counts"
        )
        run(values + "(7, 2, 'quarter', '2026-01-01', 10, 20, 1, '2026-01-01', '2026-01-01')")
        marked = run("SELECT delivery_version FROM site_task_counts")
        downgrade(revision="0045")
        columns = [c["name"] for c in inspect(db.engine).get_columns("site_task_counts")]
        run(values + "(7, 2, 'quarter', '2025-10-01', 10, 20, 1, '2026-01-01', '2026-01-01')")
        db.session.remove()
        db.engine.dispose()
    assert before == [(0, None)] and taken == 1
    assert DeliveryShare(*kept[0]) == DeliveryShare(80, 100, 0, 0)
    assert marked == [(1,)]
    assert not [name for name in columns if name.startswith("delivery_")]


def _migration(revision: str) -> ModuleType:
    """A migration module, loaded from its file as Alembic loads it."""
    folder = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    path = next(folder.glob(f"{revision}_*.py"))
    spec = importlib.util.spec_from_file_location(f"migration_{revision}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_frozen_people_merge_of_0012_plans_and_applies_what_the_app_does(site_world) -> None:
    """0012 carries its own copy of the merge (a migration imports nothing from app): on
    today's schema it plans the same as `app.people.merge` and merges the duplicates."""
    from app.people.merge import plan_merge
    from app.people.models import Person
    from tests.unit.test_people_merge import _world

    site, manager = site_world["site"], site_world["manager"]
    world = _world(site, manager)
    linked, first, second = (world[key].id for key in ("linked", "first", "second"))
    frozen = _migration("0012")
    connection = db.session.connection()
    planned = frozen.plan_merge(connection)
    assert asdict(planned) == asdict(plan_merge(connection))
    assert [set(m.duplicate_ids) for m in planned.merges] == [{first, second}]
    frozen.apply_merge(connection, planned)
    db.session.commit()
    mine = db.session.scalars(
        select(Person.id).where(Person.site_id == site.id, Person.user_id == manager.id)
    ).all()
    assert mine == [linked]
    assert db.session.get(Person, first) is None


def test_two_factor_secrets_set_up_before_0041_are_sealed_in_place(tmp_path) -> None:
    """Nobody sets their authenticator up again: 0041 seals the plain secret it finds, the
    app reads it back with its key, and a downgrade gives the plain secret back."""
    from app.accounts import sealed

    with _migrated_app(tmp_path) as app, app.app_context():
        upgrade(revision="0039")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO users (id, email, name, password_hash, active, session_version,"
                " created_at, must_change_password, totp_secret, version) VALUES"
                " (5, 'two@example.nhs.uk', 'Two Factor', 'x', TRUE, 1, '2026-01-01', FALSE,"
                " 'JBSWY3DPEHPK3PXP', 1)"
            )
        upgrade()
        with db.engine.begin() as connection:
            columns = connection.exec_driver_sql("SELECT * FROM users").keys()
            stored = connection.exec_driver_sql(
                "SELECT totp_secret_sealed FROM users WHERE id = 5"
            ).scalar_one()
        unsealed = sealed.unseal(stored)
        downgrade(revision="0040")  # and back: the plain secret again, for an older release
        with db.engine.begin() as connection:
            restored = connection.exec_driver_sql(
                "SELECT totp_secret FROM users WHERE id = 5"
            ).scalar_one()
        db.session.remove()
        db.engine.dispose()
    assert "totp_secret" not in columns
    assert "JBSWY3DP" not in stored and unsealed == "JBSWY3DPEHPK3PXP"
    assert restored == "JBSWY3DPEHPK3PXP"
