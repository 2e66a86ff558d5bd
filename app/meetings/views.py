"""Meeting pages: list, booking, a meeting's agenda, attendance and minutes, downloads."""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.access import get_for_site_or_404
from app.core.dates import to_london, uk_datetime
from app.core.downloads import download
from app.core.errors import ServiceError, StaleEdit, apply_form_errors, check_version
from app.core.forms import ConfirmForm
from app.core.web import form_status
from app.extensions import db
from app.meetings import actions, bp, export, ics, queries, service
from app.meetings.attendees import calendar_people
from app.meetings.forms import (
    ActionForm,
    AgendaItemForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    SeriesForm,
)
from app.meetings.mail_words import mail_note
from app.meetings.models import ACTION_REVIEW, ATTENDANCE, STANDING_ITEMS, AgendaItem, Meeting

# Printed agendas and minutes judge actions against the meeting day (#32 item 9).
bp.add_app_template_global(export.meeting_day, "meeting_day")

STANDING_KEYS = {key for key, _title, _minutes in STANDING_ITEMS}


def _show_url(meeting: Meeting, anchor: str = "") -> str:
    return url_for("sites.meetings.show", meeting_id=meeting.id) + (f"#{anchor}" if anchor else "")


@bp.get("/meetings")
def index():
    upcoming, past = queries.meetings_for_list(g.site.id)
    return render_template(
        "meetings/index.html",
        upcoming=upcoming,
        past=past,
        delay=service.minutes_delay_days,
    )


def _meeting_form(form_class: type[MeetingForm]) -> MeetingForm:
    form = form_class()
    form.set_choices(queries.people(g.site.id), queries.groups(g.site.id))
    return form


@bp.route("/meetings/new", methods=["GET", "POST"])
def new():
    form = _meeting_form(MeetingForm)
    if form.validate_on_submit():
        try:
            meeting = service.create_meeting(
                g.site, form.details(), form.in_the_past.data, booked_by_id=current_user.id
            )
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            note = mail_note(meeting, "An invitation")
            flash(f"Meeting booked for {uk_datetime(meeting.starts_at)}. {note}")
            return redirect(_show_url(meeting))
    return render_template("meetings/form.html", form=form, meeting=None), form_status(form)


@bp.route("/meetings/series", methods=["GET", "POST"])
def series():
    form = _meeting_form(SeriesForm)
    if request.method == "GET":
        form.kind.data = "steering_group"
    if form.validate_on_submit():
        try:
            meetings = service.schedule_series(
                g.site,
                form.details(),
                form.frequency.data,
                form.count.data,
                form.in_the_past.data,
                booked_by_id=current_user.id,
            )
        except ServiceError as error:
            db.session.rollback()
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash(
                f"{len(meetings)} meetings booked, from {uk_datetime(meetings[0].starts_at)} "
                f"to {uk_datetime(meetings[-1].starts_at)}."
            )
            return redirect(url_for("sites.meetings.index"))
    return render_template("meetings/series.html", form=form), form_status(form)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit(meeting_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    form = _meeting_form(MeetingForm)
    if request.method == "GET":
        start, end = to_london(meeting.starts_at), to_london(meeting.ends_at)
        form.process(obj=meeting, day=start.date(), start_time=start.time(), end_time=end.time())
        form.set_choices(queries.people(g.site.id), queries.groups(g.site.id))
    if form.validate_on_submit():
        check_version(
            form.version.data,
            meeting.version,
            StaleEdit(
                what=f"the meeting '{meeting.title}'",
                current=[("Title", meeting.title), ("Starts", uk_datetime(meeting.starts_at))],
                yours=[("Title", form.title.data or ""), ("Date", form.day._value())],
                back_url=url_for("sites.meetings.edit", meeting_id=meeting.id),
            ),
        )
        sequence = meeting.ics_sequence
        try:
            service.update_meeting(meeting, form.details())
        except ServiceError as error:
            db.session.rollback()
            apply_form_errors(form, error)
        else:
            db.session.commit()
            if meeting.ics_sequence != sequence:
                note = mail_note(meeting, "An updated invitation")
            else:
                note = "The time and place did not change, so no email is sent."
            flash(f"Meeting details saved. {note}")
            return redirect(_show_url(meeting))
    return render_template("meetings/form.html", form=form, meeting=meeting), form_status(form)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel(meeting_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            service.cancel_meeting(meeting)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            note = mail_note(meeting, "A cancellation")
            flash(f"Meeting cancelled. It stays in the list, marked cancelled. {note}")
        return redirect(_show_url(meeting))
    return render_template(
        "meetings/cancel.html",
        meeting=meeting,
        form=form,
        mail_note=mail_note(meeting, "A cancellation"),
    )


def _show(meeting: Meeting, status: int = 200, **forms) -> tuple[str, int]:
    people, tasks = queries.people_and_tasks(g.site.id)
    actions, carried = queries.actions_for_meeting(meeting)
    forms.setdefault("invite_form", InviteForm())
    forms.setdefault("item_form", AgendaItemForm())
    forms.setdefault("action_form", ActionForm())
    invited = {inv.person_id for inv in meeting.invitees}
    forms["invite_form"].person_id.choices = [("", "Choose a person")] + [
        (str(p.id), p.name) for p in people if p.id not in invited
    ]
    forms["item_form"].set_choices(people, tasks)
    forms["action_form"].set_choices(people, tasks)
    present = sum(1 for inv in meeting.invitees if inv.attendance == "present")
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        actions=actions,
        carried=carried,
        present=present,
        attendance=ATTENDANCE,
        action_review=ACTION_REVIEW,
        standing_missing=len({i.standing_key for i in meeting.agenda} & STANDING_KEYS)
        < len(STANDING_KEYS),
        delay=service.minutes_delay_days(meeting),
        confirm=ConfirmForm(),
        **forms,
    ), status


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id: int):
    return _show(get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE))


