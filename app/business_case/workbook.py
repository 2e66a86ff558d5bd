"""business-case-model.xlsx: the inputs, each option against today's service, the cohort
model year by year, the budget and the evidence. Every formula is written with the value the
app computed for it (`CachedFormula`, saved by `workbook_bytes`), so a reader that does not
recalculate sees the app's figures and a finance colleague can check the working.

Plain openpyxl in one module; cells and the title go through the shared spreadsheet helpers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font

from app.business_case.cohort import Comparison
from app.business_case.costs import default_costs
from app.business_case.economic import economic_case
from app.business_case.economics import economics
from app.business_case.fmt import per_qaly
from app.business_case.service import CaseState
from app.core.spreadsheet import (
    CachedFormula,
    append_row,
    set_properties,
    workbook_bytes,
)

if TYPE_CHECKING:
    from app.sites.models import Site

BOLD = Font(bold=True)


def _inputs(wb: Workbook, state: CaseState) -> None:
    ws = wb.active
    ws.title = "Inputs"
    append_row(
        ws, ["Name", "Input", "Value used", "Unit", "Default", "Site's reason", "Source", "Year"]
    )
    costs = state.appraisal.costs
    for key, item in default_costs().items():
        own = state.values.get(key)
        append_row(
            ws,
            [key, item.label, costs[key], item.unit, item.value,
             own.reason if own else "", item.source, item.year],
        )  # fmt: skip
    case = state.appraisal.case
    option = case.option
    rows = [
        ("nurse_wte", "Specialist nurses (recommended option)", option.nurse_wte, "WTE"),
        ("admin_wte", "Administrators (recommended option)", option.admin_wte, "WTE"),
        ("sessions", "Consultant sessions a week (recommended option)", option.sessions, ""),
        ("setup", "Set-up cost of the recommended option", option.setup, "£"),
        ("assessed", "Patients assessed a year (from the needs page)", case.assessed, "patients"),
        ("started", "Patients starting treatment a year (from the needs page)", case.started,
         "patients"),
    ]  # fmt: skip
    append_row(ws, [])
    ws.cell(append_row(ws, ["Name", "The recommended option", "Value", "Unit"]), 1).font = BOLD
    for row in rows:
        append_row(ws, list(row))
    for cell in ws[1]:
        cell.font = BOLD
    ws.column_dimensions["B"].width = 50


def _options(wb: Workbook, state: CaseState) -> None:
    """Each option against today's service from the cohort model (the page's table)."""
    a = state.appraisal
    ws = wb.create_sheet("Options")
    append_row(
        ws,
        ["Option", "Identification %", "Nurses (WTE)", "Administrators (WTE)",
         "Consultant sessions a week", "Set-up £",
         "Extra cost for one year's patients £ (discounted)", "QALYs gained (discounted)",
         "Fractures prevented (not discounted)", "Cost per QALY £", "Recommended",
         "Missing inputs"],
    )  # fmt: skip
    for key, result in a.options.items():
        o = result.option
        e = economic_case(a, key) if key != "nothing" else None
        n = ws.max_row + 1
        if e is None:
            figures: list[object] = ["", "", "", ""]
        else:
            per_qaly = _per_qaly(e.comparison, f"=G{n}/H{n}")
            figures = [e.cost(), e.qalys(), e.prevented_total, per_qaly]
        missing = "; ".join(result.missing)
        if e is None and key != "nothing" and not missing:
            missing = "today's identification, treatment and follow-up rates"
        if key == "nothing":
            missing = missing or "Today's service: the comparison"
        append_row(
            ws,
            [o.name, o.identification, o.nurse_wte, o.admin_wte, o.sessions, o.setup, *figures,
             "Yes" if key == a.preferred else "", missing],
        )  # fmt: skip
    for cell in ws[1]:
        cell.font = BOLD


def _per_qaly(comparison: Comparison, formula: str) -> object:
    """Cost per QALY as a formula with the app's value, or the page's words where a ratio
    would mislead (a cost-saving service has a negative one; no QALYs gained, none)."""
    if comparison.dominant or comparison.icer is None:
        return per_qaly(comparison.icer, comparison.dominant)
    return CachedFormula(formula, comparison.icer)


def _cohort(wb: Workbook, state: CaseState) -> None:
    """The cohort model's answer year by year: each arm per patient, and the budget."""
    ws = wb.create_sheet("Cohort model")
    case = economic_case(state.appraisal)
    if case is None:
        append_row(
            ws, ["Not worked out: enter today's rates and the population on the needs page."]
        )
        return
    cmp = case.comparison
    append_row(ws, [f"{case.name} against today's service, per patient in the caseload "
                    f"({case.patients:,.0f} a year), over {case.horizon_words}"])  # fmt: skip
    append_row(
        ws,
        ["Year", "Discount factor"]
        + [
            f"{arm}: {what}"
            for arm in ("Service", "Today")
            for what in ("alive", "years on treatment", "hip fractures", "service £",
                         "medicines £", "NHS fracture costs £", "social care £", "QALYs")
        ],
    )  # fmt: skip
    for i, d in enumerate(cmp.service.discount):
        row: list[object] = [i + 1, d]
        for arm in (cmp.service, cmp.usual):
            row += [arm.alive[i], arm.on_treatment[i], arm.hip[i], arm.service[i],
                    arm.drug[i], arm.nhs[i], arm.social[i], arm.qalys[i]]  # fmt: skip
        append_row(ws, row)
    append_row(ws, [])
    cost = append_row(ws, ["Extra cost a patient, discounted £", cmp.cost()])
    gained = append_row(ws, ["QALYs gained a patient, discounted", cmp.qalys()])
    append_row(ws, ["Cost per QALY £", _per_qaly(cmp, f"=B{cost}/B{gained}")])
    budget = wb.create_sheet("Budget")
    append_row(budget, ["Year", "Extra spending £ (not discounted)", "Costs avoided £ (not "
                        "discounted)", "Net £ (not discounted)", "Discount factor",
                        "Net so far £ (discounted)"])  # fmt: skip
    so_far = case.budget.cumulative()  # the app's (year, spend, offsets) so far, discounted
    for n, (y, (_, spend, offsets)) in enumerate(zip(case.budget.years, so_far, strict=True), 2):
        running = f"=D{n}*E{n}" if n == 2 else f"=F{n - 1}+D{n}*E{n}"
        append_row(budget, [y.number, y.spend, y.offsets, CachedFormula(f"=B{n}-C{n}", y.net),
                            y.discount, CachedFormula(running, spend - offsets)])  # fmt: skip
    evidence = wb.create_sheet("Evidence")
    e = economics()
    append_row(evidence, ["Name", "Value", f"Value used ({e.price_base} prices)", "Low", "High",
                          "Unit", "Source", "Year", "Price year"])  # fmt: skip
    for p in e.parameters.values():
        append_row(evidence, [p.key, p.label, p.value, p.low, p.high, p.unit, p.source, p.year,
                              p.price_year])  # fmt: skip
    for sheet in (ws, budget, evidence):
        for cell in sheet[1 if sheet is not ws else 2]:
            cell.font = BOLD


def model_workbook(site: Site, state: CaseState) -> bytes:
    """The workbook: inputs, options, the cohort model, the budget and the evidence (the
    bed-day "By year" sheet of the old model is gone: every figure is the cohort model's)."""
    wb = Workbook()
    _inputs(wb, state)
    _options(wb, state)
    _cohort(wb, state)
    set_properties(wb, f"{site.name}: business case model")
    return workbook_bytes(wb)
