"""Every route × every kind of person has an expected status; a new route needs a row.

Ids in URLs come from `sample_ids` (objects that exist in the site under test); a
parameter without a sample gets an id that exists nowhere, so the site guard is still
exercised before the view's own 404.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import make_app
from tests.web.access_rules import ALLOWED, LOGIN, ROLES, RULES

METHODS = ("GET", "POST")
SKIP_ENDPOINTS = {"static"}


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS:
            continue
        for method in METHODS:
            if method in rule.methods:
                routes.append((rule.endpoint, method, rule.rule))
    return routes


def test_every_route_has_a_rule() -> None:
    app = make_app()
    missing = [(e, m) for e, m, _ in _routes(app) if (e, m) not in RULES]
    stale = [key for key in RULES if key not in {(e, m) for e, m, _ in _routes(app)}]
    assert not missing, f"Routes without an access rule in tests/web/access_rules.py: {missing}"
    assert not stale, f"Access rules for routes that no longer exist: {stale}"


def _url(rule: str, ids: dict[str, int]) -> str:
    url = rule
    for name, value in ids.items():
        url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    while "<" in url:  # any parameter without a sample: an id that exists nowhere
        start, end = url.index("<"), url.index(">")
        url = url[:start] + "987654" + url[end + 1 :]
    return url


def _sign_in_fast(client, person) -> None:  # noqa: ANN001
    """Put the person straight into the session; the login form itself is tested elsewhere."""
    from app.accounts.sessions import SESSION_KEY, new_record
    from app.extensions import db

    with client.session_transaction() as session:
        session.clear()
        if person is not None:
            db.session.refresh(person)
            person.active = True
            db.session.commit()
            session["_user_id"] = person.get_id()
            session[SESSION_KEY] = new_record(person, "password", "", second_factor=True)
            db.session.commit()
            session["_fresh"] = True


def check_status(status: int, location: str, expected, who: str, what: str) -> None:
    if expected == ALLOWED:
        assert status not in (401, 403, 500), f"{who} {what}: got {status}"
        assert not (status == 302 and "/login" in location), f"{who} {what}: sent to sign in"
    elif expected == LOGIN:
        assert status == 302 and "/login" in location, f"{who} {what}: got {status} {location}"
    else:
        assert status == expected, f"{who} {what}: expected {expected}, got {status}"


@pytest.mark.app_config(WTF_CSRF_ENABLED=False)
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, app, site_world, sample_ids) -> None:
    client = app.test_client()
    person = None if role == "anonymous" else site_world[role]
    ids = {"site_id": site_world["site"].id, **sample_ids(site_world)}
    for endpoint, method, rule in _routes(app):
        _sign_in_fast(client, person)  # again per route: logout and deactivate end sessions
        url = _url(rule, ids)
        response = client.open(url, method=method, data={})
        check_status(
            response.status_code,
            response.headers.get("Location", ""),
            RULES[(endpoint, method)][role],
            role,
            f"{method} {url} ({endpoint})",
        )
