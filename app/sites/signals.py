"""What happens to an offer of access, sent by app/sites/offers.py for other features to
act on (the notifications feature emails the person). Sent after the offer is flushed,
so the sender is a MembershipOffer with its id; a rolled-back change sends nothing."""

from blinker import Namespace

_sites = Namespace()

# An offer made, or sent again: the person is told where to accept or decline it.
access_offered = _sites.signal("access-offered")  # sender: the MembershipOffer
