"""The plan page's faster parts (issue #23) give what the slower ones gave: the plain task
values and the owner filter's options."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta

from app.core.dates import today
from app.plan import queries, rows


def test_plain_tasks_carry_the_models_values(
    app, site_world, make_plan, make_task, make_person
) -> None:
    site = site_world["site"]
    make_plan(site)
    owner = make_person(site, "Pat Owner")
    gone = make_person(site, "Erased Person", erased=True)
    make_task(
        site,
        phase=2,
        title="Owned & dated",
        notes="some notes",
        owner_id=owner.id,
        start_date=today(),
        due_date=today() + timedelta(days=3),
        essential=True,
        milestone=True,
        reported_rag="amber",
    )
    make_task(site, phase=3, title="Owner erased", owner_id=gone.id)
    plain = queries.load_plan_tasks(site)
    models = queries.load_tasks(site)
    assert [t.id for t in plain] == [t.id for t in models]  # the same plan order
    for light, full in zip(plain, models, strict=True):
        for field in fields(light):
            if field.name == "owner":
                continue
            assert getattr(light, field.name) == getattr(full, field.name), field.name
        if full.owner is None:
            assert light.owner is None
        else:
            assert (light.owner.name, light.owner.erased) == (full.owner.name, full.owner.erased)
    # The filters read them as they read the models (the erased owner's name is not searched).
    by_title = {t.title: t for t in plain}
    assert queries.matches_text(by_title["Owned & dated"], "pat notes")
    assert not queries.matches_text(by_title["Owner erased"], "erased person")


def test_owner_options_escape_names_and_mark_the_chosen_one() -> None:
    html = rows.owner_options([(3, "Ann <b>"), (12, "Bo")], "12")
    assert html == (
        '<option value="3">Ann &lt;b&gt;</option><option value="12" selected>Bo</option>'
    )
    assert "selected" not in rows.owner_options([(3, "Ann")], "none")


def test_the_owner_filter_keeps_the_chosen_owner(login, site_world, make_plan, make_person):
    site = site_world["site"]
    make_plan(site)
    owner = make_person(site, "Pat Owner")
    client = login(site_world["viewer"])
    html = client.get(f"/sites/{site.id}/plan?owner={owner.id}").get_data(as_text=True)
    assert f'<option value="{owner.id}" selected>Pat Owner</option>' in html
    assert "Showing 0 of" in html
