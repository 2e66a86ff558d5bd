"""People pages: thin routes under /sites/<id>/ (the site guard has already checked access)."""

from __future__ import annotations

import json

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from app.core.access import get_for_site_or_404, require_site_role
from app.core.audit import history_for, record_event
from app.core.downloads import download
from app.core.errors import ServiceError, StaleEdit, apply_form_errors, check_version
from app.core.forms import ConfirmForm
from app.core.numbers import arg_int
from app.core.web import form_status
from app.extensions import db
from app.people import bp, queries, service, vocabulary
from app.people import groups as group_rules
from app.people.export import people_csv, people_xlsx
from app.people.forms import GroupForm, JoinGroupForm, MemberForm, PersonForm
from app.people.gdpr import person_sections, personal_data
from app.people.linking import access_words, erase_person_and_account, member_of_site
from app.people.models import ENGAGEMENT_STATUSES, GROUP_KINDS, Group, Person
from app.people.queries import site_coverage
from app.sites.history import describe


def _role_choices() -> list[tuple[str, str]]:
    return list(vocabulary.role_names().items())


def _ensure_groups() -> None:
    # Lazily, on the first visit: sites created before this feature get their groups too.
    if group_rules.ensure_standard_groups(g.site):
        db.session.commit()


@bp.get("/people")
def index():
    _ensure_groups()
    flt = queries.PeopleFilter(
        text=request.args.get("q", "").strip()[:100],
        category=request.args.get("category", ""),
        group_id=arg_int("group"),
        engagement=request.args.get("engagement", ""),
    )
    groups = queries.groups_with_counts(g.site)
    return render_template(
        "people/index.html",
        people=queries.list_people(g.site, flt),
        flt=flt,
        groups=groups,
        categories=vocabulary.category_names(),
        engagements=ENGAGEMENT_STATUSES,
        category_label=vocabulary.category_label,
        filtered=bool(flt.text or flt.category or flt.group_id or flt.engagement),
    )


@bp.route("/people/new", methods=["GET", "POST"])
def new():
    require_site_role("editor")
    form = PersonForm(users=queries.site_users(g.site.id))
    if form.validate_on_submit():
        try:
            person = service.create_person(g.site, form.person_data())
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(f"{person.name} added.")
            return redirect(url_for("sites.people.show", person_id=person.id))
    return render_template("people/form.html", form=form, person=None), form_status(form)


@bp.get("/people/<int:person_id>")
def show(person_id: int):
    person = get_for_site_or_404(Person, person_id)
    _ensure_groups()
    groups = [grp for grp, _n in queries.groups_with_counts(g.site)]
    membership = member_of_site(person)

    history = history_for("person", person.id, g.site.id)
    words = describe(history, g.site.id)  # labels and names, not codes and ids
    return render_template(
        "people/show.html",
        person=person,
        membership=membership,
        access_text=access_words(membership) if membership else "None",
        category=vocabulary.category_label(person),
        roles=vocabulary.role_names(),
        sections=person_sections(person),
        history=history,
        changes={event.id: row.change for event, row in zip(history, words, strict=True)},
        join_form=JoinGroupForm(groups=groups, roles=_role_choices()),
        confirm=ConfirmForm(),
        endpoints_available=current_app.view_functions,
    )


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
def edit(person_id: int):
    require_site_role("editor")
    person = get_for_site_or_404(Person, person_id)
    if person.erased:
        abort(404)
    form = PersonForm(obj=person, users=queries.site_users(g.site.id))
    if request.method == "GET":
        form.version.data = person.version
        form.category.data = person.category or ""
        form.user_id.data = str(person.user_id) if person.user_id else ""
    if form.validate_on_submit():
        check_version(
            form.version.data,
            person.version,
            StaleEdit(
                what="this person's details",
                current=[("Name", person.name), ("Job title", person.job_title)],
                yours=[("Name", form.name.data), ("Job title", form.job_title.data)],
                back_url=url_for("sites.people.edit", person_id=person.id),
            ),
        )
        try:
            service.update_person(person, form.person_data())
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Details saved.")
            return redirect(url_for("sites.people.show", person_id=person.id))
    return render_template("people/form.html", form=form, person=person), form_status(form)


