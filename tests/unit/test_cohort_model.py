"""The cohort model (app/business_case/cohort.py): each mechanism, and the published check."""

from __future__ import annotations

import pytest

from app.business_case.cohort import (
    FRACTURE_SITES,
    LIFETIME,
    Arm,
    Budget,
    BudgetYear,
    budget_impact,
    compare,
    run_arm,
    share_on_treatment,
)
from app.business_case.economics import economics

P = economics().central()
DRUG = 120.0


def test_money_is_brought_to_the_price_base_with_the_inflation_index() -> None:
    e = economics()
    hip = e.parameters["cost_hip"]
    assert e.price_base == "2024/25"
    assert hip.stated == 14163 and hip.price_year == "2012/13"
    assert hip.value == pytest.approx(14163 * 132.5 / 98.0)
    assert "Leal" in hip.citation and "2012/13 prices" in hip.citation
    for parameter in e.parameters.values():
        assert parameter.source and parameter.year
        assert parameter.low <= parameter.value <= parameter.high


def test_every_default_cites_a_real_paper_with_its_year_and_price_base() -> None:
    """Persistence cited Fatoye et al. in Rheumatol Int 2019;39:1977-1985 (the review is in
    BMJ Open 2019;9:e027049), ICUROS was given pages 557-567 (557-566) and a hip fracture
    utility multiplier the paper does not state; every money value says its price year."""
    from app.business_case.costs import default_costs

    e = economics()
    text = " ".join(p.source for p in e.parameters.values())
    assert "Rheumatol Int" not in text and "557-567" not in text and "0.69 of before" not in text
    assert (
        "Fatoye F et al., BMJ Open 2019;9:e027049" in e.parameters["persistence_12m_usual"].source
    )
    assert "Osteoporos Int 2018;29:557-566" in e.parameters["qaly_hip"].source
    for parameter in e.parameters.values():
        if parameter.kind == "money":
            assert parameter.price_year, parameter.key
        if "ICUROS" in parameter.source:  # its numbers are ours, worked from the paper's
            assert parameter.source.startswith(("Planning value", "Planning estimate"))
    for item in default_costs().values():
        assert item.source and item.year
        if item.kind == "money":
            assert item.price_year, item.key


def test_treatment_is_costed_for_every_year_patients_stay_on_it() -> None:
    """Old calc.py charged one year of drugs for a five-year benefit."""
    arm = Arm("All treated", treated=1.0, persistence_12m=0.8)
    years = run_arm(dict(P, background_mortality_75=0.0, index_excess_mortality=0.0,
                         excess_hip_mortality=0.0), arm, 10, DRUG, 3.5)  # fmt: skip
    # Year 1: (1 + 0.8) / 2; year 2: 0.8 × (1 + 0.85) / 2; ...; none after the 5-year course.
    assert years.on_treatment[0] == pytest.approx(0.9)
    assert years.on_treatment[1] == pytest.approx(0.8 * 1.85 / 2)
    assert years.on_treatment[5:] == [0.0] * 5
    patient_years = sum(years.on_treatment)
    assert patient_years > 2.5
    assert sum(years.drug) == pytest.approx(patient_years * DRUG)


def test_persistence_stops_at_the_course_review() -> None:
    assert share_on_treatment(5, 0.75, 0.85, 5) > 0
    assert share_on_treatment(6, 0.75, 0.85, 5) == 0
    assert share_on_treatment(4, 0.75, 0.85, 3.5) == pytest.approx(0.75 * 0.85**2 * 1.85 / 2 * 0.5)


def _service_against_usual(horizon: int = 10):  # noqa: ANN202
    return compare(
        P, Arm("FLS", 0.4, 0.75, 200.0), Arm("Usual care", 0.1, 0.5, 0.0), horizon, DRUG, 3.5
    )


def test_every_fracture_site_prevents_fractures_and_saves_money() -> None:
    """Old model: only hip bed days saved anything; social care was £0."""
    c = _service_against_usual()
    for site in FRACTURE_SITES:
        assert c.prevented(site) > 0, site
        assert c.saving_by_site(site, P) > 0, site
    assert c.component("social") < 0  # social care costs fall
    assert c.component("nhs") < 0


