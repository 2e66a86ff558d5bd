"""Delivery: what the agreed business case promised against what the audit shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

bp = Blueprint("delivery", __name__)

from app.delivery import views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.delivery.chart import report_charts
    from app.delivery.demo import demo_delivery
    from app.delivery.export import delivery_sheet
    from app.delivery.facts import delivers_case, delivery_facts, report_lines
    from app.delivery.promises import keep_promise

    registry.case_agreed.append(keep_promise)
    registry.delivery_facts = delivery_facts
    registry.delivery_lines = report_lines
    registry.delivery_charts = report_charts
    registry.kpi_workbook_sheets.append((delivery_facts, delivery_sheet))
    registry.add_gateway_check(
        "delivers_case", delivers_case, "sites.delivery.index", facts=delivery_facts
    )
    registry.add_demo(demo_delivery, None, order=65)
