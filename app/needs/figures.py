"""One set of figures for a site: every number a document states (patients a year, staffing,
targets, fractures prevented, the recommended option, the ask) and the nation's words.

The documents (PID, report, gateway record) and the needs page sit below the business case,
so they cannot call it: they ask `figures_for(site)`, which uses the business case's
`registry().site_figures` when that feature is installed and the needs figures alone when
it is not. The business case builds the same `SiteFigures` for its own documents, so one
rule gives every figure everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.core.registry import registry

if TYPE_CHECKING:
    from app.sites.models import Site


@dataclass(frozen=True)
class NationWords:
    audit: str  # the national audit of secondary fracture prevention, or of hip fracture
    audit_short: str
    hip_audit: str
    payer: str  # who commissions services
    pay_scale: str
    outcomes_framework: str
    outcome_domains: tuple[str, ...]
    fls_db: bool


ENGLAND_DOMAINS = (
    "Domain 1: Preventing people from dying prematurely",
    "Domain 2: Enhancing quality of life for people with long-term conditions",
    "Domain 3: Helping people to recover from episodes of ill health or following injury",
    "Domain 4: Ensuring that people have a positive experience of care",
    "Domain 5: Treating and caring for people in a safe environment and protecting them "
    "from avoidable harm",
)
FLS_DB = "the Fracture Liaison Service Database (FLS-DB)"
NHFD = "the National Hip Fracture Database (NHFD)"
NATIONS = {
    "England": NationWords(
        FLS_DB, "FLS-DB", NHFD, "the integrated care board (ICB)",
        "NHS Agenda for Change and consultant pay scales (England)",
        "the NHS Outcomes Framework", ENGLAND_DOMAINS, True,
    ),
    "Wales": NationWords(
        FLS_DB, "FLS-DB", NHFD, "the local health board",
        "NHS Wales Agenda for Change and consultant pay scales",
        "the NHS Wales Performance Framework (the quadruple aim of A Healthier Wales)",
        (
            "Improved population health and wellbeing",
            "Better quality and more accessible health and social care services",
            "Higher value health and social care",
            "A motivated and sustainable health and social care workforce",
        ),
        True,
    ),
    "Northern Ireland": NationWords(
        FLS_DB, "FLS-DB", NHFD, "the health and social care trust and the Strategic Planning "
        "and Performance Group", "Health and Social Care Agenda for Change and consultant pay "
        "scales (Northern Ireland)",
        "the Department of Health's outcomes for health and social care",
        ENGLAND_DOMAINS[:4], True,
    ),
    "Scotland": NationWords(
        "the Scottish Hip Fracture Audit (Public Health Scotland)", "Scottish Hip Fracture "
        "Audit", "the Scottish Hip Fracture Audit (Public Health Scotland)", "the health board",
        "NHS Scotland Agenda for Change and consultant pay scales",
        "the National Health and Wellbeing Outcomes (Scotland)",
        (
            "People are able to look after and improve their own health and wellbeing",
            "People are able to live at home or in the community for as long as possible",
            "People have positive experiences of health and social care services",
            "Services are centred on helping to maintain or improve quality of life",
            "People are safe from harm",
        ),
        False,
    ),
}  # fmt: skip


def nation_words(nation: str | None) -> NationWords:
    return NATIONS.get(nation or "England", NATIONS["England"])


# The toolkit's wording names England's audits; where FLS-DB and the NHFD do not run, the
# nation's own are named instead (longest phrases first).
OWN_AUDITS = (
    ("such as the FLS-DB and links with the NHFD", "and links with {hip}"),
    ("the FLS-DB", "the service's own audit"),
    ("the NHFD", "{hip}"),
    ("FLS-DB", "the service's own audit"),
    ("NHFD", "{hip}"),
)


def for_nation(text: str, nation: str | None) -> str:
    """`text` with the nation's own audits named (unchanged where FLS-DB runs)."""
    words = nation_words(nation)
    if words.fls_db:
        return text
    for old, new in OWN_AUDITS:
        text = text.replace(old, new.format(hip=words.hip_audit))
    return text


