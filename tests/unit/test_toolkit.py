"""Tests for app.toolkit: the shipped reference data and the loader's validation."""

from __future__ import annotations

import dataclasses
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from app.toolkit import (
    AUTO_CHECKS,
    DATA_DIR,
    Kpi,
    TaskTemplate,
    Toolkit,
    ToolkitError,
    get_toolkit,
    load_toolkit,
)

# National FLS-DB figures, 2019 -> 2021, and 80/50/80 goals (DOMAIN.md, seed 003).
KPI_FIGURES = {
    1: (46, 39, None),
    2: (49, 43, 80),
    3: (24, 23, 80),
    4: (69, 67, None),
    5: (46, 32, None),
    6: (59, 58, None),
    7: (52, 56, 50),
    8: (6, 5, None),
    9: (41, 47, 80),
    10: (26, 32, 80),
    11: (19, 23, 80),
}

EXPECTED_AUTO_CHECKS = {
    "team_roles_filled": ["start-out.project-team"],
    "reference_group_minutes_issued": ["start-out.reference-group-met"],
    "plan_populated": ["start-out.project-plan"],
    "pid_agreed": ["start-out.pid"],
    "needs_entered": ["measure-and-understand.patient-numbers"],
    "kpis_recorded": ["pilot-and-implement.data-captured"],
    "kpis_tracked": ["sustain-and-share.improvement-measured"],
    "champion_agreed": ["start-out.clinical-champion"],
    "delivers_case": [
        "pilot-and-implement.delivering-the-case",
        "sustain-and-share.delivering-the-case",
    ],
}


@pytest.fixture(scope="module")
def tk() -> Toolkit:
    return get_toolkit()


# --------------------------------------------------------------------------- helpers


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML
    raise TypeError(f"cannot write {value!r}")


def dump_tables(table: str, records: list[dict]) -> str:
    """Write a list of tables as TOML; one level of nested table arrays is supported."""
    lines = []
    for rec in records:
        lines.append(f"[[{table}]]")
        nested = {k: v for k, v in rec.items() if isinstance(v, list)}
        lines += [f"{k} = {_toml_value(v)}" for k, v in rec.items() if k not in nested]
        for sub, items in nested.items():
            for item in items:
                lines.append(f"[[{table}.{sub}]]")
                lines += [f"{k} = {_toml_value(v)}" for k, v in item.items()]
        lines.append("")
    return "\n".join(lines)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private, writable copy of the shipped data."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(data_dir: Path, filename: str, table: str, change) -> None:
    """Load one data file, let `change` mutate its list of tables, write it back."""
    path = data_dir / filename
    records = tomllib.loads(path.read_text(encoding="utf-8"))[table]
    change(records)
    path.write_text(dump_tables(table, records), encoding="utf-8")


def task_record(records: list[dict], key: str) -> dict:
    return next(r for r in records if r["key"] == key)


# --------------------------------------------------------------------------- shipped data


def test_shipped_data_loads_and_is_cached(tk):
    assert isinstance(tk, Toolkit)
    assert get_toolkit() is tk
    assert load_toolkit() == tk  # a fresh load gives equal data


def test_writer_round_trip_is_faithful(data_dir, tk):
    for filename, table in [("tasks.toml", "tasks"), ("phases.toml", "phases")]:
        edit(data_dir, filename, table, lambda records: None)
    assert load_toolkit(data_dir) == tk


def test_counts(tk):
    assert len(tk.tasks) >= 70
    assert len(tk.tasks_for("new")) >= 55
    assert len(tk.tasks_for("improving")) >= 55
    assert len(tk.roles) == 7
    assert len(tk.categories) == 13
    assert len(tk.standards) == 10
    assert [s.number for s in tk.standards] == list(range(1, 11))
    assert [k.number for k in tk.kpis] == list(range(1, 12))


