"""The daily run (`flask send-reminders`): each owner's digest and the agendas due out.

Running it twice on one day queues nothing new: a digest's key is its user and day, an
agenda's its meeting and person.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.core.cleantext import plain_text
from app.core.dates import london_to_utc, to_london, uk_date
from app.extensions import db
from app.gateways.models import DECISIONS
from app.meetings.models import Invitee, Meeting
from app.notifications.compose import Draft, external_url
from app.notifications.invitations import agenda_draft
from app.notifications.outbox import (
    Queued,
    frequencies,
    keys_used,
    person_recipients,
    queue_many,
    user_recipients,
)
from app.notifications.queries import WorkItem, decisions_since, reviews_waiting, work_due
from app.sites.models import Site
from app.toolkit import get_toolkit

DUE_SOON_DAYS = 7
MAX_NOTICE_DAYS = 30
WEEKLY_DAY = 0  # Monday


def _work_lines(items: list[WorkItem], on: date) -> list[str]:
    lines = []
    for title, wanted in (("Overdue", True), ("Due in the next 7 days", False)):
        chosen = [item for item in items if item.overdue(on) == wanted]
        if chosen:
            lines += ["", f"{title}:"]
            for item in chosen:
                what = "Task" if item.kind == "task" else "Action"
                lines.append(
                    f"- {what}: {plain_text(item.title)} ({plain_text(item.site_name)}, "
                    f"due {uk_date(item.due_date)})"
                )
                lines.append(f"  {item_link(item)}")
    return lines


def item_link(item: WorkItem) -> str:
    """The page of one task, or the action's row in its site's action log."""
    if item.kind == "task":
        return external_url("sites.plan.task", site_id=item.site_id, task_id=item.id)
    return external_url("sites.meetings.actions", site_id=item.site_id) + f"#action-{item.id}"


def _weekly_lines(reviews: list, decisions: list[tuple]) -> list[str]:
    toolkit = get_toolkit()
    lines = []
    if reviews:
        lines += ["", "Waiting for you to sign or agree:"]
        for review in reviews:
            lines.append(f"- {review.label} ({plain_text(review.site_name)})")
            lines.append(f"  {review.link}")
    if decisions:
        lines += ["", "Gateway decisions this week:"]
        for site_id, name, phase, action in decisions:
            lines.append(
                f"- {toolkit.phase(phase).label}: {DECISIONS.get(action, action).lower()} "
                f"({plain_text(name)})"
            )
            lines.append(
                f"  {external_url('sites.gateways.show', site_id=site_id, phase_no=phase)}"
            )
    return lines


def queue_digests(on: date) -> int:
    """One digest per user for the day: users who chose "straight away" hear about their
    overdue and soon-due work daily; weekly readers get everything on Mondays."""
    items = work_due(on + timedelta(days=DUE_SOON_DAYS))
    by_user: dict[int, list[WorkItem]] = defaultdict(list)
    for item in items:
        by_user[item.user_id].append(item)
    weekly = on.weekday() == WEEKLY_DAY
    user_ids = set(by_user)
    if weekly:
        user_ids |= {uid for uid, f in frequencies_all().items() if f == "weekly"}
    if not user_ids:
        return 0
    users = list(db.session.scalars(select(User).where(User.id.in_(user_ids)).order_by(User.id)))
    reviews = reviews_waiting(list(user_ids)) if weekly else {}
    since = london_to_utc(datetime.combine(on - timedelta(days=7), time()))
    decisions = decisions_since(list(user_ids), since) if weekly else {}
    entries = []
    for frequency in ("immediate", "weekly") if weekly else ("immediate",):
        for recipient in user_recipients(users, frequency):
            uid = recipient.user_id
            lines = _work_lines(by_user.get(uid, []), on)
            if frequency == "weekly":
                lines += _weekly_lines(reviews.get(uid, []), decisions.get(uid, []))
            if not lines:
                continue
            text = "\n".join(["What is waiting for you in the FLS Tracker:", *lines])
            subject = f"Your FLS Tracker reminders for {uk_date(on)}"
            key = f"digest:{uid}:{on.isoformat()}"
            home = external_url("home.index")
            draft = Draft(subject, text, link=home, button="Open your home page")
            entries.append(Queued(None, "digest", recipient, draft, "digest", key))
    return queue_many(entries)


def frequencies_all() -> dict[int, str]:
    """Every active user's choice (no saved choice: straight away)."""
    ids = list(db.session.scalars(select(User.id).where(User.active.is_(True))))
    return frequencies(ids)


def queue_agendas(now: datetime) -> int:
    """Agendas of meetings starting within their site's notice period, once per invitee.

    In bulk: a fixed number of statements for the run, plus one for each agenda document
    built (its carried-forward actions); each document is stored once for all its
    invitees, and built only when someone still waits for it."""
    meetings = db.session.scalars(
        select(Meeting)
        .join(Site, Site.id == Meeting.site_id)
        .where(
            Meeting.cancelled.is_(False),
            Meeting.starts_at > now,
            Meeting.starts_at <= now + timedelta(days=MAX_NOTICE_DAYS + 1),
        )
        .options(
            selectinload(Meeting.invitees).joinedload(Invitee.person),
            selectinload(Meeting.agenda),
            joinedload(Meeting.chair),
        )
        .order_by(Meeting.starts_at)
    ).all()
    sites = {
        site_id: (name, notice)
        for site_id, name, notice in db.session.execute(
            select(Site.id, Site.name, Site.agenda_notice_days)
        )
    }
    today = to_london(now).date()
    due = [
        meeting
        for meeting in meetings
        if meeting.agenda
        and (to_london(meeting.starts_at).date() - today).days <= sites[meeting.site_id][1]
    ]
    people = [invitee.person for meeting in due for invitee in meeting.invitees]
    reachable = {r.person_id: r for r in person_recipients(people)}
    wanted = {
        meeting: [reachable[i.person_id] for i in meeting.invitees if i.person_id in reachable]
        for meeting in due
    }
    used = keys_used(
        [f"agenda:{m.id}:{r.person_id}" for m, recipients in wanted.items() for r in recipients]
    )
    entries = []
    for meeting, recipients in wanted.items():
        pending = [r for r in recipients if f"agenda:{meeting.id}:{r.person_id}" not in used]
        if not pending:
            continue  # everyone has it: no need to build the document again
        draft = agenda_draft(meeting, sites[meeting.site_id][0])
        entries += [
            Queued(
                meeting.site_id,
                "agenda",
                r,
                draft,
                "meetings",
                f"agenda:{meeting.id}:{r.person_id}",
            )
            for r in pending
        ]
    return queue_many(entries)


def send_reminders(now: datetime) -> tuple[int, int]:
    """(digests, agendas) queued; the caller commits."""
    return queue_digests(to_london(now).date()), queue_agendas(now)
