"""Gateway rules: criteria and readiness, review, sign-off, send-back, reopening.

Plain values in, no `request`; callers commit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from app.accounts.models import User
from app.core.dates import utcnow
from app.core.errors import ServiceError, StaleEdit, check_version
from app.core.registry import registry
from app.extensions import db
from app.gateways.checks import auto_checks
from app.gateways.models import (
    CRITERION_STATES,
    SIGNED,
    CriterionConfirmation,
    Gateway,
    GatewayDecision,
)
from app.plan.models import Task
from app.sites.models import Site
from app.toolkit import get_toolkit
from app.toolkit.vocabulary import current_phase, gateway_phase_numbers

PHASES = gateway_phase_numbers()


@dataclass
class Criterion:
    key: str
    text: str
    kind: str  # "auto" (the app checks), "task" (an essential task), "person" (confirmed)
    state: str  # met / not_met / not_applicable
    detail: str = ""
    evidence_url: str = ""
    fix_url: str | None = None
    version: int = 0  # of a person's confirmation (0: none yet), sent back to detect overlaps

    @property
    def state_label(self) -> str:
        return CRITERION_STATES[self.state]


@dataclass
class Readiness:
    criteria: list[Criterion]

    @property
    def applicable(self) -> int:
        return sum(1 for c in self.criteria if c.state != "not_applicable")

    @property
    def met(self) -> int:
        return sum(1 for c in self.criteria if c.state == "met")

    @property
    def blockers(self) -> list[Criterion]:
        return [c for c in self.criteria if c.state == "not_met"]

    @property
    def ready(self) -> bool:
        return not self.blockers

    @property
    def label(self) -> str:
        return f"{self.met} of {self.applicable} met"


def _fix_url(endpoint: str | None, **values) -> str | None:
    """A link to the page that fixes a criterion; none outside a request (demo, CLI)."""
    if has_request_context() and endpoint and endpoint in current_app.view_functions:
        return url_for(endpoint, **values)
    return None


def criteria(site: Site, phase: int) -> Readiness:
    """The phase's outcomes (checked by the app where it can) and its essential tasks."""
    toolkit_phase = get_toolkit().phase(phase)
    confirmations = {
        c.criterion_key: c
        for c in db.session.scalars(
            select(CriterionConfirmation).where(
                CriterionConfirmation.site_id == site.id, CriterionConfirmation.phase == phase
            )
        )
    }
    items: list[Criterion] = []
    for outcome in toolkit_phase.outcomes:
        check = auto_checks().get(outcome.auto_check or "")
        if check is not None:
            result = check(site)
            items.append(
                Criterion(
                    outcome.key,
                    outcome.text,
                    "auto",
                    "met" if result.met else "not_met",
                    result.detail,
                    fix_url=None if result.met else _fix_url(result.fix_endpoint, site_id=site.id),
                )
            )
            continue
        answer = confirmations.get(outcome.key)
        items.append(
            Criterion(
                outcome.key,
                outcome.text,
                "person",
                answer.state if answer else "not_met",
                answer.note if answer else "Not confirmed yet.",
                answer.evidence_url if answer else "",
                version=answer.version if answer else 0,
            )
        )
    tasks = db.session.scalars(
        select(Task)
        .where(Task.site_id == site.id, Task.phase == phase, Task.essential.is_(True))
        .order_by(Task.position, Task.id)
    )
    for task in tasks:
        state = {"complete": "met", "not_applicable": "not_applicable"}.get(task.status, "not_met")
        detail = {
            "met": "Task complete.",
            "not_applicable": task.notes or "Marked not applicable on the plan.",
        }.get(state, "Essential task not complete yet.")
        items.append(
            Criterion(
                f"task-{task.id}",
                f"Essential task: {task.title}",
                "task",
                state,
                detail,
                fix_url=_fix_url("sites.plan.task", site_id=site.id, task_id=task.id),
            )
        )
    return Readiness(items)


def gateway_for(site: Site, phase: int, create: bool = False) -> Gateway | None:
    gateway = db.session.scalar(
        select(Gateway).where(Gateway.site_id == site.id, Gateway.phase == phase)
    )
    if gateway is None and create:
        gateway = Gateway(site_id=site.id, phase=phase, status="not_ready")
        db.session.add(gateway)
        db.session.flush()
    return gateway


def statuses(site: Site) -> dict[int, str]:
    rows = db.session.execute(
        select(Gateway.phase, Gateway.status).where(Gateway.site_id == site.id)
    ).all()
    found = {phase: status for phase, status in rows}
    return {phase: found.get(phase, "not_ready") for phase in PHASES}


