"""The site navigation: one list, shown for the features whose pages exist.

Kept short enough to fit one line on a laptop (1366 px; static/app.css narrows the spacing
between entries), so Documents and History are never folded under "More": the timeline is
reached from the plan and the action log from meetings (both highlight their parent entry),
and the needs assessment (Phase 3, the figures the business case is built on) from the
business case, which its pages highlight. That leaves room for Delivery, what the agreed case
promised against the audit (Phases 5 and 6). tests/e2e/test_site_nav.py checks every entry
is shown at 1366 px, and reachable without sideways scrolling at 390 px.
"""

from flask import Flask, current_app, g, request, url_for

SITE_NAV = (
    ("Overview", "sites.overview"),
    ("Plan", "sites.plan.index"),
    ("People", "sites.people.index"),
    ("Meetings", "sites.meetings.index"),
    ("Risks", "sites.risks.index"),
    ("Gateways", "sites.gateways.index"),
    ("Business case", "sites.business_case.index"),
    ("KPIs", "sites.kpis.index"),
    ("Delivery", "sites.delivery.index"),
    ("Documents", "sites.documents.index"),
    ("History", "sites.history"),
)
# Sections reached from another's page, which they highlight: the needs assessment is where
# the business case's figures come from (a twelfth entry would not fit the line).
PARENT_SECTION = {"sites.needs": "sites.business_case"}


def site_nav() -> list[dict]:
    site = getattr(g, "site", None)
    if site is None:
        return []
    current = request.endpoint or ""
    available = [(label, ep) for label, ep in SITE_NAV if ep in current_app.view_functions]
    exact = any(ep == current for _label, ep in available)
    section = current.rsplit(".", 1)[0]
    section = PARENT_SECTION.get(section, section)
    items = []
    for label, endpoint in available:
        if exact:
            active = endpoint == current
        else:  # a page inside a feature (a task, a meeting) highlights that feature's list
            active = section != "sites" and endpoint == f"{section}.index"
        items.append({"href": url_for(endpoint), "text": label, "current": active})
    return items


def register_nav(app: Flask) -> None:
    app.jinja_env.globals["site_nav_items"] = site_nav
