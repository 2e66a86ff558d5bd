"""Demo gateways: earlier phases signed off by each site's sponsor, one with exceptions."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from app.extensions import db
from app.gateways.models import Gateway, GatewayDecision
from app.gateways.readiness import criteria, snapshot
from app.gateways.task_facts import follow_facts
from app.plan.demo import DEMO_PLANS
from app.sites.demo import DemoContext


def demo_gateways(ctx: DemoContext) -> None:
    sponsor = ctx.users.get("sponsor")
    for key, (_kind, months, done_phases) in DEMO_PLANS.items():
        site = ctx.sites.get(key)
        if site is None:
            continue
        follow_facts(site)  # the tasks the app can check, as the app would have kept them
        for phase in range(1, done_phases + 1):
            readiness = criteria(site, phase)
            exceptions = [
                {"key": c.key, "text": c.text, "reason": "Agreed to finish during the next phase."}
                for c in readiness.blockers
            ]
            action = "signed_off_exceptions" if exceptions else "signed_off"
            # Spread the sign-offs over the months the project has run.
            days_ago = 30 * months * (done_phases + 1 - phase) // (done_phases + 1)
            when = datetime.combine(ctx.today - timedelta(days=days_ago), time(15, 0))
            db.session.add(Gateway(site_id=site.id, phase=phase, status=action))
            db.session.add(
                GatewayDecision(
                    site_id=site.id,
                    phase=phase,
                    action=action,
                    user_id=sponsor.id if sponsor else None,
                    comments="Signed at the steering group.",
                    snapshot=snapshot(readiness),
                    exceptions=exceptions,
                    at=when,
                )
            )
    db.session.flush()