def confirm_criterion(
    site: Site,
    phase: int,
    key: str,
    state: str,
    note: str,
    evidence_url: str,
    by: User,
    version: str | int | None = None,
) -> CriterionConfirmation:
    """Record a person's answer; `version` is the one the form showed (0 or empty: none)."""
    outcome = next((o for o in get_toolkit().phase(phase).outcomes if o.key == key), None)
    if outcome is None or outcome.auto_check in registry().gateway_checks:
        raise ServiceError("This criterion is not one a person confirms.")
    if state not in CRITERION_STATES:
        raise ServiceError("Choose met, not met or not applicable.", "state")
    note = (note or "").strip()
    if state == "not_applicable" and not note:
        raise ServiceError("Say why this does not apply.", "note")
    evidence_url = (evidence_url or "").strip()
    if evidence_url and urlsplit(evidence_url).scheme not in ("http", "https"):
        raise ServiceError("Evidence links must start with https:// or http://.", "evidence_url")
    answer = db.session.scalar(
        select(CriterionConfirmation).where(
            CriterionConfirmation.site_id == site.id,
            CriterionConfirmation.phase == phase,
            CriterionConfirmation.criterion_key == key,
        )
    )
    stale = StaleEdit(
        what="this criterion",
        current=[("Answer", CRITERION_STATES.get(answer.state, "")), ("Note", answer.note)]
        if answer
        else [],
        yours=[("Answer", CRITERION_STATES[state]), ("Note", note)],
    )
    if answer is None:
        if version not in (None, "", "0", 0):
            raise stale  # the answer the form showed has since been removed
        answer = CriterionConfirmation(site_id=site.id, phase=phase, criterion_key=key)
        db.session.add(answer)
    else:
        check_version(version, answer.version, stale)
    answer.state, answer.note, answer.evidence_url = state, note, evidence_url
    answer.confirmed_by_id = by.id
    db.session.flush()
    return answer


def snapshot(readiness: Readiness) -> list[dict]:
    return [
        {k: v for k, v in asdict(c).items() if k in ("key", "text", "state", "detail")}
        for c in readiness.criteria
    ]


def _decide(site: Site, phase: int, action: str, by: User, comments: str = "", **extra):
    readiness = criteria(site, phase)
    decision = GatewayDecision(
        site_id=site.id,
        phase=phase,
        action=action,
        user_id=by.id,
        at=utcnow(),
        comments=comments.strip(),
        snapshot=snapshot(readiness),
        exceptions=extra.get("exceptions", []),
    )
    db.session.add(decision)
    return decision


def _exceptions_for(
    readiness: Readiness, reasons: dict[str, str], message: str
) -> list[dict[str, str]]:
    """Each unmet criterion with its reason; a ServiceError naming any left without one."""
    exceptions, missing = [], []
    for criterion in readiness.blockers:
        reason = (reasons.get(criterion.key) or "").strip()
        if not reason:
            missing.append(criterion.key)
        exceptions.append({"key": criterion.key, "text": criterion.text, "reason": reason})
    if missing:
        error = ServiceError(message)
        error.missing = missing  # type: ignore[attr-defined]
        raise error
    return exceptions


def request_review(
    site: Site, phase: int, by: User, exception_reasons: dict[str, str] | None = None
) -> Gateway:
    """Ask the sponsor to review. Criteria not met yet go forward only as listed exceptions,
    each with the team's reason, so "ready for review" never hides what is missing."""
    gateway = gateway_for(site, phase, create=True)
    if gateway.status in SIGNED:
        raise ServiceError("This gateway is already signed off.")
    if gateway.status == "review_requested":
        raise ServiceError("Review has already been requested.")
    exceptions = _exceptions_for(
        criteria(site, phase),
        exception_reasons or {},
        "Some criteria are not met. Say why review should go ahead without each one, "
        "or meet them first.",
    )
    gateway.status = "review_requested"
    _decide(site, phase, "review_requested", by, exceptions=exceptions)
    db.session.flush()
    return gateway


def requested_exceptions(site: Site, phase: int) -> dict[str, str]:
    """{criterion key: the team's reason} from the latest review request."""
    latest = db.session.scalar(
        select(GatewayDecision)
        .where(
            GatewayDecision.site_id == site.id,
            GatewayDecision.phase == phase,
            GatewayDecision.action == "review_requested",
        )
        .order_by(GatewayDecision.at.desc(), GatewayDecision.id.desc())
        .limit(1)
    )
    return {e["key"]: e["reason"] for e in (latest.exceptions if latest else [])}


def _check_previous_signed(site: Site, phase: int) -> None:
    if phase > 1:
        previous = gateway_for(site, phase - 1)
        if previous is None or previous.status not in SIGNED:
            name = get_toolkit().phase(phase - 1).label
            raise ServiceError(f"Sign off {name} first: gateways are signed in order.")


