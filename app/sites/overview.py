"""Panels on a site's overview page, one per feature that has something to say.

Each feature registers its panel (`registry.add_panel(template, context, order=...)` in its
`register()`): the fragment template and a function taking the site and returning the
fragment's variables.
"""

from app.core.registry import registry
from app.sites.models import Site


def overview_panels(site: Site) -> list[tuple[str, dict]]:
    return [(panel.template, panel.context(site)) for panel in registry().panels]