def test_costs_and_qalys_are_discounted_at_three_and_a_half_percent() -> None:
    c = _service_against_usual()
    assert c.service.discount[1] == pytest.approx(1 / 1.035)
    assert c.service.discount[9] == pytest.approx(1 / 1.035**9)
    assert c.qalys(discounted=True) < c.qalys(discounted=False)
    assert c.service.cost(True) < c.service.cost(False)
    assert c.icer == pytest.approx(c.cost() / c.qalys())


def test_a_lifetime_horizon_follows_patients_to_100() -> None:
    assert _service_against_usual(LIFETIME).years == 100 - 75
    assert _service_against_usual(10).years == 10


def test_fewer_hip_fractures_mean_fewer_deaths() -> None:
    c = _service_against_usual(LIFETIME)
    assert c.service.alive[-1] > c.usual.alive[-1]


def test_break_even_is_the_first_year_offsets_catch_up() -> None:
    rows = [BudgetYear(1, 100, 20, 1.0), BudgetYear(2, 100, 150, 1.0), BudgetYear(3, 100, 200, 1.0)]
    assert Budget(rows).break_even == 3  # 300 spent, 370 avoided by the end of year 3
    assert Budget(rows[:2]).break_even is None


def test_budget_impact_adds_a_new_cohort_each_year() -> None:
    c = _service_against_usual()
    budget = budget_impact(c, patients=1000, years=3, setup=15000)
    first = c.service.service[0] + c.service.drug[0] - c.usual.drug[0]
    assert budget.years[0].spend == pytest.approx(15000 + 1000 * first)
    # Year 2: the second cohort's first year plus the first cohort's second year.
    second = c.service.drug[1] - c.usual.drug[1]
    assert budget.years[1].spend == pytest.approx(1000 * first + 1000 * second)
    # The medicines part, for the prescribing budget: both cohorts' extra treatment.
    medicines = (c.service.drug[0] - c.usual.drug[0]) + (c.service.drug[1] - c.usual.drug[1])
    assert budget.years[1].medicines == pytest.approx(1000 * medicines)


def test_leal_2017_hip_fracture_patients_cost_per_qaly_is_in_the_published_range() -> None:
    """Leal J et al., Osteoporos Int 2017;28:2019-2030: an FLS against usual care for
    hip-fracture patients costs about £20,000 per QALY (lifetime, 3.5%).

    Their inputs: patients aged 83 on average; 29.8% die within a year of the hip fracture
    and an FLS cuts first-year deaths (hazard ratio 0.84; both from Hawley S et al., Age
    Ageing 2016;45:236-242, the study Leal costs); second hip fractures 4.2% in two years
    (2.1% a year); hospital costs £14,163 in the first year and £2,139 a year after, 2012/13
    prices (Leal et al. 2016), counted for every year alive. Our planning values: mortality
    twice the population's after the first year, utility 0.6, treatment started by 25% under
    usual care and 40% with the FLS, £250 a patient for the service.
    """
    e = economics()
    uplift = e.uplift("2012/13")
    q_83 = 0.027 * 2 ** (8 / 7.3) * 2.0
    p = dict(
        P,
        start_age=83,
        mortality_ratio=2.0,
        index_excess_mortality=0.298 - q_83,
        risk_hip=0.021,
        cost_index_fracture=14163 * uplift,
        cost_year_alive=2139 * uplift,
        baseline_utility=0.6,
    )
    fls = Arm("FLS", treated=0.40, persistence_12m=0.75, service_cost=250,
              first_year_mortality=0.84)  # fmt: skip
    usual = Arm("Usual care", treated=0.25, persistence_12m=0.5)
    c = compare(p, fls, usual, LIFETIME, DRUG, 3.5)
    assert c.qalys() == pytest.approx(0.1, abs=0.05)  # Leal: 0.093 to 0.099
    assert c.icer is not None and 10_000 < c.icer < 40_000
