"""Browser tests: Playwright driving Debian's Chromium against a live server, axe on every page.

The live server runs the app in a thread on 127.0.0.1 with a file-backed SQLite database
(or the PostgreSQL named by TEST_DATABASE_URL), so the test and the server see the same data.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.extensions import db
from tests.conftest import PASSWORD, make_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = (Path(__file__).parent.parent / "vendor" / "axe.min.js").read_text()
# WCAG 2.2 AA and everything below it.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


class LiveServer:
    def __init__(self, app, url: str) -> None:  # noqa: ANN001
        self.app = app
        self.url = url

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory):
    overrides = {"WTF_CSRF_ENABLED": True}
    if not os.environ.get("TEST_DATABASE_URL"):
        database = tmp_path_factory.mktemp("e2e") / "e2e.sqlite"
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    app = make_app(**overrides)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def _server(live_app) -> Iterator[str]:  # noqa: ANN001
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def live_server(live_app, _server: str) -> Iterator[LiveServer]:  # noqa: ANN001
    """The running app with an emptied database; use `live_server.app.app_context()` to seed."""
    from tests.conftest import _reset_database

    with live_app.app_context():
        _reset_database(live_app)
        db.session.remove()
    yield LiveServer(live_app, _server)
    with live_app.app_context():
        db.session.remove()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                # No name but the test servers' resolves, at once: the NHS.UK fonts
                # (https://assets.nhs.uk) otherwise wait out a DNS timeout, 5 s a page, on a
                # machine without internet (the pages fall back to Arial either way).
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator:  # noqa: ANN001
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    # A page load waits for every stylesheet and script; on a busy 2-core CI machine running
    # PostgreSQL beside the browser, a load has been seen to take over 10 s.
    context.set_default_navigation_timeout(30_000)
    page = context.new_page()
    # Anything the Content-Security-Policy blocks is a bug in the page: collect and fail.
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not blocked, "The Content-Security-Policy blocked:\n" + "\n".join(blocked)


def axe_violations(page) -> list[dict]:  # noqa: ANN001
    """Run axe-core in the page and return its violations (empty when the page passes)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated by the browser's debugger, which the page's CSP does not govern (an
        # inline <script> tag would be refused, as it should be).
        page.evaluate(AXE_JS)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return result["violations"]


def assert_no_axe_violations(page) -> None:  # noqa: ANN001
    violations = axe_violations(page)
    summary = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in violations
    ]
    assert not violations, f"axe found problems on {page.url}:\n{json.dumps(summary, indent=1)}"


@pytest.fixture
def check_axe() -> Callable:
    return assert_no_axe_violations


@pytest.fixture
def sign_in_as(page, live_server) -> Callable:  # noqa: ANN001
    """Sign in through the real form; checks the login page and the landing page with axe."""

    def _sign_in(email: str, password: str = PASSWORD, check: bool = True) -> None:
        page.goto(live_server("/login"))
        if check:
            assert_no_axe_violations(page)
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, "sign-in failed"

    return _sign_in


@pytest.fixture
def seed(live_server) -> Callable:  # noqa: ANN001
    """Run a function with the live app's database session and commit: `seed(lambda: ...)`."""

    def _seed(build: Callable):  # noqa: ANN202
        with live_server.app.app_context():
            result = build()
            db.session.commit()
            db.session.expunge_all()
            return result

    return _seed
