"""Open data: every record as JSON beside its page, one bulk file, and the schema of both.

Written as a post-build step: `<meeting page>/index.json`, `actions/<id>/index.json`,
`people/<id>/index.json`, `bodies/<id>/index.json`, `<work programme page>/index.json`,
`data/minutebook.json` (everything the site shows), `data/schema/<kind>.json` and
`data/LICENCE.txt`. Exempt business gives only its title, Schedule 12A paragraph and
public summary, as on the page; the resolutions and actions of an exempt minute are left out.

Each record is dumped to JSON once, and its bytes serve twice: in its own file and in the bulk
file's list of its kind (compact JSON with sorted keys is the same bytes whether a record is dumped
alone or inside a whole file). The files are written as they are made and the bulk file's lists
wait in temporary files beside the site, so the step holds a record at a time rather than the
archive: at 10,000 meetings the bulk file alone is 440 MB, and holding every file and record made
the build's process 2.5 GB larger.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

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

#: How much of each of the bulk file's lists stays in memory before it goes to a temporary file.
SPOOL_BYTES = 4 * 2**20


class OpenData:
    name = "open data"

    def run(self, context: StepContext) -> None:
        written = export_to(context.staging, context.site, context.renderer, context.go_on)
        context.figures["open data files"] = written


def export_to(folder: Path, site: Site, renderer: Renderer, go_on: Callable[[], None] = lambda: None) -> int:
    """Write every open-data file under `folder`; returns how many JSON files. `go_on` may stop it
    (it raises)."""
    ex = _Exporter(site, renderer)
    files = _Files(folder)
    with _BulkLists(spill_to=folder) as lists:
        for meeting in site.meetings:
            go_on()
            _write_meeting_file(meeting, ex, files, lists)
        go_on()
        people = sorted(site.people.values(), key=lambda p: p.id)
        for kind, records in (
            ("action", ((a.url, "actions", ex.action(a)) for a in public_actions(site))),
            ("person", ((p.url, "people", ex.person(p)) for p in people)),
            ("body", ((b.url, "bodies", ex.body(b)) for b in site.bodies.values())),
            ("work-programme", ((p.url, "work_programmes", ex.programme(p)) for p in site.programmes)),
        ):
            header, member = ex.header_json(kind), kind.replace("-", "_")
            for url, bulk_list, record in records:
                files.write(
                    f"{url}index.json", _file_json(header=header, **{member: lists.add(bulk_list, record)})
                )
        go_on()
        with files.open(BULK_FILE) as out:
            lists.write_bulk_file(out, ex.header_json("minutebook"))
    for kind, shape in s.FILE_SHAPES.items():
        files.write(schema_path(kind), s.to_bytes(s.schema_of(shape, ex.absolute(schema_path(kind)))))
    files.write(LICENCE_FILE, licence_text(site).encode("utf-8"))
    return files.json_files


def _write_meeting_file(meeting: MeetingNode, ex: _Exporter, files: _Files, lists: _BulkLists) -> None:
    """The meeting's file: the meeting, its minutes and the resolutions of its public minutes."""
    minutes = [lists.add("minutes", ex.minute(m)) for m in meeting.minutes]
    public = [r for m in meeting.minutes if not m.exempt for r in m.resolutions]
    resolutions = [lists.add("resolutions", ex.resolution(r)) for r in public]
    files.write(
        f"{meeting.url}index.json",
        _file_json(
            header=ex.header_json("meeting"),
            meeting=lists.add("meetings", ex.meeting(meeting)),
            minutes=_list_json(minutes),
            resolutions=_list_json(resolutions),
        ),
    )


def export(site: Site, renderer: Renderer) -> dict[str, bytes]:
    """Every open-data file, its path in the site → its bytes: what `export_to` writes."""
    with tempfile.TemporaryDirectory() as folder:
        export_to(Path(folder), site, renderer)
        return {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in Path(folder).rglob("*")
            if path.is_file()
        }


