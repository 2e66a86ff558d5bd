"""Linking accounts to People entries and merging duplicates: nothing is lost."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.extensions import db
from app.meetings.models import Action, Invitee, Meeting
from app.people.merge import apply_merge, plan_merge
from app.people.models import Group, GroupMember, Person
from app.plan.models import Task
from app.risks.models import RaidEntry


def _person(site, name: str, email: str, **extra) -> Person:
    person = Person(site_id=site.id, name=name, email=email, **extra)
    db.session.add(person)
    db.session.flush()
    return person


def _world(site, manager) -> dict:
    """Three entries for one human (emails differing in case), one linked to the account."""
    linked = _person(site, "Manager Person", "", user_id=manager.id)
    first = _person(site, "M. Person", manager.email.upper(), phone="01632 960 001")
    second = _person(site, "Manny Person", f" {manager.email} ", job_title="Project manager")
    other = _person(site, "Someone Else", "else@example.nhs.uk")
    team = Group(site_id=site.id, kind="project_team", name="Project team")
    db.session.add(team)
    db.session.flush()
    for person in (linked, first):
        db.session.add(
            GroupMember(
                site_id=site.id, group_id=team.id, person_id=person.id, team_role="project-manager"
            )
        )
    db.session.add(
        GroupMember(
            site_id=site.id, group_id=team.id, person_id=second.id, team_role="data-analyst"
        )
    )
    start = datetime(2026, 3, 2, 10, tzinfo=UTC).replace(tzinfo=None)
    meeting = Meeting(
        site_id=site.id, title="Team", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    db.session.add(meeting)
    db.session.flush()
    db.session.add_all(
        [
            Invitee(site_id=site.id, meeting_id=meeting.id, person_id=linked.id),
            Invitee(
                site_id=site.id, meeting_id=meeting.id, person_id=first.id, attendance="present"
            ),
            Task(site_id=site.id, phase=1, title="Find a champion", owner_id=first.id),
            Task(site_id=site.id, phase=1, title="Count fractures", owner_id=second.id),
            Action(site_id=site.id, description="Book a room", owner_id=second.id),
            RaidEntry(site_id=site.id, kind="risk", title="No data", owner_id=first.id),
        ]
    )
    db.session.commit()
    first.phone = "01632 960 002"  # a history row about a duplicate
    db.session.commit()
    return {"linked": linked, "first": first, "second": second, "other": other, "team": team}


def test_duplicates_merge_into_the_linked_person_and_nothing_is_lost(site_world) -> None:
    site, manager = site_world["site"], site_world["manager"]
    world = _world(site, manager)
    keeper_id = world["linked"].id
    dup_ids = {world["first"].id, world["second"].id}
    history_before = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.object_type == "person")
    )

    plan = plan_merge(db.session.connection())
    assert [(m.keeper_id, set(m.duplicate_ids)) for m in plan.merges] == [(keeper_id, dup_ids)]
    report = "\n".join(plan.report_lines())
    assert f"keep person #{keeper_id}" in report and "tasks.owner_id: 2" in report
    assert manager.email not in report.lower()  # ids only, no personal data
    # Every member of the site without an entry gets one; the manager already has one.
    assert (site.id, manager.id) not in plan.creates
    assert (site.id, site_world["viewer"].id) in plan.creates
    assert db.session.scalar(select(func.count()).select_from(Person)) == 4  # a dry run

    apply_merge(db.session.connection(), plan)
    db.session.commit()
    db.session.expire_all()

    assert db.session.scalars(select(Person.id).where(Person.id.in_(dup_ids))).all() == []
    keeper = db.session.get(Person, keeper_id)
    assert keeper.user_id == manager.id
    assert keeper.phone == "01632 960 002" and keeper.job_title == "Project manager"
    owners = db.session.scalars(select(Task.owner_id)).all()
    assert owners == [keeper_id, keeper_id]
    assert db.session.scalar(select(Action.owner_id)) == keeper_id
    assert db.session.scalar(select(RaidEntry.owner_id)) == keeper_id
    # Both were invited: one invitation is kept, with the attendance the duplicate had.
    invitees = db.session.scalars(select(Invitee)).all()
    assert [(i.person_id, i.attendance) for i in invitees] == [(keeper_id, "present")]
    roles = db.session.scalars(
        select(GroupMember.team_role).where(GroupMember.person_id == keeper_id)
    ).all()
    assert sorted(roles) == ["data-analyst", "project-manager"]
    history_after = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.object_type == "person", AuditEvent.action != "merge")
    )
    assert history_after == history_before  # no history row lost...
    assert (
        db.session.scalar(
            select(func.count()).where(
                AuditEvent.object_type == "person", AuditEvent.object_id.in_(dup_ids)
            )
        )
        == 0
    )  # ...and the duplicates' rows now belong to the person kept
    assert db.session.get(Person, world["other"].id).name == "Someone Else"
    viewer = db.session.scalar(
        select(Person).where(Person.site_id == site.id, Person.user_id == site_world["viewer"].id)
    )
    assert viewer.name == "Viewer Person" and viewer.email == site_world["viewer"].email
    assert plan_merge(db.session.connection()).empty  # running it again changes nothing


def test_an_unlinked_entry_with_the_members_email_is_linked(site_world) -> None:
    site, editor = site_world["site"], site_world["editor"]
    person = _person(site, "Ed Itor", editor.email.title())
    db.session.commit()
    plan = plan_merge(db.session.connection())
    assert (site.id, person.id, editor.id) in plan.links
    apply_merge(db.session.connection(), plan)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Person, person.id).user_id == editor.id


def test_people_linked_to_different_accounts_are_not_merged(site_world) -> None:
    site = site_world["site"]
    _person(site, "A", "shared@example.nhs.uk", user_id=site_world["viewer"].id)
    _person(site, "B", "shared@example.nhs.uk", user_id=site_world["editor"].id)
    db.session.commit()
    plan = plan_merge(db.session.connection())
    assert plan.merges == [] and len(plan.conflicts) == 1


def test_merge_report_is_a_dry_run_until_applied(app, site_world) -> None:
    site = site_world["site"]
    _person(site, "Dup One", "dup@example.nhs.uk")
    _person(site, "Dup Two", "DUP@example.nhs.uk")
    db.session.commit()
    runner = app.test_cli_runner()
    report = runner.invoke(args=["people", "merge-report"])
    assert report.exit_code == 0, report.output
    assert "1 duplicate group(s) to merge" in report.output and "--apply" in report.output
    assert "dup@example" not in report.output.lower()
    assert db.session.scalar(select(func.count()).select_from(Person)) == 2
    applied = runner.invoke(args=["people", "merge-report", "--apply"])
    assert applied.exit_code == 0 and "Done." in applied.output
    db.session.expire_all()
    emails = db.session.scalars(select(Person.email).where(Person.user_id.is_(None))).all()
    assert emails == ["dup@example.nhs.uk"]


def test_create_user_with_a_temporary_password_must_change_it(app) -> None:
    from app.accounts.models import User

    result = app.test_cli_runner().invoke(
        args=["create-user", "temp@example.nhs.uk", "--name", "Temp", "--temporary"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.must_change_password).where(User.name == "Temp"))
