"""PID and highlight-report defects, one test each: what the documents print is what the app
knows, in words fit for print."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from io import BytesIO

import docx
import pytest
from docx.oxml.ns import qn

from app.core.dates import today, uk_date
from app.documents.pid import build_pid, load_pid
from app.documents.report import load_report
from app.documents.report_docx import build_report
from app.documents.text import glossary_for
from app.extensions import db
from app.meetings.models import Action, Meeting
from app.needs.models import NeedsVersion
from app.people.models import Person
from app.plan.models import Task
from app.risks.models import Mitigation, RaidEntry
from tests.conftest import csrf_token, sign_in


def _words(element) -> str:  # noqa: ANN001
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _text(document) -> str:  # noqa: ANN001
    """Every paragraph and table row, in document order."""
    lines = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            lines.append(_words(element))
        elif element.tag == qn("w:tbl"):
            for row in element.iter(qn("w:tr")):
                lines.append(" | ".join(_words(c) for c in row.iter(qn("w:tc"))))
    return "\n".join(lines)


def _pid(site) -> str:  # noqa: ANN001
    return _text(build_pid(load_pid(site, today())))


def _report(site) -> str:  # noqa: ANN001
    return _text(build_report(load_report(site, today())))


@pytest.fixture
def site(site_world):  # noqa: ANN001, ANN201
    return site_world["site"]


def _risk(site, **values) -> RaidEntry:  # noqa: ANN001
    values.setdefault("kind", "risk")
    values.setdefault("title", "Funding not agreed")
    values.setdefault("likelihood", 3)
    values.setdefault("impact", 4)
    entry = RaidEntry(site_id=site.id, status="open", **values)
    db.session.add(entry)
    db.session.flush()
    return entry


def test_risk_what_we_are_doing_prints_the_mitigation_not_the_description(site) -> None:
    entry = _risk(site, description="Commissioners may not pay.")
    db.session.add(
        Mitigation(site_id=site.id, entry_id=entry.id, description="Present the business case")
    )
    db.session.commit()
    for text in (_pid(site), _report(site)):
        row = next(line for line in text.splitlines() if line.startswith("Funding not agreed |"))
        assert row.endswith("Present the business case")
        assert "Commissioners may not pay." not in row


def test_risk_with_no_mitigation_says_so(site) -> None:
    _risk(site, description="Commissioners may not pay.")
    db.session.commit()
    assert "No mitigation recorded yet." in _pid(site)


def test_risk_owner_is_the_mitigating_task_owner_when_the_risk_has_none(site) -> None:
    owner = Person(site_id=site.id, name="Grace Okafor")
    db.session.add(owner)
    db.session.flush()
    task = Task(site_id=site.id, phase=4, title="Write the business case", owner_id=owner.id)
    db.session.add(task)
    db.session.flush()
    entry = _risk(site)
    db.session.add(
        Mitigation(site_id=site.id, entry_id=entry.id, description="Case", task_id=task.id)
    )
    db.session.commit()
    assert "Funding not agreed | 12 (High) | Grace Okafor |" in _report(site)


def test_decision_owner_is_the_named_decider_when_no_person_owns_it(site) -> None:
    db.session.add(
        RaidEntry(
            site_id=site.id,
            kind="decision",
            title="Approve the pilot",
            status="proposed",
            decider="The steering group chair",
        )
    )
    db.session.commit()
    assert "Approve the pilot (The steering group chair)" in _report(site)


def test_action_owner_is_the_linked_task_owner_when_the_action_has_none(site) -> None:
    owner = Person(site_id=site.id, name="Owen Price")
    db.session.add(owner)
    db.session.flush()
    task = Task(site_id=site.id, phase=3, title="Get the admissions", owner_id=owner.id)
    db.session.add(task)
    db.session.flush()
    db.session.add(Action(site_id=site.id, description="Ask for the figures", task_id=task.id))
    db.session.commit()
    assert "Ask for the figures (Owen Price; due no date)" in _report(site)


def test_pid_states_the_business_cases_fractures_prevented(client, site_world, site) -> None:
    """The PID said 170 hip fractures 'from five years of patients' (against no treatment)
    where the business case said 87: it now prints the shared figure, as every document."""
    from app.needs.figures import figures_for

    inputs = {
        "population_total": 200_000,
        "admissions": {"hip": {"count": 400, "los_days": 20, "cost_per_bed_day": 400}},
        "rates": {"assessment": 30, "treatment": 40, "followup": 20},
        "staffing": {"nurse": 1.0, "admin": 0.5},
    }
    db.session.add(
        NeedsVersion(
            site_id=site.id,
            change="Figures entered",
            data=json.dumps({"inputs": inputs}),
            population_50_plus=200_000,
            expected_caseload=2_000,
            hip_fractures_prevented_5y=194,
        )
    )
    db.session.commit()
    text = _pid(site)
    shared = figures_for(site)
    assert shared.prevented_words and shared.prevented_words in text
    assert "from five years of patients" not in text and "194" not in text
    sign_in(client, site_world["viewer"])
    # The saved versions list shows each version's figure, rounded as the page rounds it.
    needs = client.get(f"/sites/{site.id}/needs?show=versions").get_data(as_text=True)
    assert ">190<" in needs.replace(" ", "") and "194" not in needs


def _meetings(site, count: int, first_number: int = 0) -> None:  # noqa: ANN001
    first = datetime.combine(today() + timedelta(days=1), datetime.min.time()) + timedelta(hours=14)
    for number in range(first_number, first_number + count):
        starts = first + timedelta(days=7 * number)
        db.session.add(
            Meeting(
                site_id=site.id,
                kind="project_team",
                title=f"Team meeting {number}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
            )
        )
    db.session.commit()


def test_pid_meetings_table_says_how_many_more(site) -> None:
    _meetings(site, 6)
    assert "more meeting" not in _pid(site)
    _meetings(site, 3, first_number=6)
    text = _pid(site)
    assert "Team meeting 5" in text
    assert re.search(r"And 3 more meetings planned after \d+ \w+ \d{4}\.", text)


@pytest.mark.parametrize("builder", [_pid, _report])
def test_documents_end_without_a_blank_trailing_page(site, builder) -> None:
    from app.documents.report_docx import build_report as report

    document = (
        build_pid(load_pid(site, today()))
        if builder is _pid
        else report(load_report(site, today()))
    )
    blocks = [
        el for el in document.element.body.iterchildren() if el.tag in (qn("w:p"), qn("w:tbl"))
    ]
    last = blocks[-1]
    if last.tag == qn("w:p") and not _words(last).strip():
        # Only the paragraph Word requires after a final table, and it is one point high.
        assert blocks[-2].tag == qn("w:tbl")
        assert last.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) == "2"


APP_INSTRUCTIONS = re.compile(
    r"\b(on|see) the \w+ page\b|\bAdd (them|the|a|stakeholders)\b|\bEnter (them|the)\b"
)


def test_documents_print_no_app_instructions(site) -> None:
    for text in (_pid(site), _report(site)):
        assert not APP_INSTRUCTIONS.search(text), APP_INSTRUCTIONS.search(text)
    assert "To be written: the purpose and background." in _pid(site)


def test_glossary_keeps_age_uk_local_branch_as_an_aside() -> None:
    entries = dict(
        glossary_for("Services manager, Age UK (local branch). FLS (fracture liaison service).")
    )
    assert "UK" not in entries
    assert entries["FLS"].lower().startswith("fracture liaison service")


def _agree(client, site, number: str = "v1.0", on: date | None = None):  # noqa: ANN001, ANN202
    token = csrf_token(client, f"/sites/{site.id}/documents")
    return client.post(
        f"/sites/{site.id}/documents/agree",
        data={
            "csrf_token": token,
            "number": number,
            "agreed_on": (on or today()).strftime("%d/%m/%Y"),
        },
    )


def test_agreed_pid_shows_its_agreement_date_not_today(client, site_world, site) -> None:
    sign_in(client, site_world["sponsor"])
    agreed_on = today() - timedelta(days=40)
    assert _agree(client, site, on=agreed_on).status_code == 302
    first_lines = _pid(site).splitlines()[:5]
    assert f"Version: v1.0, agreed on {uk_date(agreed_on)}" in first_lines
    assert not any(uk_date(today()) in line for line in first_lines)


def test_pid_changed_after_agreement_says_so_on_first_page_and_documents_page(
    client, site_world, site
) -> None:
    sign_in(client, site_world["sponsor"])
    _agree(client, site)
    page = client.get(f"/sites/{site.id}/documents").get_data(as_text=True)
    assert 'data-testid="pid-changed"' not in page
    assert "Changed since it was agreed" not in _pid(site)
    _risk(site, title="A new risk")  # the PID's risks table changes
    db.session.commit()
    first_lines = "\n".join(_pid(site).splitlines()[:6])
    assert "Changed since it was agreed: The content has changed since v1.0 was agreed" in (
        first_lines
    )
    assert "v1.1 (draft), for agreement" in first_lines
    page = client.get(f"/sites/{site.id}/documents").get_data(as_text=True)
    assert 'data-testid="pid-changed"' in page and "The content has changed since v1.0" in page


def test_report_score_column_does_not_wrap_medium(site) -> None:
    _risk(site, likelihood=2, impact=4)  # 8 (Medium)
    db.session.commit()
    document = build_report(load_report(site, today()))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Risk or issue")
    assert table.rows[1].cells[1].text == "8 (Medium)"
    # Arial 9 pt averages about 0.18 cm a character; a cell loses 0.38 cm to its margins.
    longest = max(len(word) for word in ["8", "(Medium)", "20", "(Very", "high)"])
    assert table.columns[1].width.cm - 0.38 >= longest * 0.18


def test_report_says_set_to_green_not_changed_from_none(site) -> None:
    task = Task(site_id=site.id, phase=1, title="Visit an FLS", due_date=today())
    db.session.add(task)
    db.session.commit()
    task.reported_rag, task.reported_rag_reason = "green", "On track"
    db.session.commit()
    text = _report(site)
    assert "Reported RAG of Visit an FLS set to Green" in text
    assert "from none" not in text


def test_report_next_period_ends_at_the_next_steering_group(site) -> None:
    starts = datetime.combine(today() + timedelta(days=5), datetime.min.time()) + timedelta(
        hours=14
    )
    db.session.add(
        Meeting(
            site_id=site.id,
            kind="steering_group",
            title="Steering group",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
    )
    db.session.commit()
    meeting_day = uk_date(today() + timedelta(days=5))
    assert f"Next period: to the steering-group meeting on {meeting_day}." in _report(site)


def test_report_run_charts_are_labelled_with_periods_and_scale(site, pid_project) -> None:
    pid_project(site, tasks=0, people=0, kpi_months=14)
    document = build_report(load_report(site, today()))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "KPI")
    caption = table.rows[1].cells[4].text
    assert re.fullmatch(r"\w{3} \d{4} to \w{3} \d{4}; scale \d+% to \d+%", caption.strip())


def test_pid_docx_still_opens(client, site_world, site) -> None:
    sign_in(client, site_world["viewer"])
    response = client.get(f"/sites/{site.id}/documents/pid.docx")
    assert docx.Document(BytesIO(response.data)).paragraphs


def test_pid_agreed_criterion_says_when_the_content_changed_since(client, site_world, site) -> None:
    from app.documents.service import pid_agreed

    sign_in(client, site_world["sponsor"])
    _agree(client, site)
    met, detail, _link = pid_agreed(site)
    assert met and "changed since" not in detail
    _risk(site, title="A new risk")
    db.session.commit()
    met, detail, _link = pid_agreed(site)
    assert met and "Its content has changed since" in detail
