"""Filters, sorting and the summary of portfolio rows: in memory, so they cost no query."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.core.numbers import whole_number
from app.portfolio.dimensions import BAND_MEANINGS, BANDS, DIMENSIONS, STATUS_NAMES
from app.portfolio.service import PHASES, RAG_NAMES, RAG_ORDER, STATUS_SHORT, PortfolioRow
from app.sites.models import SERVICE_STATUSES

# Worst overall status first, and within one the site with the highest need score
# (app.portfolio.need) first.
DEFAULT_SORT = "rag"
PAGE_SIZE = 50
ATTENTION_LISTED = 5  # the summary names this many of the sites needing attention


@dataclass
class Filters:
    view: str = "all"  # "all" or "mine" (sites I support)
    region: str = ""
    status: str = ""
    phase: int | None = None
    rag: str = ""  # red, amber, green, complete or "none" (no plan yet)
    q: str = ""
    attention: bool = False
    delivering: str = ""  # a key of DELIVERING_FILTERS
    sort: str = DEFAULT_SORT
    descending: bool = False
    page: int = 1  # pages of PAGE_SIZE sites, from 1

    def query_items(self) -> list[tuple[str, str]]:
        """The filters, the order and the page as URL parameters (only the ones set)."""
        items = self.filter_items()
        if self.page > 1:
            items.append(("page", str(self.page)))
        return items

    def filter_items(self) -> list[tuple[str, str]]:
        """The filters and the order as URL parameters (only the ones set), in a stable
        order, without the page: a new order or filter starts at the first page."""
        items = [("view", self.view)]
        for key in ("region", "status", "rag", "q", "delivering"):
            if getattr(self, key):
                items.append((key, getattr(self, key)))
        if self.phase:
            items.append(("phase", str(self.phase)))
        if self.attention:
            items.append(("attention", "1"))
        if self.sort != DEFAULT_SORT or self.descending:
            items.append(("sort", self.sort))
            items.append(("dir", "desc" if self.descending else "asc"))
        return items


# Delivering its case: the share of promised patients found and treated.
DELIVERING_FILTERS = {
    "short": "Short of the promise (under 90%)",
    "on-track": "Delivering 90% or more",
    "none": "No agreed case or no figures yet",
}


def delivering_band(r: PortfolioRow) -> str:
    if r.delivery is None:
        return "none"
    return "on-track" if r.delivery.on_track else "short"


# The overall status's severity bands, worst first, as the filter offers them.
RAG_FILTERS = {(band or "none"): f"{STATUS_NAMES[band]} ({BAND_MEANINGS[band]})" for band in BANDS}


def parse_filters(args: dict, follows_any: bool) -> Filters:
    """Filters from URL parameters; unknown values are ignored rather than refused."""
    view = args.get("view", "")
    if view not in ("all", "mine"):
        view = "mine" if follows_any else "all"
    phase = args.get("phase", "")
    sort = args.get("sort", DEFAULT_SORT)
    page = whole_number(args.get("page", ""))
    return Filters(
        view=view,
        region=args.get("region", "").strip(),
        status=args.get("status", "") if args.get("status", "") in SERVICE_STATUSES else "",
        phase=whole_number(phase) if whole_number(phase) in PHASES else None,
        rag=args.get("rag", "") if args.get("rag", "") in RAG_FILTERS else "",
        q=args.get("q", "").strip()[:100],
        attention=args.get("attention") == "1",
        delivering=args.get("delivering", "")
        if args.get("delivering", "") in DELIVERING_FILTERS
        else "",
        sort=sort if sort in SORT_KEYS else DEFAULT_SORT,
        descending=args.get("dir") == "desc",
        page=page if page and page > 0 else 1,
    )


def in_view(rows: list[PortfolioRow], view: str) -> list[PortfolioRow]:
    return [r for r in rows if r.followed] if view == "mine" else rows


def apply_filters(rows: list[PortfolioRow], filters: Filters) -> list[PortfolioRow]:
    q = filters.q.casefold()
    wanted_rag = None if filters.rag == "none" else filters.rag
    return [
        r
        for r in in_view(rows, filters.view)
        if (not filters.region or r.region == filters.region)
        and (not filters.status or r.status == filters.status)
        and (filters.phase is None or r.phase == filters.phase)
        and (not filters.rag or r.overall == wanted_rag)
        and (not q or q in r.name.casefold() or q in r.organisation.casefold())
        and (not filters.attention or r.needs_attention)
        and (not filters.delivering or delivering_band(r) == filters.delivering)
    ]


def _ratio(r: PortfolioRow) -> float:
    return r.essential_done / r.essential_applicable if r.essential_applicable else -1.0


def _by_band(status: str | None, r: PortfolioRow) -> tuple[int, int]:
    """A status's severity band, worst first, then the site with the highest need first."""
    return (BANDS.index(status), -r.need)