class _Files:
    """Writes files under a folder; most go into the folders of pages already written, so a
    folder is made only when writing finds it missing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.json_files = 0

    def write(self, rel: str, data: bytes) -> None:
        with self.open(rel) as out:
            out.write(data)

    def open(self, rel: str) -> IO[bytes]:
        target = self.folder / rel
        self.json_files += rel.endswith(".json")
        try:
            return target.open("wb")
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            return target.open("wb")


class _BulkLists:
    """The bulk file's lists of records, filled as the records' own files are written."""

    NAMES = tuple(name for name in s.BulkFile.model_fields if name != "header")

    def __init__(self, spill_to: Path | None) -> None:
        self._lists = {name: _BulkList(spill_to) for name in self.NAMES}

    def add(self, name: str, record: s.Shape) -> bytes:
        """The record's JSON, also put at the end of the bulk file's list `name`."""
        data = s.dump_inline(record)
        self._lists[name].add(data)
        return data

    def write_bulk_file(self, out: IO[bytes], header: bytes) -> None:
        """The bulk file, as `s.to_bytes` would write the whole BulkFile: compact, keys sorted."""
        out.write(b"{")
        for index, name in enumerate(sorted([*self.NAMES, "header"])):
            out.write(b'%s"%s":' % (b"," if index else b"", name.encode()))
            if name == "header":
                out.write(header)
            else:
                self._lists[name].write_to(out)
        out.write(b"}\n")

    def __enter__(self) -> _BulkLists:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        for each in self._lists.values():
            each.close()


class _BulkList:
    """One of the bulk file's lists: records gathered in memory and, past `SPOOL_BYTES`, written in
    batches to a temporary file in the folder being built (removed when closed)."""

    def __init__(self, spill_to: Path | None) -> None:
        self._spill_to = spill_to
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._spilled: IO[bytes] | None = None

    def add(self, data: bytes) -> None:
        self._pending.append(data)
        self._pending_bytes += len(data)
        if self._pending_bytes > SPOOL_BYTES:
            self._spill()

    def _spill(self) -> None:
        if self._spilled is None:
            self._spilled = tempfile.TemporaryFile(dir=self._spill_to)  # noqa: SIM115 (closed by close())
        else:
            self._spilled.write(b",")
        self._spilled.write(b",".join(self._pending))
        self._pending.clear()
        self._pending_bytes = 0

    def write_to(self, out: IO[bytes]) -> None:
        out.write(b"[")
        if self._spilled is not None:
            self._spilled.seek(0)
            shutil.copyfileobj(self._spilled, out, 2**20)
            if self._pending:
                out.write(b",")
        out.write(b",".join(self._pending))
        out.write(b"]")

    def close(self) -> None:
        if self._spilled is not None:
            self._spilled.close()


def _list_json(items: list[bytes]) -> bytes:
    return b"[" + b",".join(items) + b"]"


def _file_json(**members: bytes) -> bytes:
    """A file's JSON from its members' JSON: what `s.to_bytes` gives for the whole file shape."""
    return b"{" + b",".join(b'"%s":%s' % (name.encode(), members[name]) for name in sorted(members)) + b"}\n"


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


class _Exporter:
    """Turns graph nodes into export shapes; holds the site and the renderer's base address.

    The build dumps the records' shapes one by one (`export_to`); `meeting_file` and `bulk` give
    the whole files' shapes, which the tests dump to check the files are those shapes' JSON.
    """

    def __init__(self, site: Site, renderer: Renderer) -> None:
        self.site = site
        self.renderer = renderer
        self.base = site.config.base_url
        self._headers: dict[str, bytes] = {}

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

    def header_json(self, kind: str) -> bytes:
        if kind not in self._headers:
            self._headers[kind] = s.dump_inline(self.header(kind))
        return self._headers[kind]

    def bulk(self) -> s.BulkFile:
        site = self.site
        return s.BulkFile(
            header=self.header("minutebook"),
            bodies=[self.body(b) for b in site.bodies.values()],
            people=[self.person(p) for p in sorted(site.people.values(), key=lambda p: p.id)],
            meetings=[self.meeting(m) for m in site.meetings],
            minutes=[self.minute(m) for m in _minutes(site)],
            resolutions=[self.resolution(r) for r in public_resolutions(site)],
            actions=[self.action(a) for a in public_actions(site)],
            work_programmes=[self.programme(p) for p in site.programmes],
        )

    # ------------------------------------------------------------ meetings

    def meeting_file(self, meeting: MeetingNode) -> s.MeetingFile:
        return s.MeetingFile(
            header=self.header("meeting"),
            meeting=self.meeting(meeting),
            minutes=[self.minute(m) for m in meeting.minutes],
            resolutions=[self.resolution(r) for m in meeting.minutes if not m.exempt for r in m.resolutions],
        )

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
