"""The portfolio ranked, filtered, paged and counted in the database.

`ranked(today, stale_days)` is every site's row from the portfolio statement
(`statement.rows_query`) with, worked out in SQL from the rules' data
(`app.portfolio.rules_sql`): the facts the rules read, each dimension's status, the overall
status, the need score and whether it is stale; `needs_attention` states which sites the
support team should look at first. The rows shown read these rather than working them out
again. On it:
- `page_statement`: one page of sites, filtered (WHERE) and sorted (ORDER BY ... LIMIT
  OFFSET) as `Filters` says;
- `summary_statement`: the totals for every site of the view, one row of counts.
Ties always fall to the site's name, then its id, so every page is stable.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Float, and_, case, cast, func, or_, select

from app.portfolio.dimensions import BANDS, DIMENSIONS, OVERALL, RULES, Line
from app.portfolio.rules_sql import count_of, days_since, need_sql, overall_sql, status_sql
from app.portfolio.statement import rows_query
from app.sites.models import SERVICE_STATUSES


def _facts(today: date) -> Any:  # a subquery
    """Each site's row with the facts the rules read, named as `dimensions.Facts` names them
    (and the need score's `review_waiting` and `days_overdue`)."""
    # Worked out once a site: as a plain subquery the database copies each column's
    # expression (the phase's correlated subqueries) into every rule that reads it, which
    # ran them a dozen times a site.
    base = rows_query(today).order_by(None).cte("site_rows").prefix_with("MATERIALIZED")
    c = base.c

    def count(name: str) -> Any:
        return func.coalesce(c[name], 0)

    return select(
        base,
        count("applicable").label("f_applicable"),
        count("done").label("f_done"),
        count("overdue").label("f_overdue"),
        count("ess_long").label("essential_long_overdue"),
        count("red_amber").label("f_red_amber"),
        count("very_high_risks").label("f_very_high_risks"),
        count("high_risks").label("f_high_risks"),
        count("reviews_overdue").label("f_reviews_overdue"),
        days_since(today, c.last_meeting).label("days_since_meeting"),
        case((c.next_meeting.is_not(None), 1), else_=0).label("meeting_booked"),
        days_since(today, c.last_change).label("days_since_change"),
        case(
            (or_(c.population_50_plus.is_not(None), c.hip_fractures_prevented_5y.is_not(None)), 1),
            else_=0,
        ).label("has_needs"),
        days_since(today, c.oldest_overdue, is_date=True).label("days_overdue"),
    ).subquery("site_facts")


def fact_columns(f: Any) -> dict[str, Any]:
    """The facts subquery's columns by the names the rules use."""
    names = {
        "applicable": "f_applicable",
        "done": "f_done",
        "overdue": "f_overdue",
        "red_amber": "f_red_amber",
        "very_high_risks": "f_very_high_risks",
        "high_risks": "f_high_risks",
        "reviews_overdue": "f_reviews_overdue",
    }
    fields = (
        *names,
        "essential_long_overdue",
        "days_since_meeting",
        "meeting_booked",
        "days_since_change",
        "phase",
        "has_needs",
    )
    return {name: f.c[names.get(name, name)] for name in fields}


def ranked(
    today: date,
    stale_days: int,
    rules: dict[str, tuple[Line, ...]] = RULES,
    overall_rule: tuple[Line, ...] = OVERALL,
) -> Any:  # a subquery
    """Every site with its statuses, overall status, need score and attention flag. Each
    layer is kept (MATERIALIZED) rather than merged into the next: merged, the database
    copied every rule's CASE into each place that reads it."""
    f = _facts(today)
    facts = fact_columns(f)
    statuses = {key: status_sql(rules[key], facts, stale_days) for key in DIMENSIONS}
    rated = (
        select(f, *(s.label(key) for key, s in statuses.items()))
        .cte("rated")
        .prefix_with("MATERIALIZED")
    )
    r = rated.c
    dims = [r[key] for key in DIMENSIONS]
    overall = overall_sql({key: r[key] for key in DIMENSIONS}, overall_rule)
    stale = or_(r.days_since_change.is_(None), r.days_since_change > stale_days)
    review = r.review_phase.is_not(None)
    return (
        select(
            rated,
            overall.label("overall"),
            need_sql(
                count_of("red", dims), review, r.days_overdue, r.days_since_change, stale_days
            ).label("need"),
            case((stale, 1), else_=0).label("is_stale"),
        )
        .cte("ranked")
        .prefix_with("MATERIALIZED")
    )


def listed_columns(k: Any) -> list[Any]:
    """A statement's columns over `ranked` (or a subquery of it) for the sites it lists:
    every ranked column (each site's kept delivery share among them, read by
    `delivery_shares.kept_share`) and whether it needs attention."""
    return [k, attention_flag(k.c)]


@lru_cache(maxsize=4)
def ranked_for(today: date, stale_days: int) -> Any:
    """`ranked` built once a day (building it costs more than running it at small sizes)."""
    return ranked(today, stale_days)


def band(status: Any) -> Any:
    """A status's place among `dimensions.BANDS`, worst first (no plan last)."""
    return case(
        *((status == b, i) for i, b in enumerate(BANDS) if b is not None),
        else_=len(BANDS) - 1,
    )


def needs_attention(k: Any) -> Any:
    """A site the support team should look at first: red overall, stale, or a gateway review
    waiting. The one statement of the rule: the filter, the totals, the sites listed first
    and each row's flag (`attention_flag`) read it."""
    return or_(k.overall == "red", k.is_stale == 1, k.review_phase.is_not(None))


def attention_flag(k: Any) -> Any:
    """`needs_attention` as a column (1 or 0) for the rows a statement returns."""
    return case((needs_attention(k), 1), else_=0).label("needs_attention")


def sort_parts(k: Any, key: str) -> list[Any]:
    """The ORDER BY terms of one column's sort (the name's for a key it does not know),
    before the direction is applied; a term that is NULL puts the row last, whichever the
    direction."""
    if key in DIMENSIONS:
        return [band(k[key]), -k.need]
    match key:
        case "support":
            return [case((k.follow_id.is_(None), 1), else_=0)]
        case "need":
            return [-k.need]
        case "organisation":
            return [func.lower(k.organisation)]
        case "region":
            return [k.nation, k.region]
        case "status":
            return [case(*((k.status == s, i) for i, s in enumerate(SERVICE_STATUSES)), else_=9)]
        case "phase":
            return [k.phase]
        case "rag":
            return [band(k.overall), -k.need]
        case "essential":
            done = cast(k.ess_done, Float) / k.ess_applicable
            return [case((k.ess_applicable > 0, done), else_=-1.0)]
        case "overdue":
            return [k.f_overdue]
        case "signoff":
            return [k.signoff_at]
        case "meeting":
            return [k.next_meeting]
        case "changed":
            return [k.days_since_change]
        case "lead":
            return [func.lower(k.lead_name)]
        case _:
            return [func.lower(k.name)]


def order_terms(k: Any, parts: list[Any], descending: bool) -> list[Any]:
    """ORDER BY terms for a sort's parts (`sort_parts`): rows without a value for one of them
    last, whichever the direction; ties by name, then id."""
    missing = case((or_(*(p.is_(None) for p in parts)), 1), else_=0)
    terms = [p.desc() if descending else p.asc() for p in parts]
    return [missing, *terms, func.lower(k.name), k.site_id]


def counts(view: Any, k: Any, phases: tuple[int, ...]) -> dict[str, Any]:
    """The summary's aggregates over the sites where `view` holds, by name (NULL sums read as
    0), to run grouped or as window functions over every site."""

    def n(condition: Any) -> Any:
        return func.count().filter(and_(view, condition))

    has_needs = k.has_needs == 1
    return {
        "total": func.count().filter(view),
        **{f"status_{s}": n(k.status == s) for s in SERVICE_STATUSES},
        **{f"phase_{p}": n(k.phase == p) for p in phases},
        **{f"rag_{b}": n(k.overall == b) for b in BANDS if b is not None},
        "rag_none": n(k.overall.is_(None)),
        "attention": n(needs_attention(k)),
        "red": n(k.overall == "red"),
        "stale": n(k.is_stale == 1),
        "review_waiting": n(k.review_phase.is_not(None)),
        "needs_sites": n(has_needs),
        "sum_population_50_plus": func.sum(k.population_50_plus).filter(and_(view, has_needs)),
        "sum_hip_fractures_prevented_5y": func.sum(k.hip_fractures_prevented_5y).filter(
            and_(view, has_needs)
        ),
        "following": func.count().filter(k.follow_id.is_not(None)),
        "out_of_date": func.count().filter(k.counts_out_of_date),
    }
