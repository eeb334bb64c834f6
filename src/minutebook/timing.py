"""When a meeting starts and ends, in the site's time zone: shared by calendars, feeds and JSON-LD.

Records hold dates and "HH:MM" times as the clerk wrote them; this module turns them into
aware datetimes once, so every machine-readable output agrees on the same instant.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from minutebook.graph import MeetingNode

#: The length a calendar assumes when the record gives no end time.
DEFAULT_LENGTH = dt.timedelta(hours=2)


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def at(day: dt.date, time: str, tz: ZoneInfo) -> dt.datetime:
    hours, minutes = (int(part) for part in time.split(":"))
    return dt.datetime(day.year, day.month, day.day, hours, minutes, tzinfo=tz)


def start(meeting: MeetingNode, tz: ZoneInfo) -> dt.datetime | None:
    """The start, or None for a meeting with no time (an all-day entry)."""
    time = meeting.record.time
    return at(meeting.date, time, tz) if time else None


def end(meeting: MeetingNode, tz: ZoneInfo) -> dt.datetime | None:
    """The planned end, else the time the minutes say the meeting closed; None when neither is known."""
    begin = start(meeting, tz)
    minutes = meeting.record.minutes
    for time in (meeting.record.end_time, minutes.closed_at if minutes else None):
        if begin is not None and time and at(meeting.date, time, tz) > begin:
            return at(meeting.date, time, tz)
    return None


def end_or_default(meeting: MeetingNode, tz: ZoneInfo) -> dt.datetime | None:
    begin = start(meeting, tz)
    return end(meeting, tz) or (begin + DEFAULT_LENGTH if begin else None)


def original_start(meeting: MeetingNode, tz: ZoneInfo) -> dt.date | dt.datetime:
    """When a moved meeting was first set for: its file date, at its time where known."""
    time = meeting.record.time
    return at(meeting.original_date, time, tz) if time else meeting.original_date


def midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=tz)


def rfc3339(day: dt.date, tz: ZoneInfo) -> str:
    """A record's date as an RFC 3339 timestamp: the start of that day in the site's zone."""
    return midnight(day, tz).isoformat()
