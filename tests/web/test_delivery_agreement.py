"""A recovery plan counts for the Phase 5 and 6 criterion only once recorded as agreed at a
held steering-group meeting of its site (issue 35): the criterion, the delivery page, the
RAID entry, the meeting's minutes and the change history all read that agreement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.core.dates import today, uk_date, utcnow
from app.core.errors import ServiceError
from app.delivery import agreement, recovery
from app.delivery.facts import delivers_case
from app.delivery.models import RAMP_UP
from app.delivery.promises import add_quarters
from app.extensions import db
from app.meetings.models import AgendaItem
from app.risks.models import RaidEntry
from tests.conftest import csrf_token, sign_in
from tests.fixtures.meetings import create_meeting
from tests.web.test_delivery import THIS_QUARTER, _agree, _promise, _quarter_value


def _missed_twice(site, owner_id: int) -> RaidEntry:  # noqa: ANN001
    """An agreed case whose identification promise is missed two quarters running, and its
    recovery plan raised in the RAID log."""
    from app.delivery import queries
    from app.delivery.service import deliveries

    _agree(site)
    promised = round(_promise(site, "identified", RAMP_UP).patients)
    for n, short in ((2, 30), (1, 40)):
        _quarter_value(site, 2, add_quarters(THIS_QUARTER, -n), promised - short, 1000)
    db.session.commit()
    promises = queries.latest_promise(site.id)
    counts = queries.kpi_counts(site.id, [2], promises[0].starts_on)
    delivery = next(d for d in deliveries(promises, counts, today()) if d.key == "identified")
    entry = recovery.raise_recovery(site, delivery, owner_id, "A second nurse searches weekly.")
    db.session.commit()
    return entry


def _meetings(site, other_site) -> dict:  # noqa: ANN001
    now = utcnow().replace(microsecond=0)
    meetings = {
        "held": create_meeting(site, now - timedelta(days=10), title="March steering group"),
        "future": create_meeting(site, now + timedelta(days=10), title="April steering group"),
        "cancelled": create_meeting(
            site, now - timedelta(days=20), title="Cancelled steering group", cancelled=True
        ),
        "team": create_meeting(
            site, now - timedelta(days=5), title="Team huddle", kind="project_team"
        ),
        "other_site": create_meeting(other_site, now - timedelta(days=10), title="Their group"),
    }
    db.session.commit()
    return meetings


def test_the_criterion_counts_a_recovery_plan_only_once_a_held_steering_group_agreed_it(
    make_site, make_user, make_person, needs_for_case
) -> None:  # noqa: ANN001
    site, other_site = make_site(name="Agreement FLS"), make_site(name="Other FLS")
    needs_for_case(site)
    recorder = make_user()
    entry = _missed_twice(site, make_person(site, "Grace Okafor").id)
    meetings = _meetings(site, other_site)

    met, reason, _link = delivers_case(site)  # raised, not agreed: not met
    assert not met
    assert "no steering group meeting has agreed it yet: patients identified" in reason

    # A meeting that has not been held, was cancelled, is not the steering group's, or is
    # another site's cannot agree it: refused with the reason, by the meeting field.
    for key, words in (
        ("future", "April steering group has not been held yet"),
        ("cancelled", "Cancelled steering group was cancelled"),
        ("team", "only the steering group agrees a recovery plan"),
        ("other_site", "Choose a steering group meeting of this site."),
    ):
        with pytest.raises(ServiceError) as refused:
            agreement.record_agreement(site, entry, meetings[key].id, recorder.id, utcnow())
        assert words in refused.value.message and refused.value.field == "meeting_id", key
    assert entry.agreed_meeting_id is None

    # Written straight to the row, such a meeting still does not count.
    for key in ("future", "cancelled", "team", "other_site"):
        entry.agreed_meeting_id = meetings[key].id
        db.session.commit()
        assert not delivers_case(site).met, key

    entry.agreed_meeting_id = None
    db.session.commit()
    held = meetings["held"]
    agreement.record_agreement(site, entry, held.id, recorder.id, utcnow())
    db.session.commit()
    met, reason, _link = delivers_case(site)
    assert met and "The steering group has agreed a recovery plan" in reason
    assert (entry.agreed_recorded_by_id, entry.agreed_meeting_id) == (recorder.id, held.id)
    # The agreement is in that meeting's minutes, as a decision naming the RAID entry.
    decisions = db.session.scalars(
        select(AgendaItem.decisions).where(AgendaItem.meeting_id == held.id)
    ).all()
    assert any(f"recovery plan in the RAID log (issue #{entry.id})" in d for d in decisions)
    with pytest.raises(ServiceError, match="already recorded"):
        agreement.record_agreement(site, entry, held.id, recorder.id, utcnow())

    # Recorded against the wrong meeting, it moves: the item written into the first
    # meeting's minutes goes with it (an item someone has edited since would stay).
    later = create_meeting(site, utcnow() - timedelta(days=2), title="Extra steering group")
    agreement.record_agreement(site, entry, later.id, recorder.id, utcnow())
    db.session.commit()

    def minuted(meeting_id: int) -> bool:
        decisions = db.session.scalars(
            select(AgendaItem.decisions).where(AgendaItem.meeting_id == meeting_id)
        )
        return any(f"(issue #{entry.id})" in d for d in decisions)

    assert (minuted(held.id), minuted(later.id)) == (False, True)
    assert delivers_case(site).met
    held = later

    # The criterion reads the meeting as it is now: cancelled later, it no longer counts.
    held.cancelled = True
    db.session.commit()
    assert not delivers_case(site).met


def test_an_editor_records_the_agreement_from_the_delivery_page(
    app, make_site, make_user, add_member, make_person, needs_for_case
) -> None:  # noqa: ANN001
    site, other_site = make_site(name="Agreement FLS"), make_site(name="Other FLS")
    needs_for_case(site)
    editor, viewer = make_user(name="Priya Shah"), make_user()
    add_member(site, editor, "editor")
    add_member(site, viewer, "viewer")
    entry = _missed_twice(site, make_person(site, "Grace Okafor").id)
    meetings = _meetings(site, other_site)
    client = app.test_client()
    page = f"/sites/{site.id}/delivery"
    url = f"{page}/plans/{entry.id}/agreement"

    sign_in(client, viewer)
    html = client.get(page).get_data(as_text=True)
    assert 'id="recovery-unagreed-identified"' in html and "agree-recovery-" not in html
    assert client.get(url).status_code == 403

    sign_in(client, editor)
    html = client.get(page).get_data(as_text=True)
    assert f'href="{url}"' in html
    form = client.get(url).get_data(as_text=True)
    # Only the site's held steering-group meetings are offered.
    assert "March steering group" in form
    for key in ("future", "cancelled", "team", "other_site"):
        assert meetings[key].title not in form, key
    token = csrf_token(client, url)
    version = str(entry.version)

    response = client.post(url, data={"csrf_token": token, "meeting_id": "", "version": version})
    assert response.status_code == 422
    assert "Choose the steering group meeting that agreed the plan." in response.get_data(
        as_text=True
    )
    # An id no row could have (25 digits) is a choice to make, not a database overflow.
    data = {"csrf_token": token, "meeting_id": "9" * 25, "version": version}
    response = client.post(url, data=data)
    assert response.status_code == 422
    for key, words in (
        ("future", "has not been held yet"),
        ("other_site", "Choose a steering group meeting of this site."),
    ):
        data = {"csrf_token": token, "meeting_id": str(meetings[key].id), "version": version}
        response = client.post(url, data=data)
        assert response.status_code == 422 and words in response.get_data(as_text=True), key
    # Another site's recovery plan, or an entry that is not one, is not found here.
    other = RaidEntry(site_id=site.id, kind="issue", title="Not a plan", status="open")
    db.session.add(other)
    db.session.commit()
    assert client.get(f"{page}/plans/{other.id}/agreement").status_code == 404

    # Someone changed the plan after the form was opened: 409, nothing overwritten.
    entry.action = "Two nurses search weekly."
    db.session.commit()
    held = {"csrf_token": token, "meeting_id": str(meetings["held"].id)}
    response = client.post(url, data={**held, "version": version})
    assert response.status_code == 409
    db.session.refresh(entry)
    assert entry.agreed_meeting_id is None

    response = client.post(url, data={**held, "version": str(entry.version)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/risks/{entry.id}")
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Agreed by the steering group at" in shown
    assert "recorded by Priya Shah on" in shown
    history = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "raid_entry",
            AuditEvent.object_id == entry.id,
            AuditEvent.field == "agreed_meeting_id",
        )
    ).all()
    assert [(e.user_id, e.new_value) for e in history] == [(editor.id, str(meetings["held"].id))]
    minutes = client.get(f"/sites/{site.id}/meetings/{meetings['held'].id}").get_data(as_text=True)
    assert f"Agreed the recovery plan in the RAID log (issue #{entry.id})" in minutes
    html = client.get(page).get_data(as_text=True)
    assert 'id="recovery-agreed-identified"' in html and "March steering group" in html


def _edit_form(entry: RaidEntry, token: str, **changes: str) -> dict[str, str]:
    """The RAID entry's edit form as saved unchanged, with `changes`."""
    return {
        "csrf_token": token,
        "title": entry.title,
        "description": entry.description,
        "owner_id": str(entry.owner_id),
        "status": entry.status,
        "phase": str(entry.phase),
        "raised_on": entry.raised_on.strftime("%d/%m/%Y"),
        "review_on": "",
        "severity": entry.severity,
        "action": entry.action,
        "version": str(entry.version),
        **changes,
    }


