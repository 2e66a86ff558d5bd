"""The PID and the documents page: contents read back from the .docx, forms, access, queries."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import docx
import pytest
from sqlalchemy import select

from app.documents.models import PidNarrative, PidVersion
from app.extensions import db
from app.people.models import Group, GroupMember, Person
from tests.conftest import csrf_token, sign_in
from tests.fixtures.documents import NARRATIVE


def _docx(client, site) -> docx.document.Document:  # noqa: ANN001
    response = client.get(f"/sites/{site.id}/documents/pid.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    return docx.Document(BytesIO(response.data))


def _section(document, heading: str) -> str:  # noqa: ANN001
    """The text between a heading and the next heading of the same or higher level."""
    lines, inside = [], False
    body = document.element.body
    for element in body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(element, document)
            style = paragraph.style.name if paragraph.style is not None else ""
            if style == "Heading 1":
                inside = paragraph.text == heading
                continue
            if inside:
                lines.append(paragraph.text)
        elif tag == "tbl" and inside:
            table = docx.table.Table(element, document)
            lines.extend(" | ".join(c.text for c in row.cells) for row in table.rows)
    return "\n".join(lines)


def test_pid_sections_hold_the_project_data(client, site_world, pid_project) -> None:
    site = site_world["site"]
    site.population_50_plus = 182_000
    made = pid_project(site, tasks=21, people=8, meetings=10, risks=12, needs=True)
    db.session.add(
        PidVersion(
            site_id=site.id,
            number="v1.0",
            agreed_by_id=site_world["sponsor"].id,
            agreed_on=date(2026, 3, 3),
        )
    )
    db.session.commit()
    sign_in(client, site_world["viewer"])
    document = _docx(client, site)

    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for expected in (
        "Why we need a fracture liaison service",
        "Aims and objectives",
        "Scope",
        "The local case for change",
        "Who is responsible",
        "Stakeholder reference group",
        "Governance and meetings",
        "Timeline: the six phases",
        "Key risks",
        "How to get involved",
        "Words and abbreviations used",
    ):
        assert expected in headings
    # Real Word styles for the title and the header/footer.
    assert document.paragraphs[0].style.name == "Title"
    assert document.sections[0].header.paragraphs[0].text == "Riverside FLS"
    assert "PAGE" in document.sections[0].footer._element.xml
    assert document.styles["Normal"].font.name == "Arial"

    cover = "\n".join(p.text for p in document.paragraphs[:5])
    assert "v1.0 agreed by Sponsor Person on 3 Mar 2026" in cover

    assert NARRATIVE["scope_out"] in _section(document, "Scope")
    assert "Find 80% of the people we expect" in _section(document, "Aims and objectives")
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Start treatment within 16 weeks" in bullets
    case = _section(document, "The local case for change")
    assert "182,000 people aged 50 or over" in case
    assert "about 1,650 people a year" in case
    # The shared figures (app.needs.figures): the same words as every other document.
    assert "hip) among each year's patients over 10 years, against today's service" in case

    team = _section(document, "Who is responsible")
    for person in made["team"]:
        assert person.name in team
    assert "Clinical lead / champion | Dr Tom Evans" in team
    assert "Patients and patient advocates" in team
    assert "Stakeholder 1" not in team  # reference group shown by role, not by name
    assert "Not yet represented:" in team and "Care homes" in team

    timeline = _section(document, "Timeline: the six phases")
    milestones = [t for t in made["tasks"] if t.milestone and 1 <= t.phase <= 6]
    assert milestones
    for task in milestones:
        assert task.title in timeline
    assert "1. Start Out" in timeline and "6. Sustain and Share" in timeline

    governance = _section(document, "Governance and meetings")
    upcoming = [m for m in made["meetings"] if m.starts_at >= made["meetings"][5].starts_at]
    for meeting in upcoming:
        assert meeting.title in governance
    assert made["meetings"][4].title not in governance  # in the past
    assert "14:00–15:00" in governance

    risks = _section(document, "Key risks").splitlines()
    open_risks = sorted(
        (r for r in made["risks"] if r.kind == "risk"), key=lambda r: -r.current_score
    )
    assert len(risks) == 1 + 5  # header and the five highest-scoring
    top = open_risks[0]
    assert f"{top.title} | {top.current_score} ({top.band.name})" in risks[1]
    assert "Issue 2" not in "\n".join(risks)

    involved = _section(document, "How to get involved")
    assert "Priya Shah · fls.project@example.nhs.uk" in involved

    glossary = _section(document, "Words and abbreviations used")
    terms = [line.split(" | ")[0] for line in glossary.splitlines()]
    # Acronyms the document uses, toolkit meanings and the team's own ("ICB" in the purpose).
    for term in ("DXA", "FLS", "ICB", "PID"):
        assert term in terms
    assert "NHFD" not in terms  # not used anywhere in this PID
    assert "Dual-energy X-ray absorptiometry" in glossary


def test_pid_people_leave_out_erased_people_and_the_sites_own_organisation(
    client, site_world, pid_project
) -> None:
    """The team by name with job title, the reference group by job title and organisation
    (the site's own organisation left out), and nobody whose details were erased."""
    site = site_world["site"]
    pid_project(site, tasks=6, people=0)
    groups = {g.kind: g for g in db.session.scalars(select(Group).where(Group.site_id == site.id))}
    people = [
        ("project_team", "data-analyst", Person(name="Ana Lytic", job_title="Data analyst",
                                                organisation=site.organisation)),
        ("project_team", "data-analyst", Person(name="Gone Person", job_title="Erased title",
                                                organisation="Elsewhere", erased=True)),
        ("reference_group", None, Person(name="Ada Charity", job_title="Volunteer lead",
                                         organisation="Age UK", category="patients")),
        ("reference_group", None, Person(name="Own Nurse", job_title="Falls nurse",
                                         organisation=site.organisation, category="patients")),
        ("reference_group", None, Person(name="Pat Other", job_title="Chaplain",
                                         organisation="St Luke's", category_other="Faith groups")),
        ("reference_group", None, Person(name="Hidden Erased", job_title="Pharmacist",
                                         organisation="Boots", category="patients", erased=True)),
    ]  # fmt: skip
    for kind, role, person in people:
        person.site_id = site.id
        db.session.add(person)
        db.session.flush()
        db.session.add(
            GroupMember(
                site_id=site.id, group_id=groups[kind].id, person_id=person.id, team_role=role
            )
        )
    db.session.commit()
    sign_in(client, site_world["viewer"])
    team = _section(_docx(client, site), "Who is responsible")

    assert "Ana Lytic\nData analyst |" in team  # the site's own organisation left out
    assert "Patients and patient advocates | Falls nurse; Volunteer lead, Age UK" in team
    assert "Faith groups | Chaplain, St Luke's" in team
    for hidden in ("Gone Person", "Erased title", "Elsewhere", "Hidden Erased", "Boots"):
        assert hidden not in team
    for name in ("Ada Charity", "Own Nurse", "Pat Other"):
        assert name not in team  # the reference group is shown by role, not by name


def test_empty_site_pid_builds_and_says_what_is_missing(client, site_world) -> None:
    sign_in(client, site_world["viewer"])
    document = _docx(client, site_world["site"])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The project team has not been named yet." in text
    assert "No meetings have been scheduled yet." in text
    assert "The project plan has no tasks yet" in text
    assert "To be written: the purpose and background." in text
    assert "Not yet agreed by the project sponsor." in text
    page = client.get(f"/sites/{site_world['site'].id}/documents").get_data(as_text=True)
    assert "project team" in page and "Still missing" in page


def _form(client, site, **changes) -> dict:  # noqa: ANN001
    narrative = db.session.scalar(db.select(PidNarrative).where(PidNarrative.site_id == site.id))
    data = dict(NARRATIVE)
    data["version"] = str(narrative.version) if narrative else ""
    data["csrf_token"] = csrf_token(client, f"/sites/{site.id}/documents")
    data.update(changes)
    return data


def test_editor_saves_text_with_invalid_characters_stripped(client, site_world) -> None:
    site = site_world["site"]
    sign_in(client, site_world["editor"])
    data = _form(client, site, purpose="Bones\x00 break\x0b in falls.\x1f")
    response = client.post(f"/sites/{site.id}/documents", data=data)
    assert response.status_code == 302
    narrative = db.session.scalar(db.select(PidNarrative).where(PidNarrative.site_id == site.id))
    assert narrative.purpose == "Bones break in falls."
    assert "Bones break in falls." in "\n".join(p.text for p in _docx(client, site).paragraphs)


def test_too_long_text_is_refused_next_to_the_field_and_kept(client, site_world) -> None:
    site = site_world["site"]
    sign_in(client, site_world["editor"])
    long_text = "A sentence about bones. " * 100  # 2,400 characters, the limit is 1,500
    response = client.post(
        f"/sites/{site.id}/documents", data=_form(client, site, purpose=long_text)
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "must be 1,500 characters or fewer" in html
    assert 'href="#purpose"' in html  # in the error summary
    assert "A sentence about bones. A sentence" in html  # the person's input is kept
    assert db.session.scalar(db.select(db.func.count(PidNarrative.id))) == 0


def test_stale_save_is_a_409(client, site_world, pid_project) -> None:
    site = site_world["site"]
    pid_project(site, tasks=0, people=0)
    sign_in(client, site_world["editor"])
    data = _form(client, site, version="0", aims="Something else")
    response = client.post(f"/sites/{site.id}/documents", data=data)
    assert response.status_code == 409


def test_plain_english_check_advises_without_saving(client, site_world) -> None:
    site = site_world["site"]
    sign_in(client, site_world["editor"])
    long_sentence = "This sentence " + " ".join(["really"] * 30) + " goes on."
    data = _form(client, site, purpose=f"The QRS will help. {long_sentence}", action="check")
    response = client.post(f"/sites/{site.id}/documents", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "QRS" in html
    assert "34 words" in html
    assert "when printed (the guide asks for 2 to 4)" in html
    assert db.session.scalar(db.select(db.func.count(PidNarrative.id))) == 0
    # Advice only: the download still works.
    assert client.get(f"/sites/{site.id}/documents/pid.docx").status_code == 200


def test_only_the_sponsor_records_agreement(client, site_world) -> None:
    site = site_world["site"]
    url = f"/sites/{site.id}/documents/agree"
    sign_in(client, site_world["manager"])
    token = csrf_token(client, f"/sites/{site.id}/documents")
    page = client.get(f"/sites/{site.id}/documents").get_data(as_text=True)
    assert "Only the project sponsor can record" in page
    data = {"number": "v1.0", "agreed_on": "3/3/2026", "csrf_token": token}
    assert client.post(url, data=data).status_code == 403
    sign_in(client, site_world["sponsor"])
    data["csrf_token"] = csrf_token(client, f"/sites/{site.id}/documents")
    assert client.post(url, data=data).status_code == 302
    version = db.session.scalar(db.select(PidVersion).where(PidVersion.site_id == site.id))
    assert (version.number, version.agreed_on) == ("v1.0", date(2026, 3, 3))
    assert version.agreed_by_id == site_world["sponsor"].id
    # The same number again, a bad number and a future date are refused next to the field.
    again = client.post(url, data=data)
    assert again.status_code == 422 and "already been agreed" in again.get_data(as_text=True)
    bad = client.post(url, data=data | {"number": "version one"})
    assert bad.status_code == 422 and "for example v1.0" in bad.get_data(as_text=True)
    future = client.post(url, data=data | {"number": "v1.1", "agreed_on": "1/1/2099"})
    assert future.status_code == 422 and "cannot be in the future" in future.get_data(as_text=True)
    page = client.get(f"/sites/{site.id}/documents").get_data(as_text=True)
    assert "v1.0 agreed by Sponsor Person on 3 Mar 2026" in page
    assert 'value="v1.1"' in page  # the next number is suggested


@pytest.mark.parametrize("path", ["/documents", "/documents/pid.docx"])
def test_pid_queries_do_not_grow(
    client, site_world, make_site, pid_project, count_queries, path
) -> None:
    small_site, large_site = site_world["site"], site_world["other_site"]
    pid_project(small_site, tasks=30, people=20, meetings=6, risks=4, needs=True)
    pid_project(large_site, tasks=300, people=200, meetings=50, risks=40, needs=True)
    sign_in(client, site_world["admin"])
    counts = []
    for site in (small_site, large_site):
        client.get(f"/sites/{site.id}{path}")
        with count_queries() as queries:
            assert client.get(f"/sites/{site.id}{path}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_pid_agreed_check_for_the_start_out_gateway(site_world) -> None:
    from app.documents.service import pid_agreed

    site = site_world["site"]
    assert pid_agreed(site)[0] is False
    db.session.add(
        PidVersion(
            site_id=site.id, number="v1.0", agreed_by_id=site_world["sponsor"].id,
            agreed_on=date(2026, 3, 3),
        )
    )  # fmt: skip
    db.session.commit()
    met, message, link = pid_agreed(site)
    assert met and message == "PID v1.0 agreed on 3 Mar 2026." and link.endswith("/documents#agree")


def test_a_sponsor_with_viewer_access_records_agreement(client, site_world) -> None:
    """The guard refuses changes to viewers, but the sponsor's decision is marked
    @sponsor_required, so a read-only sponsor (an executive) still records it."""
    site = site_world["site"]
    sign_in(client, site_world["viewer_sponsor"])
    page = client.get(f"/sites/{site.id}/documents").get_data(as_text=True)
    assert "Record this version as agreed" in page
    data = {
        "number": "v1.0",
        "agreed_on": "3/3/2026",
        "csrf_token": csrf_token(client, f"/sites/{site.id}/documents"),
    }
    assert client.post(f"/sites/{site.id}/documents/agree", data=data).status_code == 302
    version = db.session.scalar(db.select(PidVersion).where(PidVersion.site_id == site.id))
    assert version.agreed_by_id == site_world["viewer_sponsor"].id
    # Everything else stays read-only for them.
    edit = client.post(f"/sites/{site.id}/documents", data={"csrf_token": data["csrf_token"]})
    assert edit.status_code == 403
