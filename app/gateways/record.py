"""The gateway record as a Word document, in the house style (app/core/word.py)."""

from __future__ import annotations

from app.core import word
from app.core.dates import uk_datetime
from app.gateways.models import DECISIONS, GATEWAY_STATUSES
from app.gateways.readiness import Readiness
from app.sites.models import Site
from app.toolkit import Phase


def gateway_docx(
    site: Site, phase: Phase, status: str, readiness: Readiness, history: list
) -> bytes:
    document = word.new_document(site.name, f"Gateway record: {phase.label}")
    word.para(document, f"{site.name}, {site.organisation}")
    word.para(
        document, f"Status: {GATEWAY_STATUSES[status]}. Readiness: {readiness.label} criteria."
    )

    word.heading(document, "Criteria", level=2)
    word.table(
        document,
        ("Criterion", "State", "Why"),
        [(c.text, c.state_label, c.detail) for c in readiness.criteria],  # nation's words
        caption=f"The criteria for {phase.label} and whether each is met",
        widths_cm=[7.5, 2.5, 7.0],
    )

    word.heading(document, "Decisions", level=2)
    if not history:
        word.missing(document, "No decisions recorded yet.")
    else:
        rows = []
        for decision, who in history:
            comments = decision.comments
            if decision.exceptions:
                comments += " Exceptions: " + "; ".join(
                    f"{e['text']} ({e['reason']})" for e in decision.exceptions
                )
            rows.append(
                (
                    uk_datetime(decision.at),
                    who or "A former user",
                    DECISIONS.get(decision.action, decision.action),
                    comments.strip(),
                )
            )
        word.table(
            document,
            ("When", "Who", "Decision", "Comments"),
            rows,
            caption=f"Decisions on the {phase.label} gateway",
            widths_cm=[3.2, 3.6, 3.2, 7.0],
        )
    return word.to_bytes(document)
