"""Demo business cases: Glenmoor's is approved with its specification drafted; Riverside
is preparing its case with its own option; Afon uses the defaults. Runs after the needs
figures (the model reads them) and before the gateways (whose sign-offs read these)."""

from __future__ import annotations

from datetime import timedelta

from app.business_case import service
from app.sites.demo import DemoContext

GLENMOOR_SPEC = {
    "aims": "Find every person aged 50 and over with a fragility fracture, check their bone "
    "health and falls risk, start treatment where it helps, and make sure they keep taking it.",
    "acceptance": "People aged 50 and over registered with a Glenmoor GP who break a bone in a "
    "fall from standing height or less, and people whose spine fracture is found on an X-ray.",
    "exclusions": "Fractures from major trauma. Patients already under the metabolic bone clinic.",
    "interdependencies": "Fracture clinics, the emergency department, radiology, the falls "
    "service, community pharmacy and GP practices.",
    "location": "Nurse clinics at Glenmoor Royal Infirmary and two community hospitals.",
    "skills": "Nurses trained in fracture prevention, with a consultant for complex cases.",
    "staffing": "Band 7 nurses and a band 3 administrator, in the numbers the business case "
    "sets out, with a consultant's time for complex cases.",
    "facilities": "Clinic rooms with scanning on site; free parking at both community hospitals.",
    "integration": "Referrals from fracture clinic lists and radiology reports; a letter with "
    "the plan goes to the GP within two weeks.",
    "identify": "Daily search of fracture clinic lists, ward lists and radiology reports.",
    "investigate": "Bone health assessment and a DXA scan where guidelines advise; falls risk "
    "check for everyone.",
    "inform": "A talk with the nurse and written information on bones, diet and treatment.",
    "intervene": "Treatment started or recommended to the GP; referral to the falls service.",
    "integrate": "Follow-up calls at 16 weeks and a year; the GP keeps the long-term plan.",
    "quality": "Every patient entered into the national audit; results to the steering group "
    "each quarter; peer review every two years.",
}


def demo_business_cases(ctx: DemoContext) -> None:
    glenmoor, riverside = ctx.sites["glenmoor"], ctx.sites["riverside"]
    service.save_costs(
        glenmoor,
        {
            "nurse_salary": (
                50_651,
                "Our nurses are at the second point of band 7 (NHS Scotland 2024/25)",
            )
        },
        8,
    )
    service.save_route(
        glenmoor,
        {
            "payer": "NHS Glenmoor Health Board",
            "decision_process": "The board's investment group scores cases against its "
            "priorities and asks for a two-page summary.",
            "decision_timing": "Quarterly; papers three weeks before.",
            "meeting": "Investment group, presented by the clinical champion.",
            "allies": "The director of finance and the lead for older people's care.",
            "objections": "Savings come late: the case shows the break-even year.",
        },
        ctx.today - timedelta(days=140),
    )
    service.save_spec(
        glenmoor,
        GLENMOOR_SPEC
        | {
            "contract_number": "NHSG-SLA-FLS-01",
            "commissioner_lead": "Head of planned care, NHS Glenmoor",
            "provider_lead": "Dr Tom Evans, clinical champion",
        },
        {
            "contract_start": ctx.today + timedelta(days=30),
            "contract_end": ctx.today + timedelta(days=30 + 730),
            "review_date": ctx.today + timedelta(days=30 + 365),
        },
    )
    service.record_decision(
        glenmoor, ctx.today - timedelta(days=120), "NHS Glenmoor investment group",
        "approved", "Funded for two years, then reviewed.", ctx.today,
    )  # fmt: skip
    service.save_costs(
        riverside,
        {
            "social_care_per_hip": (
                9_000,
                "Riverside council: average care cost after a hip fracture, 2024/25",
            )
        },
        10,
    )
    service.save_options(
        riverside, "Nurse-led with spinal fracture finding",
        "Three nurses and an administrator; radiology reports searched for spine fractures.",
        {"identification": 65, "treatment": 50, "followup": 80, "nurse_wte": 3.0,
         "admin_wte": 1.2, "sessions": 1},
        12_000, "own",
    )  # fmt: skip
    service.save_route(
        riverside,
        {
            "payer": "Riverside and Dales ICB",
            "decision_process": "The ICB's investment panel; a business case on its template.",
            "decision_timing": "Next panel in the spring.",
        },
        None,
    )
