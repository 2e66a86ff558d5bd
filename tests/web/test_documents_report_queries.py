"""The documents' combined statements read exactly what each feature's own query reads: the
report's plan, open actions, risk lists and KPI targets, and the PID's meeting calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select

from app.core.dates import london_to_utc, today
from app.demo import seed_bench
from app.documents import raid, report_queries
from app.documents.queries import plan_columns, plan_tasks, site_facts, upcoming_meetings
from app.extensions import db
from app.kpis.models import KpiTarget
from app.kpis.service import targets_for
from app.meetings import queries as meeting_queries
from app.meetings.models import MEETING_KINDS, Action, Meeting
from app.people.models import Group, Person
from app.risks import queries as risk_queries
from app.risks.models import Mitigation, RaidEntry


def _awkward_site():  # noqa: ANN202 - a site with every case the combined statements meet
    site = seed_bench(1, 36)[0]
    db.session.flush()
    tasks = plan_tasks(site.id)
    meeting = db.session.scalar(select(Meeting).where(Meeting.site_id == site.id).limit(1))
    owner = db.session.scalar(select(Person).where(Person.site_id == site.id).limit(1))
    day = today()
    actions = [
        # two open actions on one task, one on another, one on none, one done, one undated
        (tasks[3].id, day - timedelta(days=3), "open", None),
        (tasks[3].id, day + timedelta(days=2), "open", owner),
        (tasks[10].id, day - timedelta(days=3), "open", None),
        (None, day + timedelta(days=9), "open", None),
        (tasks[5].id, day, "done", owner),
        (tasks[0].id, None, "open", None),
    ]
    for task_id, due, status, who in actions:
        db.session.add(
            Action(
                site_id=site.id,
                meeting_id=meeting.id,
                description=f"Action due {due}",
                task_id=task_id,
                due_date=due,
                status=status,
                owner_id=who.id if who else None,
            )
        )
    for number in range(7):  # more issues than the report lists, severities tied
        db.session.add(
            RaidEntry(
                site_id=site.id,
                kind="issue",
                title=f"Issue {number}",
                status="open",
                severity=("high", "critical", None, "low")[number % 4],
                raised_on=date(2026, 1, 1 + number % 3),
            )
        )
    for number in range(4):  # decisions with and without a deadline
        db.session.add(
            RaidEntry(
                site_id=site.id,
                kind="decision",
                title=f"Decision {number}",
                status="proposed",
                decide_by=None if number % 2 else day + timedelta(days=10 - number),
            )
        )
    for number in range(8):  # risks: ties, unscored, one with a mitigating task
        entry = RaidEntry(
            site_id=site.id,
            kind="risk",
            title=f"Risk {number}",
            status="open",
            likelihood=None if number == 2 else 1 + number % 3,
            impact=None if number == 2 else 3,
        )
        db.session.add(entry)
        if number == 1:
            db.session.flush()
            db.session.add(
                Mitigation(
                    site_id=site.id, entry_id=entry.id, description="Plan it", task_id=tasks[3].id
                )
            )
    db.session.add(KpiTarget(site_id=site.id, kpi_number=2, target=70.0))
    db.session.commit()
    return site


def test_report_plan_reads_the_plan_and_the_action_log(app) -> None:
    site = _awkward_site()
    plan = report_queries.report_plan(site.id, today())
    db.session.expunge_all()
    expected_tasks = [task.id for task in plan_tasks(site.id)]
    expected_actions = [action.id for action in meeting_queries.open_actions(site.id)]
    assert [task.id for task in plan.tasks] == expected_tasks
    assert [action.id for action in plan.actions] == expected_actions
    assert len(expected_actions) >= 5
    assert plan.facts.kpi_targets == targets_for(site.id)


def test_report_plan_of_an_empty_site_still_has_its_facts(app, make_site) -> None:
    site = make_site()
    plan = report_queries.report_plan(site.id, today())
    assert plan.tasks == [] and plan.actions == [] and plan.facts.kpi_targets == {}
    assert plan.facts.last_steering is None and set(plan.facts.gateways)


def test_report_plan_lists_open_actions_of_a_site_with_no_plan(app, make_site) -> None:
    """The open actions are joined to their tasks, not carried on the first task's row: a
    site with no tasks still lists its open actions, and its facts."""
    site = make_site()
    starts = london_to_utc(datetime.combine(today(), time(9, 0)))
    meeting = Meeting(
        site_id=site.id, kind="other", title="Kick-off", starts_at=starts, ends_at=starts
    )
    db.session.add(meeting)
    db.session.flush()
    for description, status in (("Book the room", "open"), ("Send notes", "done")):
        db.session.add(
            Action(site_id=site.id, meeting_id=meeting.id, description=description, status=status)
        )
    db.session.add(KpiTarget(site_id=site.id, kpi_number=2, target=70.0))
    db.session.commit()
    plan = report_queries.report_plan(site.id, today())
    assert plan.tasks == []
    assert [action.description for action in plan.actions] == ["Book the room"]
    assert plan.facts.kpi_targets == {2: 70.0}


def test_report_risk_lists_match_the_risk_log(app) -> None:
    site = _awkward_site()
    lists = raid.report_raid(site.id)
    db.session.expunge_all()
    risks = risk_queries.top_risks(site.id, 5, raid.WITH_MITIGATIONS)
    issues = risk_queries.open_issues(site.id, raid.WITH_MITIGATIONS)[:5]
    decisions = risk_queries.decisions_needed(site.id)
    assert [row.title for row in lists["risks"]] == [e.title for e in risks]
    assert [row.title for row in lists["issues"]] == [e.title for e in issues]
    assert [row.title for row in lists["decisions"]] == [e.title for e in decisions]
    assert lists["risks"] + lists["issues"] == raid._raid_rows(risks + issues)
    assert len(lists["issues"]) == 5 and len(decisions) >= 4


def test_pid_calendar_of_an_empty_plan(app, make_site) -> None:
    site = make_site()
    starts = london_to_utc(datetime.combine(today(), time(15, 0)))
    db.session.add(
        Meeting(site_id=site.id, kind="other", title="Kick-off", starts_at=starts, ends_at=starts)
    )
    db.session.commit()
    tasks, meetings = plan_columns(site.id), upcoming_meetings(site.id, today())
    assert tasks == [] and [row.title for row in meetings] == ["Kick-off"]


def test_pid_calendar_is_the_next_six_meetings_not_cancelled(app) -> None:
    site = seed_bench(1, 12)[0]
    db.session.flush()
    now = london_to_utc(datetime.combine(today(), time(9, 0)))
    group = db.session.scalar(select(Group).where(Group.site_id == site.id).limit(1))
    db.session.execute(delete(Meeting).where(Meeting.site_id == site.id))
    for number in range(9):
        starts = now + timedelta(days=number // 2 - 1)  # yesterday's pair, then two a day
        db.session.add(
            Meeting(
                site_id=site.id,
                kind=("steering_group", "project_team", "other")[number % 3],
                title=f"Meeting {number}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                cancelled=number == 4,
                group_id=group.id if number % 2 else None,
            )
        )
    db.session.commit()
    facts = site_facts(site.id, today())
    tasks, meetings = plan_columns(site.id), upcoming_meetings(site.id, today())
    assert [task.id for task in tasks] == [task.id for task in plan_tasks(site.id)]
    titles = [row.title for row in meetings]
    assert titles == ["Meeting 2", "Meeting 3", "Meeting 5", "Meeting 6", "Meeting 7", "Meeting 8"]
    assert facts.meetings_total == 6
    by_title = {row.title: row for row in meetings}
    assert by_title["Meeting 3"].group == group.name
    assert by_title["Meeting 2"].group == MEETING_KINDS["other"]
    assert by_title["Meeting 6"].group == MEETING_KINDS["steering_group"]
    assert by_title["Meeting 2"].time == "09:00–10:00"
