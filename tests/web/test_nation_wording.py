"""Each nation's pages and documents name only its own audits (issue #30, Nations).

Scotland has no FLS-DB and its hip fracture audit is the Scottish Hip Fracture Audit, not
the NHFD (DOMAIN.md). So a Scottish site's pages and documents never name the NHFD or the
FLS-DB, except: citing a published source (the sources the app lists beside its defaults),
saying which nations the FLS-DB covers (it "does not cover Scotland"), and the name of the
KPI set (the FLS-DB's 11 KPIs, which the site uses without the audit)."""

from __future__ import annotations

import io
import re
from collections import deque
from html import unescape

from docx import Document
from openpyxl import load_workbook

from app.extensions import db

NAMES = re.compile(r"NHFD|National Hip Fracture Database|FLS-DB|Fracture Liaison Service Database")
# A sentence naming the FLS-DB only to say where it runs, and the KPI set's name.
WHERE_IT_RUNS = re.compile(
    r"does not cover Scotland|not Scotland|where it runs|England, Wales and Northern Ireland"
)
HIP_DATABASE = re.compile(r"NHFD|National Hip Fracture Database")
KPI_SET = re.compile(r"FLS-DB (?:KPIs?|key performance indicators)\b")
# Pages that repeat another's text (confirmations, edit forms, later history pages, images).
SKIP = re.compile(
    r"/(?:delete|remove|erase|cancel)$|\.(?:png|svg|ics|json)$|[?&](?:page|period|invite|cell|view)="
)


def _cited_sources() -> list[str]:
    """Every source the app cites beside its defaults, longest first."""
    from app.business_case.costs import default_costs
    from app.business_case.economics import economics
    from app.needs.assumptions import default_assumptions

    sources = [a.citation for a in default_assumptions().values()]
    for item in default_costs().values():
        sources += [item.source, item.citation] + ([item.scotland[1]] if item.scotland else [])
    for parameter in economics().parameters.values():
        sources += [parameter.source, parameter.citation]
    return sorted({s for s in sources if s}, key=len, reverse=True)


def _text(url: str, response) -> str:  # noqa: ANN001
    if url.endswith(".docx"):
        doc = Document(io.BytesIO(response.data))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    if url.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(response.data))
        return "\n".join(
            str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None
        )  # fmt: skip
    if not response.mimetype.startswith("text/"):
        return ""  # pictures
    return unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _stray_names(text: str, sources: list[str]) -> list[str]:
    text = re.sub(r"\s+", " ", text)
    for source in sources:
        text = text.replace(re.sub(r"\s+", " ", source), "")
    sentences = re.split(r"(?<!\d)\.(?!\d)", KPI_SET.sub("", text))
    text = ". ".join(s for s in sentences if HIP_DATABASE.search(s) or not WHERE_IT_RUNS.search(s))
    return [text[max(0, m.start() - 60) : m.end() + 40] for m in NAMES.finditer(text)]


def test_a_scottish_sites_pages_and_documents_name_only_its_own_audits(app, make_user) -> None:
    """Glenmoor's plan said "Request local hip fracture numbers from the NHFD" and its
    gateway record page "such as the FLS-DB and links with the NHFD"."""
    from app.demo import seed_demo
    from tests.conftest import sign_in

    ctx = seed_demo()
    db.session.commit()
    site = next(s for s in ctx.sites.values() if s.nation == "Scotland")
    client = app.test_client()
    sign_in(client, make_user(global_role="admin"))
    sources = _cited_sources()
    start = f"/sites/{site.id}/"
    seen, queue, found = {start}, deque([start]), {}
    documents = 0
    while queue:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code in (200, 302, 404, 409), (url, response.status_code)
        if response.status_code != 200:
            continue
        if "html" in response.headers["Content-Type"]:
            for link in re.findall(r'href="([^"#]+)', response.get_data(as_text=True)):
                link = unescape(link)
                if link.startswith(start) and link not in seen and not SKIP.search(link):
                    seen.add(link)
                    queue.append(link)
        documents += url.endswith((".docx", ".xlsx"))
        stray = _stray_names(_text(url, response), sources)
        if stray:
            found[url] = stray
    assert len(seen) > 150 and documents >= 10  # the crawl reached the pages and documents
    for phase in range(1, 7):
        assert f"{start}gateways/{phase}/record" in seen
    assert not found, "\n".join(f"{u}: {s}" for u, ss in found.items() for s in ss)


def test_england_keeps_its_audits_by_name() -> None:
    """The nation rule changes Scotland's words only: England's gateway criterion still
    names the FLS-DB and the NHFD."""
    from app.needs.figures import for_nation

    text = (
        "The service takes part in national programmes such as the FLS-DB and links with the NHFD."
    )
    assert for_nation(text, "England") == text
    scottish = for_nation(text, "Scotland")
    assert "Scottish Hip Fracture Audit" in scottish and not NAMES.search(scottish)
