"""Extension points: what a feature adds to pages and commands that another package owns.

The site overview (app/sites), the gateway criteria (app/gateways), the person page and
erasure (app/people) and the demo commands (app/demo.py) sit below or beside the features
that fill them, so they cannot import those features. Instead `create_app` builds one
`Registry` and calls every feature's `register(registry)` (listed in app/blueprints.py);
the owners read it back with `registry()`. No string imports, no import cycles.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy.sql.elements import ColumnElement

from app.core.history_words import HistoryWords

# Callables take the feature's own objects (a Site, a Person, a DemoContext); core cannot
# name those types without importing the features, so they are `Any` here.
# A panel's context: site -> the fragment's variables; or, for a panel that declares facts,
# (site, {fact name: value}) -> the fragment's variables.
PanelContext = Callable[..., dict]
# site id -> {fact name: a one-value SQL expression (a labelled scalar subquery, EXISTS,
# ...)}; the overview runs every panel's facts as one SELECT, so a panel's numbers cost no
# statement of their own.
PanelFacts = Callable[[int], Mapping[str, ColumnElement]]


class CheckResult(NamedTuple):
    """What a gateway check answers, the one shape every feature's check returns."""

    met: bool
    detail: str  # why, in a sentence a sponsor can read
    link: str | None = None  # a page showing the evidence, when there is one


# site id -> {fact name: one-value SQL expression}: what a check reads
CheckFacts = Callable[[int], dict[str, Any]]
# (site, {fact name: value}) -> CheckResult: a pure function of the facts it declared
FeatureCheck = Callable[[Any, Mapping[str, Any]], CheckResult]


@dataclass(frozen=True)
class Panel:
    template: str  # a fragment under templates/<feature>/
    context: PanelContext  # site (and its facts, when `facts` is set) -> the variables
    order: int  # position on the overview page, smallest first
    facts: PanelFacts | None = None


@dataclass(frozen=True)
class GatewayCheck:
    """A fact the app checks itself: a gateway criterion, or when an essential task is done.

    `facts(site_id)` names the scalar subqueries the check reads, so the gateways feature
    fetches the facts of every check in one SELECT and calls `check(site, facts)`."""

    check: FeatureCheck
    fix_endpoint: str | None  # the page that fixes an unmet criterion
    facts: CheckFacts


@dataclass(frozen=True)
class DemoStep:
    demo: Callable[[Any], None] | None  # DemoContext -> None: the feature's demo data
    bench: Callable[[Any], None] | None  # BenchContext -> None: its benchmark load
    order: int  # dependency order, smallest first


@dataclass
class Registry:
    panels: list[Panel] = field(default_factory=list)
    gateway_checks: dict[str, GatewayCheck] = field(default_factory=dict)
    demo_steps: list[DemoStep] = field(default_factory=list)
    # (heading, person -> list of items): what a person owns, on their page and data export
    person_sections: list[tuple[str, Callable[[Any], list]]] = field(default_factory=list)
    # (person_id, site_id) -> None: remove what a feature holds about an erased person
    erasure_hooks: list[Callable[[int, int], None]] = field(default_factory=list)
    # (site_id, secrets, report) -> None: remove an erased person's details (the patterns of
    # app.people.scrub) from what the site's text and JSON columns cannot show (stored emails)
    erasure_scrubbers: list[Callable[[int, list, Any], None]] = field(default_factory=list)
    # (label, model, title attribute): records with a site_id and an owner_id (a person), so
    # a member being removed can be told what they own and hand it on
    owned_records: list[tuple[str, Any, str]] = field(default_factory=list)
    # site -> None, in registration order: what a new site gets besides itself (people: the
    # standard groups; plan: the plan from the start date the site form asked for)
    site_setup: list[Callable[[Any], None]] = field(default_factory=list)
    # membership -> role clashes: link a new or changed member to the site's records of people
    member_linkers: list[Callable[[Any], list]] = field(default_factory=list)
    # site ids -> {site id: current phase}; the gateways feature answers it
    current_phases: Callable[[list[int]], dict[int, int]] | None = None
    # how the change history reads each feature's records, fields, codes and ids
    history: HistoryWords = field(default_factory=HistoryWords)
    # site id -> a one-value SQL expression giving the site's current phase, so a panel can
    # read it among its facts; when no feature sets it, panels ask `current_phases`
    current_phase_fact: Callable[[int], ColumnElement] | None = None
    # site id -> {gated phase: one-value SQL, when its standing sign-off was made or None}:
    # the plan page's folded phases say "signed off 22 Sep 2026" (the gateways feature)
    signed_off_facts: Callable[[int], dict[int, ColumnElement]] | None = None
    # (site, decided on) -> None: what a feature keeps when a business case is agreed (the
    # delivery feature keeps its predictions as the site's promise)
    case_agreed: list[Callable[[Any, Any], None]] = field(default_factory=list)
    # What the highlight report says about delivery against the agreed case (the delivery
    # feature sets both): site id -> {name: scalar subquery} for the report's own statement,
    # and (those values, today) -> sentences ("Patients assessed: 212 of 300 promised ...")
    delivery_facts: Callable[[int], dict[str, Any]] | None = None
    delivery_lines: Callable[[Mapping[str, Any], Any], list[str]] | None = None
    # (the same values, today) -> the report's delivery run charts, one per measured promise
    # with audit figures, each the delivery page's chart: `.name`, `.svg` (for the report
    # page), `.alt_text`, `.caption` and `.picture()` (an `app.core.word.Picture` or None)
    delivery_charts: Callable[[Mapping[str, Any], Any], list[Any]] | None = None
    # Sheets other features add to kpis.xlsx: (site id -> {name: scalar subquery}, (workbook,
    # those values, today) -> None); the KPI feature fetches every sheet's facts in one SELECT
    kpi_workbook_sheets: list[tuple[Callable[[int], dict[str, Any]], Callable[..., None]]] = field(
        default_factory=list
    )
    # (site id, fact values or None) -> app.needs.figures.SiteFigures: every figure a
    # document states, worked out once; site id -> {name: scalar subquery}: what it reads,
    # so a document fetches them in its own statement. The business case sets both;
    # app.needs.figures falls back to the needs figures alone without it.
    site_figures: Callable[..., Any] | None = None
    site_figure_facts: Callable[[int], dict[str, Any]] | None = None

    def add_panel(
        self,
        template: str,
        context: PanelContext,
        *,
        order: int,
        facts: PanelFacts | None = None,
    ) -> None:
        """A panel on the site overview; with `facts`, `context` takes (site, fact values)."""
        self.panels.append(Panel(template, context, order, facts))
        self.panels.sort(key=lambda p: p.order)

    def add_gateway_check(
        self,
        key: str,
        check: FeatureCheck,
        fix_endpoint: str | None = None,
        *,
        facts: CheckFacts,
    ) -> None:
        if key in self.gateway_checks:
            raise ValueError(f"gateway check {key!r} registered twice")
        self.gateway_checks[key] = GatewayCheck(check, fix_endpoint, facts)

    def add_demo(
        self,
        demo: Callable[[Any], None] | None = None,
        bench: Callable[[Any], None] | None = None,
        *,
        order: int,
    ) -> None:
        self.demo_steps.append(DemoStep(demo, bench, order))
        self.demo_steps.sort(key=lambda s: s.order)


EXTENSION_KEY = "fls_registry"


def registry() -> Registry:
    """The current app's registry (needs an app context)."""
    return current_app.extensions[EXTENSION_KEY]
