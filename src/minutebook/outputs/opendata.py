"""Open data: every record as JSON beside its page, one bulk file, and the schema of both.

Written as a post-build step: `<meeting page>/index.json`, `actions/<id>/index.json`,
`people/<id>/index.json`, `bodies/<id>/index.json`, `<work programme page>/index.json`,
`data/minutebook.json` (everything the site shows), `data/schema/<kind>.json` and
`data/LICENCE.txt`. Exempt business gives only its title, Schedule 12A paragraph and
public summary, as on the page; the resolutions and actions of an exempt minute are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, TypeVar

from minutebook.graph import (
    ActionNode,
    AgendaNode,
    BodyNode,
    MeetingNode,
    MinuteNode,
    PersonNode,
    ProgrammeNode,
    Reference,
    ResolutionNode,
    Site,
)
from minutebook.outputs import StepContext
from minutebook.outputs import opendata_shapes as s
from minutebook.records import Attendance, Document, Report, Vote
from minutebook.render import Renderer, document_url

DATA_DIR = "data"
BULK_FILE = "data/minutebook.json"
LICENCE_FILE = "data/LICENCE.txt"


class OpenData:
    name = "open data"

    def run(self, context: StepContext) -> None:
        files = export(context.site, context.renderer, context.go_on)
        made: set[Path] = set()
        for rel, data in files.items():
            target = context.staging / rel
            if target.parent not in made:  # most are the folders of pages already written
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
        context.figures["open data files"] = sum(rel.endswith(".json") for rel in files)


def export(site: Site, renderer: Renderer, go_on: Callable[[], None] = lambda: None) -> dict[str, bytes]:
    """Every open-data file: its path in the site → its bytes. `go_on` may stop it (it raises)."""
    ex = _Exporter(site, renderer)
    files: dict[str, bytes] = {}
    for meeting in site.meetings:
        go_on()
        files[f"{meeting.url}index.json"] = ex.file_bytes(ex.meeting_file(meeting))
    go_on()
    for action in public_actions(site):
        files[f"{action.url}index.json"] = ex.file_bytes(
            s.ActionFile(header=ex.header("action"), action=ex.action(action))
        )
    for person in site.people.values():
        files[f"{person.url}index.json"] = ex.file_bytes(
            s.PersonFile(header=ex.header("person"), person=ex.person(person))
        )
    for body in site.bodies.values():
        files[f"{body.url}index.json"] = ex.file_bytes(
            s.BodyFile(header=ex.header("body"), body=ex.body(body))
        )
    for programme in site.programmes:
        files[f"{programme.url}index.json"] = ex.file_bytes(
            s.WorkProgrammeFile(header=ex.header("work-programme"), work_programme=ex.programme(programme))
        )
    go_on()
    files[BULK_FILE] = s.to_bytes(ex.bulk_data())
    for kind, shape in s.FILE_SHAPES.items():
        files[schema_path(kind)] = s.to_bytes(s.schema_of(shape, ex.absolute(schema_path(kind))))
    files[LICENCE_FILE] = licence_text(site).encode("utf-8")
    return files


def schema_path(kind: str) -> str:
    return f"{DATA_DIR}/schema/{kind}.json"


def public_resolutions(site: Site) -> list[ResolutionNode]:
    """The resolutions the site shows: none of an exempt minute."""
    return [r for r in site.resolutions if not r.minute.exempt]


def public_actions(site: Site) -> list[ActionNode]:
    return [a for a in site.actions if not a.minute.exempt]


def licence_text(site: Site) -> str:
    config = site.config
    where = f" ({config.licence_url})" if config.licence_url else ""
    return (
        f"The records of {config.council} published on {config.base_url} — the pages and the open data\n"
        f"in JSON beside them, data/minutebook.json and data/ocd-events.json — are published under the\n"
        f"{config.licence}{where}.\n\n"
        f"Each JSON file names its licence in its header object; data/schema/ holds the JSON Schema of\n"
        f"each kind of file. Texts are Markdown, as the clerk wrote them.\n"
    )


# ---------------------------------------------------------------- ids


def meeting_id(meeting: MeetingNode) -> str:
    return f"{meeting.body.id}/{meeting.slug}"


def agenda_id(agenda: AgendaNode) -> str:
    return f"{meeting_id(agenda.meeting)}#{agenda.anchor}"


def minute_id(minute: MinuteNode) -> str:
    return f"{minute.meeting.body.id}/{minute.anchor}"


def resolution_id(resolution: ResolutionNode) -> str:
    return f"{resolution.minute.meeting.body.id}/{resolution.anchor}"


def programme_id(programme: ProgrammeNode) -> str:
    return f"{programme.body.id}/work-programme-{programme.year.slug}"


def _minutes_status(minute: MinuteNode) -> Literal["draft", "approved"]:
    minutes = minute.meeting.record.minutes
    return "approved" if minutes is not None and minutes.status.value == "approved" else "draft"


# ---------------------------------------------------------------- the exporter

_Node = TypeVar("_Node")
_Made = TypeVar("_Made", bound=s.Shape)


def _once(method: Callable[[_Exporter, _Node], _Made]) -> Callable[[_Exporter, _Node], _Made]:
    """Each node becomes its (frozen) export shape once: the bulk file reuses the per-record files'."""

    def made_once(self: _Exporter, node: _Node) -> _Made:
        key = (method.__name__, id(node))
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = method(self, node)
            self.kept.add(id(made))
        return made  # type: ignore[return-value]

    return made_once