def test_phases(tk):
    assert [p.number for p in tk.phases] == list(range(7))
    assert [p.name for p in tk.phases] == [
        "Manage and Lead",
        "Start Out",
        "Define and Scope",
        "Measure and Understand",
        "Design and Plan",
        "Pilot and Implement",
        "Sustain and Share",
    ]
    assert tk.phase(0).has_gateway is False
    assert [p.number for p in tk.gateway_phases] == [1, 2, 3, 4, 5, 6]
    assert tk.phase(1).key == "start-out"
    for phase in tk.gateway_phases:
        assert 3 <= len(phase.outcomes) <= 6, phase.key
    for phase in tk.phases:
        assert all(o.phase == phase.number for o in phase.outcomes)
        assert all(o.key.startswith(phase.key + ".") for o in phase.outcomes)


def test_auto_checks_sit_on_the_right_outcomes(tk):
    outcomes = tk.outcomes_by_key.values()
    used = {k for o in outcomes for k in (o.auto_check, o.app_view)} | {
        t.done_when for t in tk.tasks
    }
    assert used - {None} == AUTO_CHECKS  # every check is used by an outcome or a task
    for check, keys in EXPECTED_AUTO_CHECKS.items():
        assert [o.key for o in tk.outcomes_with_check(check)] == keys


def test_tasks_that_restate_a_fact_follow_it(tk):
    done_when = {t.key: t.done_when for t in tk.tasks if t.done_when}
    assert done_when == {
        "book-meetings-calendar": "calendar_booked",
        "agree-clinical-champion": "champion_agreed",
        "name-project-team": "team_roles_filled",
        "first-reference-group": "reference_group_minutes_issued",
        "populate-project-plan": "plan_populated",
        "pid-signed-off": "pid_agreed",
        "confirm-sponsor": "sponsor_confirmed",
        "recruit-patients-carers": "patients_involved",
        "map-stakeholders": "stakeholders_listed",
    }


@pytest.mark.parametrize("number", sorted(KPI_FIGURES))
def test_kpi_national_figures_and_goals(tk, number):
    kpi = tk.kpi(number)
    y2019, y2021, goal = KPI_FIGURES[number]
    assert (kpi.national_2019, kpi.national_2021, kpi.goal) == (y2019, y2021, goal)
    assert kpi.higher_is_better is True
    assert len(kpi.short_name) <= 30


def test_kpi_4_example(tk):
    kpi = tk.kpi(4)
    assert isinstance(kpi, Kpi)
    assert (kpi.national_2019, kpi.national_2021) == (69.0, 67.0)


def test_tasks_are_well_formed(tk):
    role_keys = {r.key for r in tk.roles}
    for t in tk.tasks:
        assert t.owner_role in role_keys
        assert t.duration_weeks >= 1
        assert t.applies_to in {"new", "improving", "both"}
        assert t.title and t.guidance
    share = sum(t.essential for t in tk.tasks) / len(tk.tasks)
    assert 0.3 <= share <= 0.5
    for phase in tk.gateway_phases:
        assert any(t.milestone for t in tk.tasks_in_phase(phase.number)), phase.key
        for kind in ("new", "improving"):
            phase_tasks = tk.tasks_in_phase(phase.number, kind)
            assert any(t.essential for t in phase_tasks), (phase.key, kind)


def test_brief_example_tasks_exist(tk):
    for key in [
        "agree-clinical-champion",
        "book-meetings-calendar",
        "map-current-pathway",
        "request-nhfd-hip-numbers",
        "audit-against-ros-standards",
        "review-flsdb-kpis",
    ]:
        assert tk.task(key)
    assert tk.task("audit-against-ros-standards").applies_to == "improving"


def test_tasks_for_filters_and_orders(tk):
    new = tk.tasks_for("new")
    improving = tk.tasks_for("improving")
    assert all(t.applies_to in ("new", "both") for t in new)
    assert all(t.applies_to in ("improving", "both") for t in improving)
    assert {t.key for t in new} & {t.key for t in improving} == {
        t.key for t in tk.tasks if t.applies_to == "both"
    }
    phases = [t.phase for t in new]
    assert phases == sorted(phases)
    file_order = [t.key for t in tk.tasks if t.phase == 1 and t.applies("new")]
    assert [t.key for t in new if t.phase == 1] == file_order
    with pytest.raises(ValueError, match="unknown service kind"):
        tk.tasks_for("both")


