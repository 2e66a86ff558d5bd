import click

from app.core.errors import ServiceError
from app.extensions import db
from app.sites import bp, service
from app.sites.models import SITE_ROLE_CHOICES, Site


@bp.cli.command("add-member")
@click.argument("site_id", type=int)
@click.argument("email")
@click.option("--role", type=click.Choice([key for key, _ in SITE_ROLE_CHOICES]), required=True)
@click.option("--sponsor", is_flag=True, help="Mark this member as the project sponsor.")
def add_member_command(site_id: int, email: str, role: str, sponsor: bool) -> None:
    """Give an existing user a role on a site."""
    site = db.session.get(Site, site_id)
    if site is None:
        raise click.ClickException(f"There is no site with id {site_id}.")
    try:
        membership = service.add_member(site, email, role, sponsor)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    sponsor_note = " and sponsor" if sponsor else ""
    click.echo(f"User {membership.user_id} is now {role}{sponsor_note} on site {site.id}.")
