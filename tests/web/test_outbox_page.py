"""The administrators' email outbox (/admin/mail): found by the walk of every page (#32)."""

from __future__ import annotations

import re

from app.accounts.resets import issue_reset
from app.extensions import db


def test_the_outbox_names_account_mail_in_words_and_stacks_on_a_phone(login, site_world) -> None:
    issue_reset(site_world["viewer"])  # queues a password reset email
    db.session.commit()
    html = login(site_world["admin"]).get("/admin/mail").get_data(as_text=True)
    assert "Password reset link" in html and "password_reset" not in html
    # A card per message on a phone: the table stacks, each cell says its column.
    assert re.search(r'<table class="[^"]*\bapp-stack\b', html)
    for label in ("To", "Status", "Tries", "Last error"):
        assert f'data-label="{label}"' in html
