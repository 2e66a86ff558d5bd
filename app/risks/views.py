"""Routes of the RAID log: thin, every record loaded through the current site."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.core.access import get_for_site_or_404, require_site_role
from app.core.audit import AuditEvent, record_event
from app.core.dates import today, uk_date
from app.core.downloads import download
from app.core.errors import ServiceError, StaleEdit, apply_form_errors, check_version
from app.core.forms import ConfirmForm
from app.core.web import form_status
from app.extensions import db
from app.people.models import Person
from app.risks import bp, queries, service
from app.risks.export import entries_workbook
from app.risks.forms import EntryForm, MitigationForm, StartersForm
from app.risks.models import (
    ALL_STATUSES,
    IMPACT_WORDS,
    KIND_PLURALS,
    KINDS,
    LIKELIHOOD_WORDS,
    Mitigation,
    RaidEntry,
)
from app.risks.scoring import BANDS
from app.risks.starters import STARTERS_BY_KEY
from app.sites.history import describe
from app.toolkit import get_toolkit

# What an entry's pages show: get_for_site_or_404(RaidEntry, id, *ENTRY_PAGE)
ENTRY_PAGE = (
    selectinload(RaidEntry.owner),
    joinedload(RaidEntry.agreed_meeting),
    joinedload(RaidEntry.agreed_recorded_by),
    selectinload(RaidEntry.mitigations).selectinload(Mitigation.task),
)


@bp.get("/risks")
def index():
    filters = queries.Filters.from_args(request.args)
    entries = queries.list_entries(g.site.id, filters)
    owners = service.owner_choices(g.site.id)
    starters = queries.available_starters(g.site.id) if not entries and not filters.active else []
    return render_template(
        "risks/index.html",
        entries=entries,
        filters=filters,
        owners=owners,
        heat=queries.heat_map(g.site.id),
        bands=BANDS,
        kinds=KINDS,
        kind_plurals=KIND_PLURALS,
        statuses=ALL_STATUSES,
        starters=starters,
        starters_form=StartersForm(),
        overdue=queries.overdue_reviews(g.site.id, today()),
        on=today(),
    )


@bp.get("/risks.xlsx")
def export():
    entries = queries.list_entries(g.site.id, queries.Filters.from_args(request.args))
    # Build before committing: a commit expires the loaded rows, and reading them again
    # would cost one query per entry.
    texts = queries.mitigation_texts([entry.id for entry, _count in entries])
    workbook = entries_workbook(
        [(entry, texts.get(entry.id, "")) for entry, _count in entries], today()
    )
    site_name = g.site.name  # read before the commit expires it
    record_event("export", site_id=g.site.id, detail="RAID log spreadsheet")
    db.session.commit()
    return download(workbook, site_name=site_name, document="raid-log", ext="xlsx")


@bp.route("/risks/new", methods=["GET", "POST"])
def new():
    require_site_role("editor")
    kind = request.args.get("kind", "risk")
    if kind not in KINDS:
        kind = "risk"
    form = EntryForm().setup(
        kind, service.owner_choices(g.site.id), service.meeting_choices(g.site.id)
    )
    if request.method == "GET":
        form.status.data = "proposed" if kind == "decision" else "open"
    if form.validate_on_submit():
        try:
            entry = service.create_entry(g.site, form.details())
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(f"{entry.kind_name} added to the log.")
            return redirect(url_for("sites.risks.show", entry_id=entry.id))
    return render_template("risks/form.html", form=form, kind=kind, entry=None), form_status(form)


def _stale(entry: RaidEntry, form: EntryForm) -> StaleEdit:
    return StaleEdit(
        what=f"the {entry.kind_name.lower()} '{entry.title}'",
        current=[
            ("Title", entry.title),
            ("Status", entry.status_name),
            ("Next review", uk_date(entry.review_on, "Not set")),
        ],
        yours=[
            ("Title", form.title.data or ""),
            ("Status", ALL_STATUSES.get(form.status.data, form.status.data or "")),
            ("Next review", uk_date(form.review_on.data, "Not set")),
        ],
        back_url=url_for("sites.risks.edit", entry_id=entry.id),
    )


@bp.route("/risks/<int:entry_id>/edit", methods=["GET", "POST"])
def edit(entry_id: int):
    require_site_role("editor")
    entry = get_for_site_or_404(RaidEntry, entry_id, *ENTRY_PAGE)
    form = EntryForm(obj=entry).setup(
        entry.kind, service.owner_choices(g.site.id), service.meeting_choices(g.site.id)
    )
    if request.method == "GET":
        form.version.data = entry.version
    if form.validate_on_submit():
        check_version(form.version.data, entry.version, _stale(entry, form))
        agreed = entry.agreement_stands
        try:
            service.update_entry(g.site, entry, form.details())
        except ServiceError as error:
            db.session.rollback()
            apply_form_errors(form, error)
        else:
            db.session.commit()
            lapsed = agreed and not entry.agreement_stands
            flash(
                f"{entry.kind_name} saved. The steering group agreed the plan before this "
                "change: record its agreement again once it has agreed the changed plan."
                if lapsed
                else f"{entry.kind_name} saved."
            )
            return redirect(url_for("sites.risks.show", entry_id=entry.id))
    return render_template("risks/form.html", form=form, kind=entry.kind, entry=entry), form_status(
        form
    )


def _history(entry: RaidEntry) -> list[tuple[AuditEvent, str | None]]:
    """The entry's history and its mitigations' (linked by id), newest first."""
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.site_id == g.site.id,
                or_(
                    and_(AuditEvent.object_type == "raid_entry", AuditEvent.object_id == entry.id),
                    and_(AuditEvent.parent_type == "raid_entry", AuditEvent.parent_id == entry.id),
                ),
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )
    user_ids = {e.user_id for e in events if e.user_id}
    names = (
        dict(db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
        if user_ids
        else {}
    )
    return [(event, names.get(event.user_id)) for event in events]


def _show(entry: RaidEntry, mitigation_form: MitigationForm, status: int = 200):
    people = dict(
        db.session.execute(select(Person.id, Person.name).where(Person.site_id == g.site.id)).all()
    )

    history = _history(entry)
    # Each change in words (labels, names, UK dates), read through the site history's reader.
    words = describe([event for event, _who in history], g.site.id)
    return render_template(
        "risks/show.html",
        entry=entry,
        mitigation_form=mitigation_form,
        confirm=ConfirmForm(),
        history=history,
        changes={event.id: row.change for (event, _who), row in zip(history, words, strict=True)},
        people=people,
        on=today(),
    ), status


@bp.get("/risks/<int:entry_id>")
def show(entry_id: int):
    entry = get_for_site_or_404(RaidEntry, entry_id, *ENTRY_PAGE)
    return _show(entry, MitigationForm().setup(service.task_choices(g.site.id)))


@bp.post("/risks/<int:entry_id>/mitigations")
def add_mitigation(entry_id: int):
    entry = get_for_site_or_404(RaidEntry, entry_id, *ENTRY_PAGE)
    form = MitigationForm().setup(service.task_choices(g.site.id))
    if form.validate_on_submit():
        try:
            service.add_mitigation(
                g.site,
                entry,
                form.description.data or "",
                form.task_id.data if isinstance(form.task_id.data, int) else None,
                (form.residual_likelihood.data, form.residual_impact.data),
            )
        except ServiceError as error:
            db.session.rollback()
            entry = get_for_site_or_404(RaidEntry, entry_id, *ENTRY_PAGE)
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Mitigation added.")
            return redirect(url_for("sites.risks.show", entry_id=entry.id) + "#mitigations")
    return _show(entry, form, 422)


@bp.post("/risks/<int:entry_id>/mitigations/<int:mitigation_id>/done")
def mitigation_done(entry_id: int, mitigation_id: int):
    entry = get_for_site_or_404(RaidEntry, entry_id, *ENTRY_PAGE)
    mitigation = get_for_site_or_404(Mitigation, mitigation_id)
    if mitigation.entry_id != entry.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        # The button says which state it wants, so two people clicking at once agree.
        mitigation.done = request.form.get("done") == "y"
        db.session.commit()
        flash("Mitigation marked done." if mitigation.done else "Mitigation reopened.")
    return redirect(url_for("sites.risks.show", entry_id=entry.id) + "#mitigations")


@bp.route("/risks/<int:entry_id>/mitigations/<int:mitigation_id>/delete", methods=["GET", "POST"])
def delete_mitigation(entry_id: int, mitigation_id: int):
    require_site_role("editor")
    entry = get_for_site_or_404(RaidEntry, entry_id, *ENTRY_PAGE)
    mitigation = get_for_site_or_404(Mitigation, mitigation_id)
    if mitigation.entry_id != entry.id:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        db.session.delete(mitigation)
        db.session.commit()
        flash("Mitigation removed.")
        return redirect(url_for("sites.risks.show", entry_id=entry.id) + "#mitigations")
    return render_template(
        "risks/confirm.html",
        form=form,
        heading="Remove this mitigation?",
        what=mitigation.description,
        button="Remove mitigation",
        back=url_for("sites.risks.show", entry_id=entry.id),
    )


@bp.route("/risks/<int:entry_id>/delete", methods=["GET", "POST"])
def delete(entry_id: int):
    require_site_role("editor")
    entry = get_for_site_or_404(RaidEntry, entry_id, *ENTRY_PAGE)
    form = ConfirmForm()
    if form.validate_on_submit():
        kind = entry.kind_name
        service.delete_entry(entry)
        db.session.commit()
        flash(f"{kind} deleted from the log. Its history is kept.")
        return redirect(url_for("sites.risks.index"))
    return render_template(
        "risks/confirm.html",
        form=form,
        heading=f"Delete this {entry.kind_name.lower()}?",
        what=entry.title,
        button=f"Delete {entry.kind_name.lower()}",
        back=url_for("sites.risks.show", entry_id=entry.id),
    )


@bp.route("/risks/starters", methods=["GET", "POST"])
def starters():
    require_site_role("editor")
    form = StartersForm()
    available = queries.available_starters(g.site.id)
    if form.validate_on_submit():
        try:
            added = service.add_starters(g.site, form.starters.data or [], today())
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(
                f"{len(added)} starter risk{'s' if len(added) != 1 else ''} added. "
                "Check each score and give it an owner."
            )
            return redirect(url_for("sites.risks.index"))
    return render_template(
        "risks/starters.html", form=form, starters=available, all_starters=STARTERS_BY_KEY
    ), form_status(form)


@bp.context_processor
def risk_words() -> dict:
    return {
        "likelihood_words": LIKELIHOOD_WORDS,
        "impact_words": IMPACT_WORDS,
        "phase_names": {p.number: p.label for p in get_toolkit().phases},
    }
