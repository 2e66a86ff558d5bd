"""Panels on a site's overview page, one per feature that has something to say.

Each feature registers its panel (`registry.add_panel(template, context, order=...)` in its
`register()`): the fragment template and a function returning the fragment's variables.
A panel may also declare `facts` (site id -> named one-value SQL expressions); the page
then reads every panel's facts in one SELECT and hands each panel its own values, so the
page runs the same few statements however many panels and records there are. Panels
without facts get `context(site)` alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from app.core.registry import Panel, registry
from app.extensions import db
from app.sites.models import Site


def _label(index: int, name: str) -> str:
    return f"p{index}_{name}"  # panels may use the same fact names


def fact_values(site: Site, panels: list[Panel]) -> list[dict[str, Any]]:
    """Each panel's fact values (empty for panels without facts), in one statement."""
    declared = [panel.facts(site.id) if panel.facts is not None else {} for panel in panels]
    wanted = {
        _label(index, name): expression
        for index, facts in enumerate(declared)
        for name, expression in facts.items()
    }
    row: Mapping[str, Any] = {}
    if wanted:
        labelled = (expression.label(label) for label, expression in wanted.items())
        row = db.session.execute(select(*labelled)).mappings().one()
    return [
        {name: row[_label(index, name)] for name in facts} for index, facts in enumerate(declared)
    ]


def panel_context(panel: Panel, site: Site, facts: dict[str, Any] | None = None) -> dict:
    """One panel's variables (its facts are read on their own when not given)."""
    if panel.facts is None:
        return panel.context(site)
    return panel.context(site, fact_values(site, [panel])[0] if facts is None else facts)


def overview_panels(site: Site) -> list[tuple[str, dict]]:
    panels = registry().panels
    return [
        (panel.template, panel_context(panel, site, facts))
        for panel, facts in zip(panels, fact_values(site, panels), strict=True)
    ]
