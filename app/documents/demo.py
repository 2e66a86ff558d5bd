"""Demo PIDs: each site's narrative, agreed versions, and a due-date change for the report.

Runs after the plan's demo step: it moves one open task's due date at the riverside site as
the project manager, so the highlight report has a change since the last steering meeting.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.core.audit import AuditEvent
from app.documents.fingerprint import content_fingerprint, load_agreed_content
from app.documents.models import PidNarrative, PidVersion
from app.extensions import db
from app.plan.models import Task
from app.sites.demo import DemoContext
from app.toolkit.models import fls_db_covers

# site key: agreed version and months ago it was agreed (None: not agreed yet)
AGREED = {"riverside": ("v1.0", 4), "afon": ("v1.1", 6), "glenmoor": ("v1.2", 10),
          "meadowbank": ("v2.0", 15), "loughshore": None}  # fmt: skip


def _narrative(
    site_name: str, population: int | None, improving: bool, fls_db: bool = True
) -> dict[str, str]:
    # The FLS-DB does not cover Scotland: a Scottish service audits its own data.
    audit = (
        "- Send our data to the national FLS audit (FLS-DB) every month"
        if fls_db
        else "- Record every patient's data and review our results every month"
    )
    people = f"about {population:,} people aged 50 or over" if population else "our population"
    change = (
        "Our service already sees people with hip fractures. We now want to reach everyone "
        "with a fragility fracture, including broken wrists, arms and spines."
        if improving
        else "At the moment nobody checks most of these patients for weak bones. "
        "Many go on to break another bone, often a hip."
    )
    return {
        "purpose": (
            "When someone aged 50 or over breaks a bone in a simple fall, it is often the "
            "first sign of osteoporosis. Treatment cuts the chance of another hip fracture by "
            "about two fifths, and of other fractures by about a quarter. "
            f"{change}\n\n"
            f"{site_name} will serve {people}. A fracture liaison service (FLS) finds these "
            "patients, checks their bones and their risk of falling, and starts treatment. "
            "It then follows them up so the first fracture is the last."
        ),
        "aims": (
            "- Find at least 8 in every 10 people aged 50 or over who break a bone\n"
            "- Check their bone health and falls risk within 3 months\n"
            "- Recommend bone treatment for at least half of them\n"
            "- Follow every patient up at 12 to 16 weeks and again at one year\n"
            f"{audit}"
        ),
        "scope_in": (
            "Adults aged 50 or over registered with a local GP who break a bone in a fall "
            "from standing height or less. This includes patients seen in the emergency "
            "department, fracture clinic, wards and by their GP."
        ),
        "scope_out": (
            "Children and younger adults. Fractures caused by major trauma such as car "
            "accidents. Long-term care of osteoporosis, which stays with GPs."
        ),
        "get_involved": (
            "We want to hear from patients, carers and staff. Join the stakeholder reference "
            "group, which meets every two months, or tell us about your own experience of "
            "care after a fracture. You can also comment on this document."
        ),
        "contact_name": "The FLS project manager",
        "contact_details": "fls.project@example.nhs.uk",
    }


def demo_documents(ctx: DemoContext) -> None:
    for key, site in ctx.sites.items():
        text = _narrative(
            site.name,
            site.population_50_plus,
            site.service_status != "new",
            fls_db_covers(site.nation),
        )
        narrative = PidNarrative(site_id=site.id, **text)
        db.session.add(narrative)
        db.session.flush()
        agreed = AGREED.get(key)
        sponsor = ctx.users.get("sponsor")
        if agreed and sponsor is not None:
            number, months = agreed
            db.session.add(
                PidVersion(
                    site_id=site.id,
                    number=number,
                    agreed_by_id=sponsor.id,
                    agreed_on=ctx.today - timedelta(days=30 * months),
                    # The narrative was written before it was agreed: this version is current.
                    generated_at=narrative.updated_at + timedelta(seconds=1),
                    content_hash=content_fingerprint(load_agreed_content(site, ctx.today)),
                )
            )
    db.session.flush()
    _move_a_due_date(ctx)


def _move_a_due_date(ctx: DemoContext) -> None:
    """The project manager moves an open task's due date by six weeks, today."""
    site, manager = ctx.sites.get("riverside"), ctx.users.get("pm")
    if site is None or manager is None:
        return
    task = db.session.scalars(
        select(Task)
        .where(
            Task.site_id == site.id,
            Task.status.in_(("in_progress", "not_started", "blocked")),
            Task.due_date.is_not(None),
            Task.due_date >= ctx.today,
        )
        .order_by(Task.due_date, Task.id)
        .limit(1)
    ).first()
    if task is None:
        return
    before = db.session.scalar(select(db.func.max(AuditEvent.id))) or 0
    task.due_date = task.due_date + timedelta(weeks=6)
    db.session.flush()
    # The audit listener records who made a change from the signed-in user; the demo has
    # nobody signed in, so the rows it just wrote are credited to the project manager.
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.id > before, AuditEvent.object_type == "task")
        .values(user_id=manager.id)
    )
