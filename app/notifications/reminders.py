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
from app.notifications.invitations import queue_agenda
from app.notifications.outbox import frequencies, queue, user_recipients
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
    count = 0
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
            if queue(None, "digest", recipient, draft, "digest", once_key=key):
                count += 1
    return count


def frequencies_all() -> dict[int, str]:
    """Every active user's choice (no saved choice: straight away)."""
    ids = list(db.session.scalars(select(User.id).where(User.active.is_(True))))
    return frequencies(ids)


def queue_agendas(now: datetime) -> int:
    """Agendas of meetings starting within their site's notice period, once per invitee."""
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
    notice = dict(db.session.execute(select(Site.id, Site.agenda_notice_days)).all())
    today = to_london(now).date()
    count = 0
    for meeting in meetings:
        days_before = (to_london(meeting.starts_at).date() - today).days
        if meeting.agenda and days_before <= notice.get(meeting.site_id, 5):
            count += queue_agenda(meeting)
    return count


def send_reminders(now: datetime) -> tuple[int, int]:
    """(digests, agendas) queued; the caller commits."""
    return queue_digests(to_london(now).date()), queue_agendas(now)
