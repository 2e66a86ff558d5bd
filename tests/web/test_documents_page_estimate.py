"""The documents page counts the PID's pages once per change to the site, not on every view."""

from __future__ import annotations

from app.documents import pid
from app.extensions import db


def test_pages_counted_once_until_the_site_changes(
    login, site_world, make_plan, make_task, monkeypatch
) -> None:
    site = site_world["site"]
    make_plan(site)
    builds = []
    real_build = pid.build_pid
    monkeypatch.setattr(pid, "build_pid", lambda content: builds.append(1) or real_build(content))
    client = login(site_world["editor"])

    for _ in range(3):
        page = client.get(f"/sites/{site.id}/documents")
        assert page.status_code == 200 and "page" in page.text
    assert len(builds) == 1

    make_task(site, title="Agree the referral pathway with the orthogeriatricians")
    db.session.commit()
    assert client.get(f"/sites/{site.id}/documents").status_code == 200
    assert len(builds) == 2
