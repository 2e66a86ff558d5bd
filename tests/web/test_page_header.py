"""The page header is the NHS.UK macro's markup, drawn for the person and page; the
sign-out form's token is the session's own on every page."""

from __future__ import annotations

import re

TOKEN = re.compile(r'class="nhsuk-header__account-form"[^>]*><input type="hidden" '
                   r'name="csrf_token" value="([^"]+)"')  # fmt: skip


def _header(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


def test_each_person_sees_their_own_header(client, site_world, login) -> None:  # noqa: ANN001
    site = site_world["site"]
    pages = {}
    for role in ("viewer", "manager", "admin"):
        html = login(site_world[role]).get(f"/sites/{site.id}/plan").get_data(as_text=True)
        pages[role] = _header(html)
    assert "Viewer Person" in pages["viewer"] and "Manager Person" not in pages["viewer"]
    assert "Manager Person" in pages["manager"]
    assert "/admin/users" in pages["admin"] and "/admin/users" not in pages["manager"]
    assert 'aria-current="page"' in pages["viewer"]


def test_the_header_marks_the_page_it_is_on(client, site_world, login) -> None:  # noqa: ANN001
    site, viewer = site_world["site"], site_world["viewer"]
    signed_in = login(viewer)
    for path, current in (("/plan", "Plan"), ("/risks", "Risks"), ("/plan", "Plan")):
        header = _header(signed_in.get(f"/sites/{site.id}{path}").get_data(as_text=True))
        marked = re.search(r'aria-current="page"><strong[^>]*>([^<]+)</strong>', header)
        assert marked is not None and marked.group(1) == current


def test_the_sign_out_button_carries_a_working_token(client, site_world, login) -> None:  # noqa: ANN001
    site = site_world["site"]
    signed_in = login(site_world["viewer"])
    html = signed_in.get(f"/sites/{site.id}/plan").get_data(as_text=True)
    token = TOKEN.search(html)
    assert token is not None
    assert f'name="csrf-token" content="{token.group(1)}"' in html  # the page's own token
    assert signed_in.post("/logout", data={"csrf_token": token.group(1)}).status_code == 302
    assert signed_in.get(f"/sites/{site.id}/plan").status_code == 302  # to sign in


def test_a_call_block_is_rendered_with_its_body(app) -> None:  # noqa: ANN001
    with app.test_request_context():
        template = app.jinja_env.from_string(
            '{% from "nhsuk/components/details/macro.jinja" import details %}'
            '{% call details({"summaryText": "More"}) %}{{ body }}{% endcall %}'
        )
        assert "first body" in template.render(body="first body")
        assert "second body" in template.render(body="second body")
