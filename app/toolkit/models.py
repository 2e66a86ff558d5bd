"""Frozen dataclasses describing the FLS Implementation Toolkit reference data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

SERVICE_KINDS: tuple[str, ...] = ("new", "improving")
"""What a site is doing: setting up a new FLS or improving an existing one."""

APPLIES_TO: tuple[str, ...] = ("new", "improving", "both")
"""Allowed values of ``TaskTemplate.applies_to``."""

AUTO_CHECKS: frozenset[str] = frozenset(
    {
        "team_roles_filled",
        "reference_group_minutes_issued",
        "plan_populated",
        "pid_agreed",
        "needs_entered",
        "kpis_recorded",
        "spec_drafted",
        "funding_route_known",
        "case_approved",
        "kpis_tracked",
        "champion_agreed",
        "stakeholders_listed",
        "calendar_booked",
        "sponsor_confirmed",
        "patients_involved",
        "delivers_case",
    }
)
"""Names of the gateway checks the app can evaluate by itself."""

FLS_DB_NATIONS: tuple[str, ...] = ("England", "Wales", "Northern Ireland")
"""Where the national audit (FLS-DB) runs. Scotland has no FLS-DB: its services get no
FLS-DB tasks and no FLS-DB national figures to compare with."""


def fls_db_covers(nation: str | None) -> bool:
    return (nation or "England") in FLS_DB_NATIONS


class ToolkitError(ValueError):
    """The toolkit data files are missing, unreadable or inconsistent."""


def check_service_kind(service_kind: str) -> str:
    if service_kind not in SERVICE_KINDS:
        raise ValueError(
            f"unknown service kind {service_kind!r}; expected one of {', '.join(SERVICE_KINDS)}"
        )
    return service_kind


@dataclass(frozen=True)
class Outcome:
    """A gateway criterion of a phase (or, for phase 0, a good practice)."""

    key: str
    phase: int
    text: str
    auto_check: str | None = None
    # a check shown beside a criterion a person confirms: what the app knows about it
    app_view: str | None = None


@dataclass(frozen=True)
class Phase:
    number: int
    key: str
    name: str
    summary: str
    outcomes: tuple[Outcome, ...]
    has_gateway: bool

    @property
    def label(self) -> str:
        """E.g. "Phase 2: Define and Scope", or just the name for phase 0."""
        return f"Phase {self.number}: {self.name}" if self.has_gateway else self.name


@dataclass(frozen=True)
class TaskTemplate:
    """A task in the default project-plan library."""

    key: str
    phase: int
    title: str
    guidance: str
    owner_role: str
    duration_weeks: int
    essential: bool
    milestone: bool
    applies_to: str
    fls_db: bool = False  # only for services the national audit (FLS-DB) covers
    # a check (AUTO_CHECKS) whose fact means this task is done: the plan completes the task
    # when it holds and reopens it when it stops holding
    done_when: str | None = None

    def applies(self, service_kind: str) -> bool:
        """True if this task belongs in a plan for a "new" or "improving" service."""
        check_service_kind(service_kind)
        return self.applies_to in ("both", service_kind)


@dataclass(frozen=True)
class TeamRole:
    key: str
    name: str
    responsibilities: str
    category: str  # the stakeholder category its holder belongs to (People's default)


@dataclass(frozen=True)
class StakeholderCategory:
    key: str
    name: str
    examples: str


@dataclass(frozen=True)
class Standard:
    number: int
    title: str
    summary: str


@dataclass(frozen=True)
class Kpi:
    number: int
    key: str
    name: str
    short_name: str
    description: str
    national_2019: float
    national_2021: float
    goal: float | None
    higher_is_better: bool

    @property
    def label(self) -> str:
        return f"KPI {self.number}: {self.name}"


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    meaning: str


@dataclass(frozen=True)
class Toolkit:
    """All reference data, validated. Lookup maps are built lazily and cached."""

    phases: tuple[Phase, ...]
    tasks: tuple[TaskTemplate, ...]
    roles: tuple[TeamRole, ...]
    categories: tuple[StakeholderCategory, ...]
    standards: tuple[Standard, ...]
    kpis: tuple[Kpi, ...]
    glossary: tuple[GlossaryTerm, ...]
    standards_source: str = ""  # which edition the standards come from, with its year

    # -- dict lookups (cached_property writes to __dict__, so it works on frozen classes)
    @cached_property
    def phases_by_number(self) -> dict[int, Phase]:
        return {p.number: p for p in self.phases}

    @cached_property
    def tasks_by_key(self) -> dict[str, TaskTemplate]:
        return {t.key: t for t in self.tasks}

    @cached_property
    def roles_by_key(self) -> dict[str, TeamRole]:
        return {r.key: r for r in self.roles}

    @cached_property
    def categories_by_key(self) -> dict[str, StakeholderCategory]:
        return {c.key: c for c in self.categories}

    @cached_property
    def standards_by_number(self) -> dict[int, Standard]:
        return {s.number: s for s in self.standards}

    @cached_property
    def kpis_by_number(self) -> dict[int, Kpi]:
        return {k.number: k for k in self.kpis}

    @cached_property
    def kpis_by_key(self) -> dict[str, Kpi]:
        return {k.key: k for k in self.kpis}

    @cached_property
    def outcomes_by_key(self) -> dict[str, Outcome]:
        return {o.key: o for p in self.phases for o in p.outcomes}

    @cached_property
    def glossary_by_term(self) -> dict[str, GlossaryTerm]:
        """Keyed by lower-cased term."""
        return {g.term.lower(): g for g in self.glossary}

    # -- single-item lookups; all raise KeyError for unknown keys
    @property
    def gateway_phases(self) -> tuple[Phase, ...]:
        """Phases 1-6, the ones that end in a sponsor sign-off."""
        return tuple(p for p in self.phases if p.has_gateway)

    def phase(self, number: int) -> Phase:
        return _lookup(self.phases_by_number, number, "phase")

    def task(self, key: str) -> TaskTemplate:
        return _lookup(self.tasks_by_key, key, "task")

    def role(self, key: str) -> TeamRole:
        return _lookup(self.roles_by_key, key, "team role")

    def category(self, key: str) -> StakeholderCategory:
        return _lookup(self.categories_by_key, key, "stakeholder category")

    def standard(self, number: int) -> Standard:
        return _lookup(self.standards_by_number, number, "standard")

    def kpi(self, number: int) -> Kpi:
        return _lookup(self.kpis_by_number, number, "KPI")

    def outcome(self, key: str) -> Outcome:
        return _lookup(self.outcomes_by_key, key, "outcome")

    def term(self, term: str) -> GlossaryTerm:
        """Case-insensitive glossary lookup."""
        return _lookup(self.glossary_by_term, term.lower(), "glossary term")

    def tasks_for(self, service_kind: str, nation: str | None = None) -> list[TaskTemplate]:
        """Default plan for a "new" or "improving" service: by phase, then file order.

        In a nation the FLS-DB does not cover, its FLS-DB tasks are left out."""
        check_service_kind(service_kind)
        chosen = [
            t
            for t in self.tasks
            if t.applies(service_kind) and (not t.fls_db or fls_db_covers(nation))
        ]
        return sorted(chosen, key=lambda t: t.phase)  # stable sort keeps file order

    def tasks_in_phase(self, number: int, service_kind: str | None = None) -> list[TaskTemplate]:
        tasks = self.tasks if service_kind is None else self.tasks_for(service_kind)
        return [t for t in tasks if t.phase == number]

    def outcomes_with_check(self, auto_check: str) -> list[Outcome]:
        return [o for o in self.outcomes_by_key.values() if o.auto_check == auto_check]


def _lookup(mapping: dict, key, what: str):
    try:
        return mapping[key]
    except KeyError:
        raise KeyError(f"unknown {what}: {key!r}") from None
