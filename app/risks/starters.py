"""Risks most FLS rollouts meet, offered to a new site as optional starting points.

Written in our own words from what the toolkit's guide and the national audit say tends
to stall a service: funding, staff, scanning capacity, data and primary care.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Starter:
    key: str
    title: str
    description: str
    phase: int  # the toolkit phase where the risk usually has to be dealt with
    likelihood: int
    impact: int


STARTERS: tuple[Starter, ...] = (
    Starter(
        key="funding",
        title="No recurrent funding agreed for the service",
        description=(
            "Commissioners may support the idea but not commit money beyond a pilot. "
            "Without a recurrent budget the nurse and admin posts cannot be made permanent "
            "and the service stops when pilot money runs out."
        ),
        phase=4,
        likelihood=4,
        impact=5,
    ),
    Starter(
        key="workforce",
        title="FLS nurse or administrator post not recruited in time",
        description=(
            "Specialist nurses are hard to recruit and posts can stay vacant for months. "
            "Each month without the core team means fracture patients who are not found "
            "or assessed."
        ),
        phase=5,
        likelihood=3,
        impact=4,
    ),
    Starter(
        key="dxa",
        title="Not enough DXA scanning capacity for the extra referrals",
        description=(
            "Finding every fragility fracture raises demand for bone density scans. If "
            "radiology cannot absorb it, waits grow and assessment within 90 days slips."
        ),
        phase=3,
        likelihood=3,
        impact=4,
    ),
    Starter(
        key="data",
        title="Data sharing and IT access not in place",
        description=(
            "The team needs agreed access to fracture lists, radiology and GP records, and "
            "a way to submit to the national audit. Information-governance sign-off and "
            "system access often take longer than planned."
        ),
        phase=2,
        likelihood=3,
        impact=3,
    ),
    Starter(
        key="primary_care",
        title="GP practices do not start or continue recommended treatment",
        description=(
            "Many patients start and stay on bone-protection medicine through their GP. If "
            "practices are not engaged, recommendations are not acted on and adherence at "
            "12 months stays low."
        ),
        phase=6,
        likelihood=3,
        impact=4,
    ),
)
STARTERS_BY_KEY = {starter.key: starter for starter in STARTERS}
