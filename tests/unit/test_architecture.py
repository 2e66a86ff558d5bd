"""The import contracts in pyproject.toml hold, and a breaking import makes the suite fail."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_real_tree_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def _copy_tree(tmp_path: Path) -> Path:
    for package in ("app", "migrations"):
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_breaking_imports_fail_the_linter(tmp_path: Path) -> None:
    """A copy of the app with three deliberately bad modules: core importing a feature, a
    lower feature importing a higher one, and a migration importing the app's models. One
    run (the linter takes a few seconds)."""
    tree = _copy_tree(tmp_path)
    (tree / "app" / "core" / "bad.py").write_text("from app.plan.models import Task  # noqa\n")
    (tree / "app" / "people" / "bad.py").write_text("from app.risks import models  # noqa\n")
    (tree / "migrations" / "versions" / "0099_bad.py").write_text(
        "from app.portfolio.models import TRIGGERS  # noqa\n"
    )
    result = _lint(tree)
    assert result.returncode != 0
    assert "Core and toolkit import no feature BROKEN" in result.stdout
    assert "app.core.bad -> app.plan.models" in result.stdout
    assert "Features import each other only downward BROKEN" in result.stdout
    assert "app.people.bad -> app.risks" in result.stdout
    assert "Migrations import nothing from the app BROKEN" in result.stdout
    assert "migrations.versions.0099_bad -> app.portfolio.models" in result.stdout


def _imports_of(path: Path) -> set[str]:
    """The app modules a file imports (a `from m import x` counts as m and as m.x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("app"))
    return found


# Pairs being untangled on other branches (issue 29); a pair may leave, none may join.
KNOWN_PAIRS = {
    ("app.business_case.case_docx", "app.business_case.case_sections"),
    ("app.documents.fingerprint", "app.documents.pid"),
}


def test_no_two_modules_import_each_other() -> None:
    """A package's __init__ and its views may (the blueprint pattern); other modules not."""
    modules = {}
    for path in (ROOT / "app").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = _imports_of(path)
    pairs = {
        tuple(sorted((a, b)))
        for a, imported in modules.items()
        for b in imported
        if b in modules
        and b != a
        and a in modules[b]
        and not (a.startswith(f"{b}.") or b.startswith(f"{a}."))
    }
    assert pairs <= KNOWN_PAIRS, pairs - KNOWN_PAIRS


def _model_modules() -> set[str]:
    """Every app module that defines a model (a class with `db.Model` among its bases)."""
    found = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                ast.unparse(base) == "db.Model" for base in node.bases
            ):
                found.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


def test_the_feature_list_loads_every_model() -> None:
    """Registering a feature in app/blueprints.py is all it takes for Alembic to see its
    tables: importing the list loads every module that defines a model (in a fresh
    interpreter, so nothing this test run imported counts)."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, app.blueprints; print(*sorted(sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    modules = _model_modules()
    assert len(modules) > 10
    assert modules <= set(loaded), modules - set(loaded)
