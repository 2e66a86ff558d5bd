"""The demo site's PID prints on 2 to 4 pages (LibreOffice renders it, pdfinfo counts)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from app.core.dates import today
from app.documents import pid
from app.extensions import db


def _pages(docx_paths, out_dir) -> list[int]:  # noqa: ANN001
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is needed for this test: run `make office` (make test does).")
    # A profile of its own, so a LibreOffice already running elsewhere cannot block it.
    profile = f"-env:UserInstallation=file://{out_dir / 'profile'}"
    subprocess.run(
        [
            soffice,
            profile,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, docx_paths),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    counts = []
    for path in docx_paths:
        info = subprocess.run(
            ["pdfinfo", str(path.with_suffix(".pdf"))], check=True, capture_output=True, text=True
        )
        counts.append(int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1)))
    return counts


def test_demo_pids_print_on_two_to_four_pages(app, tmp_path) -> None:
    from app.demo import seed_demo

    ctx = seed_demo()
    db.session.commit()
    paths, estimates = [], []
    for key in ("riverside", "meadowbank"):
        document = pid.build_pid(pid.load_pid(ctx.sites[key], today()))
        paths.append(tmp_path / f"{key}.docx")
        document.save(paths[-1])
        estimates.append(pid.estimate_pages(document))
    for path, estimate, pages in zip(paths, estimates, _pages(paths, tmp_path), strict=True):
        assert 2 <= pages <= 4, f"{path.stem}: {pages} pages"
        # The documents page's estimate is within a page of what LibreOffice prints.
        assert abs(estimate - pages) <= 1, f"{path.stem}: estimated {estimate}, printed {pages}"
