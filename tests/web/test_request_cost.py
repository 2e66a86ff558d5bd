"""The fixed cost every request pays (#34 item 5): a health probe from a signed-in browser
runs its one statement and no more."""

from __future__ import annotations

from app.extensions import db
from tests.conftest import sign_in


def test_a_health_probe_runs_one_statement_even_when_signed_in(
    app, make_user, count_queries
) -> None:  # noqa: ANN001
    client = app.test_client()
    sign_in(client, make_user())
    client.get("/healthz")
    db.session.expunge_all()  # as in production: the request starts with an empty session
    with count_queries() as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"
    # Was 2: the signed-in user was loaded to check their password was their own.
    assert len(queries.statements) == 1, queries.statements


def test_someone_who_must_change_their_password_is_still_sent_to_do_so(app, make_user) -> None:  # noqa: ANN001
    user = make_user()
    client = app.test_client()
    sign_in(client, user)
    user.must_change_password = True
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and "/account/password" in response.location
