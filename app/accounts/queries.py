"""Looking up accounts by email address."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))
