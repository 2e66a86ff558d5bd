"""Demo meetings for the demo sites, and the meetings share of the benchmark load."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.core.dates import london_to_utc
from app.extensions import db
from app.meetings.models import STANDING_ITEMS, Action, AgendaItem, Invitee, Meeting
from app.meetings.series import series_days
from app.people.models import Group, Person


def _at(day: date, hour: int, minutes: int = 0) -> datetime:
    return london_to_utc(datetime.combine(day, time(hour, minutes)))


def _meeting(
    site_id: int,
    kind: str,
    title: str,
    day: date,
    group: Group | None,
    people: list[Person],
    **extra,
) -> Meeting:
    members = {m.person_id for m in group.members} if group else set()
    meeting = Meeting(
        site_id=site_id,
        kind=kind,
        title=title,
        starts_at=_at(day, 14),
        ends_at=_at(day, 15, 30),
        location="Education Centre, Room 2",
        group_id=group.id if group else None,
        chair_id=people[0].id if people else None,
        minute_taker_id=people[1].id if len(people) > 1 else None,
        **extra,
    )
    meeting.invitees = [
        Invitee(site_id=site_id, person_id=p.id) for p in people if p.id in members or not group
    ]
    meeting.agenda = [
        AgendaItem(site_id=site_id, position=n, title=t, minutes_allotted=m, standing_key=k)
        for n, (k, t, m) in enumerate(STANDING_ITEMS, start=1)
    ]
    db.session.add(meeting)
    return meeting


def _site_people(site_id: int) -> tuple[list[Person], dict[str, Group]]:
    people = list(
        db.session.scalars(
            select(Person)
            .where(Person.site_id == site_id, Person.erased.is_(False))
            .order_by(Person.id)
        )
    )
    groups = {
        g.kind: g
        for g in db.session.scalars(
            select(Group).where(Group.site_id == site_id).order_by(Group.id)
        )
    }
    return people, groups


ACTION_TEXTS = [
    "Confirm the clinical champion's sessions in the job plan",
    "Send the draft PID to the reference group for comments",
    "Ask the information team for last year's hip fracture admissions",
    "Book the pathway mapping workshop with ED and orthopaedics",
    "Share the outline service model with the commissioner",
    "Find two patients or carers to join the improvement team",
]


def seed_meetings(ctx) -> None:  # noqa: ANN001 - app.sites.demo.DemoContext
    for key, site in ctx.sites.items():
        people, groups = _site_people(site.id)
        steering = groups.get("steering_group")
        today = ctx.today
        # Three past monthly steering groups: two with minutes out the same day, one late.
        past = []
        for n, late_days in ((3, 0), (2, 4), (1, 0)):
            day = today - timedelta(days=30 * n)
            meeting = _meeting(
                site.id, "steering_group", "FLS steering group", day, steering, people
            )
            meeting.minutes_issued_at = _at(day + timedelta(days=late_days), 17)
            for inv in meeting.invitees:
                inv.attendance = ctx.rng.choice(["present", "present", "present", "apologies"])
            meeting.agenda[3].notes = "Progress reviewed against the plan; the team is on track."
            meeting.agenda[3].decisions = "Agreed to keep monthly meetings for the next phase."
            past.append(meeting)
        # Monthly steering groups booked six months ahead, on the same weekday each month.
        first = today + timedelta(days=(1 - today.weekday()) % 7 or 7)  # next Tuesday
        for day in series_days(first, "monthly", 6):
            _meeting(site.id, "steering_group", "FLS steering group", day, steering, people)
        if key == "riverside" or "reference_group" in groups:
            day = today - timedelta(days=45)
            ref = _meeting(
                site.id,
                "reference_group",
                "Stakeholder reference group: first meeting",
                day,
                groups.get("reference_group"),
                people,
            )
            ref.minutes_issued_at = _at(day, 18)
            ref.agenda[3].notes = "The PID and the case for an FLS were presented and discussed."
        db.session.flush()
        if not people:
            continue  # no people: nothing person-related to add
        # Done, overdue and open actions from the past meetings.
        for n, text in enumerate(ACTION_TEXTS):
            meeting = past[n % len(past)]
            status = "done" if n % 3 == 0 else "open"
            due = today + timedelta(days=(-10 if n % 3 == 1 else 14) + n)
            db.session.add(
                Action(
                    site_id=site.id,
                    meeting_id=meeting.id,
                    description=text,
                    owner_id=people[n % len(people)].id,
                    due_date=due,
                    status=status,
                    completed_on=today - timedelta(days=3) if status == "done" else None,
                )
            )
    db.session.flush()


def bench_meetings(ctx) -> None:  # noqa: ANN001 - app.sites.demo.BenchContext
    """tasks/10 meetings, half past and half ahead, each with agenda items and two actions."""
    site = ctx.site
    people, groups = _site_people(site.id)
    group = next(iter(groups.values()), None)
    if group is not None:
        group.members  # noqa: B018 - load members once, before the loop
    count = max(ctx.tasks // 10, 1)
    start = ctx.today - timedelta(days=14 * (count // 2))
    for n in range(count):
        day = start + timedelta(days=14 * n)
        meeting = _meeting(
            site.id,
            ctx.rng.choice(["steering_group", "project_team"]),
            f"Project meeting {n + 1}",
            day,
            group,
            people,
        )
        if day < ctx.today:
            meeting.minutes_issued_at = _at(day + timedelta(days=ctx.rng.choice([0, 0, 1, 3])), 17)
        # By relationship, not id: the site's meetings and actions are one flush.
        for k in range(2):
            db.session.add(
                Action(
                    site_id=site.id,
                    meeting=meeting,
                    description=f"Follow up item {k + 1} from meeting {n + 1}",
                    owner_id=ctx.rng.choice(people).id if people else None,
                    due_date=day + timedelta(days=14),
                    status="done" if day + timedelta(days=14) < ctx.today and k else "open",
                )
            )
    db.session.flush()
