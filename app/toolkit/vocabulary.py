"""The words every page, export and query shares: RAG statuses and phase numbers.

One definition each, used by Python, templates (the `RAG` global, and `rag_tag` from
app/core/tags.py) and SQL (the portfolio builds its columns from these lists):
- RAG: the statuses with their label, NHS.UK tag colour, fills for charts and documents,
  and their order of severity; the roll-up ladder from a set of tasks to one status.
- Phases: the numbers come from the toolkit's phases.toml (phase 0 runs throughout and has
  no gateway; the gated phases follow); the current phase is the first gated phase not
  signed off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class RagStatus:
    key: str
    label: str
    tag: str  # NHS.UK tag colour: the class nhsuk-tag--<tag>
    fill: str  # strong fill, for charts (hex with #)
    pale: str  # pale fill, for spreadsheet and document cells (hex without #)
    severity: int  # higher is worse


# In the order pages list them: worst first.
RAG_STATUSES: tuple[RagStatus, ...] = (
    RagStatus("red", "Red", "red", "#d5281b", "F4C7C3", 3),
    RagStatus("amber", "Amber", "orange", "#ffb81c", "FCE8B2", 2),
    RagStatus("green", "Green", "green", "#007f3b", "CCE6D2", 1),
    RagStatus("complete", "Complete", "blue", "#005eb8", "D2E3F3", 0),
)
RAG = {status.key: status for status in RAG_STATUSES}
# What a person may report for a task (a task cannot be reported "complete": its status says).
REPORTABLE_RAG = ("red", "amber", "green")
RAG_LABELS = {status.key: status.label for status in RAG_STATUSES}
RAG_TAGS = {status.key: status.tag for status in RAG_STATUSES}
NO_RAG_TAG = "grey"  # no applicable tasks, or no plan


def rag_label(key: str | None, empty: str = "Not applicable") -> str:
    return RAG[key].label if key in RAG else empty


def severity(key: str) -> int:
    return RAG[key].severity


def rag_ladder(applicable: int, complete: int, essential_red: int, red_or_amber: int) -> str | None:
    """The roll-up ladder, from counts of applicable tasks to one status:
    none applicable → None; all complete → complete; any essential task red → red; any task
    red or amber → amber; otherwise green. Python roll-ups and the SQL summaries both end here.
    """
    if not applicable:
        return None
    if complete == applicable:
        return "complete"
    if essential_red:
        return "red"
    if red_or_amber:
        return "amber"
    return "green"


@cache
def phase_numbers() -> tuple[int, ...]:
    """Every phase, 0 (runs throughout) included, as the toolkit lists them."""
    from app.toolkit import get_toolkit

    return tuple(phase.number for phase in get_toolkit().phases)


@cache
def gateway_phase_numbers() -> tuple[int, ...]:
    """The phases that end in a sponsor's sign-off (1 to 6 in the toolkit)."""
    from app.toolkit import get_toolkit

    return tuple(phase.number for phase in get_toolkit().gateway_phases)


def current_phase(signed_off: Iterable[int]) -> int:
    """The first gated phase not signed off; the last one once every gateway is."""
    done = set(signed_off)
    gated = gateway_phase_numbers()
    return next((number for number in gated if number not in done), gated[-1])
