"""`flask needs refresh-figures`: work every site's stored headline figures out again (the
portfolio reads them; sites saved before the headlines were stored have none until then)."""

import click
from flask import Blueprint
from sqlalchemy import select

from app.extensions import db
from app.needs.headline import refresh_headline
from app.needs.models import NeedsVersion
from app.sites.models import Site

# The needs blueprint is nested under the site blueprint, whose commands Flask does not
# register; this one is top level and only carries the `flask needs ...` commands.
cli_bp = Blueprint("needs_cli", __name__, cli_group="needs")


@cli_bp.cli.command("refresh-figures")
def refresh_figures_command() -> None:
    """Store each site's headline figures as its documents state them (sites with needs
    figures; run once after upgrading, and whenever the defaults change)."""
    with_needs = select(NeedsVersion.site_id).distinct()
    sites = db.session.scalars(select(Site).where(Site.id.in_(with_needs)).order_by(Site.id))
    count = 0
    for site in sites:
        refresh_headline(site)
        count += 1
    db.session.commit()
    click.echo(f"Headline figures worked out for {count} site{'' if count == 1 else 's'}.")
