import sys

import click

from app.accounts import bp, service
from app.core.errors import ServiceError
from app.extensions import db


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@bp.cli.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", "global_role", type=click.Choice(["admin", "support"]), default=None)
@click.option(
    "--temporary",
    is_flag=True,
    help="The password is for someone else: they must change it when they first sign in.",
)
def create_user_command(email: str, name: str, global_role: str | None, temporary: bool) -> None:
    """Create a user; the password is prompted for, or read from standard input."""
    password = _read_password()
    try:
        user = service.create_user(
            email, name, password, global_role, must_change_password=temporary
        )
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created user {user.id} ({user.email}).")
