"""A plan made with the site can be made again until work is recorded on it."""

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.plan.models import Plan, Task
from tests.conftest import csrf_token, sign_in


def _rebuild(client, site, start: str = "1/6/2026"):  # noqa: ANN001, ANN202
    url = f"/sites/{site.id}/plan/rebuild"
    data = {"service_kind": "improving", "start_date": start, "csrf_token": csrf_token(client, url)}
    return client.post(url, data=data)


def test_a_plan_without_work_is_rebuilt_from_the_new_start(client, site_world, make_plan) -> None:
    site = site_world["site"]
    make_plan(site, "new", date(2026, 1, 5))
    sign_in(client, site_world["manager"])
    assert _rebuild(client, site).status_code == 302
    plan = db.session.scalar(select(Plan).where(Plan.site_id == site.id))
    assert (plan.service_kind, plan.start_date) == ("improving", date(2026, 6, 1))
    first = db.session.scalar(select(func.min(Task.start_date)).where(Task.site_id == site.id))
    assert first >= date(2026, 6, 1)


def test_a_plan_with_work_on_it_is_not_rebuilt(
    client, site_world, make_plan, make_stakeholder
) -> None:
    site = site_world["site"]
    make_plan(site, "new", date(2026, 1, 5))
    task = db.session.scalars(select(Task).where(Task.site_id == site.id)).first()
    task.owner_id = make_stakeholder(site, name="Owner Person").id
    db.session.commit()
    sign_in(client, site_world["manager"])
    page = client.get(f"/sites/{site.id}/plan/rebuild").get_data(as_text=True)
    assert "Work is already recorded on 1 task" in page
    response = _rebuild(client, site)
    assert response.status_code == 422
    assert db.session.scalar(select(Plan.service_kind).where(Plan.site_id == site.id)) == "new"
