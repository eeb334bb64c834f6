"""Drafts → content records: plain data in the shapes of the content model, with people matched."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from minutebook.importer.bodies import BodyChoice
from minutebook.importer.dates import municipal_start
from minutebook.importer.draft import AgendaDraft, MinuteDraft, MinutesDraft, Name, PackDraft, ProgrammeDraft
from minutebook.importer.people import People
from minutebook.importer.programme_leads import leads_of

Data = dict[str, Any]


@dataclass
class Assembled:
    """The files one pack gives: meetings, papers and a work programme, keyed by content path."""

    yaml: dict[str, Data] = field(default_factory=dict)
    markdown: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def assemble(pack: PackDraft, body: BodyChoice, people: People) -> Assembled:
    out = Assembled()
    folder = f"content/meetings/{body.id}"
    front = pack.front
    if front.date:
        out.yaml[f"{folder}/{front.date}.yaml"] = _front_meeting(pack, folder, people, out)
    if pack.minutes and pack.minutes.date:
        meeting = _minutes_meeting(pack.minutes, body, people)
        out.yaml.setdefault(f"{folder}/{pack.minutes.date}.yaml", {}).update(meeting)
    if pack.programme and front.date:
        slug = pack.programme.year.replace("/", "-") if pack.programme.year else str(front.date.year)
        out.yaml[f"content/work-programmes/{body.id}/{slug}.yaml"] = _programme(
            pack.programme, front.date, people
        )
    return out


def membership(pack: PackDraft, people: People) -> list[Data]:
    entries: list[Data] = []
    for name, role in pack.front.membership:
        person = people.match(_as_member(name, role), "co-opted" if role == "co-opted" else "councillor")
        if all(e["person"] != person.id for e in entries):
            entries.append({"person": person.id, "role": role})
    return entries


def _as_member(name: Name, role: str) -> Name:
    honorific = name.honorific if role != "co-opted" or name.honorific in ("Mrs", "Mr", "Ms", "Dr") else None
    return Name(name.name, honorific or ("Councillor" if role != "co-opted" else None), name.note)


def _front_meeting(pack: PackDraft, folder: str, people: People, out: Assembled) -> Data:
    front = pack.front
    data: Data = {
        "date": front.date,
        "time": front.time,
        "venue": front.venue,
        "remote_link": front.remote_link,
    }
    data |= {"agenda_published": front.published, "published_by": front.published_by}
    if front.contact:
        data["contact_officer"] = people.match(front.contact, "officer").id
    data["agenda"] = [_agenda_item(item, front.date, folder, out) for item in front.agenda]
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def _agenda_item(item: AgendaDraft, day: dt.date | None, folder: str, out: Assembled) -> Data:
    holder = next((sub for sub in item.items if sub.reports), None)
    if item.document and not item.reports and holder and not holder.document:
        holder.document, item.document = item.document, None  # the paper of its first sub-item
    data: Data = {"number": item.number, "title": item.title, "pages": item.pages}
    if item.description:
        data["description"] = " ".join(item.description)
    reports = [{k: v for k, v in (("kind", r.kind), ("author", r.author)) if v} for r in item.reports]
    if item.document and not item.private:
        name = f"{day}/{_slug(item.title)}.md"
        out.markdown[f"{folder}/{name}"] = item.document
        reports = reports or [{"kind": "Report"}]
        reports[0]["file"] = name
    data["reports"] = reports
    data["items"] = [_agenda_item(sub, day, folder, out) for sub in item.items]
    if item.private:
        data["private"] = True
    if item.exempt_paragraph:
        data["exempt"] = {"paragraph": item.exempt_paragraph}
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-") or "paper"


_KINDS = {"officers": "officer", "invited": "guest", "co_opted": "co-opted"}


def _minutes_meeting(minutes: MinutesDraft, body: BodyChoice, people: People) -> Data:
    assert minutes.date is not None
    year = municipal_start(minutes.date, body.start_month)

    def ids(category: str) -> list[str]:
        return _unique(
            _person(people, n, _KINDS.get(category, "councillor"))
            for n in minutes.attendance.get(category, [])
        )

    attendance: Data = {"chair": _person(people, minutes.chair, "councillor") if minutes.chair else None}
    for category in ("present", "co_opted", "cabinet_members", "officers", "apologies", "absent"):
        attendance[category] = ids(category)
    attendance["substitutes"] = [
        {"person": _person(people, a, "councillor"), "for": _person(people, b, "councillor")}
        for a, b in minutes.substitutes
    ]
    attendance["invited"] = [_guest(people, n) for n in minutes.attendance.get("invited", [])]
    data: Data = {"date": minutes.date, "time": minutes.time}
    data["attendance"] = {k: v for k, v in attendance.items() if v}
    data["declarations"] = [
        {"person": _person(people, d.person, "councillor"), "interest": d.interest, "kind": d.kind}
        for d in minutes.declarations
    ]
    items = [_minute(item, year) for item in minutes.items]
    data["minutes"] = {"status": "draft", "closed_at": minutes.closed_at, "items": items}
    data["minutes"] = {k: v for k, v in data["minutes"].items() if v}
    return {k: v for k, v in data.items() if v not in (None, [], {})}


def _person(people: People, name: Name, kind: str) -> str:
    if name.is_councillor:
        kind = "councillor"
    return people.match(name, kind).id


def _guest(people: People, name: Name) -> Data:
    if name.is_councillor:
        return (
            {"person": people.match(name, "councillor").id, "note": name.note}
            if name.note
            else {"person": people.match(name, "councillor").id}
        )
    return {k: v for k, v in (("name", name.name), ("note", name.note)) if v}


def _unique(values: Any) -> list[str]:
    return list(dict.fromkeys(values))


def _minute(item: MinuteDraft, year: int) -> Data:
    data: Data = {"number": f"{item.number}/{year % 100:02d}", "title": item.title}
    data["text"] = _paragraphs(item.text) or None
    data["resolved"] = item.resolved
    data["resolutions"] = [{"number": r.number, "text": r.text} for r in item.resolutions]
    data["further_to"] = _unique(_reference(ref, item.number, year) for ref in item.further_to)
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def _paragraphs(lines: list[str]) -> str:
    """Lines as paragraphs, mending a paragraph a page break split mid-sentence."""
    out: list[str] = []
    for line in (t.strip() for t in lines if t.strip()):
        if out and line[0].islower() and not out[-1].endswith((".", ":", ";", "!", "?")):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n\n".join(out)


def _reference(ref: str, current: int, year: int) -> str:
    number, _, suffix = ref.partition("/")
    if suffix:
        return f"{int(number)}/{suffix[-2:]}"
    same_year = int(number) < current
    return f"{int(number)}/{(year if same_year else year - 1) % 100:02d}"


def _programme(programme: ProgrammeDraft, published: dt.date, people: People) -> Data:
    items = []
    for row in programme.rows:
        leads, note = leads_of(row.leads, people)
        item: Data = {"title": row.title, "detail": row.detail or None, "leads": leads, "lead_note": note}
        item["planned"] = row.planned
        items.append({k: v for k, v in item.items() if v not in (None, [], "")})
    note = f"The programme as published with the agenda for the meeting of {published:%-d %B %Y}."
    return {"revisions": [{"date": published, "note": note, "items": items}]}
