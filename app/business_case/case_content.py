"""What the business case document reads, in one place: case_docx.py, case_economic.py and
case_sections.py all take a CaseContent, and none imports another's module for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app.business_case import queries
from app.business_case.answer import Answer, answer
from app.business_case.figures import figures_from
from app.business_case.service import CaseState
from app.documents import queries as document_queries
from app.documents import raid
from app.needs.figures import SiteFigures

if TYPE_CHECKING:
    from app.sites.models import Site


@dataclass
class CaseContent:
    site: Site
    state: CaseState
    today: date
    team: list[document_queries.TeamRow]
    phases: list[document_queries.PhaseRow]
    risks: list[raid.RiskRow]
    gateways: dict[int, document_queries.GatewayRow]
    figures: SiteFigures  # the figures every document states
    answer: Answer | None  # the cohort model's answer; None until it can be worked out


def load_content(site: Site, today: date) -> CaseContent:
    """The case and the other features' sections: four statements whatever the data size."""
    facts = queries.case_facts(site)
    return CaseContent(
        site=site,
        state=facts.state,
        today=today,
        team=queries.project_team(site),
        phases=queries.plan_phases(site.id),
        risks=queries.top_risks(site.id),
        gateways=facts.gateways,
        figures=figures_from(site.nation, facts.state, facts.targets),
        answer=answer(facts.state.appraisal),
    )
