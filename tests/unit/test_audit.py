"""The change history keeps old values, even for records loaded before a commit."""

from sqlalchemy import select

from app.core.audit import AuditEvent
from app.extensions import db


def test_old_value_is_kept_after_attributes_expired(app, make_site) -> None:
    site = make_site(name="Before FLS")  # committed: every attribute is now expired
    site.name = "After FLS"
    db.session.commit()
    row = db.session.scalar(
        select(AuditEvent).where(AuditEvent.object_type == "site", AuditEvent.field == "name")
    )
    assert (row.old_value, row.new_value) == ("Before FLS", "After FLS")
