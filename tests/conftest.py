"""Shared fixtures: an app and a fresh database per test, users, sites and sign-in helpers.

Features keep their own factories in tests/fixtures/<feature>.py; every module there is
loaded as a pytest plugin, so its fixtures are available to all tests.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

os.environ.setdefault("FLS_ENV", "test")

from app import create_app  # noqa: E402
from app.accounts.models import User  # noqa: E402
from app.accounts.service import create_user  # noqa: E402
from app.extensions import db  # noqa: E402
from app.sites.models import Membership, Site  # noqa: E402
from app.sites.service import SiteDetails, create_site  # noqa: E402
from config import TestConfig  # noqa: E402
from tests.database_guard import claim, refusal_reason  # noqa: E402

pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}"
    for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if not path.name.startswith("_")
)

PASSWORD = "correct horse battery"
_schema_ready: set[int] = set()


def _reset_database(app: Flask) -> None:
    """Create the schema once per engine, then empty every table: each test starts fresh.

    Only in a database the suite made (tests/database_guard.py): anything else stops the run.
    """
    if id(db.engine) not in _schema_ready:
        reason = refusal_reason(db.engine)
        if reason:
            pytest.exit(reason, returncode=4)
        claim(db.engine)
        db.drop_all()
        db.create_all()
        _schema_ready.add(id(db.engine))
        return
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                connection.execute(table.delete())


def make_app(**overrides) -> Flask:
    config = TestConfig()
    for key, value in overrides.items():
        setattr(config, key, value)
    return create_app(config)


class IsolatedClient(FlaskClient):
    """A test client whose requests start with an empty `g`.

    Tests keep an app context open (for factories and queries), and Flask reuses it for each
    request, so without this a signed-in user or CSRF token cached in `g` would leak from
    one request, or one client, to the next.
    """

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        from flask import g

        with contextlib.suppress(RuntimeError):  # no app context open: nothing to leak
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def shared_app() -> Iterator[Flask]:
    """One app for the whole run: building one (and compiling its templates) takes a second."""
    app = make_app()
    app.test_client_class = IsolatedClient
    yield app
    with app.app_context():  # close pooled connections before the interpreter does
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(shared_app: Flask, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """`@pytest.mark.app_config(KEY=value)` on a test overrides settings for that test."""
    marker = request.node.get_closest_marker("app_config")
    overrides = marker.kwargs if marker else {}
    saved = {key: shared_app.config.get(key) for key in overrides}
    shared_app.config.update(overrides)
    with shared_app.app_context():
        _reset_database(shared_app)
        yield shared_app
        db.session.remove()
    shared_app.config.update(saved)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def _make(
        name: str | None = None, email: str | None = None, global_role: str | None = None
    ) -> User:
        number = next(counter)
        user = create_user(
            email or f"user{number}@example.nhs.uk",
            name or f"Test User {number}",
            PASSWORD,
            global_role,
        )
        db.session.commit()
        return user

    return _make


@pytest.fixture
def make_site(app: Flask) -> Callable[..., Site]:
    counter = iter(range(1, 10_000))

    def _make(**details) -> Site:
        number = next(counter)
        details.setdefault("name", f"Test FLS {number}")
        details.setdefault("organisation", f"Test NHS Trust {number}")
        site = create_site(SiteDetails(**details))
        db.session.commit()
        return site

    return _make


@pytest.fixture
def add_member(app: Flask) -> Callable[..., Membership]:
    def _add(site: Site, user: User, role: str = "editor", sponsor: bool = False) -> Membership:
        membership = Membership(site_id=site.id, user_id=user.id, role=role, is_sponsor=sponsor)
        db.session.add(membership)
        db.session.commit()
        return membership

    return _add


def sign_in(client: FlaskClient, user: User | None) -> None:
    """Sign in through the real login form (CSRF is on, so read the token first)."""
    sign_out(client)
    if user is None:
        return
    response = client.post(
        "/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def sign_out(client: FlaskClient) -> None:
    page = client.get("/logout")
    if page.status_code == 200:  # signed in: the page offers the sign-out button
        client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})


def csrf_token(client: FlaskClient, path: str) -> str:
    import re

    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User | None], FlaskClient]:
    def _login(user: User | None) -> FlaskClient:
        sign_in(client, user)
        return client

    return _login


@pytest.fixture
def site_world(make_user, make_site, add_member) -> dict:
    """A site with one member of each role, a sponsor who is an editor and one who is a
    viewer, an outsider on another site, support and admin."""
    site = make_site(name="Riverside FLS")
    other = make_site(name="Elsewhere FLS")
    world = {"site": site, "other_site": other}
    for role in ("viewer", "editor", "manager"):
        user = make_user(name=f"{role.title()} Person")
        add_member(site, user, role)
        world[role] = user
    sponsor = make_user(name="Sponsor Person")
    add_member(site, sponsor, "editor", sponsor=True)
    world["sponsor"] = sponsor
    # An executive sponsor who only reads (role viewer) but takes the sponsor's decisions.
    viewer_sponsor = make_user(name="Viewer Sponsor Person")
    add_member(site, viewer_sponsor, "viewer", sponsor=True)
    world["viewer_sponsor"] = viewer_sponsor
    outsider = make_user(name="Outsider Person")
    add_member(other, outsider, "manager")
    world["outsider"] = outsider
    world["support"] = make_user(name="Support Person", global_role="support")
    world["admin"] = make_user(name="Admin Person", global_role="admin")
    return world


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Callable:
    """`with count_queries() as queries: ...`, then `len(queries)` is the SQL statement count."""

    @contextmanager
    def _count() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def _before(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
            counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", _before)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", _before)

    return _count