def test_task_applies():
    base = dict(
        key="k",
        phase=1,
        title="t",
        guidance="g",
        owner_role="project-manager",
        duration_weeks=1,
        essential=False,
        milestone=False,
    )
    both = TaskTemplate(**base, applies_to="both")
    new = TaskTemplate(**base, applies_to="new")
    assert both.applies("new") and both.applies("improving")
    assert new.applies("new") and not new.applies("improving")
    with pytest.raises(ValueError):
        new.applies("existing")


def test_lookups(tk):
    assert tk.role("project-sponsor").name == "Project sponsor"
    assert tk.category("patients").name.startswith("Patients")
    assert tk.category("carers").name.startswith("Carers")
    assert tk.standard(7).number == 7
    assert tk.outcome("start-out.pid").auto_check == "pid_agreed"
    assert tk.term("fls-db").term == "FLS-DB"
    assert tk.kpis_by_key["identification-all"].number == 2
    with pytest.raises(KeyError, match="unknown team role"):
        tk.role("nobody")
    with pytest.raises(KeyError, match="unknown phase"):
        tk.phase(7)


def test_glossary_covers_key_terms(tk):
    for term in [
        "FLS",
        "DXA",
        "NHFD",
        "FLS-DB",
        "FFFAP",
        "WTE",
        "ICB",
        "CCG",
        "KPI",
        "RAG",
        "PID",
        "ROS",
        "NHS",
        "GP",
        "AHP",
        "ED",
        "SRG",
        "SPC",
        "5IQ",
        "Gateway",
        "Project sponsor",
        "Business case",
        "Service specification",
        "Commissioner",
        "Run chart",
        "Highlight report",
        "Action log",
        "Orthogeriatrician",
        "Fragility fracture",
        "Bone health assessment",
    ]:
        assert tk.term(term).meaning


def test_models_are_frozen(tk):
    with pytest.raises(dataclasses.FrozenInstanceError):
        tk.tasks[0].title = "changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        tk.kpi(1).goal = 99


# --------------------------------------------------------------------------- validation


def _duplicate_first(records):
    records.append(dict(records[0]))


