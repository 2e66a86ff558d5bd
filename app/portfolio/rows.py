"""The portfolio table's rows, drawn in Python for speed.

Two hundred sites of a dozen cells each through the template runtime (an attribute look-up,
an escape or a filter per value) were most of the page's render time (issue #23); here a row
is a few format strings over escaped values; the tags are `app.core.tags`' (as in every
template). What every row shares (the links, the CSRF token, the current filters) is worked
out once in `RowContext`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.core.dates import uk_date
from app.core.tags import tag
from app.delivery.facts import NO_SHARE
from app.portfolio.dimensions import Rating
from app.portfolio.queries import delivery_band
from app.portfolio.service import PortfolioRow

_ROW = """
    <tr class="nhsuk-table__row" data-site-id="{id}">
      <td class="nhsuk-table__cell app-stack__head" data-label="Site">\
<a href="{overview}">{name}</a>
        <span class="app-cell-note">{organisation} · {place} · {status}</span></td>
      <td class="nhsuk-table__cell app-stack__nolabel" data-label="Support">
        <form method="post" action="{follow}" novalidate>
          <input type="hidden" name="csrf_token" value="{token}">
          <input type="hidden" name="follow" value="{follow_value}">
          <input type="hidden" name="query" value="{query}">
          <button type="submit" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small \
nhsuk-u-margin-bottom-0">{follow_text}<span class="nhsuk-u-visually-hidden"> {name}</span></button>
        </form>
      </td>
      <td class="nhsuk-table__cell" data-label="Overall" data-rag="{overall}">{overall_tag}</td>
      {dimensions}
      <td class="nhsuk-table__cell" data-label="Phase">{phase}. {phase_name}
        {review}
        <span class="app-cell-note">{signoff}</span></td>
      <td class="nhsuk-table__cell" data-label="Delivering its case" data-delivering="{band}">\
{delivering}</td>
      <td class="nhsuk-table__cell" data-label="Next meeting">{meeting}</td>
      <td class="nhsuk-table__cell" data-label="Lead contact">{lead}</td>
    </tr>
  """
_DIMENSION = """
      <td class="nhsuk-table__cell" data-label="{label}" data-dimension="{key}" \
data-status="{status}">{tag}
        <span class="app-cell-note">{reason}</span></td>
      """
_REVIEW = f"<br>{tag('Review waiting', 'yellow', 'app-tag-s app-nowrap')}"


_SPECIAL = re.compile(r"[&<>'\"]")


def _text(value: object) -> str:
    """`escape(value)` as a plain string: most values need no escaping, and building a
    Markup object for each of the 10,000 values on the page was a third of the rows' time."""
    text = str(value)
    return text if _SPECIAL.search(text) is None else str(escape(text))


def _dimension_cell(label: str, key: str, status: str | None, reason: str) -> str:
    rating = Rating(status, reason)
    return _DIMENSION.format(
        label=_text(label),
        key=_text(key),
        status=_text(status or "none"),
        tag=tag(rating.name, rating.colour, "app-tag-s app-nowrap"),
        reason=_text(reason),
    )


@dataclass(frozen=True)
class RowContext:
    """What every row of one render shares."""

    overview_parts: tuple[str, str]  # the overview's URL around the site id
    follow_parts: tuple[str, str]  # the support button's URL around the site id
    token: str
    query: str  # the current filters, sent back by the support button
    phases: dict[int, str]
    dimensions: dict[str, str]  # key -> column heading


def row_context(query: str, phases: dict[int, str], dimensions: dict[str, str]) -> RowContext:
    def around_id(url: str) -> tuple[str, str]:
        before, after = url.split("/0/", 1)
        return str(escape(before + "/")), str(escape("/" + after))

    return RowContext(
        overview_parts=around_id(url_for("sites.overview", site_id=0)),
        follow_parts=around_id(url_for("portfolio.follow", site_id=0)),
        token=str(escape(generate_csrf())),
        query=str(escape(query)),
        phases=phases,
        dimensions=dimensions,
    )


def _lead(r: PortfolioRow) -> str:
    if not r.lead_name:
        return "No project manager named"
    email, phone = r.lead_email, r.lead_phone
    return (
        f"{_text(r.lead_name)}\n        "
        + (
            f'<br><a href="mailto:{_text(email)}" class="app-break">{_text(email)}</a>'
            if email
            else ""
        )
        + "\n        "
        + (f"<br>{_text(phone)}" if phone else "")
        + "\n        "
    )


def _delivering(r: PortfolioRow) -> str:
    if r.delivery is None:
        return NO_SHARE
    d = r.delivery
    return f'{d.percent}%\n        <span class="app-cell-note">{_text(d.words)}</span>'


def portfolio_row(r: PortfolioRow, ctx: RowContext) -> str:
    dimensions = []
    for key, label in ctx.dimensions.items():
        rating = r.ratings[key]
        reason = rating.reason
        if key == "schedule" and r.essential_applicable:
            reason += f"; {r.essential_done} of {r.essential_applicable} essential done"
        dimensions.append(_dimension_cell(label, key, rating.status, reason))
    signoff = (
        f"Phase {r.last_signoff_phase} signed off {uk_date(r.last_signoff_at)}"
        if r.last_signoff_phase
        else "No gateway signed off"
    )
    name = _text(r.name)
    return _ROW.format(
        id=r.site_id,
        overview=f"{ctx.overview_parts[0]}{r.site_id}{ctx.overview_parts[1]}",
        name=name,
        organisation=_text(r.organisation),
        place=_text(r.place),
        status=_text(r.status_name),
        follow=f"{ctx.follow_parts[0]}{r.site_id}{ctx.follow_parts[1]}",
        token=ctx.token,
        follow_value="0" if r.followed else "1",
        query=ctx.query,
        follow_text="Stop supporting" if r.followed else "Support",
        overall=_text(r.overall or "none"),
        overall_tag=tag(r.overall_name, r.overall_colour, "app-nowrap"),
        dimensions="".join(dimensions),
        phase=r.phase,
        phase_name=_text(ctx.phases[r.phase]),
        review=_REVIEW if r.review_phase else "",
        signoff=signoff,
        band=delivery_band(r.delivery),
        delivering=_delivering(r),
        meeting=_text(uk_date(r.next_meeting, "None booked")),
        lead=_lead(r),
    )


def portfolio_rows(rows: list[PortfolioRow], ctx: RowContext) -> Markup:
    """The table body's rows."""
    return Markup("".join(portfolio_row(r, ctx) for r in rows))
