"""The national 80/50/80 goals explained once: what each of the three numbers means, which
KPIs measure it and where the goals come from. The needs page and the business case page
show the same words (`templates/needs/_goals.html`)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from app.toolkit import get_toolkit

# What each of the three numbers is about, in order (the toolkit's goals come in this order).
PARTS = (
    "of the expected patients identified",
    "of the patients assessed recommended bone-protection treatment",
    "of those recommended it monitored, started on treatment and still taking it",
)
SOURCE = (
    "the improvement goals of the Fracture Liaison Service Database (FLS-DB), the national "
    "audit in England, Wales and Northern Ireland, set in its annual reports (Royal College "
    "of Physicians for the Healthcare Quality Improvement Partnership); services elsewhere "
    "can measure themselves against the same goals."
)


@dataclass(frozen=True)
class Goal:
    percent: float
    meaning: str
    kpis: tuple[str, ...]  # "KPI 2: Identification (all fragility fractures)"


@dataclass(frozen=True)
class Goals:
    goals: tuple[Goal, ...]
    source: str = SOURCE

    @property
    def name(self) -> str:
        return "/".join(f"{g.percent:g}" for g in self.goals)


def national_goals() -> Goals:
    """The three goals from the toolkit's KPIs: each run of KPIs sharing a goal is one."""
    with_goals = [k for k in get_toolkit().kpis if k.goal is not None]
    runs = [list(run) for _, run in groupby(with_goals, key=lambda k: k.goal)]
    if len(runs) != len(PARTS):  # the toolkit's goals changed: the words must change too
        raise ValueError(f"expected {len(PARTS)} runs of KPI goals, found {len(runs)}")
    return Goals(
        tuple(
            Goal(run[0].goal, meaning, tuple(k.label for k in run))
            for run, meaning in zip(runs, PARTS, strict=True)
        )
    )
