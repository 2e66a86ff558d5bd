"""Charts as PNG, drawn in-process by cairosvg from the SVG the page shows."""

from __future__ import annotations

import struct

import pytest

from app.core.raster import PngUnavailable, svg_to_png
from app.documents.sparkline import run_chart_png, sparkline_svg
from app.kpis.charts import run_chart_svg

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    assert png[12:16] == b"IHDR" and png.endswith(b"IEND\xaeB`\x82")
    return struct.unpack(">II", png[16:24])


def test_kpi_chart_renders_as_a_png_twice_its_size() -> None:
    svg = run_chart_svg(
        [f"Month {n}" for n in range(1, 25)],
        [40 + n % 9 * 5 for n in range(24)],
        title="KPI 4: run chart, Riverside FLS",
        target=80,
    )
    assert _size(svg_to_png(str(svg))) == (1440, 680)


def test_broken_svg_says_so() -> None:
    with pytest.raises(PngUnavailable):
        svg_to_png("<svg")


def test_sparklines_share_one_scale_and_label_their_ends() -> None:
    low, high = sparkline_svg([10, 12, 11]), sparkline_svg([90, 92, 91])
    assert ">10%</text>" in low and ">11%</text>" in low and ">91%</text>" in high
    # One 0-100 scale for every KPI: 10% sits near the bottom, 90% near the top.
    assert 'points="30.0,36.4' in low and 'points="30.0,7.6' in high
    assert _size(run_chart_png([40, 55, 61], target=80)) == (540, 132)
