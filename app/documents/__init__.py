"""Documents: the PID and the steering-group highlight report, built from the live project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

bp = Blueprint("documents", __name__, url_prefix="/documents")

from app.documents import views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.documents.demo import demo_documents
    from app.documents.service import pid_agreed, pid_agreed_facts

    registry.add_gateway_check(
        "pid_agreed", pid_agreed, "sites.documents.index", facts=pid_agreed_facts
    )
    registry.add_demo(demo_documents, order=70)
    registry.history.add(
        objects={"pid_narrative": "PID text", "pid_version": "PID version"},
        fields={"agreed_by_id": "Agreed by"},
        ids={"agreed_by_id": "user"},
    )
