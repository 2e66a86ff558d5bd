"""The account page: how you sign in and where; ending sessions; administrators' actions."""

import re

from app.accounts import sealed
from app.accounts.models import User, UserSession
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, sign_in
from tests.fixtures.notifications import outbox

EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _client(app, agent: str):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    return client


def test_the_page_lists_each_browser_signed_in(app, make_user) -> None:
    user = make_user()
    laptop, phone = _client(app, EDGE), _client(app, IPHONE)
    sign_in(laptop, user)
    sign_in(phone, user)
    page = laptop.get("/account").get_data(as_text=True)
    assert "Edge on Windows" in page and "Safari on iPhone" in page
    assert page.count("This browser") == 1
    assert "Two-factor sign-in" in page and "Not linked" in page


def test_ending_another_session_signs_that_browser_out(app, make_user) -> None:
    user = make_user()
    laptop, phone = _client(app, EDGE), _client(app, IPHONE)
    sign_in(laptop, user)
    sign_in(phone, user)
    page = laptop.get("/account").get_data(as_text=True)
    (session_id,) = re.findall(r'action="/account/sessions/(\d+)/end"', page)
    response = laptop.post(
        f"/account/sessions/{session_id}/end", data={"csrf_token": csrf_token(laptop, "/account")}
    )
    assert response.status_code == 302
    assert phone.get("/").status_code == 302  # signed out
    assert laptop.get("/").status_code == 200  # still in


def test_nobody_ends_someone_elses_session(app, make_user) -> None:
    mine, theirs = make_user(), make_user()
    me, them = app.test_client(), app.test_client()
    sign_in(me, mine)
    sign_in(them, theirs)
    their_session = db.session.query(UserSession).filter_by(user_id=theirs.id).one()
    me.post(
        f"/account/sessions/{their_session.id}/end",
        data={"csrf_token": csrf_token(me, "/account")},
    )
    assert them.get("/").status_code == 200


def test_sign_out_everywhere_else(app, make_user) -> None:
    user = make_user()
    clients = [app.test_client() for _ in range(3)]
    for client in clients:
        sign_in(client, user)
    response = clients[0].post(
        "/account/sessions/end-others", data={"csrf_token": csrf_token(clients[0], "/account")}
    )
    assert "Signed out 2 other sessions" in clients[0].get("/account").get_data(as_text=True)
    assert response.status_code == 302
    assert [client.get("/").status_code for client in clients] == [200, 302, 302]


def test_signing_out_ends_only_this_browser(app, make_user) -> None:
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user)
    laptop.post("/logout", data={"csrf_token": csrf_token(laptop, "/logout")})
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 200


def test_administrators_see_sign_in_method_and_two_factor(client, site_world) -> None:
    sign_in(client, site_world["admin"])
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Signs in with" in page and "Two-factor" in page
    assert "Require password reset" in page


def test_an_administrator_requires_a_reset(app, site_world) -> None:
    admin, editor_browser = app.test_client(), app.test_client()
    editor = site_world["editor"]
    sign_in(editor_browser, editor)
    sign_in(admin, site_world["admin"])
    response = admin.post(
        f"/admin/users/{editor.id}/require-reset",
        data={"csrf_token": csrf_token(admin, "/admin/users")},
    )
    assert response.status_code == 302
    assert editor_browser.get("/").status_code == 302  # signed out
    refused = editor_browser.post(
        "/login",
        data={
            "email": editor.email,
            "password": PASSWORD,
            "csrf_token": csrf_token(editor_browser, "/login"),
        },
    )
    assert refused.status_code == 200  # the old password no longer works
    assert len(outbox(kind="password_reset", to_address=editor.email)) == 1
    assert outbox(kind="password_changed") == []


def test_an_administrator_clears_a_lost_second_factor(client, site_world) -> None:
    viewer = db.session.get(User, site_world["viewer"].id)
    viewer.totp_secret_sealed = sealed.seal("JBSWY3DPEHPK3PXP")
    db.session.commit()
    sign_in(client, site_world["admin"])
    client.post(
        f"/admin/users/{viewer.id}/reset-two-factor",
        data={"csrf_token": csrf_token(client, "/admin/users")},
    )
    assert db.session.get(User, viewer.id).totp_secret_sealed is None


def test_last_seen_moves_on_every_few_minutes(client, make_user, time_machine) -> None:
    from datetime import datetime

    time_machine.move_to("2026-12-01 09:00:00+00:00", tick=False)
    user = make_user()
    sign_in(client, user)
    time_machine.move_to("2026-12-01 09:02:00+00:00", tick=False)
    client.get("/")
    record = db.session.query(UserSession).filter_by(user_id=user.id).one()
    db.session.refresh(record)
    assert record.last_seen_at == datetime(2026, 12, 1, 9, 0)
    time_machine.move_to("2026-12-01 09:07:00+00:00", tick=False)
    client.get("/")
    db.session.refresh(record)
    assert record.last_seen_at == datetime(2026, 12, 1, 9, 7)


def test_sessions_that_timed_out_are_not_listed(app, make_user, time_machine) -> None:
    time_machine.move_to("2026-12-01 09:00:00+00:00", tick=False)
    user = make_user()
    old, new = _client(app, IPHONE), _client(app, EDGE)
    sign_in(old, user)
    time_machine.move_to("2026-12-01 18:00:00+00:00", tick=False)  # nine idle hours
    sign_in(new, user)
    page = new.get("/account").get_data(as_text=True)
    assert "Edge on Windows" in page and "iPhone" not in page
