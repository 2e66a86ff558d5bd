"""Gateways: readiness checks at the end of each phase and the sponsor's sign-off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

bp = Blueprint("gateways", __name__)

from app.gateways import task_facts, views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.gateways.demo import demo_gateways
    from app.gateways.overview import overview_facts, overview_panel
    from app.gateways.queries import current_phase_fact, current_phases, signed_off_facts

    registry.current_phases = current_phases
    registry.current_phase_fact = current_phase_fact
    registry.signed_off_facts = signed_off_facts
    # first on the overview, full width: where the current gateway stands
    registry.add_panel(
        "gateways/_overview_panel.html", overview_panel, order=5, facts=overview_facts
    )
    # last: its demo sign-offs snapshot what the other features' demos created
    registry.add_demo(demo_gateways, order=80)
    _history_words(registry)


def _history_words(registry: Registry) -> None:
    from app.gateways.models import CRITERION_STATES, GATEWAY_STATUSES
    from app.toolkit import get_toolkit

    def gateway_label(label: str) -> str:  # "gateway 2" -> "Phase 2: Define and Scope"
        if label.startswith("gateway "):
            number = label.removeprefix("gateway ").split()[0]
            if number.isdigit():
                return get_toolkit().phase(int(number)).label
        return label

    def criterion_label(label: str) -> str:  # "... team_roles_filled" -> the outcome's words
        outcome = get_toolkit().outcomes_by_key.get(label.rsplit(" ", 1)[-1])
        return outcome.text if outcome else label

    registry.history.add(
        objects={"gateway": "Gateway", "gateway_criterion": "Gateway criterion"},
        fields={"criterion_key": "Criterion", "confirmed_by_id": "Confirmed by"},
        vocabularies={
            ("gateway", "status"): GATEWAY_STATUSES,
            ("gateway_criterion", "state"): CRITERION_STATES,
        },
        ids={"confirmed_by_id": "user"},
        labels={"gateway": gateway_label, "gateway_criterion": criterion_label},
    )
