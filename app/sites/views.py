from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.accounts.forms import ConfirmForm
from app.accounts.models import User
from app.core.access import require_global_role, require_site_role
from app.core.audit import AuditEvent
from app.core.errors import ServiceError, StaleEdit, apply_form_errors, check_version
from app.core.numbers import arg_int
from app.core.web import form_status
from app.extensions import db
from app.sites import bp, guard, service, site_bp  # noqa: F401 - guard registers the checks
from app.sites.forms import AddMemberForm, MemberForm, SiteForm
from app.sites.overview import overview_panels

HISTORY_PAGE_SIZE = 50


@bp.route("/sites/new", methods=["GET", "POST"])
@login_required
def new_site():
    require_global_role("admin")
    form = SiteForm()
    if form.validate_on_submit():
        try:
            site = service.create_site(form.details())
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(f"Site {site.name} created. Add its members next.")
            return redirect(url_for("sites.members", site_id=site.id))
    return render_template("sites/new.html", form=form), form_status(form)


@site_bp.get("/")
def overview():
    return render_template("sites/overview.html", panels=overview_panels(g.site))


@site_bp.route("/settings", methods=["GET", "POST"])
def settings():
    require_site_role("manager")
    form = SiteForm(obj=g.site)
    if request.method == "GET":
        form.version.data = g.site.version
    if form.validate_on_submit():
        check_version(
            form.version.data,
            g.site.version,
            StaleEdit(
                what=f"the details of {g.site.name}",
                current=[("Name", g.site.name), ("Organisation", g.site.organisation)],
                yours=[("Name", form.name.data), ("Organisation", form.organisation.data)],
                back_url=url_for("sites.settings"),
            ),
        )
        try:
            service.update_site(g.site, form.details())
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Site details saved.")
            return redirect(url_for("sites.overview"))
    return render_template("sites/settings.html", form=form), form_status(form)


@site_bp.route("/members", methods=["GET", "POST"])
def members():
    form = AddMemberForm()
    if request.method == "POST":
        require_site_role("manager")
        if form.validate_on_submit():
            try:
                membership = service.add_member(
                    g.site,
                    form.email.data,
                    form.role.data,
                    form.is_sponsor.data,
                    granted_by=current_user,
                )
            except ServiceError as error:
                apply_form_errors(form, error)
            else:
                db.session.commit()
                flash(f"{membership.user.name} added as {membership.role}.")
                return redirect(url_for("sites.members"))
    return render_template(
        "sites/members.html",
        form=form,
        members=service.members_of(g.site),
        confirm=ConfirmForm(),
    ), form_status(form)


@site_bp.post("/members/<int:membership_id>")
def update_member(membership_id: int):
    require_site_role("manager")
    membership = service.membership_or_404(g.site, membership_id)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            service.update_member(
                membership, form.role.data, form.is_sponsor.data, granted_by=current_user
            )
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
            return render_template(
                "sites/members.html",
                form=AddMemberForm(formdata=None),
                members=service.members_of(g.site),
                confirm=ConfirmForm(),
            ), 422
        db.session.commit()
        flash(f"{membership.user.name} is now {membership.role}.")
    else:
        flash("Choose a role: viewer, editor or manager.", "error")
    return redirect(url_for("sites.members"))


@site_bp.post("/members/<int:membership_id>/remove")
def remove_member(membership_id: int):
    require_site_role("manager")
    membership = service.membership_or_404(g.site, membership_id)
    if ConfirmForm().validate_on_submit():
        name = membership.user.name
        db.session.delete(membership)
        db.session.commit()
        flash(f"{name} no longer has access to this site.")
    return redirect(url_for("sites.members"))


@site_bp.get("/history")
def history():
    page = arg_int("page", 1, minimum=1, maximum=100_000)
    base = select(AuditEvent).where(
        AuditEvent.site_id == g.site.id, AuditEvent.action.in_(("create", "update", "delete"))
    )
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.execute(
        base.add_columns(User.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(HISTORY_PAGE_SIZE)
        .offset((page - 1) * HISTORY_PAGE_SIZE)
    ).all()
    return render_template(
        "sites/history.html",
        rows=rows,
        page=page,
        pages=max((total + HISTORY_PAGE_SIZE - 1) // HISTORY_PAGE_SIZE, 1),
        total=total,
    )
