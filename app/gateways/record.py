"""The gateway record as a Word document: headings, tables, Arial, site name and page numbers."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from app.core.dates import uk_datetime
from app.gateways.models import DECISIONS, GATEWAY_STATUSES
from app.gateways.service import Readiness
from app.sites.models import Site
from app.toolkit import Phase


def _page_number(paragraph) -> None:  # noqa: ANN001 - a docx paragraph
    """A PAGE field, so Word fills in the number on every page."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _arial(document: Document) -> None:
    for name in ("Normal", "Heading 1", "Heading 2", "Title", "Table Grid"):
        style = document.styles[name]
        style.font.name = "Arial"
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), "Arial")
    document.styles["Normal"].font.size = Pt(11)


def gateway_docx(
    site: Site, phase: Phase, status: str, readiness: Readiness, history: list
) -> bytes:
    document = Document()
    _arial(document)
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{site.name} – gateway record"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _page_number(footer)

    document.add_heading(f"Gateway record: {phase.label}", level=1)
    document.add_paragraph(f"{site.name}, {site.organisation}")
    document.add_paragraph(
        f"Status: {GATEWAY_STATUSES[status]}. Readiness: {readiness.label} criteria."
    )

    document.add_heading("Criteria", level=2)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Criterion", "State", "Why"), strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for criterion in readiness.criteria:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = (
            criterion.text,
            criterion.state_label,
            criterion.detail,
        )

    document.add_heading("Decisions", level=2)
    if not history:
        document.add_paragraph("No decisions recorded yet.")
    else:
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("When", "Who", "Decision", "Comments"), strict=True
        ):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for decision, who in history:
            row = table.add_row().cells
            comments = decision.comments
            if decision.exceptions:
                comments += " Exceptions: " + "; ".join(
                    f"{e['text']} ({e['reason']})" for e in decision.exceptions
                )
            row[0].text = uk_datetime(decision.at)
            row[1].text = who or "A former user"
            row[2].text = DECISIONS.get(decision.action, decision.action)
            row[3].text = comments.strip()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
