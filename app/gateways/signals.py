"""What happens at a gateway, sent by app/gateways/service.py for other features to act on
(the notifications feature emails the sponsor or the project managers). Sent after the
change is flushed, so receivers work in the same transaction."""

from blinker import Namespace

_gateways = Namespace()

decision_recorded = _gateways.signal("decision-recorded")  # sender: the GatewayDecision
