"""What the meeting pages say about the email a change sends, and to whom (#32 item 9).

The notifications feature sends it (invitees with a usable address who have not opted
out); the meeting pages name the invitees with an address, so nobody is surprised by an
invitation or a cancellation going out."""

from __future__ import annotations

from app.core.addresses import valid_address
from app.core.dates import utcnow
from app.meetings.models import Meeting

NAMES_SHOWN = 5


def emailed_people(meeting: Meeting) -> list[str]:
    """The names of the invitees a meeting email goes to (none once it has ended)."""
    if meeting.ends_at < utcnow():
        return []
    return [
        inv.person.name
        for inv in meeting.invitees
        if not inv.person.erased and valid_address(inv.person.email)
    ]


def in_words(names: list[str]) -> str:
    """ "Ann Chair", "Ann Chair and Bob Notes", "A, B, C, D, E and 3 more"."""
    shown = names[:NAMES_SHOWN]
    rest = len(names) - len(shown)
    if rest:
        return f"{', '.join(shown)} and {rest} more"
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def mail_note(meeting: Meeting, what: str) -> str:
    """`what` is the email ("An invitation", "A cancellation"): the sentence saying to
    whom it goes, or that nobody gets one."""
    names = emailed_people(meeting)
    if not names:
        if meeting.ends_at < utcnow():
            return "No email is sent for a meeting that has already happened."
        return "Nobody invited has an email address, so no email is sent."
    return (
        f"{what} is emailed to {in_words(names)} (anyone who opted out of meeting mail "
        "is left out)."
    )
