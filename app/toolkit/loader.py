"""Read the toolkit TOML files, check them and build a :class:`Toolkit`.

Every problem raises :class:`ToolkitError` with a message of the form
``"<file>: <item>: <problem>"`` so a broken data edit is easy to find.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, NoReturn

from .models import (
    APPLIES_TO,
    AUTO_CHECKS,
    SERVICE_KINDS,
    GlossaryTerm,
    Kpi,
    Outcome,
    Phase,
    StakeholderCategory,
    Standard,
    TaskTemplate,
    TeamRole,
    Toolkit,
    ToolkitError,
)

DATA_DIR = Path(__file__).parent / "data"

PHASE_NUMBERS = tuple(range(7))  # 0 = Manage and Lead, 1-6 = gateway phases
ROLE_COUNT = 7
CATEGORY_COUNT = 13
STANDARD_COUNT = 10
KPI_COUNT = 11
OUTCOMES_PER_GATEWAY_PHASE = (3, 6)
SHORT_NAME_MAX = 30
REQUIRED_CATEGORIES = ("patients", "carers")


class _Record:
    """One TOML table, with typed field accessors that report errors clearly."""

    def __init__(self, filename: str, label: str, data: Any, allowed: set[str]):
        self.filename, self.label = filename, label
        if not isinstance(data, dict):
            self.fail("expected a table")
        for name in ("key", "term"):  # name the item by its key as early as possible
            if name in allowed and isinstance(data.get(name), str) and data[name].strip():
                self.label = f"{label.split(' #')[0]} {data[name].strip()!r}"
                break
        unknown = sorted(set(data) - allowed)
        if unknown:
            self.fail(f"unknown field(s): {', '.join(unknown)}")
        self.data = data

    def fail(self, problem: str) -> NoReturn:
        raise ToolkitError(f"{self.filename}: {self.label}: {problem}")

    def get(self, name: str, kind: type | tuple[type, ...], *, required: bool = True) -> Any:
        if name not in self.data:
            if required:
                self.fail(f"field '{name}' is missing")
            return None
        value = self.data[name]
        # bool is a subclass of int: never accept it where a number is wanted
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            names = " or ".join(k.__name__ for k in _tuple(kind))
            self.fail(f"field '{name}' must be {names}, got {value!r}")
        return value

    def text(self, name: str) -> str:
        value = self.get(name, str).strip()
        if not value:
            self.fail(f"field '{name}' must not be empty")
        return value

    def key(self, name: str = "key") -> str:
        return self.text(name)  # the label already names the item (see __init__)

    def percent(self, name: str, *, required: bool = True) -> float | None:
        value = self.get(name, (int, float), required=required)
        if value is None:
            return None
        if not 0 <= value <= 100:
            self.fail(f"field '{name}' must be a percentage between 0 and 100, got {value!r}")
        return float(value)


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _read(data_dir: Path, filename: str, table: str) -> list[Any]:
    path = data_dir / filename
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise ToolkitError(f"{filename}: file not found in {data_dir}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ToolkitError(f"{filename}: invalid TOML: {exc}") from None
    items = doc.get(table)
    if not isinstance(items, list) or not items:
        raise ToolkitError(f"{filename}: expected one or more [[{table}]] tables")
    return items


def _records(data_dir: Path, filename: str, table: str, what: str, fields: set[str]):
    items = _read(data_dir, filename, table)
    return [_Record(filename, f"{what} #{i}", item, fields) for i, item in enumerate(items, 1)]


def _unique(filename: str, what: str, values: list) -> None:
    seen: set = set()
    for value in values:
        if value in seen:
            raise ToolkitError(f"{filename}: duplicate {what} {value!r}")
        seen.add(value)


def _count(filename: str, what: str, items: list, expected: int) -> None:
    if len(items) != expected:
        raise ToolkitError(f"{filename}: expected exactly {expected} {what}, found {len(items)}")


def _numbered(filename: str, what: str, numbers: list[int], expected: range) -> None:
    _unique(filename, f"{what} number", numbers)
    if sorted(numbers) != list(expected):
        raise ToolkitError(
            f"{filename}: {what}s must be numbered {expected.start} to {expected.stop - 1}, "
            f"found {sorted(numbers)}"
        )


def _load_roles(data_dir: Path) -> tuple[TeamRole, ...]:
    fn = "roles.toml"
    recs = _records(data_dir, fn, "roles", "role", {"key", "name", "responsibilities", "category"})
    roles = [
        TeamRole(r.key(), r.text("name"), r.text("responsibilities"), r.text("category"))
        for r in recs
    ]
    _unique(fn, "role key", [r.key for r in roles])
    _count(fn, "roles", roles, ROLE_COUNT)
    return tuple(roles)


def _load_categories(data_dir: Path) -> tuple[StakeholderCategory, ...]:
    fn = "stakeholders.toml"
    recs = _records(data_dir, fn, "categories", "category", {"key", "name", "examples"})
    cats = [StakeholderCategory(r.key(), r.text("name"), r.text("examples")) for r in recs]
    _unique(fn, "category key", [c.key for c in cats])
    _count(fn, "stakeholder categories", cats, CATEGORY_COUNT)
    for required in REQUIRED_CATEGORIES:
        if required not in {c.key for c in cats}:
            raise ToolkitError(f"{fn}: required category {required!r} is missing")
    return tuple(cats)


def _standards_source(data_dir: Path) -> str:
    """The edition the standards come from: shown with them, so nobody takes them as current."""
    with (data_dir / "standards.toml").open("rb") as fh:
        source = tomllib.load(fh).get("source", "")
    if not isinstance(source, str) or not source.strip():
        raise ToolkitError("standards.toml: 'source' must name the edition and its year")
    return source.strip()


def _load_standards(data_dir: Path) -> tuple[Standard, ...]:
    fn = "standards.toml"
    recs = _records(data_dir, fn, "standards", "standard", {"number", "title", "summary"})
    stds = [Standard(r.get("number", int), r.text("title"), r.text("summary")) for r in recs]
    _count(fn, "standards", stds, STANDARD_COUNT)
    _numbered(fn, "standard", [s.number for s in stds], range(1, STANDARD_COUNT + 1))
    return tuple(sorted(stds, key=lambda s: s.number))


def _load_kpis(data_dir: Path) -> tuple[Kpi, ...]:
    fn = "kpis.toml"
    fields = set(Kpi.__dataclass_fields__)
    kpis = []
    for r in _records(data_dir, fn, "kpis", "KPI", fields):
        number = r.get("number", int)
        kpi = Kpi(
            number=number,
            key=r.key(),
            name=r.text("name"),
            short_name=r.text("short_name"),
            description=r.text("description"),
            national_2019=r.percent("national_2019"),
            national_2021=r.percent("national_2021"),
            goal=r.percent("goal", required=False),
            higher_is_better=r.get("higher_is_better", bool),
        )
        if len(kpi.short_name) > SHORT_NAME_MAX:
            r.fail(f"short_name is longer than {SHORT_NAME_MAX} characters")
        kpis.append(kpi)
    _unique(fn, "KPI key", [k.key for k in kpis])
    _count(fn, "KPIs", kpis, KPI_COUNT)
    _numbered(fn, "KPI", [k.number for k in kpis], range(1, KPI_COUNT + 1))
    return tuple(sorted(kpis, key=lambda k: k.number))


def _load_phases(data_dir: Path) -> tuple[Phase, ...]:
    fn = "phases.toml"
    fields = {"number", "key", "name", "summary", "outcomes"}
    phases = []
    for r in _records(data_dir, fn, "phases", "phase", fields):
        number, key = r.get("number", int), r.key()
        name, summary = r.text("name"), r.text("summary")
        outcomes = []
        for i, raw in enumerate(r.get("outcomes", list), 1):
            o = _Record(
                fn, f"phase {key!r} outcome #{i}", raw, {"key", "text", "auto_check", "app_view"}
            )
            okey, text = o.key(), o.text("text")
            check = o.get("auto_check", str, required=False)
            view = o.get("app_view", str, required=False)
            for field_name, value in (("auto_check", check), ("app_view", view)):
                if value is not None and value not in AUTO_CHECKS:
                    allowed = ", ".join(sorted(AUTO_CHECKS))
                    o.fail(f"unknown {field_name} {value!r}; allowed: {allowed}")
            outcomes.append(Outcome(okey, number, text, check, view))
        has_gateway = number != 0
        low, high = OUTCOMES_PER_GATEWAY_PHASE if has_gateway else (1, 99)
        if not low <= len(outcomes) <= high:
            r.fail(f"expected {low} to {high} outcomes, found {len(outcomes)}")
        phases.append(Phase(number, key, name, summary, tuple(outcomes), has_gateway))
    _unique(fn, "phase key", [p.key for p in phases])
    _numbered(fn, "phase", [p.number for p in phases], range(len(PHASE_NUMBERS)))
    for phase in phases:
        for o in phase.outcomes:
            if not o.key.startswith(f"{phase.key}."):
                raise ToolkitError(f"{fn}: outcome {o.key!r}: key must start with '{phase.key}.'")
    _unique(fn, "outcome key", [o.key for p in phases for o in p.outcomes])
    return tuple(sorted(phases, key=lambda p: p.number))


def _load_tasks(data_dir: Path, phases: tuple[Phase, ...], roles: tuple[TeamRole, ...]):
    fn = "tasks.toml"
    phase_numbers = {p.number for p in phases}
    role_keys = sorted(r.key for r in roles)
    tasks = []
    for r in _records(data_dir, fn, "tasks", "task", set(TaskTemplate.__dataclass_fields__)):
        task = TaskTemplate(
            key=r.key(),
            phase=r.get("phase", int),
            title=r.text("title"),
            guidance=r.text("guidance"),
            owner_role=r.text("owner_role"),
            duration_weeks=r.get("duration_weeks", int),
            essential=r.get("essential", bool),
            milestone=r.get("milestone", bool),
            applies_to=r.text("applies_to"),
            fls_db=bool(r.get("fls_db", bool, required=False)),
            done_when=r.get("done_when", str, required=False),
        )
        if task.done_when is not None and task.done_when not in AUTO_CHECKS:
            r.fail(
                f"unknown done_when {task.done_when!r}; allowed: {', '.join(sorted(AUTO_CHECKS))}"
            )
        if task.phase not in phase_numbers:
            r.fail(f"unknown phase {task.phase!r}; phases are {sorted(phase_numbers)}")
        if task.owner_role not in role_keys:
            r.fail(f"unknown owner_role {task.owner_role!r}; roles are {', '.join(role_keys)}")
        if task.applies_to not in APPLIES_TO:
            r.fail(f"applies_to must be one of {', '.join(APPLIES_TO)}, got {task.applies_to!r}")
        if task.duration_weeks < 1:
            r.fail(f"duration_weeks must be at least 1, got {task.duration_weeks}")
        tasks.append(task)
    _unique(fn, "task key", [t.key for t in tasks])
    for phase in phases:
        if not phase.has_gateway:
            continue
        for kind in SERVICE_KINDS:
            if not any(t.essential and t.phase == phase.number and t.applies(kind) for t in tasks):
                raise ToolkitError(
                    f"{fn}: phase {phase.number} ({phase.name}) has no essential task "
                    f"for {kind!r} services"
                )
    return tuple(tasks)


def _load_glossary(data_dir: Path) -> tuple[GlossaryTerm, ...]:
    fn = "glossary.toml"
    terms = []
    for r in _records(data_dir, fn, "terms", "term", {"term", "meaning"}):
        terms.append(GlossaryTerm(r.key("term"), r.text("meaning")))
    _unique(fn, "glossary term", [t.term.lower() for t in terms])
    return tuple(terms)


def load_toolkit(data_dir: Path | str | None = None) -> Toolkit:
    """Read and validate every data file; raise ToolkitError on the first problem."""
    data_dir = DATA_DIR if data_dir is None else Path(data_dir)
    roles = _load_roles(data_dir)
    phases = _load_phases(data_dir)
    categories = _load_categories(data_dir)
    for role in roles:
        if role.category not in {c.key for c in categories}:
            raise ToolkitError(f"roles.toml: role {role.key!r}: unknown category {role.category!r}")
    return Toolkit(
        phases=phases,
        tasks=_load_tasks(data_dir, phases, roles),
        roles=roles,
        categories=categories,
        standards=_load_standards(data_dir),
        standards_source=_standards_source(data_dir),
        kpis=_load_kpis(data_dir),
        glossary=_load_glossary(data_dir),
    )
