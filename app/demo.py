"""Demo and benchmark data, and the maintenance commands (seed-demo, seed-bench, backup).

Each feature adds its own demo data and its share of the benchmark load with
`registry.add_demo` in its `register()`, so this file only knows users, sites and
memberships.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.service import create_user
from app.core.dates import today
from app.core.db import analyze
from app.core.registry import registry
from app.extensions import db
from app.notifications.hooks import without_mail
from app.sites.demo import BenchContext, DemoContext
from app.sites.models import Membership, Site
from app.sites.service import SiteDetails, create_site

DEMO_PASSWORD = "fls-demo-2026"


DEMO_USERS = [
    # key, email, name, global role
    ("admin", "admin@example.nhs.uk", "Alex Admin", "admin"),
    ("support", "support@example.org.uk", "Sam Patel (ROS service delivery)", "support"),
    ("pm", "pm@example.nhs.uk", "Priya Shah (project manager)", None),
    ("champion", "champion@example.nhs.uk", "Dr Tom Evans (clinical champion)", None),
    ("sponsor", "sponsor@example.nhs.uk", "Helen Brooks (project sponsor)", None),
    ("nurse", "nurse@example.nhs.uk", "Grace Okafor (FLS nurse)", None),
    ("viewer", "viewer@example.nhs.uk", "Viv Green (commissioner, read only)", None),
]

DEMO_SITES = [
    # key, details, months since start
    (
        "riverside",
        SiteDetails(
            name="Riverside FLS",
            organisation="Riverside University Hospitals NHS Foundation Trust",
            nation="England",
            region="North East and Yorkshire",
            commissioner="Riverside and Dales ICB",
            population_50_plus=182_000,
            service_status="new",
            description="A new fracture liaison service for the Riverside and Dales population.",
        ),
        5,
    ),
    (
        "glenmoor",
        SiteDetails(
            name="Glenmoor Bone Health Service",
            organisation="NHS Glenmoor",
            nation="Scotland",
            region="North of Scotland",
            commissioner="NHS Glenmoor Health Board",
            population_50_plus=121_500,
            service_status="improving",
            description="An established FLS improving identification of spinal fractures.",
        ),
        14,
    ),
    (
        "afon",
        SiteDetails(
            name="Afon Valley FLS",
            organisation="Afon Valley University Health Board",
            nation="Wales",
            region="South Wales",
            commissioner="Afon Valley University Health Board",
            population_50_plus=205_300,
            service_status="developing",
            description="Widening from hip fractures to all fragility fractures.",
        ),
        9,
    ),
    (
        "loughshore",
        SiteDetails(
            name="Lough Shore FLS",
            organisation="Lough Shore Health and Social Care Trust",
            nation="Northern Ireland",
            region="Northern Ireland",
            commissioner="Strategic Planning and Performance Group",
            population_50_plus=96_800,
            service_status="new",
            description="Starting out: building the team and the case for a new service.",
        ),
        1,
    ),
    (
        "meadowbank",
        SiteDetails(
            name="Meadowbank FLS",
            organisation="Meadowbank Hospitals NHS Trust",
            nation="England",
            region="London",
            commissioner="North Central London ICB",
            population_50_plus=240_100,
            service_status="improving",
            description="An FLS improving follow-up and adherence after a national audit review.",
        ),
        20,
    ),
]

# (user key, site key, role, sponsor)
DEMO_MEMBERSHIPS = [
    ("pm", "riverside", "manager", False),
    ("champion", "riverside", "editor", False),
    ("sponsor", "riverside", "editor", True),
    ("nurse", "riverside", "editor", False),
    ("viewer", "riverside", "viewer", False),
    ("pm", "afon", "manager", False),
    ("sponsor", "afon", "viewer", True),
    ("champion", "glenmoor", "manager", False),
    ("sponsor", "glenmoor", "editor", True),
    ("nurse", "loughshore", "manager", False),
    ("sponsor", "loughshore", "viewer", True),
    ("champion", "meadowbank", "manager", False),
    ("sponsor", "meadowbank", "editor", True),
]

DemoStep = Callable[[DemoContext], None]
BenchStep = Callable[[BenchContext], None]


def feature_steps() -> tuple[list[DemoStep], list[BenchStep]]:
    """Each feature's demo data and benchmark load, as the features registered them
    (`registry.add_demo`), in dependency order: people first (tasks, meetings and risks are
    owned by people), then the plan (meetings and risks link to tasks), gateways last."""
    steps = registry().demo_steps
    return [s.demo for s in steps if s.demo], [s.bench for s in steps if s.bench]


def seed_demo() -> DemoContext:
    ctx = DemoContext()
    for key, email, name, role in DEMO_USERS:
        ctx.users[key] = create_user(email, name, DEMO_PASSWORD, role)
    for key, details, months in DEMO_SITES:
        details.start_date = ctx.today - timedelta(days=30 * months)
        ctx.sites[key] = create_site(details)
    for user_key, site_key, role, sponsor in DEMO_MEMBERSHIPS:
        db.session.add(
            Membership(
                site_id=ctx.sites[site_key].id,
                user_id=ctx.users[user_key].id,
                role=role,
                is_sponsor=sponsor,
            )
        )
    db.session.flush()
    for step in feature_steps()[0]:
        step(ctx)
    return ctx


BENCH_REGIONS = ["London", "North West", "Midlands", "South West", "East of England", "Wales"]


@without_mail  # made-up people: their meetings send no invitations
def seed_bench(sites: int, tasks: int, seed: int = 7) -> list[Site]:
    rng = random.Random(seed)
    bench_steps = feature_steps()[1]
    offset = db.session.scalar(select(func.count(Site.id))) or 0
    created = []
    for number in range(offset + 1, offset + sites + 1):
        site = create_site(
            SiteDetails(
                name=f"Benchmark FLS {number:03d}",
                organisation=f"Benchmark NHS Trust {number:03d}",
                nation="England",
                region=rng.choice(BENCH_REGIONS),
                commissioner=f"Benchmark ICB {number % 40:02d}",
                population_50_plus=rng.randint(60_000, 400_000),
                service_status=rng.choice(["new", "developing", "improving"]),
                start_date=today() - timedelta(days=rng.randint(30, 700)),
            )
        )
        ctx = BenchContext(site=site, tasks=tasks, rng=rng, today=today())
        for step in bench_steps:
            step(ctx)
        created.append(site)
        if number % 20 == 0:
            db.session.commit()
    return created


def backup_sqlite(database: str, target: Path) -> None:
    """A consistent copy of a live SQLite database, made with SQLite's online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(database)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def register_demo_commands(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Load a realistic demo (only into an empty database) and print the logins."""
        if db.session.scalar(select(func.count(User.id))):
            click.echo("The database already has users; demo data not loaded.")
            return
        ctx = seed_demo()
        db.session.commit()
        analyze()
        sign_in = app.config["BASE_URL"].rstrip("/") + "/login"  # the address `make run` serves
        click.echo(f"Demo loaded: {len(ctx.sites)} sites. Sign in at {sign_in}")
        click.echo(f"Every demo user's password is: {DEMO_PASSWORD}")
        for key, email, name, _role in DEMO_USERS:
            click.echo(f"  {email:<28} {name}  [{key}]")
        if not current_app.config.get("TWO_FACTOR_ROLES"):
            click.echo(
                "Two-factor sign-in is off for these logins (TWO_FACTOR_ROLES is empty in "
                "development). To try it: TWO_FACTOR_ROLES=admin,support make run, or turn it "
                "on for yourself at /account/two-factor."
            )

    @app.cli.command("seed-bench")
    @click.option("--sites", default=1, show_default=True, help="How many sites to add.")
    @click.option("--tasks", default=150, show_default=True, help="Tasks per site.")
    def seed_bench_command(sites: int, tasks: int) -> None:
        """Add synthetic sites with tasks, people, meetings, risks and KPI values."""
        created = seed_bench(sites, tasks)
        db.session.commit()
        analyze()  # planned as empty tables until autovacuum's first ANALYZE otherwise
        click.echo(f"Added {len(created)} sites with {tasks} tasks each.")

    @app.cli.command("analyze")
    def analyze_command() -> None:
        """Gather PostgreSQL's planner statistics: run after `flask db upgrade` and after
        restoring a backup (pg_restore), before the first users arrive."""
        started = time.perf_counter()
        analyze()
        if db.engine.dialect.name != "postgresql":
            click.echo("SQLite needs no statistics gathered; nothing done.")
            return
        click.echo(f"Statistics gathered for every table in {time.perf_counter() - started:.1f} s.")

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(path: Path) -> None:
        """Write a consistent copy of the live database to PATH."""
        url = db.engine.url
        if url.get_backend_name() != "sqlite":
            raise click.ClickException(
                "This is a PostgreSQL database: back it up with pg_dump, for example "
                "'pg_dump --format=custom --file=fls.dump \"$DATABASE_URL\"'."
            )
        if not url.database:
            raise click.ClickException("An in-memory database cannot be backed up.")
        backup_sqlite(url.database, path)
        click.echo(f"Backed up {url.database} to {path}.")
