"""Small things seen in the browser (#32 item 9): the plan's inline status select shows
"In progress" whole."""

from __future__ import annotations

from datetime import timedelta

from app.accounts.service import create_user
from app.core.dates import today
from app.extensions import db
from app.plan.models import Task
from app.plan.service import create_plan
from app.sites.models import Membership
from app.sites.service import SiteDetails, create_site
from tests.conftest import PASSWORD


def _world() -> dict:
    editor = create_user("editor@example.nhs.uk", "Erin Editor", PASSWORD)
    site = create_site(SiteDetails(name="Riverside FLS", organisation="Riverside NHS Trust"))
    db.session.add(Membership(site_id=site.id, user_id=editor.id, role="editor"))
    create_plan(site, "new", today() - timedelta(days=30))
    db.session.execute(db.delete(Task).where(Task.site_id == site.id, Task.phase > 1))
    task = db.session.scalars(db.select(Task).where(Task.site_id == site.id)).first()
    task.status = "in_progress"
    db.session.flush()
    return {"site": site.id, "task": task.id}


ARROW = 20


def test_the_inline_status_select_is_not_clipped(page, live_server, seed, sign_in_as) -> None:
    ids = seed(_world)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_as("editor@example.nhs.uk", check=False)
    page.goto(live_server(f"/sites/{ids['site']}/plan?edit={ids['task']}"))
    select = page.locator(f"#status-{ids['task']}")
    # The widest option, drawn in the select's own font, fits its text box.
    room, needed = select.evaluate(
        """el => {
            const style = getComputedStyle(el);
            const canvas = document.createElement("canvas").getContext("2d");
            canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const widest = Math.max(...[...el.options].map(o => canvas.measureText(o.text).width));
            const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
            const box = el.clientWidth - padding;
            return [box, widest];
        }"""
    )
    select.screenshot(path="/tmp/h9-status-select.png")
    # Chromium draws the drop-down arrow inside the box as well: about 20 px.
    assert needed + ARROW <= room, f"options need {needed:.0f}px, the select has {room:.0f}px"
