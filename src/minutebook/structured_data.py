"""schema.org JSON-LD for meeting pages: an Event search engines and calendars can read.

Built as plain data and serialised with json.dumps, never assembled in a template, so
quoting is always right; "</" is written "<\\/" so no text can close the script element.
"""

from __future__ import annotations

import json
from typing import Any

from minutebook import timing
from minutebook.graph import MeetingNode
from minutebook.records import MeetingStatus, SiteConfig

SCHEMA = "https://schema.org/"


def meeting_event(meeting: MeetingNode, config: SiteConfig) -> dict[str, Any]:
    """The meeting as a schema.org Event."""
    tz = timing.zone(config.timezone)
    begin = timing.start(meeting, tz)
    finish = timing.end(meeting, tz)
    event: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event_name(meeting),
        "description": f"Meeting of {meeting.body.name}.",
        "startDate": begin.isoformat() if begin else meeting.date.isoformat(),
    }
    if finish:
        event["endDate"] = finish.isoformat()
    event["eventStatus"] = SCHEMA + _status(meeting)
    if meeting.rescheduled_from:
        event["previousStartDate"] = timing.original_start(meeting, tz).isoformat()
    event["eventAttendanceMode"] = SCHEMA + _attendance_mode(meeting)
    places = _locations(meeting)
    if places:
        event["location"] = places[0] if len(places) == 1 else places
    event["organizer"] = {"@type": "Organization", "name": config.council, "url": config.base_url}
    event["url"] = config.base_url + meeting.url
    return event


def event_name(meeting: MeetingNode) -> str:
    title = meeting.record.title
    return f"{meeting.body.name}: {title}" if title else f"{meeting.body.name} meeting"


def _status(meeting: MeetingNode) -> str:
    if meeting.status is MeetingStatus.cancelled:
        return "EventCancelled"
    if meeting.status is MeetingStatus.postponed:
        return "EventPostponed"
    return "EventRescheduled" if meeting.rescheduled_from else "EventScheduled"


def _online(meeting: MeetingNode) -> str | None:
    return meeting.record.remote_link or meeting.record.webcast


def _attendance_mode(meeting: MeetingNode) -> str:
    online, in_person = _online(meeting) is not None, meeting.record.venue is not None
    if online and in_person:
        return "MixedEventAttendanceMode"
    return "OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode"


def _locations(meeting: MeetingNode) -> list[dict[str, str]]:
    places = []
    if meeting.record.venue:
        places.append({"@type": "Place", "name": meeting.record.venue, "address": meeting.record.venue})
    online = _online(meeting)
    if online:
        places.append({"@type": "VirtualLocation", "url": online})
    return places


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")
