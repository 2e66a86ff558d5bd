"""Reads of the RAID log. Each runs a fixed number of queries whatever the log's size."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.base import ExecutableOption
from sqlalchemy.sql.selectable import ScalarSelect

from app.core.dates import today_param
from app.core.numbers import whole_number
from app.extensions import db
from app.risks.models import ACTIVE_STATUSES, ALL_STATUSES, KINDS, Mitigation, RaidEntry
from app.risks.scoring import BANDS, BANDS_BY_KEY, SCORE_MAX, SCORE_MIN, band_for
from app.risks.starters import STARTERS, Starter

_HAS_RESIDUAL = and_(
    RaidEntry.residual_likelihood.is_not(None), RaidEntry.residual_impact.is_not(None)
)
# The score that counts now, in SQL: after mitigation once scored, before it until then.
CURRENT_LIKELIHOOD = case(
    (_HAS_RESIDUAL, RaidEntry.residual_likelihood), else_=RaidEntry.likelihood
)
CURRENT_IMPACT = case((_HAS_RESIDUAL, RaidEntry.residual_impact), else_=RaidEntry.impact)
CURRENT_SCORE = CURRENT_LIKELIHOOD * CURRENT_IMPACT
# The band of the current score ("unscored" when it has none), in SQL.
BAND_KEY = case(*[(CURRENT_SCORE.between(b.low, b.high), b.key) for b in BANDS], else_="unscored")
BAND_KEYS = (*(band.key for band in BANDS), "unscored")
SEVERITY_ORDER = case(
    {"critical": 0, "high": 1, "medium": 2, "low": 3}, value=RaidEntry.severity, else_=4
)

if TYPE_CHECKING:  # app.sites imports this feature for its overview panel
    from app.sites.models import Site


@dataclass
class Filters:
    """The log's filters, read from the URL; values that mean nothing are ignored."""

    kind: str = ""
    status: str = ""
    owner: str = ""  # a person's id, "none" for no owner, or "" for anyone
    band: str = ""
    cell: str = ""  # "likelihood-impact" of an open risk's current score: a heat map cell

    @classmethod
    def from_args(cls, args) -> Filters:  # noqa: ANN001 - a MultiDict
        kind = args.get("kind", "")
        status = args.get("status", "")
        owner = args.get("owner", "")
        band = args.get("band", "")
        cell = args.get("cell", "")
        return cls(
            kind=kind if kind in KINDS else "",
            status=status if status in ALL_STATUSES or status == "active" else "",
            owner=owner if owner == "none" or whole_number(owner, minimum=1) else "",
            band=band if band in BANDS_BY_KEY else "",
            cell=cell if re.fullmatch(r"[1-5]-[1-5]", cell) else "",
        )

    @property
    def active(self) -> bool:
        return any((self.kind, self.status, self.owner, self.band, self.cell))

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


def list_entries(site_id: int, filters: Filters) -> list[tuple[RaidEntry, int]]:
    """Entries with their owner and mitigation count: one query."""
    mitigation_count = (
        select(func.count(Mitigation.id))
        .where(Mitigation.entry_id == RaidEntry.id)
        .correlate(RaidEntry)
        .scalar_subquery()
    )
    query = (
        select(RaidEntry, mitigation_count)
        .where(RaidEntry.site_id == site_id)
        .options(joinedload(RaidEntry.owner))
    )
    if filters.kind:
        query = query.where(RaidEntry.kind == filters.kind)
    if filters.status == "active":
        query = query.where(RaidEntry.status.in_(ACTIVE_STATUSES))
    elif filters.status:
        query = query.where(RaidEntry.status == filters.status)
    if filters.owner == "none":
        query = query.where(RaidEntry.owner_id.is_(None))
    elif filters.owner:
        query = query.where(RaidEntry.owner_id == int(filters.owner))
    if filters.band:
        band = BANDS_BY_KEY[filters.band]
        query = query.where(CURRENT_SCORE.between(band.low, band.high))
    if filters.cell:
        likelihood, impact = (int(n) for n in filters.cell.split("-"))
        current_likelihood, current_impact = CURRENT_LIKELIHOOD, CURRENT_IMPACT
        query = query.where(
            RaidEntry.kind == "risk",
            current_likelihood == likelihood,
            current_impact == impact,
        )
    query = query.order_by(
        case((RaidEntry.status.in_(ACTIVE_STATUSES), 0), else_=1),
        CURRENT_SCORE.desc().nulls_last(),
        RaidEntry.raised_on.desc(),
        RaidEntry.id.desc(),
    )
    return [(entry, count) for entry, count in db.session.execute(query).unique()]


def mitigation_texts(entry_ids: list[int]) -> dict[int, str]:
    """Each entry's mitigation actions as one text ("; " between them, "(done)" marked),
    for the spreadsheet: a reader wants what is being done, not how many things. One query."""
    if not entry_ids:
        return {}
    rows = db.session.execute(
        select(Mitigation.entry_id, Mitigation.description, Mitigation.done)
        .where(Mitigation.entry_id.in_(entry_ids))
        .order_by(Mitigation.entry_id, Mitigation.id)
    ).all()
    texts: dict[int, list[str]] = {}
    for entry_id, description, done in rows:
        texts.setdefault(entry_id, []).append(description + (" (done)" if done else ""))
    return {entry_id: "; ".join(parts) for entry_id, parts in texts.items()}


