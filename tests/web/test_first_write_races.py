"""409 for every first-write race (issue 28 item 12): two people creating the same per-site
row at once (both found none) meet the UNIQUE constraint; the second is told, never a 500.

The race is played by storing the other person's row just before this request's INSERT
(a `before_flush` hook), which is what the database sees when they commit in between.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from app.business_case.models import BusinessCase
from app.business_case.service import save_spec
from app.core.errors import StaleEdit
from app.documents.models import PidNarrative
from app.documents.service import save_narrative
from app.extensions import db
from app.gateways.models import CriterionConfirmation, Gateway
from app.kpis.models import KpiTarget
from app.kpis.service import set_targets
from tests.conftest import csrf_token

KEY = "start-out.stakeholders-identified"


@contextmanager
def someone_else_first(model: type, **row: object) -> Iterator[None]:
    """The first time this request is about to INSERT a `model`, another's row lands first."""
    played = False

    def _store_theirs(session: Session, _context: object, _instances: object) -> None:
        nonlocal played
        if not played and any(isinstance(obj, model) for obj in session.new):
            played = True
            session.connection().execute(insert(model).values(**row))

    event.listen(Session, "before_flush", _store_theirs)
    try:
        yield
    finally:
        event.remove(Session, "before_flush", _store_theirs)
    assert played, "the race was not played"


def test_two_first_answers_to_a_criterion_at_once_give_409(login, site_world) -> None:
    site = site_world["site"]
    client = login(site_world["editor"])
    url = f"/sites/{site.id}/gateways/1/criteria/{KEY}"
    data = {
        "state": "met",
        "note": "Mine",
        "csrf_token": csrf_token(client, f"/sites/{site.id}/gateways/1"),
    }
    theirs = {
        "site_id": site.id,
        "phase": 1,
        "criterion_key": KEY,
        "state": "not_met",
        "note": "Theirs",
        "evidence_url": "",
        "version": 1,
    }
    with someone_else_first(CriterionConfirmation, **theirs):
        response = client.post(url, data=data)
    assert response.status_code == 409
    assert "Your changes have <strong>not</strong> been saved" in response.get_data(as_text=True)
    notes = db.session.scalars(select(CriterionConfirmation.note)).all()
    assert "Mine" not in notes


def test_the_first_decision_on_a_gateway_racing_another_gives_409(login, site_world) -> None:
    site = site_world["site"]
    client = login(site_world["manager"])
    token = csrf_token(client, f"/sites/{site.id}/gateways/1")
    with someone_else_first(Gateway, site_id=site.id, phase=1, status="not_ready", version=1):
        response = client.post(
            f"/sites/{site.id}/gateways/1/request-review", data={"csrf_token": token}
        )
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("model", "theirs", "write"),
    [
        (KpiTarget, {"kpi_number": 1, "target": 40.0}, lambda site: set_targets(site, {1: 60.0})),
        (BusinessCase, {}, lambda site: save_spec(site, {"aims": "Ours"})),
        (PidNarrative, {}, lambda site: save_narrative(site, None, {"purpose": "Ours"})),
    ],
    ids=["kpi-target", "business-case", "pid-text"],
)
def test_every_first_write_race_is_a_conflict(app, make_site, model, theirs, write) -> None:  # noqa: ANN001
    site = make_site()
    columns = {c.name for c in model.__table__.columns}
    defaults = {"version": 1} if "version" in columns else {}
    race = someone_else_first(model, site_id=site.id, **defaults, **theirs)
    with race, pytest.raises(StaleEdit):
        write(site)
    # Nothing of the losing write is left in the session to be committed later.
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_following_a_site_from_two_tabs_at_once_gives_409(login, site_world) -> None:
    from app.portfolio.models import SiteFollow

    site, support = site_world["site"], site_world["support"]
    client = login(support)
    token = csrf_token(client, "/portfolio")
    with someone_else_first(SiteFollow, user_id=support.id, site_id=site.id):
        response = client.post(
            f"/portfolio/sites/{site.id}/follow", data={"follow": "1", "csrf_token": token}
        )
    assert response.status_code == 409
