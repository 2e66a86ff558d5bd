"""Business case pages: the case, costs, options, decision route, decision, specification,
and the downloads. Thin: parse the form, call the service, render."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from app.business_case import bp, case_docx, chart, fmt, queries, service, spec_docx, workbook
from app.business_case.answer import answer
from app.business_case.calc import OPTION_KEYS
from app.business_case.cohort import FRACTURE_SITES
from app.business_case.costs import GROUPS, nation_costs, show
from app.business_case.economic import economic_case
from app.business_case.economics import economics
from app.business_case.figures import figures_from
from app.business_case.forms import (
    OWN_FIELDS,
    CostsForm,
    DecisionForm,
    OptionsForm,
    RouteForm,
    SpecForm,
)
from app.business_case.models import HEADER_DATES, HEADER_FIELDS, ROUTE_FIELDS, SPEC_FIELDS
from app.core.dates import today, uk_datetime
from app.core.downloads import download
from app.core.errors import StaleEdit, check_version
from app.extensions import db
from app.needs.goals import national_goals


@bp.context_processor
def _formatting() -> dict:
    return {
        "money": fmt.money,
        "count": fmt.count,
        "per_qaly": fmt.per_qaly,
        "chance": fmt.chance,
        "qalys": fmt.qalys,
    }


def _stale(state: service.CaseState, what: str) -> StaleEdit:
    case = state.case
    return StaleEdit(
        what=what,
        current=[("Saved", uk_datetime(case.updated_at) if case else "Nothing")],
        yours=[("Your change", "Not saved")],
        back_url=request.path,
    )


def _add_errors(form: FlaskForm, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]


def _invalid(form: FlaskForm) -> bool:
    return bool(form.form_errors) or any(f.errors for f in form)


def _status(form: FlaskForm) -> int:
    return 422 if form.is_submitted() and _invalid(form) else 200


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@bp.get("/business-case")
def index():
    state = service.load(g.site)
    result = answer(state.appraisal)
    return render_template(
        "business_case/index.html",
        state=state,
        a=state.appraisal,
        answer=result,
        option_cases={
            key: economic_case(state.appraisal, key)
            for key in state.appraisal.options
            if key != "nothing"
        },
        price_base=economics().price_base,
        sites=FRACTURE_SITES,
        tornado_chart=chart.tornado_svg(result.tornado) if result else None,
        curve_chart=chart.acceptability_svg(result.run) if result else None,
        decision=service.decision_for(state.case),
        outcomes=service.OUTCOMES,
        outcome_of=service.outcome_of,
        route_fields=ROUTE_FIELDS,
        spec_missing=state.case.spec_missing if state.case else None,
        wording=service.plain_english(state.case),
        goals=national_goals(),
    )


@bp.route("/business-case/costs", methods=["GET", "POST"])
def costs():
    state = service.load(g.site)
    items = nation_costs(g.site.nation)
    if request.method == "GET":
        data = {
            "version": str(state.version),
            "horizon": str(state.appraisal.horizon),
            "lifetime": state.appraisal.lifetime,
        }
        for key, row in state.values.items():
            data[f"value_{key}"] = f"{row.value:g}"
            data[f"reason_{key}"] = row.reason
        form = CostsForm(data=data)
    else:
        form = CostsForm()
    if form.validate_on_submit():
        check_version(form.version.data, state.version, _stale(state, "the costs"))
        entered = form.entered()
        horizon = form.number("horizon", whole=True)
        if not form.has_errors:
            try:
                service.save_costs(g.site, entered, horizon, bool(form.lifetime.data))
            except service.CaseInvalid as error:
                form.add_errors(error.errors)
            else:
                db.session.commit()
                flash("Costs saved. The business case below uses them.")
                return redirect(url_for("sites.business_case.index") + "#case")
    return render_template(
        "business_case/costs.html",
        form=form,
        items=items,
        groups=GROUPS,
        state=state,
        show=show,
        evidence=economics(),
    ), _status(form)


@bp.route("/business-case/options", methods=["GET", "POST"])
def options():
    state = service.load(g.site)
    case = state.case
    if request.method == "GET":
        data = {"version": str(state.version), "preferred": case.preferred if case else "full"}
        if case:
            data |= {"own_name": case.own_name, "own_description": case.own_description}
            data |= {f"own_{k}": _number_text(getattr(case, f"own_{k}")) for k in OWN_FIELDS}
            data["own_setup"] = _number_text(case.own_setup)
        form = OptionsForm(data=data)
    else:
        form = OptionsForm()
    if form.validate_on_submit():
        check_version(form.version.data, state.version, _stale(state, "the options"))
        numbers = {key: form.number(f"own_{key}") for key in OWN_FIELDS}
        setup = form.number("own_setup")
        if not form.has_errors:
            try:
                service.save_options(
                    g.site,
                    form.own_name.data or "",
                    form.own_description.data or "",
                    numbers,
                    setup,
                    form.preferred.data,
                )
            except service.CaseInvalid as error:
                form.add_errors(error.errors)
            else:
                db.session.commit()
                flash("Options saved.")
                return redirect(url_for("sites.business_case.index") + "#options")
    return render_template(
        "business_case/options.html", form=form, own_fields=OWN_FIELDS, keys=OPTION_KEYS
    ), _status(form)


@bp.route("/business-case/route", methods=["GET", "POST"])
def route():
    state = service.load(g.site)
    case = state.case
    if request.method == "GET":
        data = {"version": str(state.version)}
        if case:
            data |= {key: getattr(case, key) for key in ROUTE_FIELDS}
            data["deadline"] = case.deadline
        form = RouteForm(data=data)
    else:
        form = RouteForm()
    if form.validate_on_submit():
        check_version(form.version.data, state.version, _stale(state, "the decision route"))
        texts = {key: getattr(form, key).data or "" for key in ROUTE_FIELDS}
        service.save_route(g.site, texts, form.deadline.data)
        db.session.commit()
        flash("Decision route saved.")
        return redirect(url_for("sites.business_case.index") + "#route")
    return render_template("business_case/route.html", form=form, fields=ROUTE_FIELDS), _status(
        form
    )


@bp.route("/business-case/decision", methods=["GET", "POST"])
def decision():
    state = service.load(g.site)
    entry = service.decision_for(state.case)
    if request.method == "GET":
        data = {"version": str(state.version)}
        if entry is not None:
            data |= {
                "decided_on": entry.decided_on,
                "body": entry.decider,
                "outcome": service.outcome_of(entry) or "",
            }
        form = DecisionForm(data=data)
    else:
        form = DecisionForm()
    if form.validate_on_submit():
        check_version(form.version.data, state.version, _stale(state, "the decision"))
        try:
            service.record_decision(
                g.site,
                form.decided_on.data,
                form.body.data or "",
                form.outcome.data or "",
                form.notes.data or "",
                today(),
            )
        except service.CaseInvalid as error:
            _add_errors(form, error.errors)
        else:
            db.session.commit()
            flash("Decision recorded. It is in the RAID log and the Phase 4 gateway reads it.")
            return redirect(url_for("sites.business_case.index") + "#decision")
    return render_template("business_case/decision.html", form=form, entry=entry), _status(form)


@bp.route("/business-case/specification", methods=["GET", "POST"])
def specification():
    state = service.load(g.site)
    case = state.case
    if request.method == "GET":
        data = {"version": str(state.version)}
        if case:
            data |= {key: getattr(case, key) for key in SPEC_FIELDS | HEADER_FIELDS}
            data |= {key: getattr(case, key) for key in HEADER_DATES}
        form = SpecForm(data=data)
    else:
        form = SpecForm()
    if form.validate_on_submit():
        check_version(form.version.data, state.version, _stale(state, "the specification"))
        texts = {key: getattr(form, key).data or "" for key in SPEC_FIELDS | HEADER_FIELDS}
        try:
            service.save_spec(g.site, texts, {key: getattr(form, key).data for key in HEADER_DATES})
        except service.CaseInvalid as error:
            _add_errors(form, error.errors)
        else:
            db.session.commit()
            flash("Service specification saved.")
            return redirect(url_for("sites.business_case.index") + "#specification")
    return render_template(
        "business_case/specification.html",
        form=form,
        fields=SPEC_FIELDS,
        missing=state.case.spec_missing if state.case else list(SPEC_FIELDS.values()),
    ), _status(form)


@bp.get("/business-case/business-case.docx")
def business_case_docx():
    data = case_docx.business_case_bytes(g.site, today())
    return download(data, site_name=g.site.name, document="business-case", ext="docx")


@bp.get("/business-case/service-specification.docx")
def specification_docx():
    facts = queries.case_facts(g.site)
    shared = figures_from(g.site.nation, facts.state, facts.targets)
    data = spec_docx.specification_bytes(g.site, facts.state.case, shared, today())
    return download(data, site_name=g.site.name, document="service-specification", ext="docx")


@bp.get("/business-case/model.xlsx")
def model_xlsx():
    data = workbook.model_workbook(g.site, service.load(g.site))
    return download(data, site_name=g.site.name, document="business-case-model", ext="xlsx")
