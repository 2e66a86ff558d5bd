"""Demo: Meadowbank's business case was agreed two years ago, so its eight quarters of KPI
values since then are measured against the promise (identification and follow-up improve,
other promises fall short). Runs after the KPI values (order 60) and before the documents
and gateways, which read the promise."""

from __future__ import annotations

from datetime import timedelta

from app.business_case import service as case_service
from app.core.dates import utcnow
from app.delivery import agreement, queries, recovery, service
from app.needs.demo import admissions_for, bands_for
from app.needs.model import NeedsInputs
from app.needs.service import NeedsState, save
from app.risks import service as risks_service
from app.sites.demo import DemoContext
from app.sites.models import Site

AGREED_DAYS_AGO = 2 * 365 + 20  # the quarter after agreement starts eight quarters back
HIP_RATE = 0.001


def demo_delivery(ctx: DemoContext) -> None:
    site = ctx.sites["meadowbank"]
    total = site.population_50_plus
    inputs = NeedsInputs(
        population_total=total,
        bands=bands_for(total),
        # Hip fractures at the rate that gives the caseload its audit figures count against
        # (KPI 2's expected patients), so promise and audit describe the same population.
        admissions=admissions_for(total, HIP_RATE),
        rates={"assessment": 50, "treatment": 40, "falls": 45, "followup": 30},
        staffing={"nurse": 1.0, "admin": 0.5, "doctor": None, "other": None},
    )
    save(site, NeedsState(None, inputs, {}, []), ctx.users["pm"],
         "ONS mid-year estimates and last year's admissions")  # fmt: skip
    agreed = ctx.today - timedelta(days=AGREED_DAYS_AGO)
    case_service.save_route(
        site,
        {
            "payer": "North Central London ICB",
            "decision_process": "The ICB's investment committee.",
            "decision_timing": "Quarterly.",
        },
        agreed - timedelta(days=30),
    )
    case_service.record_decision(
        site, agreed, "North Central London ICB investment committee", "approved",
        "Funded to widen the service to all fragility fractures.", ctx.today,
    )  # fmt: skip
    _agreed_recovery_plan(ctx, site)


def _agreed_recovery_plan(ctx: DemoContext, site: Site) -> None:
    """Identification missed its promise two quarters running: the champion raised a
    recovery plan, and the last steering group held agreed it (so the page shows a plan
    agreed, and the other promises missed still waiting for one)."""
    promises = queries.latest_promise(site.id)
    counts = queries.kpi_counts(site.id, service.measured_kpis(promises), promises[0].starts_on)
    missed = {d.key: d for d in service.deliveries(promises, counts, ctx.today) if d.missed_running}
    meetings = agreement.agreement_meetings(site.id, utcnow())
    owners = risks_service.owner_choices(site.id)
    if "identified" not in missed or not meetings or not owners:
        return
    entry = recovery.raise_recovery(
        site, missed["identified"], owners[0].id,
        "A second nurse searches the radiology reports each week, and the ward clerks flag "
        "every fragility fracture admitted.",
    )  # fmt: skip
    agreement.record_agreement(site, entry, meetings[0][0], ctx.users["champion"].id, utcnow())
