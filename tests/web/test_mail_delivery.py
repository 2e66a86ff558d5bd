"""Against an SMTP server on localhost that fails at random, 500 queued messages with one
undeliverable address arrive exactly once each and the bad one is marked failed
(#28 items 5 and 9, "Done when")."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest

from app.core.dates import utcnow
from app.extensions import db
from app.notifications.compose import Draft, Recipient
from app.notifications.outbox import queue
from app.notifications.sender import send_due
from tests.fixtures.notifications import Inbox, SmtpServer, outbox, serving

UNDELIVERABLE = "nobody@example.nhs.uk"


class FlakyInbox(Inbox):
    """Refuses one address for good; otherwise, at random (seeded), answers "try again
    later" to MAIL, RCPT or DATA, or drops the connection before taking the message."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.random = random.Random(seed)
        self.failures = Counter()

    def _fails(self, what: str, chance: float = 0.08) -> bool:
        if self.random.random() < chance:
            self.failures[what] += 1
            return True
        return False

    async def handle_MAIL(self, server, session, envelope, address, options) -> str:  # noqa: ANN001, N802
        if self._fails("MAIL"):
            return "451 4.3.0 Try again later"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options) -> str:  # noqa: ANN001, N802
        if address == UNDELIVERABLE:
            return "550 5.1.1 No such mailbox"
        if self._fails("RCPT"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        if self._fails("dropped"):
            server.transport.close()  # gone before the message was taken
            return "421 4.3.0 Closing"
        if self._fails("DATA"):
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.app_config(MAIL_MAX_TRIES=20, MAIL_RETRY_SECONDS=1)
def test_500_messages_arrive_exactly_once_and_the_bad_one_fails(app) -> None:  # noqa: ANN001
    good = [f"person.{number}@example.nhs.uk" for number in range(499)]
    addresses = good[:250] + [UNDELIVERABLE] + good[250:]
    for number, address in enumerate(addresses):
        draft = Draft(f"Reminder {number}", "What is waiting for you in the FLS Tracker.")
        queue(None, "digest", Recipient(f"Person {number}", address), draft, "digest")
    db.session.commit()

    inbox = FlakyInbox(seed=28)
    with serving(app, SmtpServer(inbox)):
        later = utcnow()
        for _round in range(20):
            outcome = send_due(limit=1000, now=later)
            if not outcome.retried:
                break
            later += timedelta(hours=1)  # past every retry's wait

    assert sum(inbox.failures.values()) > 50  # the server really did fail, in every way
    assert set(inbox.failures) == {"MAIL", "RCPT", "DATA", "dropped"}
    arrived = Counter(rcpt for _from, rcpts in inbox.envelopes for rcpt in rcpts)
    assert arrived == Counter(good)  # each good message exactly once
    assert len(inbox.messages) == 499
    statuses = Counter(message.status for message in outbox())
    assert statuses == {"sent": 499, "failed": 1}
    (bad,) = outbox(status="failed")
    assert (bad.to_address, bad.tries) == (UNDELIVERABLE, 1)
    assert bad.last_error == "SMTPRecipientsRefused (SMTP 550)"
