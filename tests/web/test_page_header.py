"""The page header is the NHS.UK macro's markup, rendered once per distinct set of
parameters and kept; the sign-out form's token is the session's own on every page."""

from __future__ import annotations

import re

from app.core import components

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


def test_the_kept_header_marks_the_page_it_is_on(client, site_world, login) -> None:  # noqa: ANN001
    site, viewer = site_world["site"], site_world["viewer"]
    signed_in = login(viewer)
    for path, current in (("/plan", "Plan"), ("/risks", "Risks"), ("/plan", "Plan")):
        header = _header(signed_in.get(f"/sites/{site.id}{path}").get_data(as_text=True))
        marked = re.search(r'aria-current="page"><strong[^>]*>([^<]+)</strong>', header)
        assert marked is not None and marked.group(1) == current


def test_the_sign_out_button_carries_a_working_token(client, site_world, login) -> None:  # noqa: ANN001
    site = site_world["site"]
    signed_in = login(site_world["viewer"])
    signed_in.get(f"/sites/{site.id}/plan")  # the header is kept from this page on
    html = signed_in.get(f"/sites/{site.id}/plan").get_data(as_text=True)
    token = TOKEN.search(html)
    assert token is not None and "slot" not in token.group(1)
    # the page's own token, and never kept with the header
    assert f'name="csrf-token" content="{token.group(1)}"' in html
    kept = signed_in.application.extensions["fls_components"].html
    assert kept and not any(token.group(1) in header for header in kept.values())
    assert signed_in.post("/logout", data={"csrf_token": token.group(1)}).status_code == 302
    assert signed_in.get(f"/sites/{site.id}/plan").status_code == 302  # to sign in


def test_kept_components_are_bounded(app, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(components, "KEPT_PER_APP", 3)
    with app.test_request_context():
        for n in range(6):
            components.component("footer", {"copyright": {"text": f"FLS {n}"}})
        kept = app.extensions["fls_components"].html
        assert len(kept) == 3 and all("FLS 5" in html or "FLS 4" in html or "FLS 3" in html
                                      for html in kept.values())  # fmt: skip


def test_components_are_kept_only_for_plain_parameters(app) -> None:  # noqa: ANN001
    # A parameter whose repr may not say all it holds (an object) is rendered every time.
    class Label:
        def __init__(self, text: str) -> None:
            self.text = text

        def __str__(self) -> str:
            return self.text

    with app.test_request_context():
        template = app.jinja_env.from_string(
            '{% from "nhsuk/components/tag/macro.jinja" import tag %}{{ tag({"text": label}) }}'
        )
        kept = app.extensions["fls_components"].html
        kept.clear()
        assert "Green" in template.render(label="Green") and len(kept) == 1
        assert "Amber" in template.render(label=Label("Amber")) and len(kept) == 1
        assert "Red" in template.render(label=Label("Red"))


def test_a_call_block_is_rendered_with_its_body(app) -> None:  # noqa: ANN001
    with app.test_request_context():
        template = app.jinja_env.from_string(
            '{% from "nhsuk/components/details/macro.jinja" import details %}'
            '{% call details({"summaryText": "More"}) %}{{ body }}{% endcall %}'
        )
        assert "first body" in template.render(body="first body")
        assert "second body" in template.render(body="second body")
