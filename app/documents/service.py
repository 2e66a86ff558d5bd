"""Rules for the documents page: saving the narrative, recording agreement, the wording check."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.core.dates import today, uk_date, utcnow
from app.core.db import first_write, select_facts
from app.core.errors import ServiceError, StaleEdit
from app.core.registry import CheckResult
from app.documents import signals, text
from app.documents.fingerprint import (
    changed_since_agreed,
    content_fingerprint,
    load_agreed_content,
)
from app.documents.models import (
    NARRATIVE_FIELDS,
    NARRATIVE_LABELS,
    NARRATIVE_LIMITS,
    PidNarrative,
    PidRequest,
    PidVersion,
)
from app.extensions import db
from app.sites.models import Site

# Contact fields are names and addresses, not prose: they are not scored.
PROSE_FIELDS = ("purpose", "aims", "scope_in", "scope_out", "get_involved")


def save_narrative(
    site: Site, narrative: PidNarrative | None, values: dict[str, str]
) -> PidNarrative:
    """Store the team's text, cleaned of characters Word cannot hold and within each limit."""
    cleaned = {name: text.clean(values.get(name, "")).strip() for name in NARRATIVE_LIMITS}
    for name, limit in NARRATIVE_LIMITS.items():
        if len(cleaned[name]) > limit:
            raise ServiceError(
                f"{NARRATIVE_LABELS[name]} must be {limit:,} characters or fewer.", field=name
            )
    with first_write(StaleEdit(what="the PID's text")):
        if narrative is None:
            narrative = PidNarrative(site_id=site.id)
            db.session.add(narrative)
        for name, value in cleaned.items():
            setattr(narrative, name, value)
    return narrative


def agree_version(
    site: Site, number: str, agreed_on: date, by: User, today: date, fingerprint: str = ""
) -> PidVersion:
    """The sponsor records that this PID (as it stands now, `fingerprint`) is agreed."""
    number = number.strip()
    if agreed_on > today:
        raise ServiceError("The date agreed cannot be in the future.", field="agreed_on")
    taken = db.session.scalar(
        select(PidVersion.id).where(PidVersion.site_id == site.id, PidVersion.number == number)
    )
    if taken is not None:
        raise ServiceError(
            f"{number} has already been agreed. Use the next number.", field="number"
        )
    asked = open_request(site.id)
    if asked is not None:  # the sponsor answers the manager's request by agreeing
        asked.status, asked.decided_by_id, asked.decided_at = "agreed", by.id, utcnow()
        asked.version_number = number
    with first_write(StaleEdit(what=f"version {number} of the PID")):
        version = PidVersion(
            site_id=site.id,
            number=number,
            agreed_by_id=by.id,
            agreed_on=agreed_on,
            generated_at=utcnow(),
            content_hash=fingerprint,
        )
        db.session.add(version)
    if asked is not None:
        signals.agreement_answered.send(asked)
    return version


def open_request(site_id: int) -> PidRequest | None:
    """The request waiting for the sponsor's answer, if any."""
    return db.session.scalar(
        select(PidRequest)
        .where(PidRequest.site_id == site_id, PidRequest.status == "waiting")
        .order_by(PidRequest.id.desc())
        .limit(1)
    )


def ask_for_agreement(site: Site, by: User) -> PidRequest:
    """A manager asks the sponsor to agree the PID as it stands (mail follows the commit)."""
    if open_request(site.id) is not None:
        raise ServiceError("The sponsor has already been asked and has not answered yet.")
    asked = PidRequest(site_id=site.id, requested_by_id=by.id, requested_at=utcnow())
    db.session.add(asked)
    db.session.flush()
    signals.agreement_asked.send(asked)
    return asked


def decline_agreement(site: Site, by: User, comments: str) -> PidRequest:
    """The sponsor does not agree the PID yet, saying what must change first."""
    asked = open_request(site.id)
    if asked is None:
        raise ServiceError("Nobody has asked you to agree the PID.")
    if not (comments or "").strip():
        raise ServiceError("Say what needs to change before you can agree it.", "comments")
    asked.status, asked.decided_by_id, asked.decided_at = "declined", by.id, utcnow()
    asked.comments = comments.strip()
    db.session.flush()
    signals.agreement_answered.send(asked)
    return asked


