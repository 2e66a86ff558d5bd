"""business-case-model.xlsx: the inputs, and every figure by year as an Excel formula with the
app's own value beside it, so a finance colleague can follow and check the working.

Plain openpyxl in one module; cells and the title go through the shared spreadsheet helpers.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font

from app.business_case.costs import default_costs
from app.business_case.economic import economic_case
from app.business_case.economics import economics
from app.business_case.service import CaseState
from app.core.spreadsheet import safe_text, set_properties

if TYPE_CHECKING:
    from app.sites.models import Site

BOLD = Font(bold=True)


def _inputs(wb: Workbook, state: CaseState) -> dict[str, str]:
    ws = wb.active
    ws.title = "Inputs"
    ws.append(["Name", "Input", "Value used", "Unit", "Default", "Site's reason", "Source", "Year"])
    ref: dict[str, str] = {}
    costs = state.appraisal.costs
    for key, item in default_costs().items():
        own = state.values.get(key)
        ws.append(
            [
                key,
                item.label,
                costs[key],
                item.unit,
                item.value,
                safe_text(own.reason) if own else "",
                item.source,
                item.year,
            ]
        )
        ref[key] = f"Inputs!$C${ws.max_row}"
    case = state.appraisal.case
    option = case.option
    rows = [
        ("nurse_wte", "Specialist nurses (recommended option)", option.nurse_wte, "WTE"),
        ("admin_wte", "Administrators (recommended option)", option.admin_wte, "WTE"),
        ("sessions", "Consultant sessions a week (recommended option)", option.sessions, ""),
        ("setup", "Set-up cost of the recommended option", option.setup, "£"),
        ("assessed", "Patients assessed a year (from the needs page)", case.assessed, "patients"),
        (
            "started",
            "Patients starting treatment a year (from the needs page)",
            case.started,
            "patients",
        ),
        ("course", "Years of protection per course (needs assumption)", case.course, "years"),
        ("hip_cohort", "Hip fractures prevented by one year of patients", case.hip_cohort, ""),
        (
            "other_cohort",
            "Other fractures prevented by one year of patients",
            case.other_cohort,
            "",
        ),
        ("bed_cohort", "Bed-day costs avoided by one year of patients", case.bed_cohort, "£"),
    ]
    ws.append([])
    ws.append(["Name", "From the needs model and the options", "Value", "Unit"])
    ws.cell(ws.max_row, 1).font = BOLD
    for key, label, value, unit in rows:
        ws.append([key, label, value, unit])
        ref[key] = f"Inputs!$C${ws.max_row}"
    for cell in ws[1]:
        cell.font = BOLD
    ws.column_dimensions["B"].width = 50
    return ref


def _by_year(wb: Workbook, state: CaseState, r: dict[str, str]) -> None:
    ws = wb.create_sheet("By year")
    headers = [
        "Year",
        "Population growth",
        "Share of a full course on treatment",
        "Staff",
        "Running",
        "Patient costs",
        "Set-up",
        "Cost",
        "Hip fractures prevented",
        "Other fractures prevented",
        "Bed-day savings",
        "Social care savings",
        "Savings",
        "Discount factor",
        "Discounted cost",
        "Discounted savings",
        "App: cost",
        "App: savings",
        "App: discounted cost",
        "App: discounted savings",
    ]
    ws.append(headers)
    for year in state.appraisal.case.years:
        n = ws.max_row + 1
        ws.append(
            [
                year.number,
                f"=(1+{r['population_growth']}/100)^(A{n}-1)",
                f"=MIN(A{n},{r['course']})/{r['course']}",
                f"=({r['nurse_wte']}*{r['nurse_salary']}+{r['admin_wte']}*{r['admin_salary']}"
                f"+{r['sessions']}*{r['session_cost']})*(1+{r['oncost_percent']}/100)",
                f"=IF(D{n}>0,{r['space_cost']}+{r['it_cost']}+{r['audit_cost']},0)",
                f"=({r['assessed']}*{r['dxa_share']}/100*{r['dxa_cost']}"
                f"+{r['started']}*{r['drug_cost']})*B{n}",
                f"=IF(A{n}=1,{r['setup']},0)",
                f"=D{n}+E{n}+F{n}+G{n}",
                f"={r['hip_cohort']}*C{n}*B{n}",
                f"={r['other_cohort']}*C{n}*B{n}",
                f"={r['bed_cohort']}*C{n}*B{n}",
                f"=I{n}*{r['social_care_per_hip']}",
                f"=K{n}+L{n}",
                f"=1/(1+{r['discount_rate']}/100)^(A{n}-1)",
                f"=H{n}*N{n}",
                f"=M{n}*N{n}",
                year.cost,
                year.savings,
                year.cost_pv,
                year.savings_pv,
            ]
        )
    last = ws.max_row
    ws.append(["Total", *[""] * 13, f"=SUM(O2:O{last})", f"=SUM(P2:P{last})"])
    for cell in ws[1]:
        cell.font = BOLD


def _options(wb: Workbook, state: CaseState) -> None:
    a = state.appraisal
    ws = wb.create_sheet("Options")
    ws.append(
        [
            "Option",
            "Identification %",
            "Treatment %",
            "Follow-up %",
            "Nurses (WTE)",
            "Administrators (WTE)",
            "Consultant sessions a week",
            "Set-up £",
            f"Discounted cost over {a.horizon} years £",
            "Discounted savings £",
            "Fractures prevented",
            "Break-even year",
            "Missing inputs",
        ]
    )
    for result in a.options.values():
        o = result.option
        t = result.totals(a.horizon)
        ws.append(
            [
                safe_text(o.name),
                o.identification,
                o.treatment,
                o.followup,
                o.nurse_wte,
                o.admin_wte,
                o.sessions,
                o.setup,
                t.cost if t else None,
                t.savings if t else None,
                t.fractures if t else None,
                result.break_even(),
                "; ".join(result.missing),
            ]
        )
    for cell in ws[1]:
        cell.font = BOLD


def _cohort(wb: Workbook, state: CaseState) -> None:
    """The cohort model's answer year by year: each arm per patient, and the budget."""
    ws = wb.create_sheet("Cohort model")
    case = economic_case(state.appraisal)
    if case is None:
        ws.append(["Not worked out: enter today's rates and the population on the needs page."])
        return
    cmp = case.comparison
    ws.append([safe_text(f"{case.name} against today's service, per patient in the caseload "
                     f"({case.patients:,.0f} a year), over {case.horizon_words}")])  # fmt: skip
    ws.append(
        ["Year", "Discount factor"]
        + [
            f"{arm}: {what}"
            for arm in ("Service", "Today")
            for what in (
                "alive",
                "years on treatment",
                "hip fractures",
                "service £",
                "medicines £",
                "NHS fracture costs £",
                "social care £",
                "QALYs",
            )
        ]  # fmt: skip
    )
    for i, d in enumerate(cmp.service.discount):
        row: list[object] = [i + 1, d]
        for arm in (cmp.service, cmp.usual):
            row += [arm.alive[i], arm.on_treatment[i], arm.hip[i], arm.service[i],
                    arm.drug[i], arm.nhs[i], arm.social[i], arm.qalys[i]]  # fmt: skip
        ws.append(row)
    ws.append([])
    ws.append(["Extra cost a patient, discounted £", cmp.cost()])
    ws.append(["QALYs gained a patient, discounted", cmp.qalys()])
    ws.append(["Cost per QALY £", cmp.icer if cmp.icer is not None else "No QALYs gained"])
    budget = wb.create_sheet("Budget")
    budget.append(["Year", "Extra spending £ (not discounted)", "Costs avoided £ (not "
                   "discounted)", "Net £ (not discounted)", "Discount factor",
                   "Net so far £ (discounted)"])  # fmt: skip
    for n, y in enumerate(case.budget.years, start=2):
        budget.append([y.number, y.spend, y.offsets, f"=B{n}-C{n}", y.discount,
                       f"=SUMPRODUCT(D$2:D{n},E$2:E{n})"])  # fmt: skip
    evidence = wb.create_sheet("Evidence")
    e = economics()
    evidence.append(["Name", "Value", f"Value used ({e.price_base} prices)", "Low", "High",
                     "Unit", "Source", "Year", "Price year"])  # fmt: skip
    for p in e.parameters.values():
        evidence.append([p.key, p.label, p.value, p.low, p.high, p.unit, p.source, p.year,
                         p.price_year])  # fmt: skip
    for sheet in (ws, budget, evidence):
        for cell in sheet[1 if sheet is not ws else 2]:
            cell.font = BOLD


def model_workbook(site: Site, state: CaseState) -> bytes:
    wb = Workbook()
    refs = _inputs(wb, state)
    if state.appraisal.case.ok:
        _by_year(wb, state, refs)
    else:
        ws = wb.create_sheet("By year")
        ws.append(["Not worked out: enter " + "; ".join(state.appraisal.case.missing) + "."])
    _options(wb, state)
    _cohort(wb, state)
    set_properties(wb, f"{site.name}: business case model")
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
