"""Panels on a site's overview page, one per feature that has something to say.

Each entry names the fragment template and the service function that gives its context
(a function taking the site and returning a dict). Features add their line here.
"""

from collections.abc import Callable

from app.sites.models import Site

OverviewPanel = tuple[str, Callable[[Site], dict]]


def _plan_panel(site: Site) -> dict:
    from app.plan.board import overview_panel

    return overview_panel(site)


PANELS: list[OverviewPanel] = [
    ("plan/_overview_panel.html", _plan_panel),
]


def overview_panels(site: Site) -> list[tuple[str, dict]]:
    return [(template, load(site)) for template, load in PANELS]
