"""Needs pages through the test client: saving, bad input, overrides, scenarios, downloads."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.needs.assumptions import Override
from app.needs.model import Admissions, NeedsInputs, Scenario
from app.needs.models import NeedsVersion
from app.needs.queries import expected_caseload, needs_entered

pytestmark = pytest.mark.app_config(WTF_CSRF_ENABLED=False)


def _url(site, tail: str = "") -> str:  # noqa: ANN001
    return f"/sites/{site.id}/needs{tail}"


def _versions(site) -> int:  # noqa: ANN001
    return db.session.scalar(
        select(func.count(NeedsVersion.id)).where(NeedsVersion.site_id == site.id)
    )


def _form(**changes) -> dict:
    data = {
        "base_version": "0",
        "population_total": "184,000",
        "adm_hip_count": "400",
        "adm_hip_los_days": "20",
        "adm_hip_cost_per_bed_day": "£400",
        "rate_assessment": "40",
        "rate_treatment": "45%",
        "rate_followup": "20",
        "staff_nurse": "1.5",
        "staff_admin": "0.5",
    }
    data.update(changes)
    return data


def test_empty_page_prompts_and_fills_the_site_population(client, login, site_world) -> None:
    site = site_world["site"]
    site.population_50_plus = 150_000
    db.session.commit()
    login(site_world["viewer"])
    html = client.get(_url(site)).get_data(as_text=True)
    assert "No needs figures have been saved" in html
    assert 'value="150000"' in html
    assert "Save figures" not in html  # viewers read only


def test_editor_saves_figures_and_sees_results(client, login, site_world) -> None:
    site = site_world["site"]
    login(site_world["editor"])
    response = client.post(_url(site), data=_form(change="ONS 2024"))
    assert response.status_code == 302
    html = client.get(_url(site)).get_data(as_text=True)
    assert "2,000" in html  # rule of 5: 400 × 5
    assert "4.0 WTE to 4.6 WTE" in html  # 184,000 ÷ 46,000 to ÷ 40,000
    assert "Below" in html  # 1.5 WTE current against 4.0-4.6
    assert "ONS 2024" in html
    db.session.refresh(site)
    assert site.population_50_plus == 184_000
    assert expected_caseload(site.id) == 2000
    ok, reason, link = needs_entered(site)
    assert ok and "2,000" in reason and link.endswith("/needs")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"population_total": "-3"}, "population_total", "cannot be negative"),
        ({"population_total": "0"}, "population_total", "more than 0"),
        ({"population_total": "lots"}, "population_total", "Enter a number"),
        ({"rate_treatment": "120"}, "rate_treatment", "0 to 100"),
        ({"adm_hip_count": "12.5"}, "adm_hip_count", "whole number"),
        ({"staff_nurse": "-1"}, "staff_nurse", "cannot be negative"),
        ({"pop_female_50_54": "1000"}, "population_total", "add up to 1,000"),
    ],
)
def test_bad_input_is_refused_per_field(client, login, site_world, changes, field, message):  # noqa: ANN001
    site = site_world["site"]
    login(site_world["editor"])
    response = client.post(_url(site), data=_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert f'href="#{field}"' in html  # in the error summary, linked to the field
    assert _versions(site) == 0
    value = changes.get(field) or next(iter(changes.values()))
    assert f'value="{value}"' in html  # the person's input is kept


def test_pasted_age_bands(client, login, site_world) -> None:
    site = site_world["site"]
    login(site_world["editor"])
    rows = ["Age band\tWomen\tMen"] + [
        f"{band}\t{1000 + i}\t{900 + i}"
        for i, band in enumerate(["50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84"])
    ]
    rows.append("85+, 2,000, 1,000")
    total = sum(1000 + i + 900 + i for i in range(7)) + 3000
    response = client.post(_url(site), data=_form(population_total="", paste="\n".join(rows)))
    assert response.status_code == 302
    assert _newest(site).population_50_plus == total
    bad = "\n".join(rows[:3] + ["60-64\tmany\t900", "90-94\t1\t1"])
    response = client.post(_url(site), data=_form(population_total="", paste=bad, base_version="1"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "row 4" in html and "row 5" in html and "Nothing was saved" in html
    assert _versions(site) == 1


def test_stale_figures_get_409(client, login, site_world, save_needs) -> None:
    site = site_world["site"]
    save_needs(site, NeedsInputs(population_total=100_000))
    login(site_world["editor"])
    response = client.post(_url(site), data=_form(base_version="0"))
    assert response.status_code == 409
    assert _versions(site) == 1


def test_overrides_need_a_reason_and_show_beside_the_default(
    client, login, site_world, save_needs
) -> None:
    site = site_world["site"]
    first = save_needs(site, NeedsInputs(admissions={"hip": Admissions(400)}))
    login(site_world["editor"])
    response = client.post(
        _url(site, "/assumptions"),
        data={
            "base_version": str(first.id),
            "value_rule_of_5": "6",
            "value_target_treatment": "150",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give a reason" in html and "0 to 100" in html
    response = client.post(
        _url(site, "/assumptions"),
        data={
            "base_version": str(first.id),
            "value_rule_of_5": "6",
            "reason_rule_of_5": "Local audit of all fractures",
        },
    )
    assert response.status_code == 302
    assert expected_caseload(site.id) == 2400
    html = client.get(_url(site)).get_data(as_text=True)
    assert "Site's value" in html and "default 5" in html
    assert "Local audit of all fractures" in html
    method = client.get(_url(site, "/method")).get_data(as_text=True)
    assert "Local audit of all fractures" in method


def test_scenarios_saved_and_compared(client, login, site_world, save_needs) -> None:
    site = site_world["site"]
    first = save_needs(
        site,
        NeedsInputs(
            admissions={"hip": Admissions(400)},
            rates={"assessment": 20, "treatment": 40, "followup": 10},
        ),
    )
    login(site_world["editor"])
    response = client.post(
        _url(site, "/scenarios"),
        data={"base_version": str(first.id), "opt2_treatment": "50"},
    )
    assert response.status_code == 422
    assert "Give option 2 a name" in response.get_data(as_text=True)
    response = client.post(
        _url(site, "/scenarios"),
        data={
            "base_version": str(first.id),
            "opt1_name": "Nurse-led, 1.5 WTE",
            "opt1_identification": "45",
            "opt1_treatment": "50",
            "opt1_followup": "60",
            "opt1_nurse_wte": "1.5",
        },
    )
    assert response.status_code == 302
    html = client.get(_url(site)).get_data(as_text=True)
    assert "Nurse-led, 1.5 WTE" in html
    assert 'role="img"' in html and '<title id="needs-chart-title">' in html


def test_version_of_another_site_is_404(client, login, site_world, save_needs) -> None:
    other = save_needs(site_world["other_site"], NeedsInputs(population_total=90_000))
    login(site_world["editor"])
    response = client.get(_url(site_world["site"], f"/versions/{other.id}"))
    assert response.status_code == 404


def _newest(site) -> NeedsVersion | None:  # noqa: ANN001
    return db.session.scalar(
        select(NeedsVersion).where(NeedsVersion.site_id == site.id).order_by(NeedsVersion.id.desc())
    )


def test_each_version_keeps_its_headline_figures(app, make_site, save_needs) -> None:
    sites = [make_site(population_50_plus=100_000 + i) for i in range(2)]
    for site in sites:
        save_needs(site, NeedsInputs(population_total=site.population_50_plus))
    save_needs(sites[0], NeedsInputs(population_total=1_600_000))  # a newer version
    assert _newest(sites[0]).population_50_plus == 1_600_000
    assert _newest(sites[0]).hip_fractures_prevented_5y == 1478
    assert _newest(sites[1]).hip_fractures_prevented_5y == round(1478.4 * 100_001 / 1_600_000)


def test_needs_entered_says_what_is_missing(app, make_site, save_needs) -> None:
    site = make_site()
    assert needs_entered(site)[0] is False
    save_needs(site, NeedsInputs(population_total=100_000))
    ok, reason, _link = needs_entered(site)
    assert not ok and "rates" in reason


def test_overview_panel_states_the_documents_figures(
    client, login, site_world, save_needs, needs_for_case
) -> None:
    """The overview said "about 1,480 hip fractures from five years of patients" (the needs
    model, against no treatment at all) where every document states the business case's
    count among one year's patients over its horizon, against today's service."""
    from app.needs.figures import figures_for

    site = site_world["site"]
    login(site_world["viewer"])
    assert "No needs figures yet" in client.get(f"/sites/{site.id}/").get_data(as_text=True)
    save_needs(site, NeedsInputs(population_total=1_600_000))
    html = unescape(client.get(f"/sites/{site.id}/").get_data(as_text=True))
    assert "1,600,000" in html
    assert "1,480" not in html and "five years of patients" not in html
    assert "What it would prevent and cost is not worked out yet: it needs" in html
    needs_for_case(site)
    figures = figures_for(site)
    html = re.sub(r"<[^>]+>", "", client.get(f"/sites/{site.id}/").get_data(as_text=True))
    html = unescape(html)
    assert f"would prevent {figures.prevented_words} (counts, not discounted)" in html
    assert f"asks for {figures.ask_words} (cash, not discounted)" in html
    assert f"over {figures.horizon}" in html
    # The needs page leads with the same figure; its own count is a labelled scale check.
    page = client.get(f"/sites/{site.id}/needs?show=results").get_data(as_text=True)
    page = unescape(re.sub(r"<[^>]+>", "", page))
    headline = page[page.index("Headline") : page.index("Scale check")]
    assert f"would prevent {figures.prevented_words} (counts, not discounted)" in headline
    assert "Scale check (the needs model, not the business case)" in page


def test_needs_page_queries_do_not_grow(client, login, site_world, save_needs, count_queries):  # noqa: ANN001
    site = site_world["site"]
    login(site_world["viewer"])
    inputs = NeedsInputs(population_total=200_000, rates={"assessment": 50})
    options = [Scenario(f"Option {i}", 60, 50, 70) for i in range(3)]

    def measure() -> int:
        with count_queries() as queries:
            assert client.get(_url(site)).status_code == 200
        return len(queries)

    for _ in range(2):
        save_needs(site, inputs, scenarios=options[:1])
    small = measure()
    for _ in range(20):
        save_needs(site, inputs, {"rule_of_5": Override(5.5, "Local")}, options)
    large = measure()
    assert large == small


def test_method_page_shows_the_published_comparison(client, login, site_world) -> None:
    login(site_world["viewer"])
    html = client.get(_url(site_world["site"], "/method")).get_data(as_text=True)
    assert re.search(r'id="published-hip">\s*1,482', html)
    assert re.search(r'id="model-hip">\s*1,480', html)
    assert "Black DM" in html and "rule of 5" in html.lower()


def test_xlsx_has_inputs_assumptions_and_formulas(client, login, site_world, save_needs) -> None:
    site = site_world["site"]
    save_needs(
        site,
        NeedsInputs(
            population_total=184_000,
            admissions={"hip": Admissions(400, 20, 400), "spine": Admissions(160, 10, 300)},
        ),
        {"rule_of_5": Override(6, "Local audit")},
    )
    login(site_world["viewer"])
    response = client.get(f"/sites/{site.id}/needs.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Inputs", "Assumptions", "Results"]
    assumptions = {row[0]: row for row in wb["Assumptions"].iter_rows(values_only=True)}
    assert assumptions["rule_of_5"][2] == 6 and assumptions["rule_of_5"][4] == 5
    assert assumptions["rule_of_5"][5] == "Local audit"
    assert "rule_of_5" in wb.defined_names
    results = {row[0]: row for row in wb["Results"].iter_rows(values_only=True)}
    caseload = results["Expected fragility fracture caseload a year"]
    assert caseload[1] == "=B3*rule_of_5" and caseload[2] == "2,400"
    assert all(str(row[1]).startswith("=") for row in list(results.values())[1:])


def test_docx_summary_is_one_page_of_headings_and_tables(
    client, login, site_world, save_needs
) -> None:
    site = site_world["site"]
    save_needs(site, NeedsInputs(population_total=184_000, admissions={"hip": Admissions(400)}))
    login(site_world["viewer"])
    response = client.get(f"/sites/{site.id}/needs-summary.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == f"Needs and benefits: {site.name}"
    assert "Scale check: fractures and costs avoided against no treatment (needs model)" in headings
    assert len(doc.tables) >= 2
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "2,000" in cells
    assert doc.styles["Normal"].font.name == "Arial"


def _evaluate_results(wb) -> dict[str, float]:  # noqa: ANN001
    """A small evaluator for the workbook's formulas (no Calc on these machines): names,
    cell references, IF/SUM/MIN/N/OR and arithmetic, row by row."""
    names = {name: wb["Assumptions"][dn.attr_text.split("!")[1].replace("$", "")].value
             for name, dn in wb.defined_names.items()}  # fmt: skip
    results: dict[int, object] = {}

    def cell(sheet: str, ref: str):  # noqa: ANN202
        ref = ref.replace("$", "")
        if sheet == "Results":
            return results[int(ref[1:])]
        value = wb[sheet][ref].value
        return "" if value is None else value

    def rng(sheet: str, a: str, b: str) -> list:
        cells = wb[sheet][a.replace("$", "") : b.replace("$", "")]
        return [c.value or 0 for row in cells for c in row]

    env = {
        "IF": lambda c, a, b: a if c else b,
        "SUM": lambda *xs: sum(
            v for x in xs for v in (x if isinstance(x, list) else [x]) if v != ""
        ),
        "MIN": min, "OR": lambda *xs: any(xs), "N": lambda x: x if x != "" else 0,
        "cell": cell, "rng": rng, **names,
    }  # fmt: skip
    values = {}
    for number, row in enumerate(wb["Results"].iter_rows(min_row=2, values_only=True), start=2):
        expr = row[1][1:]
        expr = re.sub(r"(\w+)!(\$?[A-Z]+\$?\d+):(\$?[A-Z]+\$?\d+)", r'rng("\1","\2","\3")', expr)
        expr = re.sub(r"(\w+)!(\$?[A-Z]+\$?\d+)", r'cell("\1","\2")', expr)
        expr = re.sub(r"(?<![\w\"])B(\d+)\b", r'cell("Results","B\1")', expr)
        expr = re.sub(r"(?<![!<>=])=(?!=)", "==", expr.replace("<>", "!="))
        results[number] = eval(expr, env)  # noqa: S307 - our own formulas, in a test
        values[row[0]] = results[number]
    return values


def test_xlsx_formulas_give_the_same_answers_as_the_page(app) -> None:  # noqa: ANN001
    from app.needs import export
    from app.needs.service import NeedsState
    from app.needs.views import assumption_notes
    from app.sites.models import Site

    state = NeedsState(
        None,
        NeedsInputs(
            population_total=184_000,
            admissions={"hip": Admissions(400, 20, 400), "spine": Admissions(160, 10, 300)},
        ),
        {"rule_of_5": Override(6, "Local audit")},
        [],
    )
    with app.test_request_context():
        data = export.needs_workbook(
            Site(name="X", organisation="Y"), state, assumption_notes(state)
        )
    values = _evaluate_results(load_workbook(io.BytesIO(data)))
    figures = state.results().figures
    for key in ("population", "caseload", "identify", "treat", "follow", "started_per_year",
                "hip_1y", "hip_5y", "other_5y", "bed_days_5y"):  # fmt: skip
        assert values[figures[key].label] == pytest.approx(figures[key].value), key
    assert values["Nurses needed (upper end, WTE)"] == pytest.approx(4.6)
    assert values["Hip bed-day costs avoided, from five years of patients"] == pytest.approx(
        figures["hip_5y"].value * 20 * 400
    )


def test_the_80_50_80_goals_are_explained_once_on_the_needs_and_business_case_pages(
    client, login, site_world, needs_for_case
) -> None:
    """The pages said "the 80/50/80 goals" without saying what the three numbers are or where
    they come from. One explanation, from the toolkit's KPI goals, on both pages."""
    from app.needs.goals import national_goals

    site = site_world["site"]
    needs_for_case(site)
    login(site_world["viewer"])
    goals = national_goals()
    assert goals.name == "80/50/80"
    assert [g.kpis[0][:5] for g in goals.goals] == ["KPI 2", "KPI 7", "KPI 9"]
    pages = {}
    for url in (f"/sites/{site.id}/needs?show=results", f"/sites/{site.id}/business-case"):
        html = client.get(url).get_data(as_text=True)
        start = html.index('<details class="nhsuk-details" id="goals-explained">')
        pages[url] = html[start : html.index("</details>", start)]
    first, second = pages.values()
    assert first == second  # the same words on both pages
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", first)))
    assert "What the 80/50/80 goals mean" in text
    assert "50% of the patients assessed recommended bone-protection treatment" in text
    assert "KPI 7: Bone therapy recommended" in text and "KPI 11:" in text
    assert "Source: the improvement goals of the Fracture Liaison Service Database" in text


def test_refresh_figures_stores_the_headline_of_sites_saved_before_it_was_kept(
    app, site_world, needs_for_case
) -> None:
    """Sites whose needs figures were saved before the headline was stored had none, so the
    portfolio showed no fractures prevented for them: `flask needs refresh-figures` fills it."""
    from sqlalchemy import delete, select

    from app.needs.figures import figures_for
    from app.needs.models import FigureHeadline

    site = site_world["site"]
    needs_for_case(site)
    db.session.execute(delete(FigureHeadline))  # as after the upgrade
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["needs", "refresh-figures"])
    assert result.exit_code == 0, result.output
    assert "Headline figures worked out for 1 site." in result.output
    stored = db.session.scalar(select(FigureHeadline).where(FigureHeadline.site_id == site.id))
    figures = figures_for(site)
    assert stored.hip_prevented == round(figures.hip_prevented)
    assert stored.fractures_prevented == round(figures.fractures_prevented)
    assert stored.horizon == figures.horizon and stored.needs_version_id is not None
