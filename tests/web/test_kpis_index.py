"""The KPI index: a small run chart a KPI, signals marked by date, axes scaled to the data,
and an empty state that says how to start."""

from __future__ import annotations

import re
from datetime import date

from app.extensions import db
from app.kpis.charts import axis_range, run_chart_svg
from app.kpis.models import KpiValue
from tests.conftest import sign_in


def _values(site, number: int, numerators: list[int], denominator: int = 100) -> None:  # noqa: ANN001
    for i, n in enumerate(numerators):
        db.session.add(
            KpiValue(
                site_id=site.id,
                kpi_number=number,
                period_start=date(2025 + i // 12, 1 + i % 12, 1),
                numerator=n,
                denominator=denominator,
            )
        )
    db.session.commit()


def test_empty_index_says_how_to_start_instead_of_rows_of_none(site_world, client) -> None:
    site = site_world["site"]
    sign_in(client, site_world["editor"])
    html = client.get(f"/sites/{site.id}/kpis").get_data(as_text=True)
    assert 'id="kpi-empty"' in html and 'id="kpi-summary"' not in html
    assert "None yet" not in html and "Enter a month's values</a>: for each KPI" in html


def test_index_draws_a_run_chart_and_dates_an_earlier_signal(site_world, client) -> None:
    site = site_world["site"]
    # KPI 5: a very low point early on (a signal that ended long ago), then steady.
    _values(site, 5, [30, 31, 29, 30, 2, 30, 31, 29, 30, 31, 30, 29, 30, 31])
    _values(site, 6, [40])
    sign_in(client, site_world["viewer"])
    html = client.get(f"/sites/{site.id}/kpis").get_data(as_text=True)
    assert html.count('class="kpi-mini"') == 1 and 'id="kpi-mini-5-title"' in html
    row = html[html.index("5. DXA") :]
    row = row[: row.index("</tr>")]
    assert "Earlier signal" in row and "Ended May 2025" in row
    assert "One value so far" in html


def test_axes_are_scaled_to_the_data() -> None:
    low, high, step = axis_range([3.0, 5.0, 8.0, 4.0], [80.0])
    assert low <= 3 and high <= 10 and step in (1, 2)  # the far-off 80% target is left out
    low, high, _step = axis_range([60.0, 70.0], [65.0])
    assert 50 <= low <= 60 and 70 <= high <= 80
    svg = str(run_chart_svg(["a", "b", "c"], [3.0, 5.0, 8.0], title="t", target=80.0))
    ticks = [int(t) for t in re.findall(r'text-anchor="end" fill="#212b32">(\d+)</text>', svg)]
    assert max(ticks) <= 10  # not a 0-100 axis that flattens the line
    assert "80/50/80" not in svg and "Target 80% (above)" in svg


def test_an_ended_signal_reads_the_same_on_the_overview(site_world, client) -> None:
    """A signal that ended before the latest value is never shown as current: not as red
    "Worsening" on the overview while the KPI page says "Earlier signal" (#32 item 3)."""
    site = site_world["site"]
    _values(site, 5, [30, 31, 29, 30, 2, 30, 31, 29, 30, 31, 30, 29, 30, 31])
    sign_in(client, site_world["viewer"])
    for path in (f"/sites/{site.id}/kpis", f"/sites/{site.id}/"):
        html = client.get(path).get_data(as_text=True)
        row = html[html.index("5. DXA") :]
        row = row[: row.index("</tr>")]
        assert "Earlier signal" in row and "Ended May 2025" in row, path
        assert "Worsening" not in row and "Unusual" not in row, path
