"""Demo people for each demo site, and the people share of the benchmark load.

All names are invented; emails use the reserved example.nhs.uk / example.org domains and
phone numbers come from Ofcom's drama range (01632 960xxx, 07700 900xxx).
"""

from __future__ import annotations

import re
from datetime import timedelta

from app.extensions import db
from app.people.groups import add_to_group, ensure_standard_groups
from app.people.models import GroupMember, Person
from app.people.queries import group_of_kind
from app.people.service import PersonData, create_person
from app.people.vocabulary import category_names, role_names

# (slot, category, job title, organisation ({org} = the site's trust), team role, groups,
#  influence, interest, engagement)
SLOTS = (
    (
        "champion",
        "fracture-pathway",
        "Consultant orthogeriatrician",
        "{org}",
        "clinical-lead",
        "TRS",
        "high",
        "high",
        "engaged",
    ),
    (
        "consultant",
        "fracture-pathway",
        "Consultant rheumatologist",
        "{org}",
        "lead-consultant",
        "TR",
        "high",
        "high",
        "engaged",
    ),
    (
        "nurse",
        "fracture-pathway",
        "Osteoporosis specialist nurse",
        "{org}",
        "lead-nurse",
        "TR",
        "low",
        "high",
        "engaged",
    ),
    (
        "pm",
        "directors",
        "Service improvement project manager",
        "{org}",
        "project-manager",
        "TRS",
        "low",
        "high",
        "engaged",
    ),
    (
        "sponsor",
        "directors",
        "Director of operations",
        "{org}",
        "project-sponsor",
        "TS",
        "high",
        "low",
        "engaged",
    ),
    (
        "manager",
        "fracture-pathway",
        "Trauma and orthopaedics service manager",
        "{org}",
        "service-manager",
        "T",
        "high",
        "low",
        "contacted",
    ),
    (
        "analyst",
        "public-health",
        "Information analyst",
        "{org}",
        "data-analyst",
        "T",
        "low",
        "low",
        "engaged",
    ),
    (
        "patient",
        "patients",
        "Patient representative",
        "Local patient panel",
        "",
        "R",
        "low",
        "high",
        "engaged",
    ),
    ("carer", "carers", "Carer", "Riverside Carers' Network", "", "R", "low", "high", "contacted"),
    (
        "gp",
        "primary-care",
        "GP partner and PCN clinical director",
        "Central Primary Care Network",
        "",
        "R",
        "high",
        "low",
        "contacted",
    ),
    (
        "commissioner",
        "commissioners",
        "Senior commissioning manager",
        "{commissioner}",
        "",
        "RS",
        "high",
        "high",
        "engaged",
    ),
    (
        "pharmacist",
        "pharmacy",
        "Lead pharmacist, medicines optimisation",
        "{org}",
        "",
        "R",
        "low",
        "high",
        "identified",
    ),
    (
        "falls",
        "falls-service",
        "Falls prevention coordinator",
        "Community falls team",
        "",
        "R",
        "low",
        "high",
        "engaged",
    ),
    (
        "charity",
        "local-charities",
        "Services manager",
        "Age UK (local branch)",
        "",
        "R",
        "low",
        "low",
        "not_interested",
    ),
    (
        "care-home",
        "care-homes",
        "Registered manager",
        "Willow Court Care Home",
        "",
        "",
        "low",
        "low",
        "identified",
    ),
)

# Per demo site: invented names per slot; slots left out are vacant (Lough Shore is young).
SITE_PEOPLE = {
    "riverside": {
        "consultant": "Dr Ravi Menon",
        "manager": "Claire Dunn",
        "analyst": "Owen Price",
        "patient": "Margaret Hill",
        "carer": "Derek Hill",
        "gp": "Dr Fiona Walsh",
        "commissioner": "Aisha Rahman",
        "pharmacist": "Ben Carter",
        "falls": "Nadia Kowalski",
        "charity": "Peter Gough",
        "care-home": "Joy Adeyemi",
    },
    "glenmoor": {
        "consultant": "Dr Morag Fraser",
        "nurse": "Kirsty Campbell",
        "pm": "Euan MacLeod",
        "manager": "Alison Reid",
        "analyst": "Calum Ross",
        "patient": "Isobel Grant",
        "gp": "Dr Hamish Stewart",
        "commissioner": "Lorna Mackay",
        "falls": "Ewan Munro",
    },
    "afon": {
        "champion": "Dr Rhys Morgan",
        "consultant": "Dr Sian Griffiths",
        "nurse": "Cerys Jones",
        "manager": "Gareth Price",
        "analyst": "Ffion Davies",
        "patient": "Eleri Thomas",
        "carer": "Dafydd Thomas",
        "gp": "Dr Owain Hughes",
        "pharmacist": "Megan Lewis",
        "charity": "Alun Roberts",
    },
    "loughshore": {
        "champion": "Dr Ciara Doherty",
        "pm": "Niamh Kelly",
        "patient": "Seamus Quinn",
        "gp": "Dr Aoife Byrne",
        "commissioner": "Declan McCann",
        "falls": "Roisin Murphy",
        "pharmacist": "Conor Walsh",
    },
    "meadowbank": {
        "consultant": "Dr Samuel Osei",
        "nurse": "Funmi Adebayo",
        "pm": "Hannah Cohen",
        "manager": "Marcus Bell",
        "analyst": "Leila Ahmadi",
        "patient": "Dorothy Clarke",
        "carer": "Winston Clarke",
        "gp": "Dr Priya Nair",
        "commissioner": "Tom Fletcher",
        "pharmacist": "Agnieszka Nowak",
        "falls": "Chris Doyle",
        "care-home": "Sandra Obi",
    },
}
GROUP_LETTERS = {"T": "project_team", "R": "reference_group", "S": "steering_group"}


