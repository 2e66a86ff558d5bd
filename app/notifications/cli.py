"""`flask send-mail [--once]` and `flask send-reminders`."""

from __future__ import annotations

import time
from datetime import datetime

import click
from flask import Flask, current_app

from app.core.dates import london_to_utc, to_london, utcnow
from app.extensions import db
from app.notifications.reminders import send_reminders
from app.notifications.sender import send_due
from app.portfolio.delivery_shares import recompute_out_of_date
from app.portfolio.task_counts import recount_out_of_date


def register_mail_commands(app: Flask) -> None:
    @app.cli.command("send-mail")
    @click.option("--once", is_flag=True, help="Send what is due, then stop (for cron).")
    def send_mail(once: bool) -> None:
        """Deliver the outbox: by SMTP, or as .eml files when MAIL_SERVER is not set."""
        while True:
            outcome = send_due()
            db.session.remove()  # a fresh session each round: nothing cached goes stale
            if once or outcome.sent or outcome.retried or outcome.failed:
                click.echo(
                    f"Sent {outcome.sent}, to retry {outcome.retried}, failed {outcome.failed}."
                )
            if once:
                return
            time.sleep(current_app.config["MAIL_POLL_SECONDS"])

    @app.cli.command("send-reminders")
    @click.option(
        "--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="Run as if it were this day."
    )
    def reminders(on: datetime | None) -> None:
        """Queue each owner's digest and the agendas due out; twice in a day adds nothing."""
        now = london_to_utc(on.replace(hour=7)) if on else utcnow()
        digests, agendas = send_reminders(now)
        db.session.commit()
        click.echo(f"Queued {digests} digests and {agendas} agenda emails.")
        # The day's portfolio task counts ("overdue" moves with the date), taken here
        # rather than by the day's first viewer.
        recounted = recount_out_of_date(to_london(now).date())
        click.echo(f"Task counts taken again for {recounted} sites.")
        # The day's delivery shares too (the quarters move with the date).
        shared = recompute_out_of_date(to_london(now).date())
        click.echo(f"Delivery shares taken again for {shared} sites.")
