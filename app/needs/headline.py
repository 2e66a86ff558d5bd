"""A site's stored headline figures: what its documents state (`SiteFigures`), kept for the
portfolio, which reads every site's in its one statement.

`refresh_headline(site)` is called after every save that changes the figures (the needs
figures here, the business case's costs and options in `app.business_case.service`); it
works the figures out once through `figures_for` and writes them over the site's row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.dialects import postgresql, sqlite

from app.core.dates import utcnow
from app.extensions import db
from app.needs.figures import SiteFigures, figures_for
from app.needs.models import FigureHeadline

if TYPE_CHECKING:
    from app.sites.models import Site


def stated(value: float | None) -> int | None:
    """A count as the documents print it (`SiteFigures.prevented_words` rounds the same)."""
    return None if value is None else round(value)


def headline_values(site_id: int, figures: SiteFigures) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "needs_version_id": figures.needs_version_id,
        "case_version": figures.case_version,
        "fractures_prevented": stated(figures.fractures_prevented),
        "hip_prevented": stated(figures.hip_prevented),
        "horizon": figures.horizon[:60],
        "computed_at": utcnow(),
    }


def refresh_headline(site: Site) -> SiteFigures:
    """Work the site's figures out again and store them as its headline (one row a site,
    written over; two saves at once both write, the later one's figures win)."""
    figures = figures_for(site)
    values = headline_values(site.id, figures)
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(FigureHeadline).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[FigureHeadline.site_id],
        set_={key: statement.excluded[key] for key in values if key != "site_id"},
    )
    db.session.execute(statement)
    return figures
