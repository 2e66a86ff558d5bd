"""Panels on a site's overview page, one per feature that has something to say.

Each feature registers its panel (`registry.add_panel(template, context, order=...)` in its
`register()`): the fragment template and a function returning the fragment's variables.
A panel may also declare `facts` (site id -> named one-value SQL expressions); the page
then reads every panel's facts in one SELECT and hands each panel its own values, so the
page runs the same few statements however many panels and records there are. Panels
without facts get `context(site)` alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, select

from app.core.registry import Panel, registry
from app.extensions import db
from app.sites.models import Site

SITE_ID = "overview_site_id"


def _label(index: int, name: str) -> str:
    return f"p{index}_{name}"  # panels may use the same fact names


@cache
def _facts_statement(panels: tuple[Panel, ...]) -> tuple[Select | None, list[list[str]]]:
    """The SELECT of every panel's facts for any site, and each panel's fact names.

    Built once per set of panels with the site id as a bound parameter: building some 120
    subqueries costs more than running them, and time-dependent facts use `now_param` and
    `today_param`, which are valued at each run.
    """
    declared = [
        panel.facts(bindparam(SITE_ID, type_=Integer)) if panel.facts is not None else {}
        for panel in panels
    ]
    labelled = [
        expression.label(_label(index, name))
        for index, facts in enumerate(declared)
        for name, expression in facts.items()
    ]
    return (select(*labelled) if labelled else None), [list(facts) for facts in declared]


def fact_values(site: Site, panels: Sequence[Panel]) -> list[dict[str, Any]]:
    """Each panel's fact values (empty for panels without facts), in one statement."""
    statement, names = _facts_statement(tuple(panels))
    row: Mapping[str, Any] = {}
    if statement is not None:
        row = db.session.execute(statement, {SITE_ID: site.id}).mappings().one()
    return [{name: row[_label(index, name)] for name in facts} for index, facts in enumerate(names)]


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
