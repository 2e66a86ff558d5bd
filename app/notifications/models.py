"""The outbox of email waiting to go, each user's choice of email, and opted-out addresses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.dates import utcnow
from app.extensions import db

# queued -> sending -> sent, or back to queued with a later try, or failed after the last
# try; superseded when a newer version of the same message (a moved meeting) replaced it.
OUTBOX_STATUSES = {
    "queued": "Waiting to send",
    "sending": "Sending",
    "sent": "Sent",
    "failed": "Failed",
    "superseded": "Replaced by a newer version",
}
MESSAGE_KINDS = {
    "invitation": "Meeting invitation",
    "cancellation": "Meeting cancelled",
    "agenda": "Agenda",
    "minutes": "Minutes",
    "review_request": "Gateway review request",
    "decision": "Gateway decision",
    "pid_request": "PID agreement request",
    "pid_decision": "PID agreement answer",
    "digest": "Reminder digest",
    "account_invitation": "Invitation to sign in",
    "access_offer": "Access to a site offered",
    "password_reset": "Password reset link",
    "password_changed": "Password changed",
}
# How often the reminder digest comes (MailPreference.frequency). Only the digest:
# what someone must act on (gateway mail, meeting mail, account mail) has its own choice.
FREQUENCIES = {
    "immediate": "Daily, on days when something is overdue or due within a week",
    "weekly": "One weekly summary (Mondays)",
    "none": "No reminder emails",
}
# The kinds of email someone can stop, each with its own unsubscribe link (the token's
# scope) and its own choice on /account/email. Account mail (an invitation to sign in) is
# not among them: it is sent only when someone asks for it and cannot be switched off.
MAIL_CHOICES = {
    "digest": "reminder emails about your overdue and soon-due tasks and actions",
    "gateways": "gateway review requests and decisions",
    "meetings": "meeting invitations, agendas and minutes",
}


class MailPart(db.Model):
    """Content several messages carry, stored once by its SHA-256: a meeting's agenda .docx
    sent to all its invitees, an invitation's calendar. Deleted when no message uses it."""

    __tablename__ = "mail_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxAttachment(db.Model):
    """One attachment of one message: its name and type, and its bytes either in a shared
    MailPart or, for a document the app can write again (`document`, e.g. "agenda:12"),
    written when the message is sent (app/notifications/stored.py DOCUMENTS)."""

    __tablename__ = "mail_outbox_attachments"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("mail_outbox.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("mail_parts.id"), index=True)
    document: Mapped[str | None] = mapped_column(String(60))
    filename: Mapped[str] = mapped_column(String(200))
    maintype: Mapped[str] = mapped_column(String(40))
    subtype: Mapped[str] = mapped_column(String(120))


class OutboxMessage(db.Model):
    """One email to one recipient, saved with the change that causes it as what the
    message is made of (recipient, subject, text, scope, shared calendar and attachments);
    the sender builds the message itself when it sends it (app/notifications/sender.py).
    `message` holds the whole message only for rows queued before #34."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    # Messages with the same thread replace each other while unsent (a meeting moved twice).
    thread: Mapped[str] = mapped_column(String(120), default="", index=True)
    # Set for messages that must go at most once (a day's digest, a meeting's agenda).
    once_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_address: Mapped[str] = mapped_column(String(254))
    # Whole: the message is built from it when sent (a meeting title and a site name can
    # each run to 200 characters).
    subject: Mapped[str] = mapped_column(Text)
    recipient_name: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(String(12), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    calendar_id: Mapped[int | None] = mapped_column(ForeignKey("mail_parts.id"), index=True)
    calendar_method: Mapped[str] = mapped_column(String(10), default="")
    calendar_name: Mapped[str] = mapped_column(String(200), default="")
    # The page the message is about: its HTML part's one button (labelled `button`) and
    # the plain text's last link (compose.Draft).
    link: Mapped[str | None] = mapped_column(Text)
    button: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    status: Mapped[str] = mapped_column(String(12), default="queued")
    # The token of the sender run holding a "sending" message (app/notifications/sender.py);
    # next_attempt_at is then the time the claim was made or last renewed.
    claim: Mapped[str | None] = mapped_column(String(32))
    tries: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    calendar: Mapped[MailPart | None] = relationship(lazy="raise")
    attachments: Mapped[list[OutboxAttachment]] = relationship(
        order_by=OutboxAttachment.position, lazy="raise", passive_deletes=True
    )

    @property
    def kind_name(self) -> str:
        return MESSAGE_KINDS.get(self.kind, self.kind)

    @property
    def status_name(self) -> str:
        return OUTBOX_STATUSES.get(self.status, self.status)


class MailPreference(db.Model):
    """A user's email choices (no row: daily reminders and gateway mail)."""

    __tablename__ = "mail_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # The reminder digest: immediate (daily), weekly or none.
    frequency: Mapped[str] = mapped_column(String(10), default="immediate")
    # Gateway review requests and decisions, straight away; switched off only by this
    # choice or the unsubscribe link of a gateway email, never by the digest's.
    gateway_mail: Mapped[bool] = mapped_column(default=True, server_default=true())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MailOptOut(db.Model):
    """An address that asked for no more meeting mail (invitations, agendas, minutes)."""

    __tablename__ = "mail_opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
