"""A person answers the access they were offered, signed in as themselves (home page)."""

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from app.core.errors import ServiceError
from app.core.forms import ConfirmForm
from app.extensions import db
from app.sites import bp, offers


@bp.post("/access-offers/<int:offer_id>/accept")
@login_required
def accept_offer(offer_id: int):
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("home.index"))
    try:
        accepted = offers.accept_offer(offer_id, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("home.index"))
    db.session.commit()
    site_id = accepted.membership.site_id
    flash("You now have access to this site.")
    return redirect(url_for("sites.overview", site_id=site_id))


@bp.post("/access-offers/<int:offer_id>/decline")
@login_required
def decline_offer(offer_id: int):
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("home.index"))
    try:
        site = offers.decline_offer(offer_id, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("home.index"))
    name = site.name
    db.session.commit()
    flash(f"You declined access to {name}.")
    return redirect(url_for("home.index"))
