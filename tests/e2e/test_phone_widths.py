"""Issue 32 item 6: the pages a phone walk found too wide or failing axe, loaded with the
demo's data at a phone's width (390 px) and a laptop's (1366 px): no sideways scroll and
no axe violation at either, axe's best-practice rules (heading-order) included."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.e2e.conftest import AXE_JS, AXE_TAGS

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).parent.parent.parent / "instance" / "screenshots"


def _demo() -> dict:
    from sqlalchemy import select

    from app.core.dates import utcnow
    from app.demo import seed_demo
    from app.people.models import Person
    from app.plan.models import Task
    from app.risks.models import RaidEntry
    from app.sites.offers import offer_access

    sites = seed_demo().sites
    site = sites["riverside"]
    db.session.flush()

    def first(model):  # noqa: ANN001, ANN202
        return db.session.scalar(
            select(model.id).where(model.site_id == site.id).order_by(model.id).limit(1)
        )

    person = db.session.scalar(
        select(Person.id).where(Person.site_id == site.id, Person.user_id.is_(None)).limit(1)
    )
    # The members page with an offer waiting and one expired.
    offer_access(site, "new.nurse@example.nhs.uk", "Nia Jones", "editor")
    offer_access(site, "late.reply@example.nhs.uk", "Lee Late", "viewer").created_at = (
        utcnow() - timedelta(days=40)
    )
    return {
        "site": site.id,
        "afon": sites["afon"].id,  # its report has run charts (645 px wide on a phone before)
        "task": first(Task),
        "risk": first(RaidEntry),
        "person": person,
    }


def _problems(page) -> list[str]:  # noqa: ANN001
    """What is wrong with the page: its width, then each axe rule it breaks."""
    found = []
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > inner:
        found.append(f"{scroll} px wide in {inner} px")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS)
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations",
        [*AXE_TAGS, "best-practice"],
    )
    found += [f"axe {v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in violations]
    return found


@pytest.mark.parametrize("width", [390, 1366])
def test_phone_walk_pages_fit_and_pass_axe(page, live_server, seed, sign_in_as, width: int) -> None:
    from app.demo import DEMO_PASSWORD

    ids = seed(_demo)
    base = f"/sites/{ids['site']}"
    paths = [
        "/my-tasks",
        "/toolkit",
        f"{base}/documents/steering-report",
        f"/sites/{ids['afon']}/documents/steering-report",
        f"{base}/kpis",
        f"{base}/kpis/1",
        f"{base}/risks",
        f"{base}/tasks/{ids['task']}/delete",
        f"{base}/people/{ids['person']}/erase",
        f"{base}/members",
    ]
    page.set_viewport_size({"width": width, "height": 900})
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in_as("pm@example.nhs.uk", DEMO_PASSWORD, check=False)
    problems = {}
    for path in paths:
        page.goto(live_server(path))
        expect(page.locator("h1")).to_be_visible()
        name = re.sub(r"\W+", "-", path).strip("-")
        page.screenshot(path=str(SHOTS / f"phone-walk-{name}-{width}.png"), full_page=True)
        if found := _problems(page):
            problems[path] = found
    assert not problems, problems


def test_my_tasks_shows_each_tasks_rag_on_a_phone(page, live_server, seed, sign_in_as) -> None:
    """Every task's RAG is on screen at 390 px, not cut off to the right."""
    from app.demo import DEMO_PASSWORD

    seed(_demo)
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in_as("pm@example.nhs.uk", DEMO_PASSWORD, check=False)
    page.goto(live_server("/my-tasks"))
    tags = page.locator("main tbody .nhsuk-tag")
    assert tags.count() > 0
    for index in range(tags.count()):
        box = tags.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
