"""Stage 6 — index: one Pagefind record per item a resident searches for.

Records are added through Pagefind's Python API with their own address, filters,
metadata and sort key, and each text is indexed once: registers and lists repeat
records, so pages are never indexed wholesale.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minutebook import pagefind_service
from minutebook.graph import AgendaNode, MeetingNode, MinuteNode, Site
from minutebook.render import Renderer

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass
class SearchRecord:
    url: str
    title: str
    kind: str
    content: str
    body: str = ""
    year: str = ""
    date: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    #: The minute number ('39/18') of a minute record, indexed as one word (see minute_token).
    minute_number: str = ""


def records(site: Site, renderer: Renderer) -> Iterator[SearchRecord]:
    for meeting in site.meetings:
        yield from _meeting_records(meeting, renderer)
    for programme in site.programmes:
        for item in programme.items:
            text = " ".join(filter(None, [item.record.detail, item.record.outcome_note]))
            yield SearchRecord(
                renderer.url(item.url),
                item.title,
                "work-programme item",
                _plain(renderer, text) or item.title,
                programme.body.name,
                programme.year.label,
                programme.latest.date.isoformat(),
            )
    for person in site.people.values():
        role = person.record.job_title or person.record.kind.value
        yield SearchRecord(
            renderer.url(person.url),
            person.record.display_name,
            "person",
            f"{person.record.display_name} {role} {' '.join(r.title for r in person.record.roles)}",
        )


def _meeting_records(meeting: MeetingNode, renderer: Renderer) -> Iterator[SearchRecord]:
    base: dict[str, Any] = {
        "body": meeting.body.name,
        "year": meeting.year.label,
        "date": meeting.date.isoformat(),
    }
    venue = meeting.record.venue or ""
    yield SearchRecord(
        renderer.url(meeting.url),
        f"{meeting.body.name}, {meeting.date:%-d %B %Y}",
        "meeting",
        f"{meeting.body.name} meeting {meeting.date:%-d %B %Y} {venue}",
        **base,
    )
    for agenda in _searchable_items(meeting.agenda):
        exempt = agenda.record.exempt is not None
        text = agenda.record.public_summary if exempt else agenda.record.description
        reports = "" if exempt else " ".join(r.heading for r in agenda.record.reports)
        yield SearchRecord(
            renderer.url(agenda.url),
            agenda.title,
            "agenda item",
            f"{agenda.title} {reports} {_plain(renderer, text)}",
            **base,
        )
    for minute in meeting.minutes:
        yield from _minute_records(minute, renderer, base)


def _searchable_items(items: list[AgendaNode]) -> Iterator[AgendaNode]:
    """Agenda items and sub-items; an exempt item is found by its title, nothing under it is."""
    for node in items:
        yield node
        if node.record.exempt is None:
            yield from _searchable_items(node.items)


def _minute_records(minute: MinuteNode, renderer: Renderer, base: dict[str, Any]) -> Iterator[SearchRecord]:
    item = minute.record
    text = item.public_summary if minute.exempt else item.text
    title = f"Minute {minute.label}: {minute.title}"
    yield SearchRecord(
        renderer.url(minute.url),
        title,
        "minute",
        f"{title} {_plain(renderer, text)}",
        meta={"minute": minute.label},
        minute_number=minute.label,
        **base,
    )
    for resolution in minute.resolutions:
        yield SearchRecord(
            renderer.url(resolution.url),
            f"Resolution {resolution.label}: {minute.title}",
            "resolution",
            _plain(renderer, resolution.record.text),
            meta={"minute": minute.label, "status": _minutes_status(minute)},
            **base,
        )
    for action in minute.actions:
        yield SearchRecord(
            renderer.url(action.url),
            f"Action {action.label}: {minute.title}",
            "action",
            _plain(renderer, action.record.text),
            meta={"minute": minute.label, "status": action.status.value},
            **base,
        )


def _minutes_status(minute: MinuteNode) -> str:
    minutes = minute.meeting.record.minutes
    return "draft" if minutes is None or minutes.status.value == "draft" else "approved"


def _plain(renderer: Renderer, text: str | None) -> str:
    if not text:
        return ""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", str(renderer.markdown.render(text))))).strip()


def write_index(site: Site, renderer: Renderer, staging: Path) -> int:
    """Index every record into staging/pagefind; returns the number of records."""
    return pagefind_service.build_index(payloads(site, renderer), staging / "pagefind")


def payloads(site: Site, renderer: Renderer) -> list[dict[str, Any]]:
    """Every search record as Pagefind takes it."""
    language = site.config.language.split("-")[0]
    return [_payload(item, language) for item in records(site, renderer)]


def minute_token(label: str) -> str:
    """'39/18' → 'minuteno39x18': one word, since Pagefind splits '39/18' into '39' and '18'.

    The search page turns a query for a minute number into this word (and hides it from excerpts).
    A word rather than a filter: a filter with a value per minute would be downloaded whole.
    """
    number, suffix = label.split("/")
    return f"minuteno{number}x{suffix}"


def _payload(item: SearchRecord, language: str) -> dict[str, Any]:
    filters = {"type": [item.kind]}
    meta = {"title": item.title, "type": item.kind}
    if item.body:
        filters["body"], meta["body"] = [item.body], item.body
    if item.year:
        filters["year"] = [item.year]
    content = item.content or item.title
    if item.minute_number:
        content = f"{content} {minute_token(item.minute_number)}"
    if item.date:
        meta["date"] = item.date
    return {
        "url": item.url,
        "content": content,
        "language": language,
        "meta": {**meta, **item.meta},
        "filters": filters,
        "sort": {"date": item.date} if item.date else {},
    }
