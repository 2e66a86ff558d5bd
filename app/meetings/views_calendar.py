"""A person's private calendar link for one site: make it, replace it, stop it.

Any member may manage their own link (declared `@member_setting`, so viewers may post
them too): the link reads only what the person can already read.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user

from app.accounts import feeds
from app.core.access import member_setting
from app.core.forms import ConfirmForm
from app.extensions import db
from app.meetings import bp


@bp.route("/meetings/calendar-link", methods=["GET", "POST"])
@member_setting
def calendar_link():
    form = ConfirmForm()
    token = None
    if form.validate_on_submit():
        token = feeds.issue_link(current_user.id, g.site.id)
        db.session.commit()
    link = feeds.link_for(current_user.id, g.site.id)
    return render_template(
        "meetings/calendar_link.html",
        form=form,
        link=link,
        url=url_for("sites.meetings.feed", token=token, _external=True) if token else None,
    )


@bp.route("/meetings/calendar-link/revoke", methods=["GET", "POST"])
@member_setting
def revoke_calendar_link():
    form = ConfirmForm()
    if form.validate_on_submit():
        if feeds.revoke_link(current_user.id, g.site.id):
            db.session.commit()
            flash("Your calendar link has stopped working. Calendars using it will not update.")
        return redirect(url_for("sites.meetings.calendar_link"))
    link = feeds.link_for(current_user.id, g.site.id)
    return render_template("meetings/calendar_link_revoke.html", form=form, link=link)
