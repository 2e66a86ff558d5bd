"""Who has access to a site: members are the site's people, with roles that follow access.

Registered on the site blueprint (endpoints `sites.members`, ...), behind its guard.
"""

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.invitations import awaiting_acceptance, create_invitation
from app.core.access import can, get_for_site_or_404, require_site_role
from app.core.errors import ServiceError, StaleEdit, apply_form_errors, check_version
from app.core.forms import ConfirmForm
from app.core.numbers import arg_int, whole_number
from app.core.web import form_status
from app.extensions import db
from app.people import linking, ownership
from app.people.ownership import owned_by
from app.people.queries import people_choices, person_in_site
from app.people.vocabulary import role_names
from app.sites import offers, service, site_bp
from app.sites import queries as site_queries
from app.sites.forms import AddMemberForm, MemberForm, RemoveMemberForm
from app.sites.models import Membership, MembershipOffer


def _back() -> tuple[str, str]:
    return url_for("sites.members"), "Back to who has access"


def _clash_message(clashes: list) -> str:
    return " ".join(
        f"{' and '.join(c.holder_names)} already {'holds' if len(c.holder_names) == 1 else 'hold'}"
        f" the {c.role_name} role on the project team: you can swap it below."
        for c in clashes
    )


@site_bp.route("/members", methods=["GET", "POST"])
def members():
    form = AddMemberForm()
    if request.method == "POST":
        require_site_role("manager")
        if form.validate_on_submit():
            try:
                offer = offers.offer_access(
                    g.site,
                    form.email.data,
                    form.name.data or "",
                    form.role.data,
                    form.is_sponsor.data,
                    offered_by=current_user,
                )
            except ServiceError as error:
                apply_form_errors(form, error)
            else:
                db.session.commit()
                # The same words whether or not the email has an account (see app.sites.offers).
                flash(
                    f"{offer.email} has been offered {offer.role} access. They get it when they "
                    "accept: we have emailed them how (signed in, on their home page)."
                )
                return redirect(url_for("sites.members"))
    elif arg_int("invite"):
        # "Give access" from a person's page: their email and name, ready to send.
        person = person_in_site(g.site.id, arg_int("invite"))
        if person is not None and not person.erased:
            form = AddMemberForm(formdata=None, data={"email": person.email, "name": person.name})
    return _members_page(form, form_status(form))


def _members_page(form: AddMemberForm, status: int):  # noqa: ANN202
    members = site_queries.members_of(g.site)
    people = linking.members_people(g.site)
    return render_template(
        "sites/members.html",
        form=form,
        members=members,
        people=people,
        team_roles=linking.team_roles_by_person(g.site),
        offers=offers.offer_rows(g.site.id) if can("manager") else [],
        awaiting=(
            awaiting_acceptance([m.user_id for m in members], site_id=g.site.id)
            if can("manager")
            else set()
        ),
        clashes=linking.role_clashes(g.site) if members else [],
        access_words=linking.access_words,
        confirm=ConfirmForm(),
    ), status


@site_bp.post("/members/<int:membership_id>")
def update_member(membership_id: int):
    require_site_role("manager")
    membership = get_for_site_or_404(Membership, membership_id)
    form = MemberForm()
    if form.validate_on_submit():
        check_version(
            form.version.data,
            membership.version,
            StaleEdit(
                what=f"{membership.user.name}'s access",
                current=[("Access", linking.access_words(membership))],
                yours=[
                    ("Role", (form.role.data or "").capitalize()),
                    ("Project sponsor", "Yes" if form.is_sponsor.data else "No"),
                ],
                back_url=url_for("sites.members"),
            ),
        )
        try:
            clashes = service.update_member(
                membership, form.role.data, form.is_sponsor.data, granted_by=current_user
            )
        except ServiceError as error:  # making oneself sponsor
            db.session.rollback()
            flash(error.message, "error")
            return _members_page(AddMemberForm(formdata=None), 422)
        db.session.commit()
        note = f"{membership.user.name} is now {linking.access_words(membership)}."
        flash(f"{note} {_clash_message(clashes)}".strip())
    else:
        flash("Choose a role: viewer, editor or manager.", "error")
    return redirect(url_for("sites.members"))


