"""The portfolio's filters and sort keys from the URL, its pages and its summary; the
database applies them (`listing.py`, `ranking.py`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.core.numbers import whole_number
from app.delivery.facts import ON_TRACK, DeliveryShare
from app.portfolio.dimensions import BAND_MEANINGS, BANDS, STATUS_NAMES
from app.portfolio.service import PHASES, RAG_NAMES, RAG_ORDER, STATUS_SHORT, PortfolioRow
from app.sites.models import SERVICE_STATUSES

# Worst overall status first, and within one the site with the highest need score
# (app.portfolio.need) first.
DEFAULT_SORT = "rag"
PAGE_SIZE = 50
ATTENTION_LISTED = 5  # the summary names this many of the sites needing attention

# Every sort the page offers (`ranking.sort_parts`), in the order the phone's "Sort by"
# list offers them.
SORT_LABELS = {
    "rag": "Overall status",
    "need": "Need score",
    "name": "Site",
    "schedule": "Schedule",
    "risks": "Risks",
    "engagement": "Engagement",
    "data": "Data",
    "phase": "Phase",
    "meeting": "Next meeting",
    "lead": "Lead contact",
    "support": "Support",
    "organisation": "Organisation",
    "region": "Nation and region",
    "status": "Status",
    "essential": "Essential tasks done",
    "overdue": "Overdue tasks",
    "signoff": "Last gateway signed off",
    "changed": "Days since last change",
    "delivering": "Delivering its case",
}


@dataclass(frozen=True)
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
    "short": f"Short of the promise (under {ON_TRACK:.0%})",
    "on-track": f"Delivering {ON_TRACK:.0%} or more",
    "none": "No agreed case or no figures yet",
}


def delivery_band(delivery: DeliveryShare | None) -> str:
    """The "Delivering its case" band (a key of DELIVERING_FILTERS) a site's share falls in:
    the one rule the filter, the table's cells and the portfolio's chart read."""
    if delivery is None:
        return "none"
    return "on-track" if delivery.on_track else "short"


@dataclass(frozen=True)
class DeliveryBands:
    counts: Counter[str]  # sites in each band (keys of DELIVERING_FILTERS)
    live: int  # sites with an agreed case and audit figures
    total: DeliveryShare  # their patients found and treated, and promised, summed


def delivery_bands(deliveries: list[DeliveryShare | None]) -> DeliveryBands | None:
    """Sites' shares (None: no share) counted by band, and the live ones summed: the
    portfolio's "Delivering the business case" (None when no site has a share yet)."""
    live = [d for d in deliveries if d is not None]
    if not live:
        return None
    return DeliveryBands(
        counts=Counter(delivery_band(d) for d in deliveries),
        live=len(live),
        total=DeliveryShare(
            found=sum(d.found for d in live),
            found_promised=sum(d.found_promised for d in live),
            treated=sum(d.treated for d in live),
            treated_promised=sum(d.treated_promised for d in live),
        ),
    )


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
        sort=sort if sort in SORT_LABELS else DEFAULT_SORT,
        descending=args.get("dir") == "desc",
        page=page if page and page > 0 else 1,
    )


@dataclass(frozen=True)
class Page:
    rows: list[PortfolioRow]
    number: int  # from 1
    count: int  # pages in all (at least 1)
    first: int  # the first row's place among all the rows shown, from 1


def page_of(rows: list[PortfolioRow], number: int, matching: int) -> Page:
    """A page's rows (fetched by `listing.portfolio_view`) with its place among `matching`."""
    return Page(rows, number, max(1, -(-matching // PAGE_SIZE)), (number - 1) * PAGE_SIZE + 1)


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


def summary_from(values: dict, phase_names: dict[int, str], stale_days: int) -> Summary:
    """The summary from `ranking.counts`' labelled values (the sites needing attention
    that come first are added by the caller)."""
    return Summary(
        total=values["total"],
        by_status=[(key, label, values[f"status_{key}"]) for key, label in STATUS_SHORT.items()],
        by_phase=[(p, phase_names.get(p, f"Phase {p}"), values[f"phase_{p}"]) for p in PHASES],
        by_rag=[(rag, RAG_NAMES[rag], values[f"rag_{rag or 'none'}"]) for rag in RAG_ORDER],
        attention=values["attention"],
        attention_first=[],
        red=values["red"],
        stale=values["stale"],
        review_waiting=values["review_waiting"],
        population_50_plus=int(values["sum_population_50_plus"] or 0),
        hip_fractures_prevented_5y=int(values["sum_hip_fractures_prevented_5y"] or 0),
        needs_sites=values["needs_sites"],
        stale_days=stale_days,
        phase_names=phase_names,
    )


def regions(sites: list) -> list[str]:
    """The regions of these sites (`listing.SiteGlance`), for the filter."""
    return sorted({s.region for s in sites if s.region})


def region_counts(sites: list) -> list[tuple[str, int]]:
    """Each region with its number of sites, for a first visit's "support your region"."""
    counts = Counter(s.region for s in sites if s.region)
    return sorted(counts.items())