@dataclass
class HeatMap:
    """Open risks counted by likelihood (rows, 5 at the top) and impact (columns)."""

    counts: dict[tuple[int, int], int]
    unscored: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, likelihood: int, impact: int) -> int:
        return self.counts.get((likelihood, impact), 0)

    def band(self, likelihood: int, impact: int):  # noqa: ANN201 - a Band
        return band_for(likelihood * impact)

    @property
    def likelihoods(self) -> list[int]:
        return list(range(SCORE_MAX, SCORE_MIN - 1, -1))

    @property
    def impacts(self) -> list[int]:
        return list(range(SCORE_MIN, SCORE_MAX + 1))


def heat_map(site_id: int) -> HeatMap:
    """One GROUP BY query over the site's open risks, placed by their current score."""
    rows = db.session.execute(
        select(CURRENT_LIKELIHOOD, CURRENT_IMPACT, func.count(RaidEntry.id))
        .where(
            RaidEntry.site_id == site_id,
            RaidEntry.kind == "risk",
            RaidEntry.status == "open",
        )
        .group_by(CURRENT_LIKELIHOOD, CURRENT_IMPACT)
    ).all()
    counts: dict[tuple[int, int], int] = {}
    unscored = 0
    for likelihood, impact, number in rows:
        if likelihood is None or impact is None:
            unscored += number
        else:
            counts[(likelihood, impact)] = number
    return HeatMap(counts=counts, unscored=unscored)


def band_counts(site_id: int) -> dict[str, int]:
    """Open risks per band key (every band present, zero when empty): one query."""
    rows = db.session.execute(
        select(BAND_KEY, func.count(RaidEntry.id))
        .where(RaidEntry.site_id == site_id, RaidEntry.kind == "risk", RaidEntry.status == "open")
        .group_by(BAND_KEY)
    ).all()
    counts = {band.key: 0 for band in BANDS} | {"unscored": 0}
    counts.update({key: number for key, number in rows})
    return counts


def overdue_reviews(site_id: int, on: date) -> int:
    return db.session.scalar(
        select(func.count(RaidEntry.id)).where(
            RaidEntry.site_id == site_id,
            RaidEntry.status.in_(ACTIVE_STATUSES),
            RaidEntry.review_on < on,
        )
    )


def overview_facts(site_id: int) -> dict[str, ScalarSelect]:
    """The panel's facts: open risks per band (as `band_counts`) and overdue reviews."""
    open_risks = select(func.count(RaidEntry.id)).where(
        RaidEntry.site_id == site_id, RaidEntry.kind == "risk", RaidEntry.status == "open"
    )
    return {
        **{f"band_{key}": open_risks.where(key == BAND_KEY).scalar_subquery() for key in BAND_KEYS},
        "overdue": select(func.count(RaidEntry.id))
        .where(
            RaidEntry.site_id == site_id,
            RaidEntry.status.in_(ACTIVE_STATUSES),
            RaidEntry.review_on < today_param(),
        )
        .scalar_subquery(),
    }


def overview_panel(site: Site, facts: dict[str, Any]) -> dict:
    """The overview page's panel: open risks by band and overdue reviews, from its facts."""
    return {
        "bands": BANDS,
        "band_counts": {key: facts[f"band_{key}"] for key in BAND_KEYS},
        "overdue": facts["overdue"],
    }


def top_risks(site_id: int, limit: int = 5, *options: ExecutableOption) -> list[RaidEntry]:
    """The highest-scoring open risks, for the steering-group report (owner loaded, and
    whatever else `options` ask for in the same statement)."""
    return list(
        db.session.scalars(
            select(RaidEntry)
            .where(
                RaidEntry.site_id == site_id, RaidEntry.kind == "risk", RaidEntry.status == "open"
            )
            .options(joinedload(RaidEntry.owner), *options)
            .order_by(CURRENT_SCORE.desc().nulls_last(), RaidEntry.raised_on, RaidEntry.id)
            .limit(limit)
        ).unique()
    )


def open_issues(site_id: int, *options: ExecutableOption) -> list[RaidEntry]:
    """Open issues, most severe first (owner loaded, and whatever `options` ask for)."""
    return list(
        db.session.scalars(
            select(RaidEntry)
            .where(
                RaidEntry.site_id == site_id, RaidEntry.kind == "issue", RaidEntry.status == "open"
            )
            .options(joinedload(RaidEntry.owner), *options)
            .order_by(SEVERITY_ORDER, RaidEntry.raised_on, RaidEntry.id)
        ).unique()
    )


def decisions_needed(site_id: int) -> list[RaidEntry]:
    """Proposed decisions, soonest deadline first: what to ask the steering group."""
    return list(
        db.session.scalars(
            select(RaidEntry)
            .where(
                RaidEntry.site_id == site_id,
                RaidEntry.kind == "decision",
                RaidEntry.status == "proposed",
            )
            .options(joinedload(RaidEntry.owner))
            .order_by(RaidEntry.decide_by.asc().nulls_last(), RaidEntry.raised_on, RaidEntry.id)
        )
    )


def available_starters(site_id: int) -> list[Starter]:
    """Starters this site has not added yet."""
    used = set(
        db.session.scalars(
            select(RaidEntry.starter_key).where(
                RaidEntry.site_id == site_id, RaidEntry.starter_key.is_not(None)
            )
        )
    )
    return [starter for starter in STARTERS if starter.key not in used]