BROKEN_EDITS = [
    pytest.param(
        "tasks.toml",
        "tasks",
        _duplicate_first,
        "duplicate task key 'book-meetings-calendar'",
        id="duplicate-task-key",
    ),
    pytest.param(
        "tasks.toml",
        "tasks",
        lambda rs: task_record(rs, "draft-pid").update(owner_role="tea-lady"),
        "task 'draft-pid': unknown owner_role 'tea-lady'",
        id="unknown-owner-role",
    ),
    pytest.param(
        "tasks.toml",
        "tasks",
        lambda rs: task_record(rs, "draft-pid").update(phase=9),
        "task 'draft-pid': unknown phase 9",
        id="unknown-phase",
    ),
    pytest.param(
        "tasks.toml",
        "tasks",
        lambda rs: task_record(rs, "draft-pid").update(applies_to="all"),
        "task 'draft-pid': applies_to must be one of",
        id="bad-applies-to",
    ),
    pytest.param(
        "tasks.toml",
        "tasks",
        lambda rs: task_record(rs, "draft-pid").update(duration_weeks=0),
        "task 'draft-pid': duration_weeks must be at least 1",
        id="zero-duration",
    ),
    pytest.param(
        "tasks.toml",
        "tasks",
        lambda rs: task_record(rs, "draft-pid").update(essential="yes"),
        "task 'draft-pid': field 'essential' must be bool",
        id="essential-not-bool",
    ),
    pytest.param(
        "tasks.toml",
        "tasks",
        lambda rs: task_record(rs, "draft-pid").pop("title"),
        "task 'draft-pid': field 'title' is missing",
        id="missing-field",
    ),
    pytest.param(
        "tasks.toml",
        "tasks",
        lambda rs: task_record(rs, "draft-pid").update(owner="x"),
        "task 'draft-pid': unknown field(s): owner",
        id="unknown-field",
    ),
    pytest.param(
        "tasks.toml",
        "tasks",
        lambda rs: [r.update(essential=False) for r in rs if r["phase"] == 5],
        "phase 5 (Pilot and Implement) has no essential task for 'new' services",
        id="phase-without-essential-task",
    ),
    pytest.param(
        "tasks.toml",
        "tasks",
        lambda rs: [
            r.update(essential=False) for r in rs if r["phase"] == 6 and r["applies_to"] != "new"
        ],
        "phase 6 (Sustain and Share) has no essential task for 'improving' services",
        id="phase-without-essential-improving-task",
    ),
    pytest.param(
        "phases.toml",
        "phases",
        lambda ps: ps[1]["outcomes"][0].update(auto_check="magic"),
        "outcome 'start-out.clinical-champion': unknown auto_check 'magic'",
        id="bad-auto-check",
    ),
    pytest.param(
        "phases.toml",
        "phases",
        lambda ps: ps[2]["outcomes"].append(dict(ps[2]["outcomes"][0])),
        "duplicate outcome key 'define-and-scope.current-pathway'",
        id="duplicate-outcome-key",
    ),
    pytest.param(
        "phases.toml",
        "phases",
        lambda ps: ps[3].update(key="define-and-scope"),
        "duplicate phase key 'define-and-scope'",
        id="duplicate-phase-key",
    ),
    pytest.param(
        "phases.toml",
        "phases",
        lambda ps: ps.pop(),
        "phases must be numbered 0 to 6",
        id="missing-phase",
    ),
    pytest.param(
        "roles.toml",
        "roles",
        lambda rs: rs.pop(),
        "expected exactly 7 roles, found 6",
        id="six-roles",
    ),
    pytest.param(
        "roles.toml",
        "roles",
        lambda rs: rs[1].update(key=rs[0]["key"]),
        "duplicate role key 'clinical-lead'",
        id="duplicate-role",
    ),
    pytest.param(
        "stakeholders.toml",
        "categories",
        lambda cs: cs.pop(),
        "expected exactly 13 stakeholder categories, found 12",
        id="twelve-categories",
    ),
    pytest.param(
        "stakeholders.toml",
        "categories",
        lambda cs: next(c for c in cs if c["key"] == "carers").update(key="family"),
        "required category 'carers' is missing",
        id="no-carers-category",
    ),
    pytest.param(
        "standards.toml",
        "standards",
        lambda ss: ss.pop(),
        "expected exactly 10 standards, found 9",
        id="nine-standards",
    ),
    pytest.param(
        "kpis.toml",
        "kpis",
        lambda ks: ks[3].update(national_2021=120),
        "KPI 'assessed-90-days': field 'national_2021' must be a percentage",
        id="kpi-over-100",
    ),
    pytest.param(
        "kpis.toml",
        "kpis",
        lambda ks: ks[10].update(number=12),
        "KPIs must be numbered 1 to 11",
        id="kpi-numbering-gap",
    ),
    pytest.param(
        "kpis.toml",
        "kpis",
        lambda ks: ks[0].update(short_name="x" * 31),
        "KPI 'data-completeness': short_name is longer than 30 characters",
        id="kpi-short-name-too-long",
    ),
    pytest.param(
        "glossary.toml",
        "terms",
        lambda ts: ts.append({"term": "fls", "meaning": "again"}),
        "duplicate glossary term 'fls'",
        id="duplicate-glossary-term",
    ),
]


@pytest.mark.parametrize(("filename", "table", "change", "message"), BROKEN_EDITS)
def test_broken_data_is_rejected(data_dir, filename, table, change, message):
    edit(data_dir, filename, table, change)
    with pytest.raises(ToolkitError) as excinfo:
        load_toolkit(data_dir)
    text = str(excinfo.value)
    assert text.startswith(f"{filename}: ")
    assert message in text


def test_missing_file_is_reported(data_dir):
    (data_dir / "kpis.toml").unlink()
    with pytest.raises(ToolkitError, match=r"^kpis\.toml: file not found"):
        load_toolkit(data_dir)


def test_invalid_toml_is_reported(data_dir):
    (data_dir / "roles.toml").write_text('[[roles]]\nkey = "unterminated\n', encoding="utf-8")
    with pytest.raises(ToolkitError, match=r"^roles\.toml: invalid TOML"):
        load_toolkit(data_dir)


def test_toolkit_error_is_a_value_error():
    assert issubclass(ToolkitError, ValueError)