@bp.post("/people/<int:person_id>/groups")
def join_group(person_id: int):
    person = get_for_site_or_404(Person, person_id)
    groups = [grp for grp, _n in queries.groups_with_counts(g.site)]
    form = JoinGroupForm(groups=groups, roles=_role_choices())
    if form.validate_on_submit():
        group = get_for_site_or_404(Group, int(form.group_id.data))
        try:
            group_rules.add_to_group(group, person, form.team_role.data or "")
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"Added to {group.name}.")
    else:
        flash("Choose a group.", "error")
    return redirect(url_for("sites.people.show", person_id=person.id))


@bp.get("/people/<int:person_id>/data.json")
def export_person(person_id: int):
    require_site_role("editor")
    person = get_for_site_or_404(Person, person_id)
    data = personal_data(person)
    record_event(
        "export",
        site_id=g.site.id,
        object_type="person",
        object_id=person.id,
        detail=f"Personal data of person #{person.id} exported as JSON",
    )
    db.session.commit()
    return download(
        json.dumps(data, indent=2, ensure_ascii=False),
        site_name=g.site.name,
        document=f"person-{person.id}",
        ext="json",
    )


@bp.route("/people/<int:person_id>/erase", methods=["GET", "POST"])
def erase(person_id: int):
    require_site_role("manager")
    person = get_for_site_or_404(Person, person_id)
    if person.erased:
        flash("This person's details have already been erased.")
        return redirect(url_for("sites.people.show", person_id=person.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            account, report = erase_person_and_account(person, current_user)
        except ServiceError as error:
            flash(error.message, "error")
            return redirect(url_for("sites.people.show", person_id=person.id))
        db.session.commit()
        flash(
            "The person's name and contact details have been erased everywhere. " + report.summary()
        )
        if account is not None:
            flash("Their user account has been deactivated: they can no longer sign in.")
        return redirect(url_for("sites.people.index"))
    return render_template(
        "people/erase.html",
        person=person,
        form=form,
        sections=person_sections(person),
        has_account=person.user_id is not None,
    )


@bp.get("/coverage")
def coverage():
    _ensure_groups()
    cov = site_coverage(g.site, ensure_groups=False)
    return render_template("people/coverage.html", cov=cov)


def _export_people(kind: str, build) -> bytes:  # noqa: ANN001 - people -> file bytes
    require_site_role("editor")
    people = [p for p in queries.list_people(g.site) if not p.erased]
    content = build(people)  # before the commit below, which would expire every row loaded
    record_event(
        "export",
        site_id=g.site.id,
        object_type="people",
        detail=f"People list exported as {kind} ({len(people)} people)",
    )
    db.session.commit()
    return content


@bp.get("/people.csv")
def export_csv():
    content = _export_people("CSV", people_csv)
    return download(content, site_name=g.site.name, document="people", ext="csv")


@bp.get("/people.xlsx")
def export_xlsx():
    content = _export_people("Excel", lambda people: people_xlsx(people, g.site.name))
    return download(content, site_name=g.site.name, document="people", ext="xlsx")


# --- Groups -----------------------------------------------------------------------------


@bp.route("/groups", methods=["GET", "POST"])
def groups():
    _ensure_groups()
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = group_rules.create_group(
                g.site, form.name.data, form.description.data or "", form.quorum.data
            )
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(f"Group {group.name} created. Add its members next.")
            return redirect(url_for("sites.people.group", group_id=group.id))
    return render_template(
        "people/groups.html",
        form=form,
        groups=queries.groups_with_counts(g.site),
        kinds=GROUP_KINDS,
    ), form_status(form)


@bp.route("/groups/<int:group_id>", methods=["GET", "POST"])
def group(group_id: int):
    grp = get_for_site_or_404(Group, group_id)
    form = MemberForm(people=queries.people_to_add(grp), roles=_role_choices())
    if form.validate_on_submit():
        offered = {pid for pid, _name in form.person_ids.choices}
        chosen = [pid for pid in form.person_ids.data if pid in offered]
        if len(chosen) < len(form.person_ids.data):
            form.person_ids.errors = ["Choose people from the list: the others are already in."]
        else:
            people = queries.people_in_site(g.site.id, chosen)
            try:
                group_rules.add_many_to_group(grp, people, form.team_role.data or "")
            except ServiceError as error:
                apply_form_errors(form, error)
            else:
                db.session.commit()
                names = people[0].name if len(people) == 1 else f"{len(people)} people"
                flash(f"{names} added to {grp.name}.")
                return redirect(url_for("sites.people.group", group_id=grp.id))
    return render_template(
        "people/group.html",
        group=grp,
        members=queries.group_members(grp),
        form=form,
        roles=vocabulary.role_names(),
        confirm=ConfirmForm(),
        category_label=vocabulary.category_label,
    ), form_status(form)


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
def edit_group(group_id: int):
    require_site_role("editor")
    grp = get_for_site_or_404(Group, group_id)
    form = GroupForm(obj=grp)
    if request.method == "GET":
        form.version.data = grp.version
    if form.validate_on_submit():
        check_version(
            form.version.data,
            grp.version,
            StaleEdit(
                what="this group",
                current=[("Name", grp.name), ("Quorum", str(grp.quorum or ""))],
                yours=[("Name", form.name.data), ("Quorum", str(form.quorum.data or ""))],
                back_url=url_for("sites.people.edit_group", group_id=grp.id),
            ),
        )
        try:
            group_rules.update_group(
                grp, form.name.data, form.description.data or "", form.quorum.data
            )
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Group saved.")
            return redirect(url_for("sites.people.group", group_id=grp.id))
    return render_template("people/group_form.html", form=form, group=grp), form_status(form)


@bp.route("/groups/<int:group_id>/delete", methods=["GET", "POST"])
def delete_group(group_id: int):
    require_site_role("editor")
    grp = get_for_site_or_404(Group, group_id)
    form = ConfirmForm()
    if grp.kind != "custom":
        flash("The project team, reference group and steering group cannot be deleted.", "error")
        return redirect(url_for("sites.people.group", group_id=grp.id))
    if form.validate_on_submit():
        name = grp.name
        group_rules.delete_group(grp)
        db.session.commit()
        flash(f"Group {name} deleted. Its members are still listed under People.")
        return redirect(url_for("sites.people.groups"))
    return render_template(
        "people/confirm.html",
        form=form,
        title=f"Delete the group {grp.name}?",
        body="The group and its list of members go. The people stay on the site's list.",
        button="Delete group",
        back=url_for("sites.people.group", group_id=grp.id),
    )


@bp.route("/groups/<int:group_id>/members/<int:member_id>/remove", methods=["GET", "POST"])
def remove_member(group_id: int, member_id: int):
    require_site_role("editor")
    grp = get_for_site_or_404(Group, group_id)
    member = queries.member_in_group(grp, member_id)
    if member is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        db.session.delete(member)
        db.session.commit()
        flash(f"{member.person.name} removed from {grp.name}.")
        return redirect(url_for("sites.people.group", group_id=grp.id))
    role = vocabulary.role_names().get(member.team_role)
    return render_template(
        "people/confirm.html",
        form=form,
        title=f"Remove {member.person.name} from {grp.name}?",
        body=(f"They will no longer be {role} on the project team. " if role else "")
        + "They stay on the site's list of people.",
        button="Remove",
        back=url_for("sites.people.group", group_id=grp.id),
    )


from app.people import import_views  # noqa: E402, F401 - the import pages, on the same blueprint
