"""What happens to a request for the sponsor's agreement of the PID, sent by
app/documents/service.py for other features to act on (the notifications feature emails
the sponsor, and the manager with the answer). Sent after the change is flushed, so
receivers work in the same transaction."""

from blinker import Namespace

_documents = Namespace()

# sender: the PidRequest (asked, then agreed or declined)
agreement_asked = _documents.signal("pid-agreement-asked")
agreement_answered = _documents.signal("pid-agreement-answered")
