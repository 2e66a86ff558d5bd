"""PNG copies of charts for slides, rendered by the headless Chromium already on the server.

No Python rasteriser (cairosvg and the like) is installed; Chromium draws the SVG exactly
as browsers do. When it is missing the PNG link reports that and the SVG still works.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_SECONDS = 30


class PngUnavailable(RuntimeError):
    pass


def find_browser() -> str | None:
    configured = os.environ.get("FLS_CHROMIUM")
    if configured and Path(configured).exists():
        return configured
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


def svg_to_png(svg: str, width: int, height: int, scale: int = 2) -> bytes:
    browser = find_browser()
    if browser is None:
        raise PngUnavailable("PNG charts need Chromium on the server; download the SVG instead.")
    with tempfile.TemporaryDirectory(prefix="fls-chart-") as folder:
        page = Path(folder) / "chart.html"
        out = Path(folder) / "chart.png"
        page.write_text(
            "<!doctype html><html><head><style>html,body{margin:0;background:#fff}</style>"
            f"</head><body>{svg}</body></html>",
            encoding="utf-8",
        )
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-extensions",
            "--hide-scrollbars",
            f"--user-data-dir={folder}/profile",
            f"--force-device-scale-factor={scale}",
            f"--window-size={width},{height}",
            f"--screenshot={out}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PngUnavailable("The chart could not be drawn as a PNG; use the SVG.") from error
        if not out.exists():
            raise PngUnavailable("The chart could not be drawn as a PNG; use the SVG.")
        return out.read_bytes()
