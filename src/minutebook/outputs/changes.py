"""What happened to the records, and when, by the records' own dates: feeds and "what's new" read this.

Every change carries a date written in the content (agenda_published, the meeting's date,
the date of the meeting that approved or closed something, a correction's date), never the
time of the build. A change dated after the build's reference date has not happened yet and
is left out. Where the content gives no date for a change (a cancellation), the meeting's
own date stands in, capped at the reference date but never before the agenda's publication.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from minutebook.graph import BodyNode, MeetingNode, Site
from minutebook.records import MeetingStatus


class Kind(StrEnum):
    agenda = "agenda"
    cancelled = "cancelled"
    postponed = "postponed"
    moved = "moved"
    minutes = "minutes"
    approved = "approved"
    corrected = "corrected"
    decision = "decision"
    action_closed = "action-closed"
    programme = "programme"
    #: From git history: a content file added, or changed, by a commit.
    added = "added"
    updated = "updated"


#: How each kind reads to a resident.
LABELS: dict[Kind, str] = {
    Kind.agenda: "Agenda published",
    Kind.cancelled: "Meeting cancelled",
    Kind.postponed: "Meeting postponed",
    Kind.moved: "Meeting moved",
    Kind.minutes: "Minutes published",
    Kind.approved: "Minutes approved",
    Kind.corrected: "Minutes corrected",
    Kind.decision: "Decision",
    Kind.action_closed: "Action closed",
    Kind.programme: "Work programme revised",
    Kind.added: "Added",
    Kind.updated: "Updated",
}

#: Order of kinds on one day: the agenda comes before the minutes it leads to.
RANK = {kind: index for index, kind in enumerate(Kind)}


@dataclass(frozen=True)
class Change:
    date: dt.date
    kind: Kind
    #: What the change is about, e.g. "Planning Committee, 15 June 2022".
    subject: str
    #: Address relative to the site root.
    url: str
    body: BodyNode | None
    #: Stable, unique name of the change (a path), the specific part of its tag: URI.
    key: str
    #: A date that never changes for this record (a meeting's file date), for its tag: URI.
    minted: dt.date
    summary: str = ""

    @property
    def title(self) -> str:
        return f"{LABELS[self.kind]}: {self.subject}"

    def sort_key(self) -> tuple[int, int, str]:
        return (-self.date.toordinal(), RANK[self.kind], self.key)


def record_changes(site: Site) -> list[Change]:
    """Every dated change the records tell of, up to the reference date, newest first."""
    found: list[Change] = []
    for meeting in site.meetings:
        found += meeting_changes(meeting, site.today)
    found += _closures(site)
    found += _revisions(site)
    return sorted((c for c in found if c.date <= site.today), key=Change.sort_key)


def meeting_subject(meeting: MeetingNode) -> str:
    title = f" ({meeting.record.title})" if meeting.record.title else ""
    return f"{meeting.body.name}{title}, {meeting.date.day} {meeting.date:%B %Y}"


def meeting_changes(meeting: MeetingNode, today: dt.date) -> list[Change]:
    return _schedule_changes(meeting, today) + _minutes_changes(meeting)


#: The part of a meeting page each kind of change points at.
_ANCHORS = {
    Kind.agenda: "agenda",
    Kind.minutes: "minutes",
    Kind.approved: "minutes",
    Kind.corrected: "minutes",
}


def _change(meeting: MeetingNode, day: dt.date, kind: Kind, summary: str, suffix: str = "") -> Change:
    anchor = _ANCHORS.get(kind)
    url = f"{meeting.url}#{anchor}" if anchor else meeting.url
    key = f"{meeting.url}{kind.value}{suffix}"
    return Change(day, kind, meeting_subject(meeting), url, meeting.body, key, meeting.original_date, summary)


def _schedule_changes(meeting: MeetingNode, today: dt.date) -> list[Change]:
    record, found = meeting.record, []
    if record.agenda_published:
        summary = f"The agenda ({_count(len(meeting.agenda), 'item')}) is published."
        found.append(_change(meeting, record.agenda_published, Kind.agenda, summary))
    noted = max(min(meeting.original_date, meeting.date, today), record.agenda_published or dt.date.min)
    if meeting.status is MeetingStatus.cancelled:
        found.append(_change(meeting, noted, Kind.cancelled, "The meeting is cancelled."))
    elif meeting.status is MeetingStatus.postponed:
        found.append(
            _change(meeting, noted, Kind.postponed, "The meeting is postponed; a new date will follow.")
        )
    if meeting.rescheduled_from:
        day = record.agenda_published or min(meeting.original_date, today)
        summary = f"Moved from {_long(meeting.original_date)} to {_long(meeting.date)}."
        found.append(_change(meeting, day, Kind.moved, summary))
    return found


def _minutes_changes(meeting: MeetingNode) -> list[Change]:
    minutes = meeting.record.minutes
    if minutes is None:
        return []
    found = [_change(meeting, meeting.date, Kind.minutes, _minutes_summary(meeting))]
    approver = meeting.approved_by
    if minutes.status.value == "approved" and approver is not None:
        summary = f"Approved at the meeting of {_long(approver.date)}, minute {approver.label}."
        found.append(_change(meeting, approver.date, Kind.approved, summary))
    for correction in minutes.corrections:
        suffix = f"-{correction.date.isoformat()}"
        found.append(_change(meeting, correction.date, Kind.corrected, plain(correction.note), suffix))
    found += _decisions(meeting)
    return found


def _minutes_summary(meeting: MeetingNode) -> str:
    minutes, decisions = len(meeting.minutes), sum(len(m.resolutions) for m in meeting.minutes)
    return f"{_count(minutes, 'minute')}, {_count(decisions, 'decision')}."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _decisions(meeting: MeetingNode) -> list[Change]:
    found, held = [], meeting_subject(meeting)
    for minute in meeting.minutes:
        if minute.exempt:
            continue
        for resolution in minute.resolutions:
            subject = f"{resolution.label} {minute.title} ({held})"
            found.append(
                Change(
                    meeting.date,
                    Kind.decision,
                    subject,
                    resolution.url,
                    meeting.body,
                    f"{meeting.url}{resolution.anchor}",
                    meeting.original_date,
                    plain(resolution.record.text),
                )
            )
    return found


def _closures(site: Site) -> list[Change]:
    found = []
    for action in site.actions:
        closer = action.closed_by
        if closer is None:
            continue
        summary = f"Recorded as done in minute {closer.label} ({meeting_subject(closer.meeting)})."
        subject = f"action {action.label} of {action.minute.meeting.body.name}"
        found.append(
            Change(
                closer.date,
                Kind.action_closed,
                subject,
                action.url,
                action.minute.meeting.body,
                f"{action.url}closed",
                action.minute.meeting.original_date,
                summary,
            )
        )
    return found


def _revisions(site: Site) -> list[Change]:
    found = []
    for programme in site.programmes:
        subject = f"{programme.body.name} work programme {programme.year.label}"
        for revision in programme.record.revisions:
            summary = plain(revision.note) if revision.note else f"{len(revision.items)} items."
            key = f"{programme.url}revision-{revision.date.isoformat()}"
            found.append(
                Change(
                    revision.date,
                    Kind.programme,
                    subject,
                    programme.url,
                    programme.body,
                    key,
                    programme.record.revisions[0].date,
                    summary,
                )
            )
    return found


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`#>]+")


def plain(text: str | None, limit: int = 300) -> str:
    """Plain, one-paragraph text of a Markdown note, cut at a word near the limit."""
    flat = " ".join(_MARKS.sub("", _LINK.sub(r"\1", text or "")).split())
    return flat if len(flat) <= limit else flat[: flat.rfind(" ", 0, limit)] + " …"
