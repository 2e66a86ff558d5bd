"""Demo RAID entries for the demo sites, and the benchmark's share of risks."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.extensions import db
from app.people.models import Person
from app.plan.models import Task
from app.risks.models import KINDS, Mitigation, RaidEntry
from app.risks.starters import STARTERS_BY_KEY

if TYPE_CHECKING:
    from app.sites.demo import BenchContext, DemoContext


def _people(site_id: int) -> list[Person]:
    return list(
        db.session.scalars(
            select(Person)
            .where(Person.site_id == site_id, Person.erased.is_(False))
            .order_by(Person.id)
        )
    )


def _task_like(site_id: int, word: str) -> int | None:
    return db.session.scalar(
        select(Task.id).where(Task.site_id == site_id, Task.title.ilike(f"%{word}%")).limit(1)
    )


def _owner(people: list[Person], *words: str) -> int | None:
    """The first person whose job title mentions one of the words, else anyone, else nobody."""
    for word in words:
        for person in people:
            if word in person.job_title.lower():
                return person.id
    return people[0].id if people else None


def demo_risks(ctx: DemoContext) -> None:
    riverside = ctx.sites["riverside"]
    people = _people(riverside.id)
    on = ctx.today
    funding = STARTERS_BY_KEY["funding"]
    entries = [
        RaidEntry(
            kind="risk",
            title=funding.title,
            description=funding.description,
            starter_key="funding",
            phase=4,
            status="open",
            likelihood=4,
            impact=5,
            review_on=on + timedelta(days=14),
            owner_id=_owner(people, "sponsor", "director"),
            raised_on=on - timedelta(days=120),
        ),
        RaidEntry(
            kind="issue",
            title="DXA waiting time over 10 weeks for FLS referrals",
            description="Radiology has one scanner for the whole trust and no spare sessions; "
            "FLS patients wait behind routine referrals.",
            phase=5,
            status="open",
            severity="high",
            action="Radiology manager asked for two extra FLS sessions a week; interim triage "
            "by FRAX score so the highest-risk patients are scanned first.",
            review_on=on - timedelta(days=5),
            owner_id=_owner(people, "radiolog", "nurse"),
            raised_on=on - timedelta(days=40),
        ),
        RaidEntry(
            kind="decision",
            title="Approve a 12-month pilot of the service the business case recommends",
            description="Staff and funding as the business case sets them out, from the "
            "trust's transformation budget until the ICB decides.",
            phase=4,
            status="proposed",
            decider="FLS steering group",
            decide_by=on + timedelta(days=21),
            review_on=on + timedelta(days=21),
            owner_id=_owner(people, "project manager", "manager"),
            raised_on=on - timedelta(days=10),
        ),
        RaidEntry(
            kind="risk",
            title=STARTERS_BY_KEY["workforce"].title,
            description=STARTERS_BY_KEY["workforce"].description,
            starter_key="workforce",
            phase=5,
            status="open",
            likelihood=3,
            impact=4,
            residual_likelihood=2,
            residual_impact=4,
            review_on=on + timedelta(days=30),
            owner_id=_owner(people, "nurse"),
            raised_on=on - timedelta(days=120),
        ),
        RaidEntry(
            kind="dependency",
            title="Fracture clinic lists from the orthopaedic system",
            description="Case finding depends on a daily list of fracture clinic attendances "
            "from the orthopaedic team's system.",
            phase=2,
            status="open",
            review_on=on + timedelta(days=45),
            owner_id=_owner(people, "analyst", "data"),
            raised_on=on - timedelta(days=90),
        ),
        RaidEntry(
            kind="assumption",
            title="GP practices will prescribe on FLS recommendation",
            description="The model assumes practices start treatment within four weeks of "
            "our letter; to be checked with the primary-care lead.",
            phase=2,
            status="open",
            review_on=on + timedelta(days=60),
            owner_id=_owner(people, "gp", "champion"),
            raised_on=on - timedelta(days=90),
        ),
        RaidEntry(
            kind="decision",
            title="Use the national FLS database from day one",
            phase=2,
            status="agreed",
            decider="Project team",
            decide_by=on - timedelta(days=70),
            outcome="Agreed: all patients recorded in "
            "FLS-DB from the first clinic; the analyst sets up the upload.",
            decided_on=on - timedelta(days=75),
            owner_id=_owner(people, "analyst"),
            raised_on=on - timedelta(days=100),
        ),
    ]
    for entry in entries:
        entry.site_id = riverside.id
        db.session.add(entry)
    db.session.flush()
    db.session.add_all(
        [
            Mitigation(
                site_id=riverside.id,
                entry_id=entries[0].id,
                description="Present the business case to the ICB's planned-care board with the "
                "hip-fracture savings estimate.",
                task_id=_task_like(riverside.id, "business case"),
            ),
            Mitigation(
                site_id=riverside.id,
                entry_id=entries[3].id,
                done=True,
                description="Advertise the post as a development role open to band 6 nurses.",
                task_id=_task_like(riverside.id, "recruit"),
            ),
        ]
    )
    for key in ("glenmoor", "afon", "loughshore", "meadowbank"):
        site = ctx.sites[key]
        owner = _owner(_people(site.id), "manager", "champion")
        for number, starter_key in enumerate(("dxa", "data", "primary_care")):
            starter = STARTERS_BY_KEY[starter_key]
            db.session.add(
                RaidEntry(
                    site_id=site.id,
                    kind="risk",
                    title=starter.title,
                    description=starter.description,
                    starter_key=starter_key,
                    phase=starter.phase,
                    status="open",
                    likelihood=starter.likelihood,
                    impact=starter.impact,
                    owner_id=owner,
                    raised_on=on - timedelta(days=60),
                    review_on=on + timedelta(days=20 * number - 10),
                )
            )
    db.session.flush()


def bench_risks(ctx: BenchContext) -> None:
    """tasks/10 entries per site, mostly risks, owned by the site's people when it has any."""
    rng = ctx.rng
    owners = [p.id for p in _people(ctx.site.id)] or [None]
    kinds = list(KINDS)
    for number in range(max(ctx.tasks // 10, 1)):
        kind = "risk" if number % 2 == 0 else rng.choice(kinds)
        entry = RaidEntry(
            site_id=ctx.site.id,
            kind=kind,
            title=f"Benchmark {KINDS[kind].lower()} {number + 1}",
            description="Synthetic entry for the performance benchmark.",
            owner_id=rng.choice(owners),
            phase=rng.randint(0, 6),
            status=("proposed" if kind == "decision" else rng.choice(["open", "open", "closed"])),
            raised_on=ctx.today - timedelta(days=rng.randint(0, 300)),
            review_on=ctx.today + timedelta(days=rng.randint(-30, 60)),
        )
        if kind == "risk":
            entry.likelihood, entry.impact = rng.randint(1, 5), rng.randint(1, 5)
            if rng.random() < 0.5:
                entry.residual_likelihood = max(1, entry.likelihood - 1)
                entry.residual_impact = entry.impact
        elif kind == "issue":
            entry.severity = rng.choice(["low", "medium", "high", "critical"])
            entry.action = "Synthetic action."
        elif kind == "decision":
            entry.decider = "Steering group"
            entry.decide_by = ctx.today + timedelta(days=rng.randint(-10, 40))
        db.session.add(entry)
    db.session.flush()
