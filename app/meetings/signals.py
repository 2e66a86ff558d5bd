"""What happens to a meeting, sent by app/meetings/service.py for other features to act on
(the notifications feature emails the invitees). Each is sent after the change is flushed,
so the sender is a Meeting with its id, and receivers work in the same transaction: a
change that is rolled back takes whatever they added with it."""

from blinker import Namespace

_meetings = Namespace()

meeting_booked = _meetings.signal("meeting-booked")  # sender: the Meeting
series_booked = _meetings.signal("series-booked")  # sender: the first Meeting; meetings=
meeting_moved = _meetings.signal("meeting-moved")  # calendar details changed; moved_from=
meeting_cancelled = _meetings.signal("meeting-cancelled")
invitee_added = _meetings.signal("invitee-added")  # person_id=: invited after the booking
invitee_removed = _meetings.signal("invitee-removed")  # person_id=: taken off the list
minutes_issued = _meetings.signal("minutes-issued")