def plain_english(values: dict[str, str], pages: int) -> text.PlainEnglishReport:
    """Advice on every prose field; it never stops anyone downloading the PID."""
    whole = "\n\n".join(values.get(name, "") or "" for name in PROSE_FIELDS)
    labels = {name: label for name, label, _hint, _limit in NARRATIVE_FIELDS}
    checks = [
        text.check_field(name, labels[name], values.get(name, "") or "", whole)
        for name in PROSE_FIELDS
    ]
    return text.PlainEnglishReport(fields=checks, pages=pages)


def narrative_values(narrative: PidNarrative | None) -> dict[str, str]:
    return {name: (getattr(narrative, name) if narrative else "") for name in NARRATIVE_LIMITS}


def pid_agreed_facts(site_id: int) -> dict[str, Any]:
    """The latest agreed PID version's number, date and fingerprint (for the gateway
    check), and when the team's text was last edited (for versions agreed before
    fingerprints were kept)."""

    def latest(column):  # noqa: ANN001, ANN202
        return (
            select(column)
            .where(PidVersion.site_id == site_id)
            .order_by(PidVersion.agreed_on.desc(), PidVersion.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return {
        "number": latest(PidVersion.number),
        "agreed_on": latest(PidVersion.agreed_on),
        "content_hash": latest(PidVersion.content_hash),
        "generated_at": latest(PidVersion.generated_at),
        "narrative_updated_at": select(PidNarrative.updated_at)
        .where(PidNarrative.site_id == site_id)
        .scalar_subquery(),
    }


def pid_agreed(site: Site, facts: Mapping[str, Any] | None = None) -> CheckResult:
    """The Start Out gateway's 'agreed PID' criterion, from the recorded versions: met once
    the sponsor agreed a version; the detail says when its content has changed since.

    Whether the content moved on since is the agreed fingerprint against today's facts
    (`fingerprint.load_agreed_content`): no PID is loaded or built."""
    link = f"/sites/{site.id}/documents#agree"  # the URL scheme is a contract
    facts = select_facts(pid_agreed_facts(site.id)) if facts is None else facts
    if facts["number"] is None:
        return CheckResult(False, "No version of the PID has been agreed by the sponsor yet.", link)
    found = f"PID {facts['number']} agreed on {uk_date(facts['agreed_on'])}."
    if changed_since_agreed(
        facts["content_hash"],
        facts["generated_at"],
        facts["narrative_updated_at"],
        lambda: content_fingerprint(load_agreed_content(site, today())),
    ):
        # Still agreed, but the sponsor should know the text they agreed has moved on.
        found += " Its content has changed since; the sponsor should agree it again."
    return CheckResult(True, found, link)


# Page estimates by (site, day, newest change): building the whole PID with python-docx just
# to count its pages made every view of the documents page slow, though the PID changes only
# when something on the site does. Each worker keeps its own small cache.
_PAGE_ESTIMATES: dict[tuple, int] = {}
_PAGE_ESTIMATES_KEPT = 512


def estimated_pages(site_id: int, on: date, change: tuple, count_pages: Callable[[], int]) -> int:
    """`count_pages()` once per version of the site's data (`change`: the id and time of
    the site's newest history row, which moves whenever anything on the site does; the
    time keeps two databases with the same ids, tests and restores, apart), then remembered."""
    if not change:  # nothing recorded yet: nothing to key on
        return count_pages()
    key = (site_id, on, *change)
    if key not in _PAGE_ESTIMATES:
        if len(_PAGE_ESTIMATES) >= _PAGE_ESTIMATES_KEPT:
            _PAGE_ESTIMATES.clear()
        _PAGE_ESTIMATES[key] = count_pages()
    return _PAGE_ESTIMATES[key]