def _requested_by(site: Site, phase: int) -> int | None:
    """The user who made the latest review request for this gateway."""
    return db.session.scalar(
        select(GatewayDecision.user_id)
        .where(
            GatewayDecision.site_id == site.id,
            GatewayDecision.phase == phase,
            GatewayDecision.action == "review_requested",
        )
        .order_by(GatewayDecision.at.desc(), GatewayDecision.id.desc())
        .limit(1)
    )


def sign_off(
    site: Site, phase: int, by: User, comments: str, exception_reasons: dict[str, str]
) -> Gateway:
    """Sign off; every unmet criterion needs a named exception with a reason."""
    gateway = gateway_for(site, phase, create=True)
    if gateway.status in SIGNED:
        raise ServiceError("This gateway is already signed off.")
    _check_previous_signed(site, phase)
    if gateway.status != "review_requested":
        raise ServiceError("A manager must request review before the gateway can be signed off.")
    if _requested_by(site, phase) == by.id:
        raise ServiceError(
            "You asked for this review, so another sponsor must sign it off or send it back."
        )
    exceptions = _exceptions_for(
        criteria(site, phase),
        exception_reasons,
        "Give a reason for accepting each criterion that is not met, or send the gateway back.",
    )
    action = "signed_off_exceptions" if exceptions else "signed_off"
    gateway.status = action
    _decide(site, phase, action, by, comments, exceptions=exceptions)
    db.session.flush()
    return gateway


def send_back(site: Site, phase: int, by: User, comments: str) -> Gateway:
    gateway = gateway_for(site, phase, create=True)
    if gateway.status != "review_requested":
        raise ServiceError("Only a gateway waiting for review can be sent back.")
    if not (comments or "").strip():
        raise ServiceError("Say what needs to happen before it comes back.", "comments")
    gateway.status = "not_ready"
    _decide(site, phase, "sent_back", by, comments)
    db.session.flush()
    return gateway


def reopen(site: Site, phase: int, by: User, reason: str) -> Gateway:
    gateway = gateway_for(site, phase)
    if gateway is None or gateway.status not in SIGNED:
        raise ServiceError("Only a signed-off gateway can be reopened.")
    if not (reason or "").strip():
        raise ServiceError("Give the reason for reopening this gateway.", "reason")
    gateway.status = "reopened"
    _decide(site, phase, "reopened", by, reason)
    db.session.flush()
    return gateway


def decisions(site: Site, phase: int) -> list[tuple[GatewayDecision, str | None]]:
    return [
        (row[0], row[1])
        for row in db.session.execute(
            select(GatewayDecision, User.name)
            .outerjoin(User, User.id == GatewayDecision.user_id)
            .where(GatewayDecision.site_id == site.id, GatewayDecision.phase == phase)
            .order_by(GatewayDecision.at.desc(), GatewayDecision.id.desc())
        ).all()
    ]


# -- Across sites: one query each, for the home page, overview and portfolio.


def gateway_statuses(site_ids: list[int]) -> dict[int, dict[int, str]]:
    """{site_id: {phase: status}} for phases 1-6 (missing rows are 'not_ready')."""
    result = {site_id: dict.fromkeys(PHASES, "not_ready") for site_id in site_ids}
    if site_ids:
        rows = db.session.execute(
            select(Gateway.site_id, Gateway.phase, Gateway.status).where(
                Gateway.site_id.in_(site_ids)
            )
        ).all()
        for site_id, phase, status in rows:
            result[site_id][phase] = status
    return result


def last_signoffs(site_ids: list[int]) -> dict[int, tuple[int, datetime]]:
    """{site_id: (phase, when)} of each site's most recent sign-off still standing."""
    if not site_ids:
        return {}
    rows = db.session.execute(
        select(GatewayDecision.site_id, GatewayDecision.phase, GatewayDecision.at)
        .join(
            Gateway,
            (Gateway.site_id == GatewayDecision.site_id) & (Gateway.phase == GatewayDecision.phase),
        )
        .where(
            GatewayDecision.site_id.in_(site_ids),
            GatewayDecision.action.in_(SIGNED),
            Gateway.status.in_(SIGNED),
        )
        .order_by(GatewayDecision.at, GatewayDecision.id)
    ).all()
    return {site_id: (phase, at) for site_id, phase, at in rows}


def current_phases(site_ids: list[int]) -> dict[int, int]:
    """The first phase whose gateway is not signed off (6 once every gateway is). One query."""
    signed: dict[int, set[int]] = {site_id: set() for site_id in site_ids}
    if site_ids:
        rows = db.session.execute(
            select(Gateway.site_id, Gateway.phase).where(
                Gateway.site_id.in_(site_ids), Gateway.status.in_(SIGNED)
            )
        ).all()
        for site_id, phase in rows:
            signed[site_id].add(phase)
    return {site_id: current_phase(phases) for site_id, phases in signed.items()}
