"""The import contracts in pyproject.toml hold, and a breaking import makes the suite fail."""

from __future__ import annotations

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