@bp.post("/meetings/<int:meeting_id>/invitees")
def invite(meeting_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            service.add_invitee(meeting, form.person_id.data)
        except ServiceError as error:
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Person invited.")
            return redirect(_show_url(meeting, "attendance"))
    return _show(meeting, 422, invite_form=form)


@bp.post("/meetings/<int:meeting_id>/invitees/<int:invitee_id>/remove")
def uninvite(meeting_id: int, invitee_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    if ConfirmForm().validate_on_submit():
        try:
            service.remove_invitee(meeting, invitee_id)
        except ServiceError:
            abort(404)
        db.session.commit()
        flash("Person removed from the invitation list.")
    return redirect(_show_url(meeting, "attendance"))


@bp.post("/meetings/<int:meeting_id>/attendance")
def attendance(meeting_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    marks = {
        inv.id: request.form.get(f"attendance-{inv.id}") or None
        for inv in meeting.invitees
        if f"attendance-{inv.id}" in request.form
    }
    try:
        service.record_attendance(meeting, marks)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_show_url(meeting, "attendance"))
    db.session.commit()
    flash("Attendance saved.")
    return redirect(_show_url(meeting, "attendance"))


@bp.post("/meetings/<int:meeting_id>/agenda")
def add_item(meeting_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    form = AgendaItemForm()
    form.set_choices([], [])
    if form.validate_on_submit():
        try:
            service.add_agenda_item(meeting, form.details())
        except ServiceError as error:
            db.session.rollback()
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Agenda item added.")
            return redirect(_show_url(meeting, "agenda"))
    return _show(
        get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE), 422, item_form=form
    )


@bp.post("/meetings/<int:meeting_id>/agenda/standard")
def standing_items(meeting_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    if ConfirmForm().validate_on_submit():
        try:
            added = service.add_standing_items(meeting)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"{len(added)} standing items added to the agenda.")
    return redirect(_show_url(meeting, "agenda"))


@bp.post("/meetings/<int:meeting_id>/agenda/<int:item_id>/move")
def move_item(meeting_id: int, item_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    get_for_site_or_404(AgendaItem, item_id, where=(AgendaItem.meeting_id == meeting.id,))
    if ConfirmForm().validate_on_submit():
        service.move_item(meeting, item_id, request.form.get("direction", "down"))
        db.session.commit()
    return redirect(_show_url(meeting, f"item-{item_id}"))


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/remove", methods=["GET", "POST"])
def remove_item(meeting_id: int, item_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    item = get_for_site_or_404(AgendaItem, item_id, where=(AgendaItem.meeting_id == meeting.id,))
    form = ConfirmForm()
    if form.validate_on_submit():
        service.remove_item(meeting, item)
        db.session.commit()
        flash("Agenda item removed.")
        return redirect(_show_url(meeting, "agenda"))
    return render_template("meetings/remove_item.html", meeting=meeting, item=item, form=form)


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/minutes", methods=["GET", "POST"])
def minutes(meeting_id: int, item_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    item = get_for_site_or_404(AgendaItem, item_id, where=(AgendaItem.meeting_id == meeting.id,))
    form = MinutesForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = item.version
    if form.validate_on_submit():
        check_version(
            form.version.data,
            item.version,
            StaleEdit(
                what=f"the minutes of '{item.title}'",
                current=[("Notes", item.notes), ("Decisions", item.decisions)],
                yours=[("Notes", form.notes.data or ""), ("Decisions", form.decisions.data or "")],
                back_url=url_for("sites.meetings.minutes", meeting_id=meeting.id, item_id=item.id),
            ),
        )
        service.save_minutes(item, form.notes.data or "", form.decisions.data or "")
        db.session.commit()
        flash(f"Minutes of '{item.title}' saved.")
        return redirect(_show_url(meeting, f"item-{item.id}"))
    carried = queries.carried_forward(meeting) if item.standing_key == ACTION_REVIEW else []
    return render_template(
        "meetings/minutes.html", meeting=meeting, item=item, form=form, carried=carried
    ), form_status(form)


@bp.post("/meetings/<int:meeting_id>/actions")
def add_action(meeting_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    form = ActionForm()
    form.set_choices([], [])
    if form.validate_on_submit():
        try:
            actions.add_action(g.site.id, form.details(), meeting=meeting)
        except ServiceError as error:
            db.session.rollback()
            apply_form_errors(form, error)
        else:
            db.session.commit()
            flash("Action added to the action log.")
            return redirect(_show_url(meeting, "actions"))
    return _show(
        get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE), 422, action_form=form
    )


@bp.get("/meetings/<int:meeting_id>/agenda")
def agenda(meeting_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    return render_template(
        "meetings/agenda.html",
        meeting=meeting,
        carried=queries.carried_forward(meeting),
        action_review=ACTION_REVIEW,
    )


def _download(content: bytes, meeting: Meeting, what: str, ext: str) -> Response:
    """`<site>-<what>-<meeting id>-<meeting date>.<ext>`: the date is the meeting's own."""
    return download(
        content,
        site_name=g.site.name,
        document=f"{what}-{meeting.id}",
        ext=ext,
        on=to_london(meeting.starts_at).date(),
    )


@bp.get("/meetings/<int:meeting_id>/agenda.docx")
def agenda_docx(meeting_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    content = export.agenda_docx(g.site.name, meeting, queries.carried_forward(meeting))
    return _download(content, meeting, "agenda", "docx")


@bp.get("/meetings/<int:meeting_id>/minutes.docx")
def minutes_docx(meeting_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    content = export.minutes_docx(g.site.name, meeting, *queries.actions_for_meeting(meeting))
    return _download(content, meeting, "minutes", "docx")


@bp.get("/meetings/<int:meeting_id>.ics")
def meeting_ics(meeting_id: int):
    meeting = get_for_site_or_404(Meeting, meeting_id, *queries.MEETING_PAGE)
    content = ics.calendar_for([meeting], g.site.name, meeting.title, calendar_people)
    return _download(content, meeting, "meeting", "ics")


@bp.get("/meetings.ics")
def feed():
    meetings, name = queries.feed_meetings(g.site.id), f"{g.site.name} meetings"
    content = ics.calendar_for(meetings, g.site.name, name, calendar_people)
    return Response(content, mimetype="text/calendar")


# The action log's routes and each person's calendar link.
from app.meetings import views_actions, views_calendar  # noqa: E402, F401
