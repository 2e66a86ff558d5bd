"""Mail from the events the features send (app/meetings/signals.py,
app/gateways/signals.py, app/sites/signals.py): each event becomes a note in the session,
and the notes become outbox messages just before the commit (app/notifications/hooks.py),
so a change is saved with all its messages and a rolled-back change sends none. Only what
a feature announces sends mail: a row changed some other way (a data fix, a bulk load)
sends nothing."""

from __future__ import annotations

from app.accounts.signals import password_changed
from app.documents import signals as pid_agreement
from app.extensions import db
from app.gateways.signals import decision_recorded
from app.meetings import signals as meeting
from app.notifications.hooks import moved_from_times, note, note_password_change
from app.sites.signals import access_offered


@meeting.meeting_booked.connect
def _booked(sender, **_values) -> None:  # noqa: ANN001
    note(db.session, "request", sender.id)


@meeting.series_booked.connect
def _series(sender, **_values) -> None:  # noqa: ANN001
    note(db.session, "series", sender.id)


@meeting.meeting_moved.connect
def _moved(sender, moved_from=None, **_values) -> None:  # noqa: ANN001
    note(db.session, "request", sender.id)
    moved_from_times(db.session).setdefault(sender.id, moved_from)


@meeting.meeting_cancelled.connect
def _cancelled(sender, **_values) -> None:  # noqa: ANN001
    note(db.session, "cancel", sender.id)


@meeting.invitee_added.connect
def _invited(sender, person_id: int, **_values) -> None:  # noqa: ANN001
    note(db.session, "request", sender.id, person_id)


@meeting.invitee_removed.connect
def _uninvited(sender, person_id: int, **_values) -> None:  # noqa: ANN001
    note(db.session, "removed", sender.id, person_id)


@meeting.minutes_issued.connect
def _minutes(sender, **_values) -> None:  # noqa: ANN001
    note(db.session, "minutes", sender.id)


@decision_recorded.connect
def _decision(sender, **_values) -> None:  # noqa: ANN001
    note(db.session, "decision", sender.id)


@pid_agreement.agreement_asked.connect
@pid_agreement.agreement_answered.connect
def _pid_agreement(sender, **_values) -> None:  # noqa: ANN001
    note(db.session, "pid", sender.id)


@access_offered.connect
def _offered(sender, **_values) -> None:  # noqa: ANN001
    note(db.session, "offer", sender.id)


@password_changed.connect
def _password_changed(sender, **_values) -> None:  # noqa: ANN001
    note_password_change(db.session, sender.id)