def _plain_name(user_name: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", user_name)


def _email(name: str, domain: str) -> str:
    parts = [p for p in re.sub(r"[^a-z ]", "", name.lower()).split() if p not in ("dr",)]
    return f"{'.'.join(parts)}@{domain}"


def demo_people(ctx) -> None:  # noqa: ANN001 - app.sites.demo.DemoContext
    from app.sites.models import Membership

    for site_key, site in ctx.sites.items():
        ensure_standard_groups(site)
        groups = {kind: group_of_kind(site.id, kind) for kind in GROUP_LETTERS.values()}
        names = dict(SITE_PEOPLE.get(site_key, {}))
        members = {
            m.user_id
            for m in db.session.scalars(db.select(Membership).where(Membership.site_id == site.id))
        }
        users = {}
        for user_key in ("pm", "champion", "sponsor", "nurse"):
            user = ctx.users.get(user_key)
            if user is not None and user.id in members:
                names[user_key] = _plain_name(user.name)
                users[user_key] = user
        domain = re.sub(r"[^a-z]", "", site.name.lower())[:12] + ".example.nhs.uk"
        for number, slot in enumerate(SLOTS):
            key, category, title, org, role, letters, influence, interest, engagement = slot
            if key not in names:
                continue
            user = users.get(key)
            person = create_person(
                site,
                PersonData(
                    name=names[key],
                    job_title=title,
                    organisation=org.format(org=site.organisation, commissioner=site.commissioner),
                    category=category,
                    email=user.email if user else _email(names[key], domain),
                    phone=f"01632 960{100 + number * 7 + len(site_key):03d}",
                    preferred_contact="phone" if key in ("patient", "carer") else "email",
                    influence=influence,
                    interest=interest,
                    engagement=engagement,
                    added_on=ctx.today - timedelta(days=ctx.rng.randint(5, 120)),
                    user_id=user.id if user else None,
                ),
            )
            for letter in letters:
                kind = GROUP_LETTERS[letter]
                add_to_group(groups[kind], person, role if kind == "project_team" else "")
    db.session.flush()


def bench_people(ctx) -> None:  # noqa: ANN001 - app.sites.demo.BenchContext
    """tasks/3 people; all in the reference group, some on the team and steering group."""
    site = ctx.site
    ensure_standard_groups(site)
    team = group_of_kind(site.id, "project_team")
    reference = group_of_kind(site.id, "reference_group")
    steering = group_of_kind(site.id, "steering_group")
    categories = [c for c in category_names() if c != "other"]
    roles = list(role_names())
    for i in range(max(ctx.tasks // 3, 1)):
        person = Person(
            site_id=site.id,
            name=f"Bench Person {site.id}-{i:04d}",
            job_title="Stakeholder",
            organisation=f"Benchmark organisation {i % 17}",
            category=categories[i % len(categories)],
            email=f"bench.{site.id}.{i}@example.nhs.uk",
            influence=ctx.rng.choice(("high", "low")),
            interest=ctx.rng.choice(("high", "low")),
            engagement=ctx.rng.choice(("identified", "contacted", "engaged")),
        )
        db.session.add(person)
        # Direct inserts: the benchmark seeds thousands, and these pairs are new by design.
        # Linked by relationship, not id, so the whole site is one flush (one multi-row
        # INSERT a table): a flush a person made seeding 1,000 sites take minutes longer.
        links = [(reference, "")]
        if i < len(roles):
            links.append((team, roles[i]))
        if i % 5 == 0:
            links.append((steering, ""))
        for group, role in links:
            db.session.add(
                GroupMember(site_id=site.id, group_id=group.id, person=person, team_role=role)
            )
    db.session.flush()
