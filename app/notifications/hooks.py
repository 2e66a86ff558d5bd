"""Turns saved changes into outbox messages in the same transaction.

After each flush we note what happened (a meeting booked, moved or cancelled, someone
invited or taken off, minutes issued, a gateway decision); just before the commit the
notes become messages, which the commit then saves with the change. Any code path that
books a meeting or records a decision sends its mail, and a rolled-back change sends none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from functools import wraps

from flask import current_app
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from app.accounts.models import Invitation
from app.core.dates import utcnow
from app.documents.models import PidRequest
from app.extensions import db
from app.gateways.models import GatewayDecision
from app.meetings.models import Invitee, Meeting

log = logging.getLogger(__name__)
NOTES = "mail_notes"
# New invitation links, kept apart from NOTES so that no log line ever holds a token.
LINKS = "mail_invitation_links"
# {meeting id: its start before this change}, so an update can say the old time.
MOVED = "mail_moved_from"
MUTED = "mail_muted"


@contextmanager
def muted():
    """No mail for changes made inside (demo and benchmark data)."""
    db.session.info[MUTED] = True
    try:
        yield
    finally:
        db.session.info.pop(MUTED, None)


def without_mail(function: Callable) -> Callable:
    """Run `function` (a data loader) muted; its changes are flushed before mail resumes."""

    @wraps(function)
    def muted_call(*args, **kwargs):  # noqa: ANN202
        with muted():
            result = function(*args, **kwargs)
            db.session.flush()
        return result

    return muted_call


def _changed(obj: object, attribute: str) -> bool:
    return inspect(obj).attrs[attribute].history.has_changes()


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _flush_context) -> None:  # noqa: ANN001
    if session.info.get(MUTED):
        return
    notes = session.info.setdefault(NOTES, [])
    new_meetings = {obj.id for obj in session.new if isinstance(obj, Meeting)}
    for obj in session.new:
        if isinstance(obj, Meeting):
            notes.append(("series" if obj.series_uid else "request", obj.id, None))
        elif isinstance(obj, Invitee) and obj.meeting_id not in new_meetings:
            notes.append(("request", obj.meeting_id, obj.person_id))
        elif isinstance(obj, GatewayDecision):
            notes.append(("decision", obj.id, None))
        elif isinstance(obj, PidRequest):
            notes.append(("pid", obj.id, None))
        elif isinstance(obj, Invitation) and getattr(obj, "link_token", None):
            session.info.setdefault(LINKS, []).append((obj.id, obj.link_token))
    for obj in session.dirty:
        if isinstance(obj, PidRequest) and _changed(obj, "status"):
            notes.append(("pid", obj.id, None))
        if isinstance(obj, Meeting):
            starts = inspect(obj).attrs["starts_at"].history
            if starts.deleted and starts.deleted[0] is not None:
                session.info.setdefault(MOVED, {}).setdefault(obj.id, starts.deleted[0])
            if _changed(obj, "ics_sequence"):
                notes.append(("cancel" if obj.cancelled else "request", obj.id, None))
            if _changed(obj, "minutes_issued_at") and obj.minutes_issued_at is not None:
                notes.append(("minutes", obj.id, None))
            # Taken off the list (removed from the collection, deleted as an orphan).
            for invitee in inspect(obj).attrs["invitees"].history.deleted:
                notes.append(("removed", obj.id, invitee.person_id))
    for obj in session.deleted:  # deleted outright (a repeat of the above is skipped later)
        if isinstance(obj, Invitee):
            notes.append(("removed", obj.meeting_id, obj.person_id))


@event.listens_for(Session, "before_commit")
def _queue_messages(session: Session) -> None:
    if not session.info.get(NOTES) and not session.info.get(LINKS):
        return
    session.flush()  # notes of changes not yet flushed
    notes = session.info.pop(NOTES, [])
    links = session.info.pop(LINKS, [])
    moved = session.info.pop(MOVED, {})
    try:
        _queue(session, notes, moved)
        _queue_links(links)
    except Exception:
        # Mail must not stop the change being saved; the failure is logged for the admins.
        log.exception("Could not queue mail for %s (invitations %s)", notes, [i for i, _t in links])
        if current_app.testing:
            raise


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(NOTES, None)
    session.info.pop(LINKS, None)
    session.info.pop(MOVED, None)


def _queue_links(links: list[tuple[int, str]]) -> None:
    from app.notifications.account_mail import queue_account_invitation

    for invitation_id, token in links:
        queue_account_invitation(invitation_id, token)


def _queue(session: Session, notes: list[tuple[str, int, int | None]], moved: dict) -> None:
    from app.notifications.invitations import queue_calendar, queue_minutes, queue_series
    from app.notifications.pid_mail import queue_pid_mail
    from app.notifications.reviews import queue_decision_mail

    # A meeting's whole-list invitation covers anyone invited in the same change.
    whole = {(kind, meeting_id) for kind, meeting_id, person in notes if person is None}
    done: set[tuple] = set()
    for kind, object_id, person_id in notes:
        if (kind, object_id, person_id) in done:
            continue
        done.add((kind, object_id, person_id))
        if kind == "decision":
            decision = session.get(GatewayDecision, object_id)
            if decision is not None:
                queue_decision_mail(decision)
            continue
        if kind == "pid":
            asked = session.get(PidRequest, object_id)
            if asked is not None:
                queue_pid_mail(asked)
            continue
        meeting = session.get(Meeting, object_id)
        if meeting is None:
            continue
        if kind == "series":  # one invitation for every meeting of the series booked now
            if ("series", meeting.series_uid, None) not in done:
                done.add(("series", meeting.series_uid, None))
                booked = list(
                    session.scalars(
                        select(Meeting)
                        .where(Meeting.series_uid == meeting.series_uid)
                        .order_by(Meeting.starts_at)
                    )
                )
                if booked[-1].ends_at >= utcnow():
                    queue_series(booked)
            continue
        if kind == "minutes":
            queue_minutes(meeting)
        elif kind == "removed":
            queue_calendar(meeting, "CANCEL", {person_id}, removed=True)
        elif meeting.ends_at < utcnow():
            continue  # a meeting recorded after it happened needs no invitation
        elif kind == "cancel":
            queue_calendar(meeting, "CANCEL")
        elif person_id is None:
            queue_calendar(meeting, "REQUEST", moved_from=moved.get(object_id))
        elif ("request", object_id) not in whole and not meeting.cancelled:
            queue_calendar(meeting, "REQUEST", {person_id})
