"""Change history: one row per changed field of audited models, plus security events.

The listener runs after each flush, when new rows have their ids and attribute history
still holds the old values, and writes every row for that flush in one INSERT.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import ForeignKey, Index, String, Text, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.dates import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

# Columns that change on every save and would only add noise to a history.
NEVER_AUDITED = {"id", "version", "created_at", "updated_at", "site_id"}
# History rows that change a site's content (not sign-ins, refusals, exports or merges of
# records): the site's history page lists them and the portfolio's "last change" is the newest.
CHANGE_ACTIONS = ("create", "update", "delete")


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_site_at", "site_id", "at"),
        # A site's newest row (the documents' "latest change"): ORDER BY id DESC LIMIT 1
        # reads one index entry, where the primary key walked every site's history (#34).
        Index("ix_audit_events_site_id_id", "site_id", "id"),
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_action_at", "action", "at"),
        Index("ix_audit_events_parent", "parent_type", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(30))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    label: Mapped[str | None] = mapped_column(String(300))
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(String(500))
    # The record this one belongs to (a mitigation's RAID entry), by id, so the owner's
    # page lists its parts' history, deleted parts too, without reading labels.
    parent_type: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[int | None]


def _keep_old_value(_target, value, _old, _initiator):  # noqa: ANN001, ANN202
    return value


class Audited:
    """Mixin: changes to this model's columns are written to the history.

    `audit_type` names the object in the history; `audit_label()` is the human label kept
    with each row, so a deleted record's history still reads well.
    """

    audit_type: str = ""
    audit_exclude: frozenset[str] = frozenset()

    @classmethod
    def __declare_last__(cls) -> None:
        # Load a column's stored value before it is overwritten, so the history always has
        # the old value, even for a record whose attributes expired after a commit.
        for attr in inspect(cls).column_attrs:
            if attr.key not in NEVER_AUDITED:
                event.listen(getattr(cls, attr.key), "set", _keep_old_value, active_history=True)

    def audit_label(self) -> str:
        return getattr(self, "title", None) or getattr(self, "name", None) or f"#{self.id}"

    def audit_site_id(self) -> int | None:
        return getattr(self, "site_id", None)

    def audit_parent(self) -> tuple[str, int] | None:
        """(object type, id) of the record this one is part of, or None."""
        return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


_SYSTEM_ACTING: ContextVar[bool] = ContextVar("system_acting", default=False)


@contextmanager
def acting_as_system() -> Iterator[None]:
    """History rows written inside are the app's own (no user), even during a request:
    for changes the app makes from facts it checks, not on anyone's say-so."""
    token = _SYSTEM_ACTING.set(True)
    try:
        yield
    finally:
        _SYSTEM_ACTING.reset(token)


def current_actor_id() -> int | None:
    if _SYSTEM_ACTING.get() or not has_request_context():
        return None
    try:
        return current_user.id if current_user.is_authenticated else None
    except AttributeError:
        return None


def _object_type(obj: Audited) -> str:
    return obj.audit_type or type(obj).__name__.lower()


def _rows_for(obj: Audited, action: str, at: datetime, user_id: int | None) -> list[dict]:
    parent_type, parent_id = obj.audit_parent() or (None, None)
    base = {
        "at": at,
        "user_id": user_id,
        "site_id": obj.audit_site_id(),
        "action": action,
        "object_type": _object_type(obj),
        "object_id": obj.id,
        "label": (obj.audit_label() or "")[:300],
        "field": None,
        "old_value": None,
        "new_value": None,
        "detail": None,
        "parent_type": parent_type,
        "parent_id": parent_id,
    }
    if action != "update":
        return [base]
    rows = []
    state = inspect(obj)
    skip = NEVER_AUDITED | obj.audit_exclude
    for attr in state.mapper.column_attrs:
        if attr.key in skip:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if _as_text(old) == _as_text(new):
            continue
        rows.append(
            base | {"field": attr.key, "old_value": _as_text(old), "new_value": _as_text(new)}
        )
    return rows


@event.listens_for(Session, "after_flush")
def _write_history(session: Session, _flush_context) -> None:  # noqa: ANN001
    at = utcnow()
    user_id = None
    rows: list[dict] = []
    changed = (
        [(obj, "create") for obj in session.new]
        + [(obj, "update") for obj in session.dirty]
        + [(obj, "delete") for obj in session.deleted]
    )
    for obj, action in changed:
        if not isinstance(obj, Audited):
            continue
        if action == "update" and not session.is_modified(obj, include_collections=False):
            continue
        if user_id is None:
            user_id = current_actor_id()
        rows.extend(_rows_for(obj, action, at, user_id))
    if rows:
        # RETURNING makes SQLAlchemy send the rows as one statement ("insertmanyvalues",
        # up to 1,000 rows a statement), not one a row: PostgreSQL's history trigger then
        # runs once a flush, not once a row.
        table = AuditEvent.__table__
        session.connection().execute(table.insert().returning(table.c.id), rows)


def record_event(
    action: str,
    *,
    user_id: int | None = None,
    site_id: int | None = None,
    detail: str | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    label: str | None = None,
) -> AuditEvent:
    """A security or data-protection event (login, denied request, export): added, not committed."""
    entry = AuditEvent(
        at=utcnow(),
        user_id=user_id if user_id is not None else current_actor_id(),
        site_id=site_id,
        action=action,
        detail=(detail or "")[:500] or None,
        object_type=object_type,
        object_id=object_id,
        label=label,
    )
    db.session.add(entry)
    return entry


def history_for(object_type: str, object_id: int, site_id: int | None = None) -> list[AuditEvent]:
    """Every history row of one object, oldest first (one query)."""
    query = db.select(AuditEvent).where(
        AuditEvent.object_type == object_type, AuditEvent.object_id == object_id
    )
    if site_id is not None:
        query = query.where(AuditEvent.site_id == site_id)
    return list(db.session.scalars(query.order_by(AuditEvent.at, AuditEvent.id)))
