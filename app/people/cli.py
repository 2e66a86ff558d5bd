"""`flask people merge-report`: what linking accounts and merging duplicate people would do."""

import click
from flask import Blueprint

from app.extensions import db
from app.people.merge import apply_merge, plan_merge

# The people blueprint is nested under the site blueprint, whose commands Flask does not
# register; this one is top level and only carries the `flask people ...` commands.
cli_bp = Blueprint("people_cli", __name__, cli_group="people")


@cli_bp.cli.command("merge-report")
@click.option("--apply", "apply_", is_flag=True, help="Carry the merge out after the report.")
def merge_report_command(apply_: bool) -> None:
    """Report (ids only) the People entries that would be linked to accounts or merged."""
    connection = db.session.connection()
    plan = plan_merge(connection)
    for line in plan.report_lines():
        click.echo(line)
    if not apply_:
        if not plan.empty:
            click.echo("Nothing changed. Run again with --apply to carry this out.")
        return
    apply_merge(connection, plan)
    db.session.commit()
    click.echo("Done.")
