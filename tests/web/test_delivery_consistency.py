"""Issue 35's consistency test: for the demo site with an agreed case and eight quarters of
KPI values, the delivery page, the highlight report (page, Word sentences and Word charts),
the Phase 5 gateway's criterion, the portfolio (page, chart and workbook column) and the KPI
workbook show the same gaps."""

from __future__ import annotations

from markupsafe import escape

from app.core.dates import today
from app.core.raster import svg_to_png
from app.delivery.chart import REPORT_SIZE, chart_description, delivery_chart
from app.extensions import db
from tests.conftest import sign_in
from tests.web.test_delivery import _cells
from tests.web.test_delivery_report import _chart_rows


def test_the_demo_site_shows_the_same_gaps_everywhere(app, make_user) -> None:
    """Meadowbank (an agreed case, eight quarters of KPI values): every promise's latest
    quarter reads the same on the delivery page, in the highlight report (page, Word
    sentences and the Word run charts) and in the phase 5 gateway's criterion; its promises
    missed twice get the recovery prompt; the portfolio's page, chart and workbook state the
    same share."""
    from io import BytesIO

    import docx

    from app.delivery.facts import delivers_case, headline
    from app.delivery.service import deliveries
    from app.demo import seed_demo

    site = seed_demo().sites["meadowbank"]
    db.session.commit()
    client = app.test_client()
    sign_in(client, make_user(global_role="admin"))
    from app.delivery import queries

    promises = queries.latest_promise(site.id)
    counts = queries.kpi_counts(site.id, [2, 4, 5, 10, 11], promises[0].starts_on)
    rows = [d for d in deliveries(promises, counts, today()) if d.with_data]
    assert len(rows) == 5 and all(len(d.quarters) == 8 for d in rows)  # eight quarters

    page = client.get(f"/sites/{site.id}/delivery").get_data(as_text=True)
    report = client.get(f"/sites/{site.id}/documents/steering-report").get_data(as_text=True)
    word = docx.Document(
        BytesIO(client.get(f"/sites/{site.id}/documents/steering-report.docx").data)
    )
    word_text = "\n".join(p.text for p in word.paragraphs)
    charts = _chart_rows(word)
    assert len(charts) == len(rows)
    _met, reason, _link = delivers_case(site)
    for d in rows:
        q = d.latest
        line = headline(d, today())
        assert line in report and line in word_text and line in reason, line
        cells = _cells(page, f"delivery-{d.key}")
        assert f"{q.numerator} {round(q.promised)}" in cells
        if q.missed:
            assert f"{round(q.gap)} short" in cells and f"({round(q.gap)} short)" in line
        # Missed twice: the recovery prompt, or (identification, in the demo) the plan the
        # last steering group held agreed, which the criterion counts.
        agreed = f'id="recovery-agreed-{d.key}"' in page
        assert agreed == (d.key == "identified" and d.missed_running)
        if agreed:
            assert "patients identified" not in reason.split(". ", 1)[0]
        elif d.missed_running:
            assert f'id="raise-recovery-{d.key}"' in page
            assert d.measure.label.lower() in reason.split(". ", 1)[0].lower()
    # The Word report's run charts: the page's chart of the same rows, saying the same.
    width, height = REPORT_SIZE
    for d, (name, png, alt, _caption) in zip(rows, charts, strict=True):
        assert name == f"{d.measure.label} (KPI {d.measure.kpi})"
        assert png == svg_to_png(str(delivery_chart(d, width=width, height=height)))
        assert chart_description(d) in alt and str(escape(chart_description(d))) in page
    # The portfolio: the same patients found and treated, summed over the same quarters,
    # sortable and filterable, and counted by band.
    found, treated = (next(d for d in rows if d.key == key) for key in ("identified", "treated"))
    words = (
        f"Found {sum(q.numerator for q in found.with_data):,} of "
        f"{round(sum(q.promised for q in found.with_data)):,} promised; treated "
        f"{sum(q.numerator for q in treated.with_data):,} of "
        f"{round(sum(q.promised for q in treated.with_data)):,}"
    )
    portfolio = client.get("/portfolio?view=all").get_data(as_text=True)
    assert words in portfolio
    assert 'id="delivery-bands"' in portfolio
    # The table alone (the attention list above it names every red site, filtered or not).
    short = client.get("/portfolio?view=all&delivering=short").get_data(as_text=True)
    none = client.get("/portfolio?view=all&delivering=none").get_data(as_text=True)
    on_track = client.get("/portfolio?view=all&delivering=on-track").get_data(as_text=True)
    short, none, on_track = (page.split("<table", 1)[1] for page in (short, none, on_track))
    # The chart and its links count each band's sites as the band's filter lists them.
    for key, label, table in (
        ("short", "Short of the promise (under 90%)", short),
        ("on-track", "Delivering 90% or more", on_track),
        ("none", "No agreed case or no figures yet", none),
    ):
        listed = table.count("data-delivering=")
        link = f'<a href="/portfolio?view=all&amp;delivering={key}">'
        assert f"{link}{label}: {listed} site{'' if listed == 1 else 's'}</a>" in portfolio
    assert "Meadowbank FLS</a>" in short and "Riverside FLS</a>" not in short
    assert "Meadowbank FLS</a>" not in none and "Riverside FLS</a>" in none
    by_share = client.get("/portfolio?view=all&sort=delivering&dir=desc").get_data(as_text=True)
    by_share = by_share.split("<table", 1)[1]
    assert by_share.index("Meadowbank FLS</a>") < by_share.index("Riverside FLS</a>")
    # The portfolio workbook: the page's share and words in Meadowbank's row.
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(client.get("/portfolio.xlsx?view=all").data)).active
    header = [c.value for c in sheet[1]]
    share_at, words_at = (
        header.index(h) for h in ("Delivering its case (%)", "Delivered against the promise")
    )
    by_site = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    found_share = sum(q.numerator for q in found.with_data) / sum(
        q.promised for q in found.with_data
    )
    treated_share = sum(q.numerator for q in treated.with_data) / sum(
        q.promised for q in treated.with_data
    )
    percent = round(50 * (found_share + treated_share))
    assert by_site["Meadowbank FLS"][share_at] == percent
    assert by_site["Meadowbank FLS"][words_at] == words
    assert f'{percent}%\n        <span class="app-cell-note">{escape(words)}</span>' in portfolio
    assert by_site["Riverside FLS"][share_at] is None
    assert by_site["Riverside FLS"][words_at] == "No agreed case or no figures yet"
    # The KPI workbook carries the delivery table: the same actual, promise and gap.
    book = load_workbook(BytesIO(client.get(f"/sites/{site.id}/kpis.xlsx").data))
    table = list(book["Delivery"].iter_rows(values_only=True))
    assert table[0][:3] == ("Promise", "KPI", "Quarter")
    for d in rows:
        q = d.latest
        assert (d.measure.label, d.measure.kpi, q.numerator, round(q.promised)) in {
            (r[0], r[1], r[4], r[5]) for r in table[1:]
        }
