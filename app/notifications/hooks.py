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

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.accounts.models import Invitation
from app.core.dates import utcnow
from app.extensions import db
from app.gateways.models import GatewayDecision
from app.meetings.models import Meeting
from app.sites.models import MembershipOffer

log = logging.getLogger(__name__)
NOTES = "mail_notes"
# New invitation links, kept apart from NOTES so that no log line ever holds a token.
LINKS = "mail_invitation_links"
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


def note(session: Session, kind: str, object_id: int, person_id: int | None = None) -> None:
    """Remember mail to queue at the commit: `kind` is request, cancel, removed, minutes,
    decision or offer (app/notifications/events.py notes the features' events)."""
    if not session.info.get(MUTED):
        session.info.setdefault(NOTES, []).append((kind, object_id, person_id))


@event.listens_for(Session, "after_flush")
def _note_invitation_links(session: Session, _flush_context) -> None:  # noqa: ANN001
    if session.info.get(MUTED):
        return
    for obj in session.new:
        if isinstance(obj, Invitation) and getattr(obj, "link_token", None):
            session.info.setdefault(LINKS, []).append((obj.id, obj.link_token))


@event.listens_for(Session, "before_commit")
def _queue_messages(session: Session) -> None:
    if not session.info.get(NOTES) and not session.info.get(LINKS):
        return
    session.flush()  # notes of changes not yet flushed
    notes = session.info.pop(NOTES, [])
    links = session.info.pop(LINKS, [])
    try:
        _queue(session, notes, _invited(session, links))
        _queue_links(links)
    except Exception:
        # Never half the messages: the commit stops, and the change is not saved.
        log.exception("Could not queue mail for %s (invitations %s)", notes, [i for i, _t in links])
        raise


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(NOTES, None)
    session.info.pop(LINKS, None)


def _invited(session: Session, links: list[tuple[int, str]]) -> set[tuple[int, int | None]]:
    """(user id, site id) of each new link: its email already tells of the site's offer."""
    invitations = (session.get(Invitation, invitation_id) for invitation_id, _token in links)
    return {(i.user_id, i.site_id) for i in invitations if i is not None}


def _queue_links(links: list[tuple[int, str]]) -> None:
    from app.notifications.account_mail import queue_account_invitation

    for invitation_id, token in links:
        queue_account_invitation(invitation_id, token)


def _queue(
    session: Session,
    notes: list[tuple[str, int, int | None]],
    invited: set[tuple[int, int | None]],
) -> None:
    from app.notifications.account_mail import queue_offer_notice
    from app.notifications.invitations import queue_calendar, queue_minutes
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
        meeting = session.get(Meeting, object_id)
        if meeting is None:
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
            queue_calendar(meeting, "REQUEST")
        elif ("request", object_id) not in whole and not meeting.cancelled:
            queue_calendar(meeting, "REQUEST", {person_id})
