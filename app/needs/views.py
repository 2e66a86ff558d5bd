"""Needs and benefits pages: figures and results, assumptions, scenarios, method, downloads."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.access import get_for_site_or_404
from app.core.downloads import download
from app.core.errors import StaleEdit, check_version
from app.core.web import form_status
from app.extensions import db
from app.needs import bp, charts, export, queries, service
from app.needs.assumptions import Override, default_assumptions, effective_values
from app.needs.figures import figures_for
from app.needs.forms import (
    MAX_OPTIONS,
    SCENARIO_FIELDS,
    AssumptionsForm,
    InputsForm,
    ScenariosForm,
    inputs_form_data,
)
from app.needs.goals import national_goals
from app.needs.model import (
    AGE_BANDS,
    FRACTURE_SITES,
    RATES,
    SEXES,
    STAFF_ROLES,
    NeedsInputs,
    approx,
    band_key,
    compute,
)
from app.needs.models import NeedsVersion


def assumption_text(key: str, value: float) -> str:
    item = default_assumptions()[key]
    if item.kind == "percent":
        return f"{value:g}%"
    if item.kind == "years":
        return f"{value:g} years"
    return f"{value:,g}"


def assumption_notes(state: service.NeedsState) -> dict[str, dict]:
    """Each assumption's value in use, its default and, when overridden, the site's reason."""
    notes = {}
    for key, item in default_assumptions().items():
        override = state.overrides.get(key)
        notes[key] = {
            "item": item,
            "number": override.value if override else item.value,
            "value": assumption_text(key, override.value if override else item.value),
            "default": assumption_text(key, item.value),
            "overridden": override is not None,
            "reason": override.reason if override else "",
        }
    return notes


def _context(state: service.NeedsState) -> dict:
    results = state.results()
    return {
        "state": state,
        "goals": national_goals(),
        "results": results,
        "notes": assumption_notes(state),
        "chart": charts.scenario_chart(results),
        "approx": approx,
        "AGE_BANDS": AGE_BANDS,
        "SEXES": SEXES,
        "FRACTURE_SITES": FRACTURE_SITES,
        "RATES": RATES,
        "STAFF_ROLES": STAFF_ROLES,
        "band_key": band_key,
    }


def _stale(state: service.NeedsState, what: str) -> StaleEdit:
    version = state.version
    return StaleEdit(
        what=what,
        current=[("Saved", f"{version.created_at:%d/%m/%Y %H:%M}" if version else "Nothing")]
        + ([("Change", version.change or "Not described")] if version else []),
        yours=[("Your change", "Not saved")],
        back_url=request.path,
    )


SECTIONS = {"results": "Results", "inputs": "Figures for this site", "versions": "Saved versions"}


@bp.route("/needs", methods=["GET", "POST"])
def index():
    state = queries.current_state(g.site)
    if request.method == "GET":
        data = inputs_form_data(state.inputs)
        if state.version is None and g.site.population_50_plus:
            data["population_total"] = str(g.site.population_50_plus)
        form = InputsForm(data=data | {"base_version": str(state.version_id)})
    else:
        form = InputsForm()
    if form.validate_on_submit():
        check_version(form.base_version.data, state.version_id, _stale(state, "the needs figures"))
        inputs = form.to_inputs()
        if inputs is not None:
            new_state = service.NeedsState(None, inputs, state.overrides, state.scenarios)
            try:
                service.save(g.site, new_state, current_user, form.change.data or "Figures")
            except service.NeedsInvalid as error:
                form.add_errors(error.errors)
            else:
                db.session.commit()
                flash("Needs figures saved. The results below use them.")
                return redirect(url_for("sites.needs.index") + "#results")
    # Results, the figures and the saved versions are three views of one page (plain links,
    # no JavaScript); a site with nothing saved yet starts on the figures.
    show = request.args.get("show", "")
    if form.is_submitted() or show not in SECTIONS:
        show = "inputs" if form.is_submitted() or state.version is None else "results"
    return render_template(
        "needs/index.html",
        form=form,
        show=show,
        sections=SECTIONS,
        history=queries.history(g.site) if show == "versions" else [],
        shared=figures_for(g.site) if show == "results" else None,
        **_context(state),
    ), (422 if form.is_submitted() and form.has_errors else form_status(form))


@bp.get("/needs/versions/<int:version_id>")
def version(version_id: int):
    saved = get_for_site_or_404(NeedsVersion, version_id)
    state = service.state_from_version(saved)
    return render_template("needs/version.html", **_context(state))


@bp.get("/needs/method")
def method():
    state = queries.current_state(g.site)
    published = {"population": 1_600_000, "hip_5y": 1482, "services": 13}
    check = compute(NeedsInputs(population_total=published["population"]), effective_values())
    return render_template(
        "needs/method.html",
        published=published,
        check=check,
        notes=assumption_notes(state),
        approx=approx,
    )


@bp.route("/needs/assumptions", methods=["GET", "POST"])
def assumptions():
    state = queries.current_state(g.site)
    items = default_assumptions()
    if request.method == "GET":
        data = {"base_version": str(state.version_id)}
        for key, override in state.overrides.items():
            data[f"value_{key}"] = f"{override.value:g}"
            data[f"reason_{key}"] = override.reason
        form = AssumptionsForm(data=data)
    else:
        form = AssumptionsForm()
    if form.validate_on_submit():
        check_version(form.base_version.data, state.version_id, _stale(state, "the assumptions"))
        overrides = {}
        for key in items:
            value = form.number(f"value_{key}")
            reason = (getattr(form, f"reason_{key}").data or "").strip()
            if value is not None:
                overrides[key] = Override(value, reason[:300])
        if not form.has_errors:
            new_state = service.NeedsState(None, state.inputs, overrides, state.scenarios)
            try:
                service.save(g.site, new_state, current_user, "Assumptions")
            except service.NeedsInvalid as error:
                form.add_errors(error.errors)
            else:
                db.session.commit()
                flash("Assumptions saved. Results now use the site's values where given.")
                return redirect(url_for("sites.needs.index") + "#results")
    return render_template(
        "needs/assumptions.html", form=form, items=items, notes=assumption_notes(state)
    ), (422 if form.is_submitted() and form.has_errors else 200)


@bp.route("/needs/scenarios", methods=["GET", "POST"])
def scenarios():
    state = queries.current_state(g.site)
    if request.method == "GET":
        data = {"base_version": str(state.version_id)}
        for n, option in enumerate(state.scenarios, start=1):
            data[f"opt{n}_name"] = option.name
            for key in SCENARIO_FIELDS:
                value = getattr(option, key)
                data[f"opt{n}_{key}"] = "" if value is None else f"{value:g}"
        form = ScenariosForm(data=data)
    else:
        form = ScenariosForm()
    if form.validate_on_submit():
        check_version(form.base_version.data, state.version_id, _stale(state, "the scenarios"))
        options = form.to_scenarios()
        if options is not None:
            new_state = service.NeedsState(None, state.inputs, state.overrides, options)
            service.save(g.site, new_state, current_user, "Scenarios")
            db.session.commit()
            flash("Scenarios saved.")
            return redirect(url_for("sites.needs.index") + "#scenarios")
    return render_template(
        "needs/scenarios.html",
        form=form,
        options=range(1, MAX_OPTIONS + 1),
        fields=SCENARIO_FIELDS,
        **_context(state),
    ), (422 if form.is_submitted() and form.has_errors else 200)


@bp.get("/needs.xlsx")
def download_xlsx():
    state = queries.current_state(g.site)
    data = export.needs_workbook(g.site, state, assumption_notes(state))
    return download(data, site_name=g.site.name, document="needs", ext="xlsx")


@bp.get("/needs-summary.docx")
def download_docx():
    state = queries.current_state(g.site)
    data = export.summary_document(g.site, state, assumption_notes(state), figures_for(g.site))
    return download(data, site_name=g.site.name, document="needs-summary", ext="docx")
