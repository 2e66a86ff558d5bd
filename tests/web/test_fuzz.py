"""Property-based: generated values posted to every form and filter, as each role, never a 500.

Hypothesis draws a few examples per route (no shrinking, no example database, no
deadline, so the run stays bounded); every failure is collected and reported at once.
Field names come from the forms on each route's own page, plus a pool from every page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from app.extensions import db
from tests.web.test_access_matrix import _routes, _sign_in_fast, _url

HUGE = "9" * 30
NASTY = [
    HUGE, "-" + HUGE, "1e400", "nan", "inf", "-1", "0", "", " ", "None", "null", "true",
    "\x00", "\x0b", "a\r\nb", "\u202eevil", "=1+1", "31/02/2026", "99/99/99999", "2026-13-45",
    "0001-01-01", "1,000,000,000,000,000", "12.5", "%", "' OR 1=1 --", "{}", "[]", '{"1": null}',
    "x" * 3000,
    # Mail (#28): encoded words that decode to new headers, Unicode line breaks, addresses
    # with an international domain or local part.
    "=?utf-8?q?Budget=0D=0AReply-To:_x@evil.example=0D=0A=0D=0AHi?=", "a\u2028b\u2029c\x85d",
    "ann@bücher.example", "zoë@example.nhs.uk",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=30),
)
COMMON_ARGS = [
    "page", "edit", "row", "phase", "group", "owner", "status", "period", "view", "q", "sort",
    "kpi", "rag", "type", "next", "token", "show", "filter", "site", "from", "to",
]  # fmt: skip
ROLES = ("viewer", "editor", "manager", "sponsor", "admin")
LAST = ("delete", "remove", "cancel", "logout", "revoke", "set_active", "password")
NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')


def _field_names(html: str) -> set[str]:
    return {name for name in NAME.findall(html) if name != "csrf_token"}


def _ordered(routes: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    # Routes that delete or sign out run last, so the others still find their records.
    return sorted(routes, key=lambda r: (any(w in r[0] for w in LAST), r[1] == "POST", r[0]))


# Field names per URL rule, read once from the pages as an administrator sees them.
_FIELDS: dict[str, set[str]] = {}


def _read_fields(client, admin, routes, ids) -> dict[str, set[str]]:  # noqa: ANN001
    if not _FIELDS:
        for _endpoint, method, rule in routes:
            if method != "GET":
                continue
            _sign_in_fast(client, admin)
            response = client.get(_url(rule, ids))
            if response.status_code == 200 and response.mimetype == "text/html":
                _FIELDS[rule] = _field_names(response.get_data(as_text=True))
    return _FIELDS


def _fuzz_route(client, person, route, url, names, huge_url, failures) -> None:  # noqa: ANN001
    """A few generated requests to one route; a 500 or an escaped exception is recorded."""
    endpoint, method, _rule = route
    explicit = [example(dict.fromkeys(names, HUGE), False)]
    if huge_url:
        explicit.append(example({}, True))

    @settings(
        max_examples=1,
        deadline=None,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(names, VALUES)), st.just(False))
    def _check(values: dict[str, str], huge_path: bool) -> None:
        _sign_in_fast(client, person)
        target = huge_url if huge_path else url
        try:
            if method == "GET":
                response = client.get(target, query_string=values)
            else:
                response = client.post(target, data=values)
            status = response.status_code
        except Exception as error:  # noqa: BLE001 - every escape is a failure to report
            db.session.rollback()
            status = f"{type(error).__name__}: {str(error)[:120]}"
        if status == 500 or isinstance(status, str):
            shown = {k: v[:20] for k, v in values.items()}
            failures.append(f"{method} {target} ({endpoint}) {shown} -> {status}")

    for decorate in explicit:
        _check = decorate(_check)
    _check()


@pytest.mark.app_config(WTF_CSRF_ENABLED=False)
@pytest.mark.parametrize("role", ROLES)
def test_generated_input_never_gives_a_500(role, app, site_world, sample_ids) -> None:
    client = app.test_client()
    person = site_world[role]
    ids = {"site_id": site_world["site"].id, **sample_ids(site_world)}
    huge_ids = {name: 10**30 for name in ids}
    routes = _ordered([r for r in _routes(app) if r[0] != "accounts.logout"])
    fields = _read_fields(client, site_world["admin"], routes, ids)
    pool = sorted(set().union(*fields.values()))
    failures: list[str] = []
    for route in routes:
        _endpoint, method, rule = route
        own = fields.get(rule, set())
        # A POST-only route has no page of its own: it gets every field name seen anywhere.
        names = (sorted(own) or pool) if method == "POST" else sorted(own | set(COMMON_ARGS))
        huge_url = _url(rule, huge_ids) if role == "admin" and "<" in rule else None
        _fuzz_route(client, person, route, _url(rule, ids), names, huge_url, failures)
    assert not failures, f"{role}: {len(failures)} requests failed:\n" + "\n".join(failures[:40])


class _Forms(HTMLParser):
    """The POST forms of a page: their action and each field's shown value."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url, self.forms, self._select, self._textarea = page_url, [], None, None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append((a.get("action") or self.page_url, {}))
        elif not self.forms or not a.get("name") or a.get("name") == "csrf_token":
            return
        elif tag == "input" and a.get("type") not in ("checkbox", "radio", "file", "submit"):
            self.forms[-1][1][a["name"]] = a.get("value") or ""
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self.forms[-1][1][a["name"]] = a.get("value") or "y"
        elif tag == "select":
            self._select = a["name"]
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1][1][a["name"]] = ""
        if tag == "option" and self._select and self.forms:
            fields = self.forms[-1][1]
            if "selected" in a or self._select not in fields:
                fields[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1][1][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _numberish(name: str, value: str) -> bool:
    return value.strip().lstrip("-").isdigit() or name.endswith(("_id", "count", "phase"))


@pytest.mark.app_config(WTF_CSRF_ENABLED=False)
def test_one_huge_number_in_an_otherwise_filled_form(app, site_world, sample_ids) -> None:
    """Each number box of each form, filled as shown, with one 30-digit value in turn."""
    client = app.test_client()
    manager = site_world["manager"]
    ids = {"site_id": site_world["site"].id, **sample_ids(site_world)}
    routes = _ordered([r for r in _routes(app) if r[0] != "accounts.logout"])
    failures: list[str] = []
    for _endpoint, method, rule in routes:
        if method != "GET" or any(word in rule for word in LAST):
            continue
        _sign_in_fast(client, manager)
        url = _url(rule, ids)
        page = client.get(url)
        if page.status_code != 200 or page.mimetype != "text/html":
            continue
        parser = _Forms(url)
        parser.feed(page.get_data(as_text=True))
        for action, fields in parser.forms:
            if any(word in action for word in LAST):
                continue
            for name, value in fields.items():
                if not _numberish(name, value):
                    continue
                _sign_in_fast(client, manager)
                data = {**fields, name: HUGE}
                try:
                    status = client.post(action, data=data).status_code
                except Exception as error:  # noqa: BLE001 - every escape is a failure
                    db.session.rollback()
                    status = f"{type(error).__name__}: {str(error)[:100]}"
                if status == 500 or isinstance(status, str):
                    failures.append(f"POST {action} {name}={HUGE[:6]}… (from {url}) -> {status}")
    assert not failures, f"{len(failures)} failed:\n" + "\n".join(sorted(set(failures)))


# Fields that once answered 500 (issue 28, item 13), each posted in its own form as the
# page fills it (with `choices` for its drop-downs), with the values that did it and their
# kin. Each must be refused with a message (422), never a 500.
KNOWN_FIELDS = [
    (
        "/sites/{site_id}/tasks/{task_id}/edit",
        {"status": "not_started", "phase": "1", "owner_id": "", "reported_rag": ""},
        "predecessor_id",
        ["1" * 25, HUGE, "x", "²"],
    ),
    (
        "/sites/{site_id}/members/{membership_id}/remove",
        {},
        "new_owner_id",
        [HUGE, "x", "²", "-5"],
    ),
    (
        "/sites/{site_id}/business-case/decision",
        {"body": "The ICB's investment panel", "outcome": "approved"},
        "decided_on",
        [" ", "\t", "\x0b", "31/02/2026"],
    ),
]


@pytest.mark.app_config(WTF_CSRF_ENABLED=False)
@pytest.mark.parametrize(
    ("page", "choices", "name", "values"), KNOWN_FIELDS, ids=[k[2] for k in KNOWN_FIELDS]
)
def test_fields_that_once_gave_a_500_are_refused_with_a_message(
    app, site_world, sample_ids, page, choices, name, values
) -> None:
    client = app.test_client()
    manager = site_world["manager"]
    url = page.format(site_id=site_world["site"].id, **sample_ids(site_world))
    _sign_in_fast(client, manager)
    shown = client.get(url)
    assert shown.status_code == 200, url
    parser = _Forms(url)
    parser.feed(shown.get_data(as_text=True))
    # The page's own form (it shows the field only when there is a choice to make).
    [(action, fields)] = [form for form in parser.forms if form[0] in (url, "")]
    for value in values:
        _sign_in_fast(client, manager)
        response = client.post(action, data={**fields, **choices, name: value})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, (name, value, response.status_code)
        assert "nhsuk-error-summary" in html and "Not a valid choice" not in html, (name, value)


@pytest.mark.parametrize(
    "name", ["Riverside\x0bFLS", "River\x01side\x1f FLS", "Two\r\nlines\u2028"]
)
def test_a_site_name_with_control_characters_breaks_no_download(
    app, site_world, sample_ids, name
) -> None:
    """Every file a site offers (xlsx, docx, csv, ics, png) from a site whose stored name
    holds characters those formats cannot: the business case model's title once broke."""
    client = app.test_client()
    site = site_world["site"]
    site.name = name
    db.session.commit()
    ids = {"site_id": site.id, **sample_ids(site_world)}
    failures = []
    for endpoint, method, rule in _routes(app):
        if method != "GET" or not rule.startswith("/sites/") or "." not in rule.rsplit("/", 1)[-1]:
            continue
        _sign_in_fast(client, site_world["manager"])
        try:
            status = client.get(_url(rule, ids)).status_code
        except Exception as error:  # noqa: BLE001 - every escape is a failure to report
            db.session.rollback()
            status = f"{type(error).__name__}: {str(error)[:100]}"
        if status == 500 or isinstance(status, str):
            failures.append(f"{rule} ({endpoint}) -> {status}")
    assert not failures, "\n".join(failures)
