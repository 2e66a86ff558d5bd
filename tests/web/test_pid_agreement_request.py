"""A manager asks the sponsor to agree the PID: the sponsor is emailed and finds it on their
home page; their answer (agreed, or not yet and why) is mailed back to the manager."""

from __future__ import annotations

from app.documents.models import PidRequest
from app.extensions import db
from tests.conftest import csrf_token
from tests.fixtures.notifications import outbox, parsed


def _post(client, site, path: str, data: dict | None = None):  # noqa: ANN001, ANN202
    page = f"/sites/{site.id}/documents"
    return client.post(
        f"{page}/{path}", data={"csrf_token": csrf_token(client, page), **(data or {})}
    )


def test_ask_then_the_sponsor_agrees_and_the_manager_hears(login, site_world) -> None:
    site = site_world["site"]
    manager = login(site_world["manager"])
    assert _post(manager, site, "ask").status_code == 302
    to_sponsor = outbox(kind="pid_request", to_address=site_world["sponsor"].email)
    assert len(to_sponsor) == 1
    body = parsed(to_sponsor[0]).get_body().get_content()
    assert f"/sites/{site.id}/documents#agree" in body
    again = _post(manager, site, "ask")
    assert again.status_code == 302 and len(outbox(kind="pid_request")) == 2  # no new request
    assert db.session.query(PidRequest).count() == 1
    page = manager.get(f"/sites/{site.id}/documents").get_data(as_text=True)
    assert f"by {site_world['manager'].name}, and has not answered yet" in page

    sponsor = login(site_world["sponsor"])
    home = sponsor.get("/").get_data(as_text=True)
    assert "The PID</a> at" in home and "waiting for you to agree it" in home
    agreed = _post(sponsor, site, "agree", {"number": "v1.0", "agreed_on": "1/12/2026"})
    assert agreed.status_code == 302
    (answer,) = outbox(kind="pid_decision")
    assert answer.to_address == site_world["manager"].email
    assert "The sponsor agreed PID v1.0" in parsed(answer).get_body().get_content()
    assert "waiting for you to agree it" not in sponsor.get("/").get_data(as_text=True)


def test_the_sponsor_can_say_not_yet_with_a_reason(login, site_world) -> None:
    site = site_world["site"]
    _post(login(site_world["manager"]), site, "ask")
    sponsor = login(site_world["sponsor"])
    bare = _post(sponsor, site, "decline", {"comments": " "})
    assert bare.status_code == 422 and "Say what needs to change" in bare.get_data(as_text=True)
    ok = _post(sponsor, site, "decline", {"comments": "Add the DXA costs."})
    assert ok.status_code == 302
    (answer,) = outbox(kind="pid_decision")
    assert "Add the DXA costs." in parsed(answer).get_body().get_content()
    assert db.session.query(PidRequest).one().status == "declined"
