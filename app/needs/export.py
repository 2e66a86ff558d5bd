"""needs.xlsx (inputs, assumptions and results with live Excel formulas) and the one-page
summary for the business case (needs-summary.docx)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from app.core import spreadsheet as sheets
from app.core import word
from app.core.dates import today
from app.needs.assumptions import effective_values
from app.needs.model import (
    AGE_BANDS,
    FRACTURE_SITES,
    RATES,
    SEXES,
    STAFF_ROLES,
    Admissions,
    adherence,
    approx,
    band_key,
)
from app.needs.service import NeedsState

if TYPE_CHECKING:
    from app.needs.figures import SiteFigures
    from app.sites.models import Site


def _inputs_sheet(wb: Workbook, state: NeedsState) -> dict[str, str]:
    """Writes the inputs; returns name -> absolute cell reference for the formulas."""
    ws = wb.create_sheet("Inputs")
    ref: dict[str, str] = {}
    inputs = state.inputs
    sheets.append_row(ws, ["Input", "Value", "Unit"])
    rows = [("population", "Population aged 50 and over (total entered)",
             inputs.population_total, "people")]  # fmt: skip
    for site, label in FRACTURE_SITES.items():
        adm = inputs.admissions.get(site, Admissions())
        rows += [
            (f"{site}_count", f"{label}: admissions a year", adm.count, "admissions"),
            (f"{site}_los", f"{label}: average length of stay", adm.los_days, "days"),
            (f"{site}_cost", f"{label}: cost per bed day", adm.cost_per_bed_day, "£"),
        ]
    rows += [(f"rate_{k}", label, inputs.rates.get(k), "%") for k, label in RATES.items()]
    rows += [
        (f"staff_{k}", f"Current {label.lower()}", inputs.staffing.get(k), "WTE")
        for k, label in STAFF_ROLES.items()
    ]
    for key, label, value, unit in rows:
        sheets.append_row(ws, [label, value, unit])
        ref[key] = f"Inputs!$B${ws.max_row}"
    ws.append([])
    sheets.append_row(ws, ["Age band", *SEXES.values()])
    first = ws.max_row + 1
    for band, label in AGE_BANDS.items():
        sheets.append_row(ws, [label, *(inputs.bands.get(band_key(sex, band)) for sex in SEXES)])
    ref["bands"] = f"Inputs!$B${first}:$C${ws.max_row}"
    sheets.style_header(ws)
    ws.column_dimensions["A"].width = 48
    return ref


def _assumptions_sheet(wb: Workbook, notes: dict[str, dict]) -> None:
    ws = wb.create_sheet("Assumptions")
    sheets.append_row(ws, ["Name", "Assumption", "Value used", "Unit", "Default",
                           "Site's reason", "Meaning", "Source"])  # fmt: skip
    for key, note in notes.items():
        item = note["item"]
        sheets.append_row(ws, [key, item.label, note["number"], item.unit, item.value,
                               note["reason"], item.meaning, item.citation])  # fmt: skip
        # Named cells let a finance colleague read =caseload*target_identification/100.
        wb.defined_names[key] = DefinedName(key, attr_text=f"Assumptions!$C${ws.max_row}")
    sheets.style_header(ws)
    ws.column_dimensions["B"].width = 40


def _results_sheet(wb: Workbook, state: NeedsState, ref: dict[str, str]) -> None:
    ws = wb.create_sheet("Results")
    # Each formula in column B carries the value the app computed (a cached value, so a
    # viewer that does not recalculate shows it); column E repeats it, rounded, as a plain
    # number for anyone who copies the sheet without its formulas.
    sheets.append_row(
        ws,
        [
            "Result",
            "Spreadsheet formula",
            "Figure on the web page",
            "How it is worked out",
            "Value (stored)",
        ],
    )
    results = state.results()
    figures = results.figures
    r = ref
    nonhip = [s for s in FRACTURE_SITES if s != "hip"]
    counts = ",".join(r[f"{s}_count"] for s in nonhip)
    los_products = "+".join(f"N({r[f'{s}_count']})*N({r[f'{s}_los']})" for s in nonhip)
    lines = [
        ("population", f'=IF({r["population"]}<>"",{r["population"]},SUM({r["bands"]}))'),
        ("hip_per_year", f'=IF({r["hip_count"]}<>"",{r["hip_count"]},'
                         "B2*hip_incidence_per_100k/100000)"),
        ("caseload", "=B3*rule_of_5"),
        ("identify", "=B4*target_identification/100"),
        ("identify_week", "=B5/52"),
        ("treat", "=B5*target_treatment/100"),
        ("treat_week", "=B7/52"),
        ("follow", "=B7*target_followup/100"),
        ("follow_week", "=B9/52"),
        ("started_per_year", "=B7*treatment_uptake/100"),
        ("adherence", "=(target_followup*adherence_reviewed"
                      "+(100-target_followup)*adherence_not_reviewed)/10000"),
        ("hip_1y", "=B11*B12*course_years*hip_risk_untreated/100*hip_risk_reduction/100"),
        ("hip_5y", "=B13*5"),
        ("other_1y", "=B11*B12*course_years*other_risk_untreated/100*other_risk_reduction/100"),
        ("other_5y", "=B15*5"),
        ("bed_days_5y", f'=IF({r["hip_los"]}="","",B14*{r["hip_los"]}'
                        f"+IF(SUM({counts})=0,0,B16*MIN(SUM({counts})/(B4-B3),1)"
                        f"*({los_products})/SUM({counts})))"),
        ("hip_cost_5y", f'=IF(OR({r["hip_los"]}="",{r["hip_cost"]}=""),"",'
                        f'B14*{r["hip_los"]}*{r["hip_cost"]})'),
        ("nurse_low", "=B2/population_per_nurse_high"),
        ("nurse_high", "=B2/population_per_nurse_low"),
        ("admin_low", "=B19*admin_per_nurse"),
        ("admin_high", "=B20*admin_per_nurse"),
    ]  # fmt: skip
    extra = {
        "adherence": ("Share still taking treatment", None,
                      "Follow-up goal × still taking it when followed up + the rest × still "
                      "taking it without follow-up."),
        "hip_cost_5y": ("Hip bed-day costs avoided, from five years of patients", None,
                        "Hip fractures prevented × hip length of stay × hip cost per bed day."),
        "nurse_low": ("Nurses needed (lower end, WTE)", results.staffing[0]["low"],
                      "Population ÷ upper end of population per nurse."),
        "nurse_high": ("Nurses needed (upper end, WTE)", results.staffing[0]["high"],
                       "Population ÷ lower end of population per nurse."),
        "admin_low": ("Administrators needed (lower end, WTE)", results.staffing[1]["low"],
                      "Nurses (lower end) × administrator time per nurse."),
        "admin_high": ("Administrators needed (upper end, WTE)", results.staffing[1]["high"],
                       "Nurses (upper end) × administrator time per nurse."),
    }  # fmt: skip
    for key, formula in lines:
        if key in figures:
            figure = figures[key]
            shown = figure.display if figure.value is not None else figure.missing
            stored = _stored(figure.value)
            cached = sheets.CachedFormula(formula, _cached(figure.value))
            row = [figure.label, cached, shown, figure.formula, stored]
            sheets.append_row(ws, row)
        else:
            label, value, words = extra[key]
            if value is None:
                value = _extra_value(key, state, figures)
            unit = "WTE" if key.startswith(("nurse", "admin")) else ""
            shown = "" if value is None else approx(value, unit)
            cached = sheets.CachedFormula(formula, _cached(value))
            sheets.append_row(ws, [label, cached, shown, words, _stored(value)])
    sheets.style_header(ws)
    ws.column_dimensions["A"].width = 52
    ws.column_dimensions["D"].width = 80
    ws.column_dimensions["E"].width = 16
    for cell in ws["E"][1:]:
        cell.number_format = "#,##0.00"


def _cached(value: float | None) -> float | str:
    """The formula's value as the app computed it; "" where the app has none (the
    formulas answer "" when an input they need is missing)."""
    return "" if value is None else float(value)


def _stored(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _extra_value(key: str, state: NeedsState, figures: dict) -> float | None:
    """The two results the page does not list as figures, worked out as their formulas are."""
    if key == "adherence":
        values = effective_values(state.overrides)
        return adherence(values["target_followup"], values)
    if key == "hip_cost_5y":
        hip = state.inputs.admissions.get("hip")
        hips = figures["hip_5y"].value if "hip_5y" in figures else None
        if hip is None or hips is None or hip.los_days is None or hip.cost_per_bed_day is None:
            return None
        return hips * hip.los_days * hip.cost_per_bed_day
    return None


def needs_workbook(site: Site, state: NeedsState, notes: dict[str, dict]) -> bytes:
    wb = sheets.new_workbook(f"Needs and benefits: {site.name}")
    ref = _inputs_sheet(wb, state)
    _assumptions_sheet(wb, notes)
    _results_sheet(wb, state, ref)
    return sheets.workbook_bytes(wb)


def summary_document(
    site: Site, state: NeedsState, notes: dict[str, dict], shared: SiteFigures | None = None
) -> bytes:
    """One page: the figures a business case needs, with the assumptions that differ.
    `shared`: the figures every document states (`figures_for`), stated first."""
    results = state.results()
    f = results.figures
    doc = word.new_document(site.name, f"Needs and benefits: {site.name}", body_size=10)
    saved = f"{state.version.created_at:%d/%m/%Y}" if state.version else "not yet saved"
    word.para(
        doc,
        f"{site.organisation}. Figures saved {saved}; summary produced {today():%d/%m/%Y}. "
        "Numbers are rounded to what the inputs support.",
    )
    word.heading(doc, "What the service must do", level=2)
    rows = [
        (f["population"].label, f["population"].display),
        (f["hip_per_year"].label, f["hip_per_year"].display),
        (f["caseload"].label + " (rule of 5)", f["caseload"].display),
        ("Patients to identify and assess", f"{f['identify'].display} a year, "
                                            f"{f['identify_week'].display} a week"),
        ("Patients to recommend bone therapy", f"{f['treat'].display} a year"),
        ("Patients to follow up", f"{f['follow'].display} a year"),
    ]  # fmt: skip
    for row in results.staffing[:2]:
        needed = (
            "population needed"
            if row["low"] is None
            else f"{approx(row['low'], 'WTE')} to {approx(row['high'], 'WTE')}"
        )
        current = "not entered" if row["current"] is None else approx(row["current"], "WTE")
        rows.append((f"{row['label']}s needed (current)", f"{needed} ({current})"))
    _table(doc, ["Measure", "Figure"], rows)
    if shared is not None and shared.prevented_words:
        word.heading(doc, "Fractures prevented", level=2)
        word.para(
            doc,
            f"The recommended option, {shared.option}, would prevent {shared.prevented_words} "
            "(counts, not discounted). This is the figure every document states.",
        )
    word.heading(
        doc, "Scale check: fractures and costs avoided against no treatment (needs model)", level=2
    )
    benefit_rows = []
    for key in ("hip_1y", "hip_5y", "other_1y", "other_5y", "bed_days_5y", "cost_5y"):
        figure = f[key]
        benefit_rows.append((figure.label, figure.display if figure.value is not None
                             else figure.missing or "Not worked out"))  # fmt: skip
    _table(doc, ["For a service meeting the 80/50/80 goals", "Figure"], benefit_rows)
    if len(results.scenarios) > 1 or results.scenarios[0].benefits.hip_5y is not None:
        word.heading(doc, "Scenarios", level=2)
        _table(
            doc,
            [
                "Scenario",
                "Starting treatment a year",
                "Hip fractures prevented (from five years of patients)",
                "Other fractures prevented (from five years of patients)",
            ],  # fmt: skip
            [
                (
                    s.scenario.name,
                    *(
                        "missing input" if v is None else approx(v)
                        for v in (
                            s.benefits.started_per_year,
                            s.benefits.hip_5y,
                            s.benefits.other_5y,
                        )  # fmt: skip
                    ),
                )
                for s in results.scenarios
            ],
        )
    changed = [n for n in notes.values() if n["overridden"]]
    word.heading(doc, "Assumptions", level=2)
    if changed:
        word.bullet_list(
            doc,
            [
                f"{n['item'].label}: {n['value']} instead of {n['default']} ({n['reason']})."
                for n in changed
            ],
        )
    else:
        word.para(doc, "All assumptions are the app's default planning values; see needs.xlsx.")
    word.para(
        doc,
        "Fractures prevented are counted over each treated patient's course of treatment. "
        "Sources and the working for every figure are in needs.xlsx.",
    )
    return word.to_bytes(doc)


def _table(doc, head: list[str], rows: list[tuple]) -> None:  # noqa: ANN001 - a docx Document
    word.table(doc, head, rows, caption=head[0], size=10)