def _dimension_key(dimension: str):  # noqa: ANN202 - a sort key function
    return lambda r: _by_band(r.ratings[dimension].status, r)


SORT_KEYS = {
    "name": lambda r: r.name.casefold(),
    "support": lambda r: not r.followed,
    "need": lambda r: -r.need,
    "organisation": lambda r: r.organisation.casefold(),
    "region": lambda r: (r.nation, r.region),
    "status": lambda r: (
        list(SERVICE_STATUSES).index(r.status) if r.status in SERVICE_STATUSES else 9
    ),
    "phase": lambda r: r.phase,
    "rag": lambda r: _by_band(r.overall, r),
    **{key: _dimension_key(key) for key in DIMENSIONS},
    "essential": _ratio,
    "overdue": lambda r: r.overdue,
    "signoff": lambda r: r.last_signoff_at,
    "meeting": lambda r: r.next_meeting,
    "changed": lambda r: r.days_since_change,
    "lead": lambda r: r.lead_name.casefold() if r.lead_name else None,
    "delivering": lambda r: r.delivery.share if r.delivery else None,
}


def sort_rows(rows: list[PortfolioRow], key: str, descending: bool = False) -> list[PortfolioRow]:
    """Sorted by one column; rows without a value for it always come last."""
    get = SORT_KEYS.get(key, SORT_KEYS["name"])
    present = [r for r in rows if get(r) is not None]
    missing = [r for r in rows if get(r) is None]
    # Ties stay in name order either way (sorts are stable, even reversed).
    present.sort(key=lambda r: r.name.casefold())
    present.sort(key=get, reverse=descending)
    return present + missing


@dataclass(frozen=True)
class Page:
    rows: list[PortfolioRow]
    number: int  # from 1
    count: int  # pages in all (at least 1)
    first: int  # the first row's place among all the rows shown, from 1


def page_of(rows: list[PortfolioRow], number: int) -> Page:
    """One page of PAGE_SIZE rows; a page past the last shows the last."""
    count = max(1, -(-len(rows) // PAGE_SIZE))
    number = min(max(1, number), count)
    start = (number - 1) * PAGE_SIZE
    return Page(rows[start : start + PAGE_SIZE], number, count, start + 1)


@dataclass
class Summary:
    total: int
    by_status: list[tuple[str, str, int]]  # (key, label, count)
    by_phase: list[tuple[int, str, int]]
    by_rag: list[tuple[str | None, str, int]]
    attention: int
    attention_first: list[PortfolioRow]  # the sites needing attention that come first
    red: int
    stale: int
    review_waiting: int
    population_50_plus: int
    hip_fractures_prevented_5y: int
    needs_sites: int  # sites that have entered their needs figures
    stale_days: int = 30
    phase_names: dict[int, str] = field(default_factory=dict)


def summarise(rows: list[PortfolioRow], phase_names: dict[int, str], stale_days: int) -> Summary:
    statuses = Counter(r.status for r in rows)
    phases = Counter(r.phase for r in rows)
    rags = Counter(r.overall for r in rows)
    with_needs = [
        r
        for r in rows
        if r.population_50_plus is not None or r.hip_fractures_prevented_5y is not None
    ]
    return Summary(
        total=len(rows),
        by_status=[(key, label, statuses[key]) for key, label in STATUS_SHORT.items()],
        by_phase=[(p, phase_names.get(p, f"Phase {p}"), phases[p]) for p in PHASES],
        by_rag=[(rag, RAG_NAMES[rag], rags[rag]) for rag in RAG_ORDER],
        attention=sum(r.needs_attention for r in rows),
        attention_first=sort_rows([r for r in rows if r.needs_attention], DEFAULT_SORT)[
            :ATTENTION_LISTED
        ],
        red=sum(r.overall == "red" for r in rows),
        stale=sum(r.stale for r in rows),
        review_waiting=sum(r.review_phase is not None for r in rows),
        population_50_plus=sum(r.population_50_plus or 0 for r in with_needs),
        hip_fractures_prevented_5y=sum(r.hip_fractures_prevented_5y or 0 for r in with_needs),
        needs_sites=len(with_needs),
        stale_days=stale_days,
        phase_names=phase_names,
    )


def regions(rows: list[PortfolioRow]) -> list[str]:
    return sorted({r.region for r in rows if r.region})


def region_counts(rows: list[PortfolioRow]) -> list[tuple[str, int]]:
    """Each region with its number of sites, for a first visit's "support your region"."""
    counts = Counter(r.region for r in rows if r.region)
    return sorted(counts.items())
