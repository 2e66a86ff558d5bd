"""Gateway decisions: a person's answer to a criterion, review requests, sign-off,
send-back and reopening.

Plain values in, no `request`; callers commit. Readiness lives in readiness.py, reads in
queries.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from app.accounts.models import User
from app.core.dates import utcnow
from app.core.db import first_write
from app.core.errors import ServiceError, StaleEdit, check_version
from app.core.registry import registry
from app.extensions import db
from app.gateways.models import (
    CRITERION_STATES,
    SIGNED,
    CriterionConfirmation,
    Gateway,
    GatewayDecision,
)
from app.gateways.queries import gateway_for, requested_by
from app.gateways.readiness import Readiness, criteria, snapshot
from app.gateways.signals import decision_recorded
from app.sites.models import Membership, Site
from app.toolkit import get_toolkit


def _gateway_to_change(site: Site, phase: int) -> Gateway:
    """The gateway's row, created on the first decision about it."""
    gateway = gateway_for(site, phase)
    if gateway is None:
        with first_write(StaleEdit(what="this gateway")):
            gateway = Gateway(site_id=site.id, phase=phase, status="not_ready")
            db.session.add(gateway)
    return gateway


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
    view = registry().gateway_checks.get(outcome.app_view or "")
    if state == "met" and not note and view is not None:
        known = view.check(site)
        if not known.met:  # the app's own record says otherwise: ask why
            raise ServiceError(f"{known.detail} Say why you consider this met.", "note")
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
    else:
        check_version(version, answer.version, stale)
    with first_write(stale):  # two first answers at once: the second is told (409)
        answer.state, answer.note, answer.evidence_url = state, note, evidence_url
        answer.confirmed_by_id = by.id
        db.session.add(answer)
    return answer


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
    db.session.flush()
    decision_recorded.send(decision)
    return decision


def _exceptions_for(
    readiness: Readiness, reasons: dict[str, str], message: str, conditions: str = ""
) -> list[dict[str, str]]:
    """Each unmet criterion with its reason (its own, else the `conditions` given once for
    all of them); a ServiceError naming any left without one."""
    exceptions, missing = [], []
    for criterion in readiness.blockers:
        reason = (reasons.get(criterion.key) or "").strip() or conditions.strip()
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
    gateway = _gateway_to_change(site, phase)
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


def _check_previous_signed(site: Site, phase: int) -> None:
    if phase > 1:
        previous = gateway_for(site, phase - 1)
        if previous is None or previous.status not in SIGNED:
            name = get_toolkit().phase(phase - 1).label
            raise ServiceError(f"Sign off {name} first: gateways are signed in order.")


def sign_off(
    site: Site,
    phase: int,
    by: User,
    comments: str,
    exception_reasons: dict[str, str] | None = None,
    conditions: str = "",
) -> Gateway:
    """Sign off; every unmet criterion needs a named exception with a reason: its own, or
    the sponsor's `conditions`, typed once for all of them."""
    gateway = _gateway_to_change(site, phase)
    if gateway.status in SIGNED:
        raise ServiceError("This gateway is already signed off.")
    _check_previous_signed(site, phase)
    if gateway.status != "review_requested":
        raise ServiceError("A manager must request review before the gateway can be signed off.")
    requester = requested_by(site, phase)
    if requester == by.id:
        raise ServiceError(
            "You asked for this review, so another sponsor must sign it off or send it back."
        )
    # Two people, always: whoever asked for the review may not also be whoever made the
    # signer the sponsor (else one manager could sponsor an alias and sign through it).
    granted_by = db.session.scalar(
        select(Membership.sponsor_granted_by_id).where(
            Membership.site_id == site.id, Membership.user_id == by.id
        )
    )
    if requester is not None and granted_by == requester:
        raise ServiceError(
            "The person who asked for this review made you the sponsor, so another sponsor "
            "must sign it off or send it back (or an administrator or another manager must "
            "grant your sponsor role)."
        )
    exceptions = _exceptions_for(
        criteria(site, phase),
        exception_reasons or {},
        "Give a reason for accepting each criterion that is not met, or send the gateway back.",
        conditions,
    )
    action = "signed_off_exceptions" if exceptions else "signed_off"
    gateway.status = action
    _decide(site, phase, action, by, comments, exceptions=exceptions)
    db.session.flush()
    return gateway


def send_back(site: Site, phase: int, by: User, comments: str) -> Gateway:
    gateway = _gateway_to_change(site, phase)
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
