"""Issue 22 items 3-6: numbers and versions, roles, sign-in and session limits, headers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from app.extensions import db
from app.gateways.models import CriterionConfirmation, Gateway
from app.kpis.models import KpiTarget
from app.plan.models import Task
from app.sites.models import Membership
from tests.conftest import PASSWORD, csrf_token, make_app, sign_in

# --- Headers ---------------------------------------------------------------------------


def _assert_security_headers(response) -> None:  # noqa: ANN001
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert re.search(r"script-src 'self' 'nonce-[\w-]+'", csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_downloads_and_files_carry_the_security_headers(login, site_world) -> None:
    site = site_world["site"]
    anonymous = login(None)
    _assert_security_headers(anonymous.get("/login"))
    client = login(site_world["editor"])
    page = client.get(f"/sites/{site.id}/")
    _assert_security_headers(page)
    for url in (
        f"/sites/{site.id}/kpis.xlsx",
        f"/sites/{site.id}/meetings.ics",
        "/static/app.js",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_security_headers(response)
    assert client.get("/login").headers.get("Strict-Transport-Security") is None


def test_every_inline_script_and_style_carries_the_nonce(login, site_world, make_plan) -> None:
    site = site_world["site"]
    make_plan(site)
    client = login(site_world["editor"])
    for url in (f"/sites/{site.id}/", f"/sites/{site.id}/plan/timeline", "/login"):
        response = client.get(url)
        nonce = re.search(r"'nonce-([\w-]+)'", response.headers["Content-Security-Policy"])[1]
        html = response.get_data(as_text=True)
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            assert "src=" in tag or f'nonce="{nonce}"' in tag, f"{url}: {tag}"
        assert " style=" not in html and "hx-on" not in html, url


def test_https_responses_ask_browsers_to_stay_on_https(client) -> None:
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_behind_a_trusted_proxy_its_forwarded_scheme_counts() -> None:
    proxied = make_app(TRUSTED_PROXY_COUNT=1).test_client()
    response = proxied.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers
    direct = make_app().test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in direct.headers  # a client cannot claim it


# --- Sign-in: redirects and session limits ----------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["////evil.example/x", "//evil.example", "/\\evil.example", "/\t/evil.example",
     "https://evil.example/", "javascript:alert(1)"],
)  # fmt: skip
def test_sign_in_never_redirects_off_site(client, make_user, target) -> None:
    user = make_user()
    url = "/login?next=" + target
    response = client.post(
        url, data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client, url)}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_keeps_a_local_next(client, make_user) -> None:
    user = make_user()
    url = "/login?next=/admin/users%3Fx%3D1"
    response = client.post(
        url, data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client, url)}
    )
    assert response.headers["Location"] == "/admin/users?x=1"


@pytest.mark.app_config(SESSION_ABSOLUTE_HOURS=48)
def test_an_idle_session_ends_after_eight_hours(client, make_user, time_machine) -> None:
    time_machine.move_to("2026-11-23 09:00:00+00:00", tick=False)
    sign_in(client, make_user())
    time_machine.shift(7 * 3600)
    assert client.get("/").status_code == 200  # still within the idle limit: the clock restarts
    time_machine.shift(7 * 3600 + 59 * 60)
    assert client.get("/").status_code == 200
    time_machine.shift(8 * 3600 + 60)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_busy_session_still_ends_at_the_absolute_limit(client, make_user, time_machine) -> None:
    time_machine.move_to("2026-11-23 09:00:00+00:00", tick=False)
    sign_in(client, make_user())
    for _ in range(11):
        time_machine.shift(3600)
        assert client.get("/").status_code == 200
    time_machine.shift(3601)
    assert client.get("/").status_code == 302


# --- Versions and numbers ----------------------------------------------------------------


def test_a_version_race_on_a_task_is_a_409_not_a_500(login, site_world, make_plan, make_task):
    site = site_world["site"]
    make_plan(site)
    task = make_task(site, title="Raced task")
    client = login(site_world["editor"])

    def _someone_else_saves_first(session, _context, _instances) -> None:  # noqa: ANN001
        # Another request commits between this one's check and its UPDATE.
        if any(isinstance(o, Task) for o in session.dirty):
            session.connection().execute(
                text("UPDATE tasks SET version = version + 1 WHERE id = :id"), {"id": task.id}
            )

    event.listen(Session, "before_flush", _someone_else_saves_first)
    try:
        response = client.post(
            f"/sites/{site.id}/tasks/{task.id}/inline",
            data={
                "status": "complete",
                "owner_id": "None",
                "version": task.version,
                "csrf_token": csrf_token(client, f"/sites/{site.id}/plan"),
            },
        )
    finally:
        event.remove(Session, "before_flush", _someone_else_saves_first)
    assert response.status_code == 409
    assert "Someone else changed this" in response.get_data(as_text=True)


def test_kpi_grid_with_a_null_version_is_refused_cleanly(login, site_world) -> None:
    site = site_world["site"]
    client = login(site_world["editor"])
    url = f"/sites/{site.id}/kpis/enter"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "period": "2025-03",
            "num_9": "4",
            "den_9": "5",
            "versions": '{"9": null}',
        },
    )
    assert response.status_code == 400


def test_kpi_targets_edited_meanwhile_are_not_overwritten(login, site_world) -> None:
    site = site_world["site"]
    client = login(site_world["editor"])
    url = f"/sites/{site.id}/kpis/targets"
    page = client.get(url).get_data(as_text=True)
    versions = re.search(r'name="versions"[^>]*value="([^"]*)"', page)[1].replace("&#34;", '"')
    db.session.add(KpiTarget(site_id=site.id, kpi_number=4, target=70.0))
    db.session.commit()
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "target_4": "90", "versions": versions},
    )
    assert response.status_code == 409
    assert db.session.scalar(select(KpiTarget.target)) == 70.0


def test_a_criterion_note_edited_meanwhile_is_not_overwritten(login, site_world, make_plan):
    site = site_world["site"]
    make_plan(site)
    client = login(site_world["editor"])
    page = f"/sites/{site.id}/gateways/1"
    html = client.get(page).get_data(as_text=True)
    action = re.search(r'action="(/sites/\d+/gateways/1/criteria/[^"]+)"', html)[1]
    key = action.rsplit("/", 1)[1]
    first = client.post(
        action, data={"csrf_token": csrf_token(client, page), "state": "met", "note": "Mine"}
    )
    assert first.status_code == 302
    answer = db.session.scalar(select(CriterionConfirmation))
    shown_version = answer.version
    answer.note = "Theirs"
    db.session.commit()
    stale = client.post(
        action,
        data={
            "csrf_token": csrf_token(client, page),
            "state": "met",
            "note": "Mine again",
            "version": shown_version,
        },
    )
    assert stale.status_code == 409
    db.session.refresh(answer)
    assert answer.note == "Theirs" and answer.criterion_key == key


# --- Roles -------------------------------------------------------------------------------


def test_a_manager_cannot_make_themselves_sponsor(login, site_world) -> None:
    site, manager = site_world["site"], site_world["manager"]
    client = login(manager)
    mine = db.session.scalar(
        select(Membership).where(Membership.site_id == site.id, Membership.user_id == manager.id)
    )
    url = f"/sites/{site.id}/members/{mine.id}"
    response = client.post(
        url,
        data={
            "role": "manager",
            "is_sponsor": "y",
            "version": str(mine.version),
            "csrf_token": csrf_token(client, f"/sites/{site.id}/members"),
        },
    )
    assert response.status_code == 422
    assert "cannot make yourself the sponsor" in response.get_data(as_text=True)
    db.session.refresh(mine)
    assert not mine.is_sponsor

    # Another manager (or an administrator) may.
    admin = login(site_world["admin"])
    granted = admin.post(
        url,
        data={
            "role": "manager",
            "is_sponsor": "y",
            "version": str(mine.version),
            "csrf_token": csrf_token(admin, f"/sites/{site.id}/members"),
        },
    )
    assert granted.status_code == 302
    db.session.refresh(mine)
    assert mine.is_sponsor


def test_whoever_requests_a_review_cannot_sign_it(login, site_world, make_plan) -> None:
    site, sponsor = site_world["site"], site_world["sponsor"]
    make_plan(site)
    membership = db.session.scalar(
        select(Membership).where(Membership.site_id == site.id, Membership.user_id == sponsor.id)
    )
    membership.role = "manager"
    db.session.commit()
    client = login(sponsor)
    page = f"/sites/{site.id}/gateways/1"
    from app.gateways.readiness import criteria

    reasons = {f"request-exception-{c.key}": "Later" for c in criteria(site, 1).blockers}
    requested = client.post(
        f"{page}/request-review", data={"csrf_token": csrf_token(client, page), **reasons}
    )
    assert requested.status_code == 302
    signed = client.post(
        f"{page}/decision",
        data={"csrf_token": csrf_token(client, page), "decision": "sign_off", "conditions": "ok"},
    )
    assert signed.status_code == 422
    assert "You asked for this review" in signed.get_data(as_text=True)
    assert db.session.scalar(select(Gateway.status)) == "review_requested"


HUGE = "9" * 30


def test_thirty_digit_figures_are_refused_next_to_the_field(login, site_world) -> None:
    site = site_world["site"]
    client = login(site_world["manager"])
    kpis = f"/sites/{site.id}/kpis/enter"
    grid = client.post(
        kpis,
        data={"csrf_token": csrf_token(client, kpis), "period": "2025-03", "num_9": HUGE,
              "den_9": HUGE},
    )  # fmt: skip
    assert grid.status_code == 422
    settings = f"/sites/{site.id}/settings"
    population = client.post(
        settings,
        data={"csrf_token": csrf_token(client, settings), "name": site.name,
              "organisation": "Trust", "nation": "England", "service_status": "new",
              "population_50_plus": HUGE, "version": str(site.version)},
    )  # fmt: skip
    assert population.status_code == 422
    assert "That number is too large" in population.get_data(as_text=True)
    series = f"/sites/{site.id}/meetings/series"
    booked = client.post(series, data={"csrf_token": csrf_token(client, series), "count": HUGE})
    assert booked.status_code == 422


def test_thirty_digit_ids_in_urls_and_filters_are_not_found(login, site_world) -> None:
    site = site_world["site"]
    client = login(site_world["manager"])
    assert client.get(f"/sites/{HUGE}/").status_code == 404
    assert client.get(f"/sites/{site.id}/tasks/{HUGE}").status_code == 404
    for url in (
        f"/sites/{site.id}/plan?edit={HUGE}&owner={HUGE}&phase={HUGE}",
        f"/sites/{site.id}/people?group={HUGE}",
        f"/sites/{site.id}/risks?owner={HUGE}",
        f"/sites/{site.id}/actions?owner={HUGE}",
        f"/sites/{site.id}/history?page={HUGE}",
    ):
        assert client.get(url).status_code in (200, 400, 404), url
    admin = login(site_world["admin"])
    assert admin.get(f"/portfolio?phase={HUGE}&sort={HUGE}").status_code == 200
