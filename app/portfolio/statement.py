"""The portfolio's one statement: every site with its facts, a subquery per column.

Grouped subqueries (gateways, sign-offs, needs, meetings, risks, follows) and a numbered
list of the project teams' managers are joined to the sites table; `ranking.ranked` rates
and ranks the result. The task counts are the ones kept in `site_task_counts`, with a flag
for the sites whose counts are out of date (`app.portfolio.task_counts`), and so is each
site's last change (kept by triggers on the history, `app.portfolio.models`).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import aliased

from app.gateways.models import SIGNED, Gateway, GatewayDecision
from app.gateways.queries import current_phase_fact
from app.meetings import queries as meeting_queries
from app.meetings.models import Meeting
from app.needs.models import FigureHeadline, NeedsVersion
from app.people.models import Group, GroupMember, Person
from app.portfolio import delivery_shares
from app.portfolio.models import SiteFollow, SiteTaskCounts
from app.portfolio.task_counts import COUNT_COLUMNS, OLDEST_OVERDUE, out_of_date
from app.risks.models import ACTIVE_STATUSES, RaidEntry
from app.risks.queries import CURRENT_SCORE
from app.risks.scoring import BANDS_BY_KEY
from app.sites.models import Site
from app.toolkit.vocabulary import gateway_phase_numbers

PHASES = gateway_phase_numbers()
LEAD_ROLE = "project-manager"


def _gateways_subquery():  # noqa: ANN202
    return (
        select(
            Gateway.site_id.label("site_id"),
            func.min(case((Gateway.status == "review_requested", Gateway.phase))).label("review"),
        )
        .group_by(Gateway.site_id)
        .subquery("g")
    )


def _signoffs_subquery():  # noqa: ANN202
    """Each site's latest sign-off that still stands (its gateway has not been reopened)."""
    ranked = (
        select(
            GatewayDecision.site_id.label("site_id"),
            GatewayDecision.phase.label("phase"),
            GatewayDecision.at.label("at"),
            func.row_number()
            .over(
                partition_by=GatewayDecision.site_id,
                order_by=(GatewayDecision.at.desc(), GatewayDecision.id.desc()),
            )
            .label("rn"),
        )
        .join(
            Gateway,
            and_(
                Gateway.site_id == GatewayDecision.site_id, Gateway.phase == GatewayDecision.phase
            ),
        )
        .where(GatewayDecision.action.in_(SIGNED), Gateway.status.in_(SIGNED))
        .subquery("ranked_signoffs")
    )
    return (
        select(ranked.c.site_id, ranked.c.phase, ranked.c.at).where(ranked.c.rn == 1).subquery("s")
    )


def _lead_subquery():  # noqa: ANN202
    """Each site's project manager on its project team (the member added first if several):
    the project teams' managers numbered within each site, the first kept, with their
    contact details. Read in one pass, where finding the first member's id and then the
    member and the person by key probed two indexes once a site (5 ms of PostgreSQL time at
    1,000 sites). Both databases build the list once, not once a site: SQLite's time grows
    with the sites (10 ms at 1,000)."""
    numbered = (
        select(
            GroupMember.site_id.label("site_id"),
            Person.name.label("name"),
            Person.email.label("email"),
            Person.phone.label("phone"),
            func.row_number()
            .over(partition_by=GroupMember.site_id, order_by=GroupMember.id)
            .label("place"),
        )
        .join(Group, Group.id == GroupMember.group_id)
        .join(Person, Person.id == GroupMember.person_id)
        .where(
            GroupMember.team_role == LEAD_ROLE,
            Group.kind == "project_team",
            Person.erased.is_(False),
        )
        .subquery("managers")
    )
    return (
        select(numbered.c.site_id, numbered.c.name, numbered.c.email, numbered.c.phone)
        .where(numbered.c.place == 1)
        .subquery("l")
    )


def _needs_subquery():  # noqa: ANN202
    """Each site's newest needs version's id (the version is then found by key)."""
    return (
        select(NeedsVersion.site_id.label("site_id"), func.max(NeedsVersion.id).label("id"))
        .group_by(NeedsVersion.site_id)
        .subquery("n")
    )


def _meetings_subquery():  # noqa: ANN202
    """The next meeting, and the start of the last one held, per site, by the meetings
    feature's own `is_upcoming` and `was_held` (`now` is bound when the query runs)."""
    now = bindparam("now")
    return (
        select(
            Meeting.site_id.label("site_id"),
            func.min(case((meeting_queries.is_upcoming(now), Meeting.starts_at))).label("starts"),
            func.max(case((meeting_queries.was_held(now), Meeting.starts_at))).label("held"),
        )
        .where(Meeting.cancelled.is_(False))
        .group_by(Meeting.site_id)
        .subquery("m")
    )


