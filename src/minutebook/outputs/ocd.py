"""data/ocd-events.json: the meetings as Open Civic Data events, for civic tools that read them.

Field names follow the OCD Event schema (as Pupa and Open States write it): name, description,
classification, start_date, end_date, timezone, all_day, status, location {name, note, url,
coordinates}, media, links, participants [{name, entity_type, note}], documents, agenda
[{description, order, subjects, related_entities, notes, classification, media}], sources,
extras. Ids are `ocd-event/<uuid>` derived from the meeting's address, so they never change.
Exempt business shows only its title, paragraph and public summary, as on the page.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import uuid
from collections.abc import Iterator
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field

from minutebook.graph import AgendaNode, MeetingNode, Site
from minutebook.outputs import StepContext
from minutebook.outputs import opendata_shapes as s
from minutebook.outputs.opendata import meeting_id, schema_path
from minutebook.records import MeetingStatus
from minutebook.render import document_url

OCD_FILE = "data/ocd-events.json"
OCD_SCHEMA = "ocd-events"


class MediaLink(s.Shape):
    media_type: str
    url: str


class Media(s.Shape):
    name: str
    type: str
    date: str
    offset: float | None
    links: list[MediaLink]


class Location(s.Shape):
    name: str
    note: str
    url: str | None
    coordinates: None = None


class Link(s.Shape):
    note: str
    url: str


class Participant(s.Shape):
    name: str
    entity_type: Literal["organization", "person"]
    note: str
    id: str | None = Field(description="The Minutebook id of the body or person.")


class OcdDocument(s.Shape):
    note: str
    date: str
    media_type: str
    url: str
    links: list[MediaLink]


class RelatedEntity(s.Shape):
    entity_type: str
    name: str
    note: str | None
    id: str | None


class AgendaEntry(s.Shape):
    description: str
    order: str = Field(description="'4', or '4.a' for a sub-item.")
    subjects: list[str]
    related_entities: list[RelatedEntity]
    notes: list[str]
    classification: list[str]
    media: list[Media]


class Source(s.Shape):
    url: str
    note: str


class Event(s.Shape):
    type_: Literal["event"] = Field("event", alias="_type")
    id: str
    name: str
    description: str
    classification: str
    start_date: str
    end_date: str
    timezone: str
    all_day: bool
    status: Literal["cancelled", "tentative", "confirmed", "passed"]
    location: Location
    media: list[Media]
    links: list[Link]
    participants: list[Participant]
    documents: list[OcdDocument]
    agenda: list[AgendaEntry]
    sources: list[Source]
    extras: dict[str, str]


class OcdFile(s.Shape):
    """data/ocd-events.json: a header and the events, oldest first."""

    header: s.Header
    events: list[Event]


class OcdEvents:
    name = "open civic data events"

    def run(self, context: StepContext) -> None:
        target = context.staging / OCD_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(s.dump(ocd_file(context.site)))
        schema = s.schema_of(OcdFile, context.site.config.base_url + schema_path(OCD_SCHEMA))
        (context.staging / schema_path(OCD_SCHEMA)).parent.mkdir(parents=True, exist_ok=True)
        (context.staging / schema_path(OCD_SCHEMA)).write_bytes(s.to_bytes(schema))
        context.figures["OCD events"] = len(context.site.meetings)


def ocd_file(site: Site) -> OcdFile:
    config = site.config
    header = s.Header(
        publisher=config.council,
        title=config.site_title,
        licence=config.licence,
        licence_url=config.licence_url,
        source=config.base_url,
        schema_url=config.base_url + schema_path(OCD_SCHEMA),
    )
    return OcdFile(header=header, events=[event(site, m) for m in site.meetings])


def event(site: Site, meeting: MeetingNode) -> Event:
    page = site.config.base_url + meeting.url
    rec = meeting.record
    return Event(
        id=f"ocd-event/{uuid.uuid5(uuid.NAMESPACE_URL, page)}",
        name=f"{meeting.body.name}{f' – {rec.title}' if rec.title else ''}",
        description=rec.status_note or f"Meeting of {meeting.body.name} on {meeting.date:%-d %B %Y}.",
        classification="committee-meeting",
        start_date=_when(meeting.date, rec.time, site.config.timezone),
        end_date=_when(meeting.date, rec.end_time, site.config.timezone) if rec.end_time else "",
        timezone=site.config.timezone,
        all_day=False,
        status=_status(meeting, site.today),
        location=Location(name=rec.venue or "To be confirmed", note="", url=rec.remote_link),
        media=list(_media(meeting)),
        links=[Link(note="Agenda and minutes", url=page), Link(note="Open data", url=f"{page}index.json")],
        participants=list(_participants(site, meeting)),
        documents=list(_documents(site, meeting)),
        agenda=[entry for top in meeting.agenda for entry in _agenda(site, top, None, False)],
        sources=[Source(url=page, note="Published with Minutebook")],
        extras={
            "minutebook_id": meeting_id(meeting),
            "body": meeting.body.id,
            "municipal_year": meeting.year.label,
        },
    )


def _when(day: dt.date, time: str | None, zone: str) -> str:
    if time is None:
        return day.isoformat()
    hours, minutes = (int(part) for part in time.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), ZoneInfo(zone)).isoformat()


def _status(meeting: MeetingNode, today: dt.date) -> Literal["cancelled", "tentative", "confirmed", "passed"]:
    if meeting.status in (MeetingStatus.cancelled, MeetingStatus.postponed):
        return "cancelled"
    if meeting.status is MeetingStatus.held or meeting.date < today:
        return "passed"
    return "confirmed" if meeting.agenda else "tentative"


def _media(meeting: MeetingNode) -> Iterator[Media]:
    rec = meeting.record
    for kind, name, url in (("webcast", "Webcast", rec.webcast), ("recording", "Recording", rec.recording)):
        if url:
            link = MediaLink(media_type="text/html", url=url)
            yield Media(name=name, type=kind, date=meeting.date.isoformat(), offset=None, links=[link])


def _participants(site: Site, meeting: MeetingNode) -> Iterator[Participant]:
    yield Participant(name=meeting.body.name, entity_type="organization", note="host", id=meeting.body.id)
    attendance = meeting.record.attendance
    if attendance is None:
        return
    groups: list[tuple[str, list[str]]] = [
        ("chair", [attendance.chair] if attendance.chair else []),
        ("present", attendance.present),
        ("co-opted member", attendance.co_opted),
        ("substitute", [x.person for x in attendance.substitutes]),
        ("cabinet member", attendance.cabinet_members),
        ("officer", attendance.officers),
        ("invited", [g.person for g in attendance.invited if g.person]),
    ]
    for note, ids in groups:
        for person_id in ids:
            name = site.people[person_id].record.display_name
            yield Participant(name=name, entity_type="person", note=note, id=person_id)
    for guest in attendance.invited:
        if not guest.person and guest.name:
            yield Participant(name=guest.name, entity_type="person", note=guest.note or "invited", id=None)


def _documents(site: Site, meeting: MeetingNode) -> Iterator[OcdDocument]:
    published = (meeting.record.agenda_published or meeting.date).isoformat()
    for agenda in _public(meeting.agenda):
        for report in agenda.record.reports:
            named: list[tuple[str, str | None, str | None]] = []
            if report.file:
                named.append((report.title or report.heading, report.file, None))
            named += [(d.title, d.file, d.url) for d in report.documents]
            for title, file, url in named:
                address = site.config.base_url + document_url(meeting, file) if file else url
                if address:
                    kind = _media_type(address)
                    link = MediaLink(media_type=kind, url=address)
                    yield OcdDocument(note=title, date=published, media_type=kind, url=address, links=[link])


def _media_type(address: str) -> str:
    if address.endswith("/"):
        return "text/html"
    return mimetypes.guess_type(address)[0] or "text/html"


def _public(items: list[AgendaNode]) -> Iterator[AgendaNode]:
    """Agenda items and sub-items, leaving out exempt business and everything under it."""
    for item in items:
        if item.record.exempt is None:
            yield item
            yield from _public(item.items)


def _agenda(site: Site, item: AgendaNode, parent: str | None, exempt: bool) -> Iterator[AgendaEntry]:
    rec = item.record
    exempt = exempt or rec.exempt is not None
    order = f"{parent}.{rec.number}" if parent else rec.number
    yield AgendaEntry(
        description=item.title,
        order=order,
        subjects=[] if exempt else [site.topics[t].record.title for t in rec.topics if t in site.topics],
        related_entities=[] if exempt else list(_related(site, item)),
        notes=list(_notes(item, exempt)),
        classification=["private"] if rec.private or exempt else [],
        media=[],
    )
    for sub in item.items:
        yield from _agenda(site, sub, order, exempt)


def _related(site: Site, item: AgendaNode) -> Iterator[RelatedEntity]:
    for declaration in item.meeting.record.declarations:
        if declaration.item == item.record.number:
            person = site.people[declaration.person]
            note = f"declared an interest: {declaration.interest}"
            yield RelatedEntity(
                entity_type="person", name=person.record.display_name, note=note, id=person.id
            )


def _notes(item: AgendaNode, exempt: bool) -> Iterator[str]:
    if exempt:
        if item.record.public_summary:
            yield item.record.public_summary
        return
    for minute in item.minutes:
        yield f"Minute {minute.label}: {minute.title}"
        if minute.exempt:
            yield from [minute.record.public_summary] if minute.record.public_summary else []
            continue
        for resolution in minute.resolutions:
            yield f"Resolution {resolution.label}: {resolution.record.text}"
