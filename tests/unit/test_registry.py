"""The extension points the features fill (app/core/registry.py), in the order pages use."""

from __future__ import annotations

from app.core.registry import registry
from app.toolkit import AUTO_CHECKS


def test_every_toolkit_auto_check_is_registered(app) -> None:
    assert set(registry().gateway_checks) == set(AUTO_CHECKS)


def test_overview_panels_in_order(app) -> None:
    assert [panel.template.split("/")[0] for panel in registry().panels] == [
        "gateways", "plan", "people", "meetings", "risks", "needs", "kpis",
    ]  # fmt: skip


def test_demo_steps_in_dependency_order(app) -> None:
    modules = [step.demo.__module__ for step in registry().demo_steps if step.demo]
    assert [name.split(".")[1] for name in modules] == [
        "people", "plan", "meetings", "risks", "needs", "business_case", "kpis", "delivery",
        "documents", "gateways",
    ]  # fmt: skip


def test_the_gateways_feature_answers_the_current_phase(app) -> None:
    from app.sites.queries import current_phase_numbers

    assert registry().current_phases is not None
    assert current_phase_numbers([]) == {}
