"""FLS Implementation Toolkit reference data: phases, tasks, roles, standards, KPIs.

Pure Python and TOML (no Flask). The shipped data live in ``app/toolkit/data/``;
``get_toolkit()`` loads and validates them once per process.

    from app.toolkit import get_toolkit
    tk = get_toolkit()
    tk.phase(1).outcomes          # gateway criteria for Start Out
    tk.tasks_for("improving")     # default plan for an existing FLS
    tk.kpi(4).national_2021       # 67.0
"""

from __future__ import annotations

from functools import cache

from .loader import DATA_DIR, load_toolkit
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

__all__ = [
    "APPLIES_TO",
    "AUTO_CHECKS",
    "DATA_DIR",
    "SERVICE_KINDS",
    "GlossaryTerm",
    "Kpi",
    "Outcome",
    "Phase",
    "StakeholderCategory",
    "Standard",
    "TaskTemplate",
    "TeamRole",
    "Toolkit",
    "ToolkitError",
    "get_toolkit",
    "load_toolkit",
]


@cache
def get_toolkit() -> Toolkit:
    """The shipped toolkit data, loaded and validated once, then reused."""
    return load_toolkit()
