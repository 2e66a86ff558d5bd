"""The needs panel on the site overview: the latest version's figures and what the service
would prevent and cost as every document states it (`SiteFigures`), read with the
overview's one statement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.sql.selectable import ScalarSelect

from app.needs.figures import figure_facts, figures_for
from app.needs.models import NeedsVersion

if TYPE_CHECKING:
    from app.sites.models import Site


@dataclass(frozen=True)
class LatestFigures:
    """What the overview shows of the latest needs version."""

    population_50_plus: int | None
    expected_caseload: int | None


_FIGURES = ("population_50_plus", "expected_caseload")


def overview_facts(site_id: int) -> dict[str, ScalarSelect]:
    """The panel's facts: the latest version's id and headline figures (as `latest_version`)."""
    latest = (
        select(NeedsVersion.id)
        .where(NeedsVersion.site_id == site_id)
        .order_by(NeedsVersion.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return {
        "latest": latest,
        **{
            name: select(getattr(NeedsVersion, name))
            .where(NeedsVersion.id == latest)
            .scalar_subquery()
            for name in _FIGURES
        },
        # the documents' figures (fractures prevented, staffing, the ask), in the same SELECT
        **figure_facts(site_id),
    }


def overview_panel(site: Site, facts: dict[str, Any]) -> dict:
    """The needs panel: the population and caseload, and what the service would prevent and
    cost as every document states it (`SiteFigures`, never the needs model's own count)."""
    version = None
    if facts["latest"] is not None:
        version = LatestFigures(*(facts[name] for name in _FIGURES))
    return {
        "needs_version": version,
        "figures": figures_for(site, facts),
        "needs_url": url_for("sites.needs.index", site_id=site.id),
    }
