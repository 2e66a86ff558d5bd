"""Issue 32 "Done when": every page of the app, walked as each role at a phone's width
(390 px) and a laptop's (1366 px), fits the screen and passes axe.

The pages come from the app's URL map, not from a list: every GET route that answers with
a page. Skipped by rule: files (a route whose last part names a file type: .docx, .xlsx,
.png, .svg, .ics, .csv, .json), static files, routes this configuration switches off
(the access rules expect 404 for everyone: single sign-on) and answers that are not HTML
(the health check). Each URL's arguments are real records of the demo's Riverside site
(Meadowbank, whose case was agreed, for its KPI charts and delivery promises), and some
pages are walked again in another state (VARIANTS: a filter, another gateway, the next
meeting). A new route is walked as soon as it exists; one with an argument the walk has
no value for fails, naming the argument.

What each role should get comes from the access matrix's rules (tests/web/access_rules.py):
403 is checked as 403 and not axe-checked; a redirect (to sign in, or away from the
sign-in page once signed in) is not a page for that role; anything else must be 200
(the matrix's made-up ids give 404 or 410; the walk's real ones must give the page).
A page that opens is checked for sideways scroll (`scrollWidth <= innerWidth`) and with
axe-core: WCAG 2.2 AA and the best-practice `heading-order`.

One browser context per role and width, one tab reused for every page, axe once a page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from tests.e2e.conftest import AXE_JS, AXE_TAGS
from tests.web.access_rules import LOGIN, RULES

pytestmark = pytest.mark.e2e

WIDTHS = (390, 1366)
# Who walks, and which column of the access rules says what they may open. Riverside's
# sponsor is an editor there (the sponsor's decisions are POSTs, tested elsewhere).
WALKERS = {
    "anonymous": (None, "anonymous"),
    "viewer": ("viewer@example.nhs.uk", "viewer"),
    "sponsor": ("sponsor@example.nhs.uk", "editor"),
    "manager": ("pm@example.nhs.uk", "manager"),
    "support": ("support@example.org.uk", "support"),
    "admin": ("admin@example.nhs.uk", "admin"),
}
FILE_ROUTE = re.compile(r"\.[A-Za-z]+$")  # /plan.xlsx, /gateway-<int:phase_no>.docx
REDIRECTED = (LOGIN, 302)
# Statuses other than 200 that are the page itself for a role: an invitation link opened
# while signed in as someone else is refused with a page saying so.
EXPECTED_OTHERWISE = {("accounts.accept_invitation", "signed in"): 409}
# Pages whose query string changes what they show enough to walk both.
VARIANTS: dict[str, list[dict]] = {
    "sites.plan.index": [{"q": "stakeholder"}, {"overdue": "1"}],
    "sites.needs.index": [{"show": "inputs"}, {"show": "versions"}],
    "sites.risks.index": [{"cell": "4-4", "status": "open"}],
    "sites.search.index": [{"q": "dxa"}],
    "sites.history": [{"since": "steering"}],
}
AXE_RUN = """async (tags) => (await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    rules: {'heading-order': {enabled: true}},
    resultTypes: ['violations'],
})).violations"""
SHOTS = Path(__file__).parent.parent.parent / "instance" / "screenshots" / "every-page"


@dataclass(frozen=True)
class Page:
    endpoint: str
    url: str


@dataclass
class Arguments:
    values: dict[str, object]  # by URL argument name: real records of Riverside
    by_endpoint: dict[str, dict]  # an endpoint's own: a token, a query it needs, another site
    variants: dict[str, list[dict]]  # more views of a page: another site, query or phase


def _seed_demo() -> Arguments:
    """The demo, plus what some pages need to show their all (offers waiting, a link for
    each kind of token), and the values for every URL argument."""
    from sqlalchemy import func, select

    from app.accounts.invitations import create_invitation, invite_user
    from app.accounts.resets import issue_reset
    from app.core.dates import today, utcnow
    from app.delivery import queries as delivery_queries
    from app.delivery import recovery
    from app.delivery import service as delivery
    from app.demo import seed_demo
    from app.kpis.models import KpiValue
    from app.kpis.periods import Period
    from app.meetings.models import Action, AgendaItem, Meeting
    from app.needs.models import NeedsVersion
    from app.notifications.tokens import unsubscribe_token
    from app.people.models import GroupMember, Person
    from app.plan.models import Task
    from app.risks.models import Mitigation, RaidEntry
    from app.sites.models import Membership
    from app.sites.offers import offer_access
    from app.toolkit.vocabulary import gateway_phase_numbers

    demo = seed_demo()
    site, agreed = demo.sites["riverside"], demo.sites["meadowbank"]
    # Meadowbank's business case was agreed and it has two years of KPI values: its KPI and
    # delivery pages show charts and promises. Riverside's manager and viewer read it too.
    for key, role in (("pm", "manager"), ("viewer", "viewer")):
        db.session.add(Membership(site_id=agreed.id, user_id=demo.users[key].id, role=role))
    db.session.flush()
    offer_access(site, "new.nurse@example.nhs.uk", "Nia Jones", "editor")
    offer_access(site, "late.reply@example.nhs.uk", "Lee Late", "viewer").created_at = (
        utcnow() - timedelta(days=40)
    )
    invitee, _created = invite_user("invited@example.nhs.uk", "Ivy Invited")
    _invitation, invitation_url = create_invitation(invitee, site_id=site.id)
    reset = issue_reset(demo.users["nurse"])

    def first(column, *where):  # noqa: ANN001, ANN202
        return db.session.scalar(select(column).where(*where).order_by(column).limit(1))

    item = db.session.execute(
        select(AgendaItem.meeting_id, AgendaItem.id)
        .where(AgendaItem.site_id == site.id)
        .order_by(AgendaItem.meeting_id, AgendaItem.id)
        .limit(1)
    ).one()
    mitigation = db.session.execute(
        select(Mitigation.entry_id, Mitigation.id).where(Mitigation.site_id == site.id).limit(1)
    ).one()
    member = db.session.execute(
        select(GroupMember.group_id, GroupMember.id)
        .where(GroupMember.site_id == site.id)
        .order_by(GroupMember.id)
        .limit(1)
    ).one()
    period = db.session.execute(
        select(KpiValue.period_start, KpiValue.period_kind)
        .where(KpiValue.site_id == agreed.id)
        .order_by(KpiValue.period_start.desc())
        .limit(1)
    ).one()
    promises = delivery_queries.latest_promise(agreed.id)
    counts = delivery_queries.kpi_counts(
        agreed.id, delivery.measured_kpis(promises), delivery.first_start(promises)
    )
    # The recovery form opens for a measure whose promise is being missed.
    missed = next(
        row.key for row in delivery.deliveries(promises, counts, today()) if row.missed_running
    )
    at_meadowbank = [{"site_id": agreed.id}]
    return Arguments(
        values={
            "site_id": site.id,
            "task_id": first(Task.id, Task.site_id == site.id),
            "meeting_id": item.meeting_id,
            "item_id": item.id,
            "action_id": first(Action.id, Action.site_id == site.id),
            "entry_id": mitigation.entry_id,
            "mitigation_id": mitigation.id,
            "group_id": member.group_id,
            "member_id": member.id,
            "person_id": first(Person.id, Person.site_id == site.id, Person.user_id.is_(None)),
            "membership_id": first(
                Membership.id,
                Membership.site_id == site.id,
                Membership.user_id == demo.users["viewer"].id,
            ),
            "version_id": first(NeedsVersion.id, NeedsVersion.site_id == site.id),
            "number": 4,
            "phase_no": 1,
        },
        by_endpoint={
            "accounts.accept_invitation": {"token": invitation_url.rsplit("/", 1)[-1]},
            "accounts.reset_password": {"token": reset.link_token},
            "notifications.unsubscribe": {
                "token": unsubscribe_token("digest", user_id=demo.users["nurse"].id)
            },
            "sites.plan.start_date": {"start": (today() + timedelta(days=14)).isoformat()},
            "sites.delivery.recover": {"site_id": agreed.id, "measure": missed},
            # Meadowbank's recovery plan, agreed at its last steering group held.
            "sites.delivery.agree": {
                "site_id": agreed.id,
                "entry_id": first(
                    RaidEntry.id,
                    RaidEntry.site_id == agreed.id,
                    RaidEntry.starter_key.startswith(recovery.STARTER_PREFIX),
                ),
            },
            "sites.kpis.delete_period": {
                "site_id": agreed.id,
                "period_key": Period(period.period_start, period.period_kind).key,
            },
        },
        variants={
            **{endpoint: [*queries] for endpoint, queries in VARIANTS.items()},
            **{
                endpoint: at_meadowbank
                for endpoint in (
                    "sites.overview",
                    "sites.kpis.index",
                    "sites.kpis.detail",
                    "sites.kpis.enter",
                    "sites.kpis.targets",
                    "sites.delivery.index",
                    "sites.documents.steering_report",
                )
            },
            **{
                endpoint: [{"phase_no": phase} for phase in gateway_phase_numbers()[1:]]
                for endpoint in ("sites.gateways.show", "sites.gateways.record")
            },
            # The first meeting is past (minutes); the last is still to come.
            "sites.meetings.show": [
                {
                    "meeting_id": db.session.scalar(
                        select(func.max(Meeting.id)).where(Meeting.site_id == site.id)
                    )
                }
            ],
        },
    )


def _is_page_route(rule) -> bool:  # noqa: ANN001
    """A GET route that answers with a page (see the module's docstring for the rules)."""
    if "GET" not in rule.methods or rule.endpoint == "static":
        return False
    if FILE_ROUTE.search(rule.rule):
        return False
    expected = RULES.get((rule.endpoint, "GET"))
    assert expected is not None, f"{rule.endpoint}: add it to tests/web/access_rules.py"
    return set(expected.values()) != {404}  # switched off in this configuration


def _pages(app: Flask, arguments: Arguments) -> list[Page]:
    """Every page route with real arguments, then its variants (url_for puts whatever is
    not a path argument in the query string)."""
    from flask import url_for

    pages = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not _is_page_route(rule):
            continue
        own = arguments.by_endpoint.get(rule.endpoint, {})
        values = {**{k: v for k, v in arguments.values.items() if k in rule.arguments}, **own}
        if missing := sorted(rule.arguments - values.keys()):
            pytest.fail(
                f"{rule.endpoint} ({rule.rule}) needs a value for {missing}: add a real one "
                "to _seed_demo() in tests/e2e/test_every_page.py"
            )
        with app.test_request_context():
            pages += [
                Page(rule.endpoint, url_for(rule.endpoint, **{**values, **variant}))
                for variant in [{}, *arguments.variants.get(rule.endpoint, [])]
            ]
    return pages


def _expected_status(endpoint: str, column: str) -> int | None:
    """What this role should get: 403, the page (200 or an EXPECTED_OTHERWISE) or None
    when the route only sends them elsewhere."""
    rule = RULES[(endpoint, "GET")][column]
    if rule in REDIRECTED:
        return None
    if rule == 403:
        return 403
    kind = "anonymous" if column == "anonymous" else "signed in"
    return EXPECTED_OTHERWISE.get((endpoint, kind), 200)


@pytest.fixture(scope="module")
def demo_site(live_app, _server: str) -> Iterator[tuple[str, list[Page]]]:  # noqa: ANN001
    """The demo, seeded once for the whole walk (every visit is a GET: nothing changes)."""
    from tests.conftest import _reset_database

    with live_app.app_context():
        _reset_database(live_app)
        arguments = _seed_demo()
        db.session.commit()
        pages = _pages(live_app, arguments)
        db.session.remove()
    yield _server, pages
    with live_app.app_context():
        _reset_database(live_app)
        db.session.remove()


def _sign_in(tab, base: str, email: str) -> None:  # noqa: ANN001
    from app.demo import DEMO_PASSWORD

    tab.goto(base + "/login")
    tab.get_by_label("Email address").fill(email)
    tab.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()
    assert "/login" not in tab.url, f"{email} could not sign in"


def _problems(tab) -> list[str]:  # noqa: ANN001
    """What is wrong with the page on screen: sideways scroll, then each axe violation."""
    found = []
    scroll, inner = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > inner:
        found.append(f"scrolls sideways: {scroll} px wide in {inner} px")
    if not tab.evaluate("() => typeof window.axe !== 'undefined'"):
        tab.evaluate(AXE_JS)  # by the debugger, which the page's CSP does not govern
    for violation in tab.evaluate(AXE_RUN, AXE_TAGS):
        targets = [node["target"] for node in violation["nodes"][:4]]
        found.append(
            f"axe {violation['id']} ({violation['impact']}, {len(violation['nodes'])} "
            f"element(s)): {violation['help']}: {json.dumps(targets)}"
        )
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", list(WALKERS))
def test_every_page_fits_and_passes_axe(browser, demo_site, role: str, width: int) -> None:  # noqa: ANN001
    base, pages = demo_site
    email, column = WALKERS[role]
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/London", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(30_000)
    # axe-core sent to the browser once for every page it opens, not 500 KB a page.
    context.add_init_script(AXE_JS)
    tab = context.new_page()
    blocked: list[str] = []
    tab.on(
        "console",
        lambda message: (
            blocked.append(f"{tab.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    problems: list[str] = []
    walked, checked = 0, set()
    try:
        if email:
            _sign_in(tab, base, email)
        for page in pages:
            expected = _expected_status(page.endpoint, column)
            if expected is None:
                continue
            walked += 1
            where = f"{role} at {width} px: {page.url} ({page.endpoint})"
            if expected == 403:  # a refusal is only asked for: nothing to look at
                status = context.request.get(base + page.url, max_redirects=0).status
                if status != 403:
                    problems.append(f"{where}: expected 403, got {status}")
                continue
            response = tab.goto(base + page.url)
            if response.status != expected:
                problems.append(f"{where}: expected {expected}, got {response.status}")
                continue
            landed = tab.url.removeprefix(base)
            if "text/html" not in response.headers.get("content-type", "") or landed in checked:
                continue  # not a page (the health check), or sent on to one already checked
            checked.add(landed)
            if found := _problems(tab):
                problems += [f"{where}: {problem}" for problem in found]
                SHOTS.mkdir(parents=True, exist_ok=True)
                name = re.sub(r"\W+", "-", f"{role}-{width}-{page.url}").strip("-")
                tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    finally:
        context.close()
    print(f"{role} at {width} px: {walked} pages walked, {len(checked)} checked with axe")
    assert walked, f"{role} walked no page"
    assert not blocked, "The Content-Security-Policy blocked:\n" + "\n".join(blocked)
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_the_walk_reports_sideways_scroll_and_heading_order(browser) -> None:  # noqa: ANN001
    """The checks themselves: a page wider than a phone and a skipped heading level are
    reported (best-practice heading-order runs beside the WCAG tags)."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    tab = context.new_page()
    try:
        tab.set_content(
            '<html lang="en"><head><title>Check</title></head><body><main><h1>Page</h1>'
            '<h3>Skipped a level</h3><div style="width: 600px">Wide</div></main></body></html>'
        )
        found = _problems(tab)
    finally:
        context.close()
    assert found[0] == "scrolls sideways: 608 px wide in 390 px", found
    assert [problem.split(" ")[1] for problem in found[1:]] == ["heading-order"], found


def test_a_new_route_is_walked_or_names_the_argument_it_needs(monkeypatch) -> None:  # noqa: ANN001
    """The walk is built from the URL map: a new page is in it with no list to edit, a file
    is left out by its name, and an argument the walk has no value for stops the walk."""
    app = Flask(__name__)
    for rule, endpoint in [
        ("/sites/<int:site_id>/widgets", "sites.widgets.index"),
        ("/sites/<int:site_id>/widgets/<int:widget_id>", "sites.widgets.show"),
        ("/sites/<int:site_id>/widgets.xlsx", "sites.widgets.export"),
    ]:
        app.add_url_rule(rule, endpoint, lambda **_: "")
        monkeypatch.setitem(RULES, (endpoint, "GET"), RULES[("sites.overview", "GET")])
    arguments = Arguments(values={"site_id": 3}, by_endpoint={}, variants={})
    with pytest.raises(pytest.fail.Exception, match=r"sites\.widgets\.show .*\['widget_id'\]"):
        _pages(app, arguments)
    arguments.values["widget_id"] = 9
    arguments.variants["sites.widgets.index"] = [{"colour": "blue"}]
    assert [page.url for page in _pages(app, arguments)] == [
        "/sites/3/widgets",
        "/sites/3/widgets?colour=blue",
        "/sites/3/widgets/9",
    ]
