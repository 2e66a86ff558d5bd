"""The Start Out gateway's 'agreed PID' check answers from facts: the agreed version's
fingerprint against today's, with no PID loaded or built."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest

from app.core.dates import today, utcnow
from app.documents import pid
from app.documents.fingerprint import content_fingerprint, load_agreed_content
from app.documents.models import PidNarrative, PidVersion
from app.documents.service import pid_agreed
from app.extensions import db
from app.risks.models import RaidEntry

DOCUMENTS = Path(__file__).resolve().parents[2] / "app" / "documents"


def _agreed(site, sponsor, content_hash: str = "", generated_at=None) -> PidVersion:  # noqa: ANN001
    version = PidVersion(
        site_id=site.id,
        number="v1.0",
        agreed_by_id=sponsor.id,
        agreed_on=today() - timedelta(days=3),
        generated_at=generated_at or utcnow(),
        content_hash=content_hash,
    )
    db.session.add(version)
    db.session.commit()
    return version


@pytest.fixture
def no_pid_built(monkeypatch):  # noqa: ANN001, ANN201
    """Loading or building the PID fails the test."""

    def refuse(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the PID was loaded or built")

    for name in ("load_pid", "build_pid", "pid_bytes"):
        monkeypatch.setattr(pid, name, refuse)


def test_the_check_compares_fingerprints_without_building_the_pid(site_world, no_pid_built) -> None:
    site = site_world["site"]
    _agreed(site, site_world["sponsor"], content_fingerprint(load_agreed_content(site, today())))
    met, found, _link = pid_agreed(site)
    assert met and "changed since" not in found
    db.session.add(RaidEntry(site_id=site.id, kind="risk", title="New", status="open",
                             likelihood=3, impact=4))  # fmt: skip
    db.session.commit()
    met, found, _link = pid_agreed(site)
    assert met and found.endswith("changed since; the sponsor should agree it again.")


def test_a_version_agreed_before_fingerprints_compares_the_text_edit(
    site_world, no_pid_built
) -> None:
    site = site_world["site"]
    _agreed(site, site_world["sponsor"], generated_at=utcnow() - timedelta(days=1))
    assert "changed since" not in pid_agreed(site)[1]
    db.session.add(PidNarrative(site_id=site.id, purpose="Why we need a service."))
    db.session.commit()
    assert "changed since" in pid_agreed(site)[1]


def test_the_facts_fingerprint_is_the_pid_contents_fingerprint(site_world) -> None:
    """The check's facts and the PID itself hash the same, so the PID's 'draft' and the
    gateway's 'changed since' always agree."""
    site = site_world["site"]
    db.session.add(PidNarrative(site_id=site.id, purpose="Why.", aims="- one\n- two"))
    db.session.add(RaidEntry(site_id=site.id, kind="risk", title="Funding", status="open",
                             likelihood=2, impact=5))  # fmt: skip
    db.session.commit()
    content = pid.load_pid(site, today())
    assert content_fingerprint(content) == content_fingerprint(load_agreed_content(site, today()))
    _agreed(site, site_world["sponsor"], content_fingerprint(content))
    assert pid.load_pid(site, today()).changed_since_agreed is False
    assert pid.load_pid(site, today()).is_draft is False


def test_pid_and_fingerprint_do_not_import_each_other() -> None:
    tree = ast.parse((DOCUMENTS / "fingerprint.py").read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert "app.documents.pid" not in imported
    assert not any(
        isinstance(node, ast.ImportFrom)
        and node.module == "app.documents"
        and "pid" in {alias.name for alias in node.names}
        for node in ast.walk(tree)
    )