class _Exporter:
    """Turns graph nodes into export shapes; holds the site and the renderer's base address."""

    def __init__(self, site: Site, renderer: Renderer) -> None:
        self.site = site
        self.renderer = renderer
        self.base = site.config.base_url
        self.made: dict[tuple[str, int], s.Shape] = {}
        self.kept: set[int] = set()  # ids of the shapes in `made`
        #: Each record's JSON data as its own file holds it, by the id of its shape (kept alive in
        #: `made`): the bulk file repeats every record, and dumping them twice cost 1.5 s at 10,000 meetings.
        self.data: dict[int, Any] = {}

    def file_bytes(self, file: s.Shape) -> bytes:
        """A file's JSON; the records in it are kept as data for the bulk file."""
        data = file.model_dump(mode="json", by_alias=True)
        for name, field in type(file).model_fields.items():
            value, dumped = getattr(file, name), data[field.alias or name]
            pairs = zip(value, dumped, strict=True) if isinstance(value, list) else [(value, dumped)]
            for shape, part in pairs:
                # Only shapes kept in `made`: one that is dropped (a header) may see its id reused.
                if id(shape) in self.kept:
                    self.data[id(shape)] = part
        return s.to_bytes(data)

    def data_of(self, shape: s.Shape) -> Any:
        """A record's JSON data, as its file holds it if it has been written."""
        data = self.data.get(id(shape))
        return data if data is not None else shape.model_dump(mode="json", by_alias=True)

    def absolute(self, path: str) -> str:
        return self.base + path

    def header(self, kind: str) -> s.Header:
        config = self.site.config
        return s.Header(
            publisher=config.council,
            title=config.site_title,
            licence=config.licence,
            licence_url=config.licence_url,
            source=config.base_url,
            schema_url=self.absolute(schema_path(kind)),
        )

    def bulk(self) -> s.BulkFile:
        return s.BulkFile(**self._bulk_records())

    def bulk_data(self) -> dict[str, Any]:
        """The bulk file's JSON data: what dumping `bulk()` gives, from the records' files' data."""
        return {
            name: [self.data_of(shape) for shape in value] if isinstance(value, list) else self.data_of(value)
            for name, value in self._bulk_records().items()
        }

    def _bulk_records(self) -> dict[str, Any]:
        site = self.site
        return {
            "header": self.header("minutebook"),
            "bodies": [self.body(b) for b in site.bodies.values()],
            "people": [self.person(p) for p in sorted(site.people.values(), key=lambda p: p.id)],
            "meetings": [self.meeting(m) for m in site.meetings],
            "minutes": [self.minute(m) for m in _minutes(site)],
            "resolutions": [self.resolution(r) for r in public_resolutions(site)],
            "actions": [self.action(a) for a in public_actions(site)],
            "work_programmes": [self.programme(p) for p in site.programmes],
        }

    # ------------------------------------------------------------ meetings

    def meeting_file(self, meeting: MeetingNode) -> s.MeetingFile:
        return s.MeetingFile(
            header=self.header("meeting"),
            meeting=self.meeting(meeting),
            minutes=[self.minute(m) for m in meeting.minutes],
            resolutions=[self.resolution(r) for m in meeting.minutes if not m.exempt for r in m.resolutions],
        )

    @_once
    def meeting(self, meeting: MeetingNode) -> s.MeetingOut:
        rec = meeting.record
        return s.MeetingOut(
            id=meeting_id(meeting),
            url=self.absolute(meeting.url),
            json_url=self.absolute(f"{meeting.url}index.json"),
            body=meeting.body.id,
            municipal_year=meeting.year.label,
            date=meeting.date,
            time=rec.time,
            end_time=rec.end_time,
            title=rec.title,
            status=meeting.status.value,
            status_label=self.renderer.status_label(meeting),
            status_note=rec.status_note,
            rescheduled_from=meeting.rescheduled_from,
            venue=rec.venue,
            remote_link=rec.remote_link,
            webcast=rec.webcast,
            recording=rec.recording,
            agenda_published=rec.agenda_published,
            published_by=rec.published_by,
            contact_officer=rec.contact_officer,
            agenda=[self.agenda(a, None) for a in meeting.agenda],
            attendance=_attendance(rec.attendance) if rec.attendance else None,
            declarations=[
                s.DeclarationOut(person=d.person, item=d.item, interest=d.interest, kind=d.kind)
                for d in rec.declarations
            ],
            minutes=self.minutes_of(meeting),
            previous=meeting_id(meeting.previous) if meeting.previous else None,
            next=meeting_id(meeting.next) if meeting.next else None,
            topics=list(rec.topics),
        )

    def minutes_of(self, meeting: MeetingNode) -> s.MinutesOut | None:
        minutes = meeting.record.minutes
        if minutes is None:
            return None
        return s.MinutesOut(
            status=minutes.status.value,
            approved_by=minute_id(meeting.approved_by) if meeting.approved_by else None,
            amendments=minutes.amendments,
            closed_at=minutes.closed_at,
            corrections=[s.CorrectionOut(date=c.date, note=c.note) for c in minutes.corrections],
            items=[minute_id(m) for m in meeting.minutes],
        )

    def agenda(self, agenda: AgendaNode, inherited: s.Exemption | None) -> s.AgendaItemOut:
        rec = agenda.record
        exempt = s.Exemption(paragraph=rec.exempt.paragraph) if rec.exempt else inherited
        shown = exempt is None
        return s.AgendaItemOut(
            id=agenda_id(agenda),
            url=self.absolute(agenda.url),
            number=agenda.label,
            title=agenda.title,
            pages=rec.pages if shown else None,
            description=rec.description if shown else None,
            private=rec.private or not shown,
            exempt=exempt,
            public_summary=rec.public_summary,
            reports=[self.report(agenda.meeting, r) for r in rec.reports] if shown else [],
            items=[self.agenda(sub, exempt) for sub in agenda.items],
            minutes=[minute_id(m) for m in agenda.minutes],
            topics=list(rec.topics) if shown else [],
        )

    def report(self, meeting: MeetingNode, report: Report) -> s.ReportOut:
        return s.ReportOut(
            kind=report.kind,
            author=report.author,
            title=report.title,
            summary=report.summary,
            url=self.absolute(document_url(meeting, report.file)) if report.file else None,
            documents=[self.document(meeting, d) for d in report.documents],
        )

    def document(self, meeting: MeetingNode, document: Document) -> s.DocumentOut:
        url = self.absolute(document_url(meeting, document.file)) if document.file else document.url
        return s.DocumentOut(title=document.title, url=url, text=document.text)

    # ------------------------------------------------------------ minutes, resolutions, actions

    @_once
    def minute(self, minute: MinuteNode) -> s.MinuteOut:
        rec, exempt = minute.record, minute.exempt
        return s.MinuteOut(
            id=minute_id(minute),
            url=self.absolute(minute.url),
            meeting=meeting_id(minute.meeting),
            body=minute.meeting.body.id,
            date=minute.date,
            number=minute.label,
            title=minute.title,
            minutes_status=_minutes_status(minute),
            agenda_item=agenda_id(minute.agenda) if minute.agenda else None,
            text=None if exempt else rec.text,
            resolved=None if exempt else rec.resolved,
            resolutions=[] if exempt else [resolution_id(r) for r in minute.resolutions],
            actions=[] if exempt else [a.id for a in minute.actions],
            further_to=[] if exempt else [_reference(r) for r in minute.references],
            followed_up_in=[minute_id(m) for m in minute.referred_by],
            closes=[] if exempt else [a.id for a in minute.closes],
            approves=[] if exempt else [meeting_id(m) for m in minute.approves],
            private=rec.private or exempt,
            exempt=s.Exemption(paragraph=rec.exempt.paragraph) if rec.exempt else None,
            public_summary=rec.public_summary,
            topics=[] if exempt else sorted(minute.topics | set(rec.topics)),
        )

    @_once
    def resolution(self, resolution: ResolutionNode) -> s.ResolutionOut:
        minute = resolution.minute
        return s.ResolutionOut(
            id=resolution_id(resolution),
            url=self.absolute(resolution.url),
            minute=minute_id(minute),
            meeting=meeting_id(minute.meeting),
            body=minute.meeting.body.id,
            date=resolution.date,
            number=resolution.number,
            label=resolution.label,
            minutes_status=_minutes_status(minute),
            text=resolution.record.text,
            vote=_vote(resolution.record.vote) if resolution.record.vote else None,
            actions=[a.id for a in minute.actions if a.resolution is resolution],
            topics=list(resolution.record.topics),
        )

    @_once
    def action(self, action: ActionNode) -> s.ActionOut:
        rec, closed_by = action.record, action.closed_by
        return s.ActionOut(
            id=action.id,
            url=self.absolute(action.url),
            json_url=self.absolute(f"{action.url}index.json"),
            label=action.label,
            minute=minute_id(action.minute),
            meeting=meeting_id(action.minute.meeting),
            body=action.minute.meeting.body.id,
            date=action.date,
            resolution=resolution_id(action.resolution) if action.resolution else None,
            text=rec.text,
            owner=rec.owner,
            owner_note=rec.owner_note,
            due=rec.due,
            status=action.status.value,
            closed_by=minute_id(closed_by) if closed_by else None,
            closed_on=closed_by.date if closed_by else None,
            closure_note=action.closure_note if closed_by and not closed_by.exempt else None,
        )

    # ------------------------------------------------------------ people, bodies, programmes

    @_once
    def person(self, person: PersonNode) -> s.PersonOut:
        rec = person.record
        return s.PersonOut(
            id=person.id,
            url=self.absolute(person.url),
            json_url=self.absolute(f"{person.url}index.json"),
            name=rec.name,
            display_name=rec.display_name,
            honorific=rec.honorific,
            kind=rec.kind.value,
            directorate=rec.directorate,
            job_title=rec.job_title,
            roles=[s.RoleOut(title=r.title, start=r.start, end=r.end) for r in rec.roles],
            former_names=list(rec.former_names),
            memberships=[
                s.MembershipOut(body=body.id, municipal_year=year.label, role=role)
                for body, year, role in person.memberships
            ],
            attended=[s.AttendedOut(meeting=meeting_id(a.meeting), role=a.role) for a in person.attended],
            actions=[a.id for a in person.actions if not a.minute.exempt],
        )

    @_once
    def body(self, body: BodyNode) -> s.BodyOut:
        rec = body.record
        return s.BodyOut(
            id=body.id,
            url=self.absolute(body.url),
            json_url=self.absolute(f"{body.url}index.json"),
            name=rec.name,
            short_name=rec.short_name,
            kind=rec.kind,
            description=rec.description,
            year_start_month=rec.year_start_month,
            contact_officer=rec.contact_officer,
            membership={
                year: [s.MemberOut(person=e.person, role=e.role.value) for e in entries]
                for year, entries in rec.membership.items()
            },
            meetings=[meeting_id(m) for m in body.meetings],
            work_programmes=[programme_id(body.programmes[y]) for y in sorted(body.programmes)],
        )

    @_once
    def programme(self, programme: ProgrammeNode) -> s.WorkProgrammeOut:
        return s.WorkProgrammeOut(
            id=programme_id(programme),
            url=self.absolute(programme.url),
            json_url=self.absolute(f"{programme.url}index.json"),
            body=programme.body.id,
            municipal_year=programme.year.label,
            revisions=[s.RevisionOut(date=r.date, note=r.note) for r in programme.record.revisions],
            items=[
                s.ProgrammeItemOut(
                    id=f"{programme_id(programme)}#{item.anchor}",
                    url=self.absolute(item.url),
                    title=item.title,
                    detail=item.record.detail,
                    leads=list(item.record.leads),
                    lead_note=item.record.lead_note,
                    planned=str(item.record.planned) if item.record.planned else None,
                    planned_meeting=meeting_id(item.planned_meeting) if item.planned_meeting else None,
                    outcome=item.record.outcome.value,
                    taken_at=agenda_id(item.taken_at) if item.taken_at else None,
                    outcome_note=item.record.outcome_note,
                    topics=list(item.record.topics),
                )
                for item in programme.items
            ],
        )


def _minutes(site: Site) -> Iterator[MinuteNode]:
    for meeting in site.meetings:
        yield from meeting.minutes


def _reference(reference: Reference) -> s.ReferenceOut:
    target = minute_id(reference.target) if reference.target else None
    return s.ReferenceOut(written=reference.label, body=reference.body_id, minute=target)


def _attendance(a: Attendance) -> s.AttendanceOut:
    return s.AttendanceOut(
        chair=a.chair,
        present=list(a.present),
        co_opted=list(a.co_opted),
        substitutes=[s.SubstituteOut(person=x.person, substitute_for=x.for_) for x in a.substitutes],
        cabinet_members=list(a.cabinet_members),
        officers=list(a.officers),
        apologies=list(a.apologies),
        absent=list(a.absent),
        invited=[s.GuestOut(person=g.person, name=g.name, note=g.note) for g in a.invited],
    )


def _vote(vote: Vote) -> s.VoteOut:
    def side(value: list[str] | int) -> s.VoteSide:
        return s.VoteSide(count=Vote.count(value), people=[] if isinstance(value, int) else list(value))

    return s.VoteOut(for_=side(vote.for_), against=side(vote.against), abstained=side(vote.abstained))