def test_an_agreed_plan_changed_afterwards_needs_the_steering_group_to_agree_it_again(
    app, make_site, make_user, add_member, make_person, needs_for_case
) -> None:  # noqa: ANN001
    """A change to what the steering group agreed (the gap, the action, the owner) after
    its agreement was recorded: the criterion stops counting the plan, the delivery page
    and the RAID entry say it changed on that date, until the agreement is recorded again.
    Saving the entry unchanged, or changing what the group did not agree (its review date,
    its severity), leaves the agreement standing."""
    site, other_site = make_site(name="Changed plan FLS"), make_site(name="Other FLS")
    needs_for_case(site)
    editor = make_user(name="Priya Shah")
    add_member(site, editor, "editor")
    entry = _missed_twice(site, make_person(site, "Grace Okafor").id)
    held = _meetings(site, other_site)["held"]
    agreement.record_agreement(site, entry, held.id, editor.id, utcnow())
    db.session.commit()
    assert delivers_case(site).met
    client = app.test_client()
    sign_in(client, editor)
    edit = f"/sites/{site.id}/risks/{entry.id}/edit"
    page = f"/sites/{site.id}/delivery"

    form = client.get(edit).get_data(as_text=True)
    assert 'id="agreed-plan-warning"' in form  # the editor is told before changing it
    token = csrf_token(client, edit)
    for changes in ({}, {"review_on": "1/2/2027", "severity": "critical"}):
        response = client.post(edit, data=_edit_form(entry, token, **changes))
        assert response.status_code == 302, changes
        db.session.refresh(entry)
        assert entry.changed_since_agreed_at is None and delivers_case(site).met, changes

    response = client.post(
        edit, data=_edit_form(entry, token, action="Search lists monthly instead.")
    )
    assert response.status_code == 302
    db.session.refresh(entry)
    changed_on = uk_date(entry.changed_since_agreed_at)
    assert entry.agreed_meeting_id == held.id  # what was agreed, and where, is kept
    met, reason, _link = delivers_case(site)
    assert not met
    assert "changed after the steering group agreed it" in reason
    html = client.get(page).get_data(as_text=True)
    assert 'id="recovery-changed-identified"' in html and 'id="recovery-agreed-' not in html
    assert f"but it was changed on {changed_on}" in html
    assert f'href="{page}/plans/{entry.id}/agreement"' in html
    shown = client.get(f"/sites/{site.id}/risks/{entry.id}").get_data(as_text=True)
    assert f"Changed on {changed_on}, after the steering group agreed it" in shown

    # The owner handed on (someone leaving the site) is a change to the plan too, and the
    # plan stays changed since agreed whatever else changes.
    agreement.record_agreement(site, entry, held.id, editor.id, utcnow())
    db.session.commit()
    assert delivers_case(site).met
    entry.owner_id = make_person(site, "Tom Reid").id
    db.session.commit()
    assert entry.changed_since_agreed_at is not None and not delivers_case(site).met

    # Agreed again (recorded at the same meeting is allowed once the plan has changed): the
    # criterion counts it; the minutes keep what was agreed first and add the plan as it
    # now reads.
    agreement.record_agreement(site, entry, held.id, editor.id, utcnow())
    db.session.commit()
    assert entry.changed_since_agreed_at is None and delivers_case(site).met
    decisions = db.session.scalars(
        select(AgendaItem.decisions).where(AgendaItem.meeting_id == held.id)
    ).all()
    assert [d for d in decisions if f"(issue #{entry.id})" in d] == [
        f"Agreed the recovery plan in the RAID log (issue #{entry.id}): A second nurse "
        "searches weekly.",
        agreement.decision_words(entry),
    ]
    assert "Search lists monthly instead." in agreement.decision_words(entry)
    assert 'id="recovery-agreed-identified"' in client.get(page).get_data(as_text=True)
