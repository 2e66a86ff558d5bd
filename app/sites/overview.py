"""Panels on a site's overview page, one per feature that has something to say.

Each entry names the fragment template and the function giving its context (taking the
site, returning a dict) as "module:function". They are imported when the page is built,
because feature modules import the sites package themselves.
"""

from collections.abc import Callable
from importlib import import_module

from app.sites.models import Site

PANELS: list[tuple[str, str]] = [
    # The first two are shown full width, above the others: the gateway, then the plan.
    ("gateways/_overview_panel.html", "app.gateways.overview:overview_panel"),
    ("plan/_overview_panel.html", "app.plan.board:overview_panel"),
    ("people/_overview_panel.html", "app.people.coverage:coverage_summary"),
    ("meetings/_overview_panel.html", "app.meetings.queries:overview_panel"),
    ("risks/_overview_panel.html", "app.risks.queries:overview_panel"),
    ("needs/_overview_panel.html", "app.needs.service:overview_panel"),
    ("kpis/_overview_panel.html", "app.kpis.service:overview_panel"),
]


def _load(reference: str) -> Callable[[Site], dict]:
    module, name = reference.split(":")
    return getattr(import_module(module), name)


def overview_panels(site: Site) -> list[tuple[str, dict]]:
    return [(template, _load(reference)(site)) for template, reference in PANELS]
