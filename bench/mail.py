"""The mail benchmark: queue 10,000 messages in bulk and deliver them to a local SMTP server.

    make mail-bench       (or: FLS_ENV=test python -m bench.mail [--messages 10000]
                           [--database-url postgresql+psycopg://...])

On a throwaway SQLite file unless --database-url names an empty database (its tables are
created and the outbox emptied first). One message in ten carries the same 38 KB
attachment (the shape of a meeting's minutes to its invitees), stored once. The sender
runs as `flask send-mail --once` does, in batches of MAIL_BATCH_SIZE over one SMTP
connection each, against aiosmtpd on 127.0.0.1. It prints the time to queue, the outbox's
growth, the time to deliver, messages a second and connections opened, and fails when
delivery takes 5 minutes or more or any message is missing. Nothing leaves this machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import func, select, text

from app.extensions import db
from app.notifications import sender
from app.notifications.compose import Attachment, Draft, Recipient
from app.notifications.models import MailPart, OutboxAttachment, OutboxMessage
from app.notifications.outbox import Queued, queue_many
from bench.serve import free_port
from tests.conftest import make_app

TARGET_SECONDS = 300
ATTACHMENT = Attachment("minutes.docx", os.urandom(38_000), "application", "octet-stream")


class Counter:
    """An SMTP server that counts what it receives and the connections made to it."""

    def __init__(self) -> None:
        self.messages = 0
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: ANN001, ANN201, N802
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        self.messages += 1
        return "250 OK"


def _entries(count: int) -> list[Queued]:
    text_lines = "\n".join(f"- Task: Review the pathway step {n} (due 1/12/2026)" for n in range(8))
    return [
        Queued(
            None,
            "digest" if n % 10 else "minutes",
            Recipient(f"Reader {n}", f"reader{n}@example.nhs.uk"),
            Draft(
                f"Your FLS Tracker reminders {n}",
                f"What is waiting for you:\n{text_lines}",
                attachments=[] if n % 10 else [ATTACHMENT],
            ),
            "digest",
            f"bench:{n}",
        )
        for n in range(count)
    ]


def _outbox_bytes() -> int:
    if db.engine.dialect.name == "postgresql":
        tables = ("mail_outbox", "mail_parts", "mail_outbox_attachments")
        return sum(
            db.session.scalar(text(f"SELECT pg_total_relation_size('{table}')")) for table in tables
        )
    path = db.engine.url.database
    files = [Path(path), Path(f"{path}-wal")] if path else []
    return sum(file.stat().st_size for file in files if file.exists())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fls-mail-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'mail.sqlite'}"
    port = free_port()
    app = make_app(
        SQLALCHEMY_DATABASE_URI=url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_USE_TLS=False,
        MAIL_RUN_SECONDS=TARGET_SECONDS,
    )
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with app.app_context():
            db.create_all()
            for model in (OutboxAttachment, OutboxMessage, MailPart):
                db.session.execute(db.delete(model))
            db.session.commit()
            before = _outbox_bytes()
            started = time.perf_counter()
            queued = queue_many(_entries(args.messages))
            db.session.commit()
            queue_seconds = time.perf_counter() - started
            if db.engine.dialect.name == "postgresql":
                db.session.execute(text("ANALYZE mail_outbox, mail_parts, mail_outbox_attachments"))
                db.session.commit()
            grown = _outbox_bytes() - before
            parts = db.session.scalar(select(func.count(MailPart.id)))
            started = time.perf_counter()
            outcome = sender.send_due()
            send_seconds = time.perf_counter() - started
            dialect = db.engine.dialect.name
    finally:
        controller.stop()
    print(f"Database: {dialect}; batch size "
          f"{app.config['MAIL_BATCH_SIZE']}; {os.cpu_count()} CPUs (shared)")  # fmt: skip
    print(f"Queued {queued} in {queue_seconds:.1f} s; outbox grew by "
          f"{grown / 1e6:.1f} MB ({parts} attachment for {queued // 10} messages)")  # fmt: skip
    print(f"Sent {outcome.sent} in {send_seconds:.1f} s ({outcome.sent / send_seconds:.0f} a "
          f"second) over {counter.sessions} SMTP connections; server received "
          f"{counter.messages}; failed {outcome.failed}, to retry {outcome.retried}")  # fmt: skip
    ok = counter.messages == queued == outcome.sent and send_seconds < TARGET_SECONDS
    print("PASS" if ok else f"FAIL (target: all delivered in under {TARGET_SECONDS} s)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