def _risks_subquery(today: date):  # noqa: ANN202
    """Open risks and issues by band, and reviews overdue, per site (the risks dimension).
    A risk's band is the risks feature's own (its current score, `CURRENT_SCORE`); an issue
    counts by its severity."""
    risk, issue = RaidEntry.kind == "risk", RaidEntry.kind == "issue"

    def in_band(key: str):  # noqa: ANN202 - SQL expression
        band = BANDS_BY_KEY[key]
        return and_(risk, CURRENT_SCORE.between(band.low, band.high))

    def count_if(condition):  # noqa: ANN001, ANN202 - SQL expressions
        return func.count().filter(condition)

    return (
        select(
            RaidEntry.site_id.label("site_id"),
            count_if(
                or_(in_band("very_high"), and_(issue, RaidEntry.severity == "critical"))
            ).label("very_high"),
            count_if(or_(in_band("high"), and_(issue, RaidEntry.severity == "high"))).label("high"),
            count_if(RaidEntry.review_on < today).label("reviews"),
        )
        .where(RaidEntry.status.in_(ACTIVE_STATUSES))
        .group_by(RaidEntry.site_id)
        .subquery("r")
    )


@lru_cache(maxsize=2)
def rows_query(today: date) -> Select:
    """The portfolio's one statement for a day, built once: putting its eight subqueries
    together again on every view cost more than a tenth of the page. The signed-in user and
    the moment are bound when it runs (`user_id`, `now`); SQLAlchemy shares a built
    statement safely between threads. Every column is labelled and read by its name;
    `counts_out_of_date` says which sites' kept task counts are out of date, and
    `tasks_version` from which version; `delivery_out_of_date` and `delivery_version` the
    same for the kept delivery share."""
    counts, g, s = SiteTaskCounts, _gateways_subquery(), _signoffs_subquery()
    needs = aliased(NeedsVersion)
    lead, n, m, risk = (
        _lead_subquery(),
        _needs_subquery(),
        _meetings_subquery(),
        _risks_subquery(today),
    )
    return (
        select(
            Site.id.label("site_id"),
            Site.name.label("name"),
            Site.organisation.label("organisation"),
            Site.nation.label("nation"),
            Site.region.label("region"),
            Site.service_status.label("status"),
            *(getattr(counts, name).label(name) for name in COUNT_COLUMNS),
            counts.oldest_overdue.label(OLDEST_OVERDUE),
            current_phase_fact(Site.id).label("phase"),  # the gateways feature's rule
            g.c.review.label("review_phase"),
            s.c.phase.label("signoff_phase"),
            s.c.at.label("signoff_at"),
            m.c.starts.label("next_meeting"),
            counts.last_change_at.label("last_change"),  # kept by triggers on the history
            lead.c.name.label("lead_name"),
            lead.c.email.label("lead_email"),
            lead.c.phone.label("lead_phone"),
            needs.population_50_plus.label("population_50_plus"),
            # the documents' figure (app.needs.headline), under the name the rows read
            FigureHeadline.hip_prevented.label("hip_fractures_prevented_5y"),
            SiteFollow.id.label("follow_id"),
            m.c.held.label("last_meeting"),
            risk.c.very_high.label("very_high_risks"),
            risk.c.high.label("high_risks"),
            risk.c.reviews.label("reviews_overdue"),
            counts.tasks_version.label("tasks_version"),
            out_of_date(today).label("counts_out_of_date"),
            # the delivery share kept beside the counts (`delivery_shares`)
            *delivery_shares.share_columns(),
            counts.delivery_version.label("delivery_version"),
            delivery_shares.out_of_date(today).label("delivery_out_of_date"),
        )  # fmt: skip
        .outerjoin(counts, counts.site_id == Site.id)
        .outerjoin(g, g.c.site_id == Site.id)
        .outerjoin(s, s.c.site_id == Site.id)
        .outerjoin(m, m.c.site_id == Site.id)
        .outerjoin(lead, lead.c.site_id == Site.id)
        .outerjoin(n, n.c.site_id == Site.id)
        .outerjoin(needs, needs.id == n.c.id)
        .outerjoin(FigureHeadline, FigureHeadline.site_id == Site.id)
        .outerjoin(risk, risk.c.site_id == Site.id)
        .outerjoin(
            SiteFollow,
            and_(SiteFollow.site_id == Site.id, SiteFollow.user_id == bindparam("user_id")),
        )
        .order_by(Site.name, Site.id)
    )
