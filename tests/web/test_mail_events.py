"""Mail is queued from the events features send, not inferred from row changes (#29
item 8): a data fix through the ORM sends nothing; the same change made through the
feature's service announces itself and is emailed."""

from __future__ import annotations

from datetime import time, timedelta

from app.core.dates import today
from app.extensions import db
from app.meetings import service as meetings
from app.meetings import signals
from app.meetings.models import Invitee
from app.meetings.service import MeetingDetails
from tests.fixtures.meetings import create_group, create_meeting, create_person
from tests.fixtures.notifications import outbox


def test_a_row_changed_outside_the_feature_sends_nothing(app, make_site) -> None:  # noqa: ANN001
    site = make_site(name="Riverside FLS")
    ann = create_person(site, "Ann Chair", email="ann@example.nhs.uk")
    meeting = create_meeting(site)  # a row written directly, as a data fix would
    meeting.invitees.append(Invitee(site_id=site.id, person_id=ann.id))
    db.session.commit()
    meeting.ics_sequence += 1
    meeting.cancelled = True
    db.session.commit()
    assert outbox() == []


def test_the_service_announces_each_change_and_each_is_emailed(app, make_site) -> None:  # noqa: ANN001
    site = make_site(name="Riverside FLS")
    ann = create_person(site, "Ann Chair", email="ann@example.nhs.uk")
    dan = create_person(site, "Dan Data", email="dan@example.nhs.uk")
    group = create_group(site, "Steering group", [ann])
    db.session.commit()
    heard = []

    def listen(sender, **values) -> None:  # noqa: ANN001
        heard.append((sender.id, values))

    details = MeetingDetails(
        kind="steering_group", title="Board", day=today() + timedelta(days=5),
        start=time(10), end=time(11), group_id=group.id,
    )  # fmt: skip
    with (
        signals.meeting_booked.connected_to(listen),
        signals.invitee_added.connected_to(listen),
        signals.meeting_cancelled.connected_to(listen),
    ):
        meeting = meetings.create_meeting(site, details)
        db.session.commit()
        meetings.add_invitee(meeting, dan.id)
        db.session.commit()
        meetings.cancel_meeting(meeting)
        db.session.commit()
    assert heard == [(meeting.id, {}), (meeting.id, {"person_id": dan.id}), (meeting.id, {})]
    assert [(m.kind, m.to_address) for m in outbox() if m.status != "superseded"] == [
        ("cancellation", "ann@example.nhs.uk"),
        ("cancellation", "dan@example.nhs.uk"),
    ]


def test_a_password_change_is_emailed_when_the_account_says_so(app, make_user) -> None:  # noqa: ANN001
    from app.accounts import service as accounts
    from app.accounts.service import hash_password
    from app.core.dates import utcnow

    user = make_user(email="kim@example.nhs.uk")
    user.last_login_at = utcnow()
    db.session.commit()
    user.password_hash = hash_password("a data fix, not a person")  # through the ORM
    db.session.commit()
    assert outbox(kind="password_changed") == []
    accounts.require_reset(user)  # an administrator blanks it: the reset email explains
    db.session.commit()
    assert outbox(kind="password_changed") == []
    user.password_hash = hash_password("correct horse battery")
    db.session.commit()
    accounts.change_password(user, "correct horse battery", "a brand new passphrase")
    db.session.commit()
    assert [m.to_address for m in outbox(kind="password_changed")] == ["kim@example.nhs.uk"]
