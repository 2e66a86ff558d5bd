"""The home page's list of sites, drawn in Python.

A support user's list holds every site (200 at the charity's scale); through the template
each row's look-ups and escapes were most of the page's own render time. The markup is the
one the template drew.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.core.tags import tag
from app.portfolio.service import PortfolioRow
from app.sites.queries import SiteListing

_ROW = """
    <tr>
      <td><a href="{href}">{name}</a></td>
      <td>{organisation}</td>
      <td>{status}</td>
      <td>{phase}</td>
      <td>{rag_tag}</td>
      <td>{role}</td>
    </tr>
  """


def site_rows(
    sites: list[SiteListing],
    site_row: dict[int, PortfolioRow],
    phases: dict[int, str],
    overview_url: tuple[str, str],
    global_role: str | None,
) -> Markup:
    """One table row per site, with its overall RAG (the portfolio's) and the user's role
    there; `overview_url` is the overview's URL around the site id."""
    before, after = escape(overview_url[0]), escape(overview_url[1])
    # Without a role on the site, a support user reads it and an administrator runs it.
    no_role = "Support (read only)" if global_role == "support" else "Administrator"
    return Markup(
        "".join(
            _ROW.format(
                href=f"{before}{site.id}{after}",
                name=escape(site.name),
                organisation=escape(site.organisation),
                status=escape(site.status_name),
                phase=escape(phases[site_row[site.id].phase]),
                rag_tag=tag(site_row[site.id].overall_name, site_row[site.id].overall_colour),
                role=escape(site.role_name or no_role),
            )
            for site in sites
        )
    )
