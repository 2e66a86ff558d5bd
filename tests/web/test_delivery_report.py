"""The highlight report carries the delivery page's run charts (issue 35): the same data
drawn by the same function, as that SVG on the report page and as a PNG with alt text and
a caption in Word."""

from __future__ import annotations

import re
from io import BytesIO

import docx
from markupsafe import escape

from app.core.dates import today
from app.core.raster import svg_to_png
from app.delivery import queries
from app.delivery.chart import REPORT_SIZE, chart_description, delivery_chart
from app.delivery.models import RAMP_UP
from app.delivery.promises import add_quarters
from app.delivery.service import deliveries
from app.extensions import db
from app.kpis.periods import current_period
from tests.conftest import sign_in
from tests.web.test_delivery import THIS_QUARTER, _agree, _promise, _quarter_value


def _chart_rows(document: docx.document.Document) -> list[tuple[str, bytes, str, str]]:
    """(promise, PNG, alt text, caption) of each row of the report's delivery chart table."""
    table = next(
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells][1].startswith("Each quarter since the case")
    )
    found = []
    for row in table.rows[1:]:
        name, cell = row.cells
        run = next(r for p in cell.paragraphs for r in p.runs if r.element.xpath(".//a:blip"))
        (embed,) = run.element.xpath(".//a:blip/@r:embed")
        (alt,) = run.element.xpath(".//wp:docPr/@descr")
        png = cell.part.related_parts[embed].blob
        found.append((name.text, png, alt, cell.paragraphs[-1].text))
    return found


def test_the_word_report_draws_the_delivery_page_charts(
    app, make_site, make_user, add_member, needs_for_case
) -> None:  # noqa: ANN001
    site = make_site(name="Report FLS")
    needs_for_case(site)
    user = make_user()
    add_member(site, user, "viewer")
    client = app.test_client()
    sign_in(client, user)
    report = f"/sites/{site.id}/documents/steering-report.docx"

    _agree(site)  # a case agreed, no audit figures yet: no chart table
    document = docx.Document(BytesIO(client.get(report).data))
    assert not any(
        t.rows[0].cells[-1].text.startswith("Each quarter since") for t in document.tables
    )

    promised = round(_promise(site, "identified", RAMP_UP).patients)
    for n, actual in ((3, promised + 4), (2, promised - 30), (1, promised - 40)):
        _quarter_value(site, 2, add_quarters(THIS_QUARTER, -n), actual, 1000)
    _quarter_value(site, 10, add_quarters(THIS_QUARTER, -1), 12, 40)
    db.session.commit()

    document = docx.Document(BytesIO(client.get(report).data))
    rows = _chart_rows(document)
    page = client.get(f"/sites/{site.id}/delivery").get_data(as_text=True)
    promises = queries.latest_promise(site.id)
    counts = queries.kpi_counts(site.id, [2, 4, 5, 10, 11], promises[0].starts_on)
    shown = [d for d in deliveries(promises, counts, today()) if d.with_data]
    assert [d.key for d in shown] == ["identified", "treated"]
    assert [name for name, *_ in rows] == [
        "Patients identified (KPI 2)",
        "Patients started on bone therapy (KPI 10)",
    ]
    width, height = REPORT_SIZE
    for delivery, (_name, png, alt, caption) in zip(shown, rows, strict=True):
        # The very chart the page draws, from the page's rows, rasterised.
        assert png == svg_to_png(str(delivery_chart(delivery, width=width, height=height)))
        assert png.startswith(b"\x89PNG")
        words = chart_description(delivery)
        assert words in alt and str(escape(words)) in page  # the page's SVG says the same
        first, last = delivery.quarters[0].period.label, delivery.quarters[-1].period.label
        assert (
            caption == f"{delivery.measure.label} (KPI {delivery.measure.kpi}), {first} to {last}"
        )
    assert f"{promised - 40} of {promised} promised" in rows[0][2]


DELIVERY_SVG = re.compile(r'<svg [^>]*class="app-chart delivery-chart".*?</svg>', re.S)


def _charts(html: str) -> dict[str, str]:
    """Each delivery run chart on a page: measure -> its SVG."""
    return {
        re.search(r'id="delivery-chart-([a-z_]+)-t"', svg).group(1): svg
        for svg in DELIVERY_SVG.findall(html)
    }


def test_the_report_page_shows_the_delivery_page_charts(
    app, make_site, make_user, add_member, needs_for_case, count_queries
) -> None:  # noqa: ANN001
    """The highlight report page carries one run chart per measured promise with audit
    figures: the delivery page's own SVG (the same quarters, actuals and promise), named,
    described and captioned, read from the report's one statement (no statement more)."""
    site = make_site(name="Report page FLS")
    needs_for_case(site)
    user = make_user()
    add_member(site, user, "viewer")
    client = app.test_client()
    sign_in(client, user)
    report = f"/sites/{site.id}/documents/steering-report"

    _agree(site)  # a case agreed, no audit figures yet: lines and charts wait for them
    assert _charts(client.get(report).get_data(as_text=True)) == {}
    db.session.expunge_all()
    with count_queries() as before:
        client.get(report)

    promised = round(_promise(site, "identified", RAMP_UP).patients)
    for n, actual in ((3, promised + 4), (2, promised - 30), (1, promised - 40)):
        _quarter_value(site, 2, add_quarters(THIS_QUARTER, -n), actual, 1000)
    _quarter_value(site, 10, add_quarters(THIS_QUARTER, -1), 12, 40)
    db.session.commit()

    db.session.expunge_all()
    with count_queries() as after:
        html = client.get(report).get_data(as_text=True)
    assert len(after.statements) == len(before.statements)
    delivery_page = _charts(client.get(f"/sites/{site.id}/delivery").get_data(as_text=True))
    shown = _charts(html)
    assert list(shown) == ["identified", "treated"]  # measured and with figures
    assert set(delivery_page) > set(shown)  # the page also draws promises still without data
    for measure, svg in shown.items():
        assert svg == delivery_page[measure]  # the same drawing of the same numbers
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert f"{promised - 40} of {promised} promised" in shown["identified"]
    caption = re.search(
        r'id="report-delivery-chart-identified">.*?<figcaption>(.*?)\.\s', html, re.S
    ).group(1)
    # From the promise's first quarter (year 1 began four quarters back) to the last one
    # the audit has figures for.
    first, last = (current_period("quarter", add_quarters(THIS_QUARTER, n)) for n in (-4, -1))
    assert caption == f"Patients identified (KPI 2), {first.label} to {last.label}"