def _pounds(value: float) -> str:
    """Money in the figures' words: to the nearest £1,000 (£100 below £10,000)."""
    step = 1000 if abs(value) >= 10_000 else 100
    return f"£{round(value / step) * step:,.0f}"


@dataclass(frozen=True)
class SiteFigures:
    """Every figure a document states, worked out once. None: not worked out yet."""

    nation: str
    population: int | None
    patients_a_year: int | None  # expected fragility fractures a year (rule of 5)
    option: str | None = None  # the recommended option
    nurse_wte: float | None = None
    admin_wte: float | None = None
    sessions: float | None = None  # consultant sessions a week
    rates: dict[str, float] = field(default_factory=dict)  # the option's identification...
    targets: dict[int, float] = field(default_factory=dict)  # KPI -> target % (site or goal)
    fractures_prevented: float | None = None  # among one year's patients, over the horizon
    hip_prevented: float | None = None
    horizon: str = ""  # "10 years", "patients' lifetimes (25 years)"
    first_year_cost: float | None = None  # the ask: year 1, not discounted
    later_year_cost: float | None = None  # a year after that
    first_year_medicines: float | None = None  # of the first year's ask: prescribing budget
    missing: tuple[str, ...] = ()
    # What they were worked out from: the newest needs version and the business case's
    # version (None: none saved).
    needs_version_id: int | None = None
    case_version: int | None = None

    @property
    def words(self) -> NationWords:
        return nation_words(self.nation)

    @property
    def patients_display(self) -> str:
        return "Not worked out" if self.patients_a_year is None else f"{self.patients_a_year:,}"

    @property
    def staffing_words(self) -> str | None:
        if self.nurse_wte is None or self.admin_wte is None:
            return None
        sessions = self.sessions or 0
        plural = "" if sessions == 1 else "s"
        return (
            f"{self.nurse_wte:.1f} WTE nurses, {self.admin_wte:.1f} WTE administrators and "
            f"{sessions:g} consultant session{plural} a week"
        )

    @property
    def prevented_words(self) -> str | None:
        if self.fractures_prevented is None or self.hip_prevented is None:
            return None
        return (
            f"about {round(self.fractures_prevented):,} fractures ({round(self.hip_prevented):,} "
            f"hip) among each year's patients over {self.horizon}, against today's service"
        )

    @property
    def ask_words(self) -> str | None:
        if self.first_year_cost is None or self.staffing_words is None:
            return None
        later = self.later_year_cost if self.later_year_cost is not None else 0
        medicines = ""
        if self.first_year_medicines:
            medicines = f" ({_pounds(self.first_year_medicines)} medicines)"
        return (
            f"{self.staffing_words}: {_pounds(self.first_year_cost)} in year 1{medicines}, "
            f"then about {_pounds(later)} a year"
        )


def needs_only(site: Site) -> SiteFigures:
    """The figures when the business case is not installed: the needs analysis alone."""
    from app.needs import queries
    from app.needs.assumptions import effective_values
    from app.needs.model import compute

    state = queries.current_state(site)
    results = compute(state.inputs, effective_values(state.overrides))
    return SiteFigures(
        site.nation or "England",
        results.population,
        results.caseload,
        needs_version_id=state.version.id if state.version else None,
    )


def figure_facts(site_id: int) -> dict[str, Any]:
    """What the figures read, as labelled scalar subqueries for a caller's own statement
    (none without the business case)."""
    declare = registry().site_figure_facts
    return declare(site_id) if declare is not None else {}


def figures_for(site: Site, values: Mapping[str, Any] | None = None) -> SiteFigures:
    """The site's figures, from the business case when it is installed. `values`: the
    `figure_facts` the caller already fetched (then no statement of its own)."""
    build: Any = registry().site_figures
    if build is None:
        return needs_only(site)
    return build(site.id, values)
