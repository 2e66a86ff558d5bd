"""The demo and benchmark people load, and give the coverage page something to show."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo import seed_bench, seed_demo
from app.extensions import db
from app.people.models import GroupMember, Person
from app.people.queries import site_coverage


def test_demo_people(app) -> None:
    ctx = seed_demo()
    db.session.commit()
    for key, site in ctx.sites.items():
        count = db.session.scalar(select(func.count(Person.id)).where(Person.site_id == site.id))
        assert 8 <= count <= 15, (key, count)
    riverside = site_coverage(ctx.sites["riverside"], ensure_groups=False)
    assert not riverside.vacant_roles
    assert riverside.patients_met
    lough = site_coverage(ctx.sites["loughshore"], ensure_groups=False)
    assert {r.key for r in lough.vacant_roles} >= {"lead-consultant", "data-analyst"}
    pm = db.session.scalar(
        select(Person).where(
            Person.site_id == ctx.sites["riverside"].id, Person.user_id == ctx.users["pm"].id
        )
    )
    assert pm.name == "Priya Shah" and pm.email == ctx.users["pm"].email


def test_bench_people(app) -> None:
    (site,) = seed_bench(1, 60)
    db.session.commit()
    assert db.session.scalar(select(func.count(Person.id)).where(Person.site_id == site.id)) == 20
    members = db.session.scalar(
        select(func.count(GroupMember.id)).where(GroupMember.site_id == site.id)
    )
    assert members == 20 + 7 + 4
