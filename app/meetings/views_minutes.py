"""Issuing a meeting's minutes: first a page saying who will get them and what looks
unfinished (an empty agenda, attendance not recorded), then the issue itself. Thin."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from app.core.access import get_for_site_or_404, require_site_role
from app.core.errors import ServiceError
from app.core.forms import ConfirmForm
from app.extensions import db
from app.meetings import bp, queries, service
from app.meetings.models import Meeting


@bp.route("/meetings/<int:meeting_id>/issue", methods=["GET", "POST"])
def issue(meeting_id: int):
    require_site_role("editor")
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    form = ConfirmForm(prefix="issue")
    status = 200
    if form.validate_on_submit():
        try:
            service.issue_minutes(meeting)
        except ServiceError as error:
            form.form_errors.append(error.message)
            status = 422
        else:
            db.session.commit()
            flash("Minutes issued. They are emailed to everyone listed.")
            return redirect(url_for("sites.meetings.show", meeting_id=meeting.id) + "#minutes")
    return render_template(
        "meetings/issue.html", meeting=meeting, form=form, check=queries.before_minutes(meeting)
    ), status