@site_bp.post("/members/<int:membership_id>/team-role")
def take_team_role(membership_id: int):
    """The swap the members page offers: this member takes the role their access brings."""
    require_site_role("manager")
    membership = get_for_site_or_404(Membership, membership_id)
    role = request.form.get("role", "")
    if ConfirmForm().validate_on_submit() and role in linking.team_roles_for(membership):
        person = linking.person_for_account(g.site, membership.user)
        linking.take_team_role(g.site, person, role)
        db.session.commit()
        flash(f"{person.name} now holds the {role_names()[role]} role.")
    return redirect(url_for("sites.members"))


@site_bp.post("/members/<int:membership_id>/invitation")
def new_invitation(membership_id: int):
    """A fresh link for a member this site invited who has not chosen a password yet.

    The link is emailed to them, never shown here; the site's earlier link stops working.
    """
    require_site_role("manager")
    membership = get_for_site_or_404(Membership, membership_id)
    if not ConfirmForm().validate_on_submit() or membership.user_id not in awaiting_acceptance(
        [membership.user_id], site_id=g.site.id
    ):
        flash(f"{membership.user.name} has already chosen a password.", "error")
        return redirect(url_for("sites.members"))
    create_invitation(membership.user, current_user, site_id=g.site.id)
    db.session.commit()
    flash(
        f"A new link has been emailed to {membership.user.email}; "
        "the earlier one has stopped working."
    )
    return redirect(url_for("sites.members"))


@site_bp.post("/members/offers/<int:offer_id>/invitation")
def send_offer_again(offer_id: int):
    require_site_role("manager")
    offer = get_for_site_or_404(MembershipOffer, offer_id)
    if ConfirmForm().validate_on_submit():
        offers.send_again(offer, current_user)
        db.session.commit()
        flash(
            f"The offer to {offer.email} has been emailed again. Any link we sent them "
            "before has stopped working."
        )
    return redirect(url_for("sites.members"))


@site_bp.post("/members/offers/<int:offer_id>/withdraw")
def withdraw_offer(offer_id: int):
    require_site_role("manager")
    offer = get_for_site_or_404(MembershipOffer, offer_id)
    if ConfirmForm().validate_on_submit():
        email = offer.email
        offers.withdraw_offer(offer, current_user)
        db.session.commit()
        flash(f"The offer of access to {email} has been withdrawn.")
    return redirect(url_for("sites.members"))


@site_bp.route("/members/<int:membership_id>/remove", methods=["GET", "POST"])
def remove_member(membership_id: int):
    """Asks first; says what the member still owns and offers to hand it to someone else."""
    require_site_role("manager")
    membership = get_for_site_or_404(Membership, membership_id)
    person = linking.person_for_account(g.site, membership.user)
    owned = owned_by(person)
    form = RemoveMemberForm()
    form.new_owner_id.choices = [("", "Keep them as the owner")] + [
        (str(pid), name) for pid, name in people_choices(g.site.id) if pid != person.id
    ]
    if form.validate_on_submit():
        new_owner = None
        if form.new_owner_id.data:
            # Anything but an id of this site's People ("x", 30 digits) is "choose someone".
            owner_id = whole_number(form.new_owner_id.data, minimum=1)
            new_owner = person_in_site(g.site.id, owner_id) if owner_id else None
        if form.new_owner_id.data and new_owner is None:
            form.new_owner_id.errors.append("Choose someone on this site.")
        else:
            name = membership.user.name
            try:
                moved = ownership.remove_member(membership, new_owner)
            except ServiceError as error:
                apply_form_errors(form, error)
            else:
                db.session.commit()
                message = f"{name} no longer has access to this site; they stay in People."
                if moved:
                    message += f" {moved} record(s) they owned now belong to {new_owner.name}."
                flash(message)
                return redirect(url_for("sites.members"))
    return render_template(
        "sites/member_remove.html", form=form, membership=membership, person=person, owned=owned
    ), form_status(form)
