"""Turns noted events into outbox messages in the same transaction.

The features announce what happened (a meeting booked, moved or cancelled, someone
invited or taken off, minutes issued, a gateway decision: app/notifications/events.py);
each becomes a note, and just before the commit the notes become messages, which the
commit then saves with the change. A rolled-back change sends none. New account
invitation links are still picked up after each flush.
A change is saved with all its messages or not at all: a message that cannot be written
is saved as failed (app/notifications/outbox.py), and any other error stops the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from functools import wraps

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.accounts.models import Invitation, PasswordReset
from app.core.dates import utcnow
from app.documents.models import PidRequest
from app.extensions import db
from app.gateways.models import GatewayDecision
from app.meetings.models import Meeting
from app.sites.models import MembershipOffer

log = logging.getLogger(__name__)
NOTES = "mail_notes"
# New invitation links, kept apart from NOTES so that no log line ever holds a token.
LINKS = "mail_invitation_links"
# Password reset links (kept apart for the same reason) and accounts whose password changed.
RESET_LINKS = "mail_reset_links"
PASSWORD_CHANGES = "mail_password_changes"
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


def moved_from_times(session: Session) -> dict[int, object]:
    """{meeting id: its start before the first move in this change}, for the update's
    "moved from" line."""
    return session.info.setdefault(MOVED, {})


def note_password_change(session: Session, user_id: int) -> None:
    """Remember to tell the person at the commit that their password changed."""
    if not session.info.get(MUTED):
        session.info.setdefault(PASSWORD_CHANGES, []).append(user_id)


def note(session: Session, kind: str, object_id: int, person_id: int | None = None) -> None:
    """Remember mail to queue at the commit: `kind` is request, series, cancel, removed,
    minutes, decision, pid or offer (app/notifications/events.py notes the features' events)."""
    if not session.info.get(MUTED):
        session.info.setdefault(NOTES, []).append((kind, object_id, person_id))


@event.listens_for(Session, "after_flush")
def _note_invitation_links(session: Session, _flush_context) -> None:  # noqa: ANN001
    if session.info.get(MUTED):
        return
    for obj in session.new:
        if isinstance(obj, Invitation) and getattr(obj, "link_token", None):
            session.info.setdefault(LINKS, []).append((obj.id, obj.link_token))
        elif isinstance(obj, PasswordReset) and getattr(obj, "link_token", None):
            session.info.setdefault(RESET_LINKS, []).append((obj.id, obj.link_token))


@event.listens_for(Session, "before_commit")
def _queue_messages(session: Session) -> None:
    if not any(session.info.get(key) for key in (NOTES, LINKS, RESET_LINKS, PASSWORD_CHANGES)):
        return
    session.flush()  # notes of changes not yet flushed
    notes = session.info.pop(NOTES, [])
    links = session.info.pop(LINKS, [])
    reset_links = session.info.pop(RESET_LINKS, [])
    password_changes = session.info.pop(PASSWORD_CHANGES, [])
    moved = session.info.pop(MOVED, {})
    try:
        _queue(session, notes, moved, _invited(session, links))
        _queue_links(links)
        _queue_account_mail(reset_links, password_changes)
    except Exception:
        # Never half the messages: the commit stops, and the change is not saved.
        log.exception("Could not queue mail for %s (invitations %s)", notes, [i for i, _t in links])
        raise


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(NOTES, None)
    session.info.pop(LINKS, None)
    session.info.pop(RESET_LINKS, None)
    session.info.pop(PASSWORD_CHANGES, None)
    session.info.pop(MOVED, None)


def _invited(session: Session, links: list[tuple[int, str]]) -> set[tuple[int, int | None]]:
    """(user id, site id) of each new link: its email already tells of the site's offer."""
    invitations = (session.get(Invitation, invitation_id) for invitation_id, _token in links)
    return {(i.user_id, i.site_id) for i in invitations if i is not None}


def _queue_links(links: list[tuple[int, str]]) -> None:
    from app.notifications.account_mail import queue_account_invitation

    for invitation_id, token in links:
        queue_account_invitation(invitation_id, token)


def _queue_account_mail(reset_links: list[tuple[int, str]], password_changes: list[int]) -> None:
    from app.notifications.account_mail import queue_password_changed, queue_password_reset

    for reset_id, token in reset_links:
        queue_password_reset(reset_id, token)
    for user_id in dict.fromkeys(password_changes):
        queue_password_changed(user_id)


def _queue(
    session: Session,
    notes: list[tuple[str, int, int | None]],
    moved: dict,
    invited: set[tuple[int, int | None]],
) -> None:
    from app.notifications.account_mail import queue_offer_notice
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
        if kind == "offer":
            offer = session.get(MembershipOffer, object_id)
            if offer is not None and (offer.user_id, offer.site_id) not in invited:
                queue_offer_notice(offer)
            continue
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
