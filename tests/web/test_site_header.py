"""The page header is kept per distinct parameters (app/core/site_header.py): what people see
is the NHS.UK macro's markup for them, on this page, with this request's CSRF token."""

from __future__ import annotations

import re

from flask import g

from app.core import site_header
from tests.conftest import sign_in


def _header(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


def test_the_kept_header_is_the_macros_markup_with_each_requests_token(app) -> None:
    params = {
        "service": {"text": "FLS Tracker", "href": "/"},
        "account": {"items": [{"html": '<input name="csrf_token" value="token-one">'}]},
        "navigation": {"items": [{"href": "/sites/1/plan", "text": "Plan", "current": True}]},
    }
    macro = app.jinja_env.get_template("nhsuk/components/header/macro.jinja").module.header
    with app.test_request_context("/"):
        g.csrf_token = "token-one"
        first = site_header.site_header(params)
        assert first == macro(params)
    second_params = {**params, "account": {"items": [{"html": '<input value="token-two">'}]}}
    with app.test_request_context("/"):
        g.csrf_token = "token-two"
        second = site_header.site_header(second_params)
        assert second == macro(second_params)
        assert "token-two" in second and "token-one" not in second
    # A token is never kept: only a placeholder, put back on each request.
    assert not any("token-" in html for html in site_header._cache.values())
    assert not any("token-" in key for key in site_header._cache)


def test_each_person_sees_their_own_name_and_the_current_section(login, site_world, client):
    site = site_world["site"]
    client = login(site_world["editor"])
    plan = _header(client.get(f"/sites/{site.id}/plan").get_data(as_text=True))
    again = client.get(f"/sites/{site.id}/plan").get_data(as_text=True)
    assert "Editor Person" in plan and "Users" not in plan
    assert re.search(r'href="/sites/\d+/plan" aria-current="page"', plan)
    people = _header(client.get(f"/sites/{site.id}/people").get_data(as_text=True))
    assert re.search(r'href="/sites/\d+/people" aria-current="page"', people)
    assert not re.search(r'href="/sites/\d+/plan" aria-current="page"', people)
    # The sign-out form carries this request's token, the same as the page's own.
    meta = re.search(r'name="csrf-token" content="([^"]+)"', again).group(1)
    form = re.search(r'name="csrf_token" value="([^"]+)"><button', _header(again)).group(1)
    assert form == meta

    sign_in(client, site_world["admin"])
    admin = _header(client.get(f"/sites/{site.id}/plan").get_data(as_text=True))
    assert "Admin Person" in admin and "Editor Person" not in admin and "Users" in admin
    # Signing out through the header's form works (its token is valid).
    token = re.search(r'name="csrf_token" value="([^"]+)"><button', admin).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
