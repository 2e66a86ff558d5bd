"""The command-line contract: create-user, add-member, seed-demo, backup."""

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.sites.models import Membership, Site


def test_create_user_reads_the_password_from_stdin(app) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "Lead@Example.nhs.uk", "--name", "Lead Nurse", "--role", "support"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "lead@example.nhs.uk"))
    assert user.name == "Lead Nurse" and user.global_role == "support"


def test_create_user_with_an_existing_email_fails_clearly(app, make_user) -> None:
    existing = make_user(email="taken@example.nhs.uk")
    result = app.test_cli_runner().invoke(
        args=["create-user", existing.email, "--name", "Someone"], input="another password\n"
    )
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_add_member_gives_a_role_and_sponsor_flag(app, make_user, make_site) -> None:
    user, site = make_user(), make_site()
    result = app.test_cli_runner().invoke(
        args=["add-member", str(site.id), user.email, "--role", "editor", "--sponsor"]
    )
    assert result.exit_code == 0, result.output
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert (membership.role, membership.is_sponsor) == ("editor", True)
    unknown = app.test_cli_runner().invoke(
        args=["add-member", "999", user.email, "--role", "viewer"]
    )
    assert unknown.exit_code == 1 and "no site with id 999" in unknown.output


def test_seed_demo_loads_once_and_prints_logins(app) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@example.nhs.uk" in first.output and "fls-demo-2026" in first.output
    sites = db.session.scalar(select(func.count(Site.id)))
    assert sites >= 4
    statuses = set(db.session.scalars(select(Site.service_status)))
    assert statuses == {"new", "developing", "improving"}
    assert db.session.scalar(select(func.count(User.id))) >= 6
    second = runner.invoke(args=["seed-demo"])
    assert "already has users" in second.output
    assert db.session.scalar(select(func.count(Site.id))) == sites


def test_backup_makes_a_consistent_copy(tmp_path) -> None:
    from app.demo import backup_sqlite

    live = tmp_path / "live.sqlite"
    connection = sqlite3.connect(live)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE t (x)")
    connection.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(100)])
    connection.commit()
    target = tmp_path / "copies" / "backup.sqlite"
    backup_sqlite(str(live), target)  # while `connection` is still open
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM t").fetchone() == (100,)
    copy.close()
    connection.close()


def test_backup_command_refuses_in_memory_databases(app) -> None:
    result = app.test_cli_runner().invoke(args=["backup", "/tmp/never.sqlite"])
    if db.engine.dialect.name == "sqlite":
        assert result.exit_code == 1 and "in-memory" in result.output
    else:
        assert result.exit_code == 1 and "pg_dump" in result.output


def test_make_run_sets_base_url_to_the_address_it_serves() -> None:
    """Mail written by `make run` (the demo's, the first reminders) links to the port it
    serves, not always 5000 (#32 item 8)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    plan = subprocess.run(
        ["make", "--no-print-directory", "-pn", "run", "PORT=8123"],
        cwd=root, capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout  # fmt: skip
    assert "run: BASE_URL := http://127.0.0.1:8123" in plan
    assert "--port 8123" in plan
