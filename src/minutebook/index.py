"""Stage 6 — index: one search document per page a resident lands on, its sections found by anchor.

A meeting is one document: its agenda items, minutes and resolutions are sections, each
under a heading with the id the meeting page uses, so Pagefind returns the meeting with
the sections that matched (its "sub-results") and each section links to its own anchor.
Actions, work programmes and people are documents of their own. Each text is indexed
once: registers and lists repeat records, so the site's pages are never indexed wholesale.

One document per page rather than one record per item halves Pagefind's time and cuts its
memory by ~40 % and the metadata a browser downloads by ~85 % (benchmarks/RESULTS.md).

A large archive is indexed in parts, each a run of municipal years (`search_parts`): Pagefind
holds a whole index in memory and runs on one core, so parts are indexed side by side, each in
bounded memory, and the search page merges them (Pagefind's mergeIndex, which reuses the first
part's WebAssembly). A part costs a search its entry file and, per searched word, one more index
chunk (~35 KB), so small archives stay in one part.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from minutebook.graph import ActionNode, AgendaNode, MeetingNode, MinuteNode, PersonNode, ProgrammeNode, Site
from minutebook.markdown_text import MarkdownRenderer
from minutebook.pagefind_cli import SearchPage
from minutebook.records.common import MunicipalYear
from minutebook.render import Renderer, SearchType

#: Search documents per part of the index. Pagefind needed ~1.9 GB for 4,935 documents of the
#: generated 10,000-meeting archive (12.5 GB for all 39,477 in one index): parts of this size stay
#: under 2 GB each. Each further part costs a search ~35 KB (its share of the words' index chunks),
#: so an archive of up to ~1,000 meetings (4,321 documents in the generated one) stays in one part.
DOCUMENTS_PER_PART = 4500

_TAG = re.compile(r"<[^>]+>")


@dataclass
class Section:
    """Part of a document under its own heading: found, excerpted and linked on its own."""

    anchor: str
    title: str
    text: str
    level: int = 2


@dataclass
class SearchDocument:
    url: str
    title: str
    kind: str
    text: str
    sections: list[Section] = field(default_factory=list)
    body: str = ""
    year: str = ""
    date: str = ""
    status: str = ""
    #: The document's own heading, when shorter than its title: words in headings weigh more,
    #: so an action's heading names the action, not the minute it came from.
    heading: str = ""


@dataclass(frozen=True)
class SearchPart:
    """A run of municipal years indexed as one Pagefind bundle. Part 1 holds the newest years and
    the people, and is the bundle the search page loads first (`pagefind/`); part N is merged in
    from `pagefind/part-N/`. Every year sits in one part, so the search page can list the newest
    results first by asking year by year (merged parts' sorted results interleave)."""

    number: int
    years: tuple[MunicipalYear, ...]
    documents: int

    @property
    def folder(self) -> str:
        """Where the part's bundle is published, from the site's root."""
        return "pagefind" if self.number == 1 else f"pagefind/part-{self.number}"

    def holds(self, year: MunicipalYear) -> bool:
        return year in self.years


def search_parts(site: Site, per_part: int = DOCUMENTS_PER_PART) -> list[SearchPart]:
    """The index's parts, newest years first, each about `per_part` documents (a year is never split)."""
    counts = _documents_by_year(site)
    total = sum(counts.values()) + len(site.people)
    wanted = max(1, math.ceil(total / per_part))
    if wanted > 1 and wanted % 2:
        # An even number, so that on two cores (CI's) the last part is not indexed alone.
        wanted += 1
    target = total / wanted
    groups: list[list[MunicipalYear]] = [[]]
    size = len(site.people)  # people are documents of the first part
    for year in sorted(counts, reverse=True):
        # Close the part when this year would carry it past its share by more than half the year.
        if groups[-1] and len(groups) < wanted and size + counts[year] / 2 > target:
            groups.append([])
            size = 0
        groups[-1].append(year)
        size += counts[year]
    people = len(site.people)
    return [
        SearchPart(number, tuple(years), sum(counts[y] for y in years) + (people if number == 1 else 0))
        for number, years in enumerate(groups, start=1)
    ]


def _documents_by_year(site: Site) -> Counter[MunicipalYear]:
    counts: Counter[MunicipalYear] = Counter()
    for meeting in site.meetings:
        counts[meeting.year] += 1 + sum(len(minute.actions) for minute in meeting.minutes)
    for programme in site.programmes:
        counts[programme.year] += 1
    return counts


def documents(
    site: Site, renderer: Renderer, markdown: MarkdownRenderer, part: SearchPart | None = None
) -> Iterator[SearchDocument]:
    """Every search document (of one part, if given); `markdown` turns texts into the words the pages show."""
    words = _Words(renderer, markdown)
    for meeting in site.meetings:
        if part is None or part.holds(meeting.year):
            yield _meeting_document(meeting, words)
            for minute in meeting.minutes:
                for action in minute.actions:
                    yield _action_document(action, words)
    for programme in site.programmes:
        if part is None or part.holds(programme.year):
            yield _programme_document(programme, words)
    if part is None or part.number == 1:
        for person in site.people.values():
            yield _person_document(person, words)


@dataclass
class _Words:
    """Addresses from the renderer, plain text from a Markdown renderer of this thread's own."""

    renderer: Renderer
    markdown: MarkdownRenderer

    def url(self, path: str) -> str:
        return self.renderer.url(path)

    def plain(self, text: str | None) -> str:
        if not text:
            return ""
        # split() and join() collapse the spaces: a third quicker than a regular expression here.
        return " ".join(html.unescape(_TAG.sub(" ", str(self.markdown.render(text)))).split())


def _meeting_document(meeting: MeetingNode, words: _Words) -> SearchDocument:
    sections = [_agenda_section(agenda, words) for agenda in _searchable_items(meeting.agenda)]
    for minute in meeting.minutes:
        sections.extend(_minute_sections(minute, words))
    return SearchDocument(
        words.url(meeting.url),
        f"{meeting.body.name}, {meeting.date:%-d %B %Y}",
        SearchType.meeting,
        f"{meeting.body.name} meeting {meeting.date:%-d %B %Y} {meeting.record.venue or ''}",
        sections,
        meeting.body.name,
        meeting.year.label,
        meeting.date.isoformat(),
        _minutes_status(meeting) if meeting.minutes else "",
    )


def _searchable_items(items: list[AgendaNode]) -> Iterator[AgendaNode]:
    """Agenda items and sub-items; an exempt item is found by its title, nothing under it is."""
    for node in items:
        yield node
        if node.record.exempt is None:
            yield from _searchable_items(node.items)


def _agenda_section(agenda: AgendaNode, words: _Words) -> Section:
    exempt = agenda.record.exempt is not None
    text = agenda.record.public_summary if exempt else agenda.record.description
    reports = "" if exempt else " ".join(r.heading for r in agenda.record.reports)
    title = f"Agenda item {agenda.label}: {agenda.title}"
    return Section(agenda.anchor, title, f"{reports} {words.plain(text)}")


def _minute_sections(minute: MinuteNode, words: _Words) -> Iterator[Section]:
    text = minute.record.public_summary if minute.exempt else minute.record.text
    yield Section(
        minute.anchor,
        f"Minute {minute.label}: {minute.title}",
        f"{words.plain(text)} {minute_token(minute.label)}",
    )
    for resolution in minute.resolutions:
        yield Section(
            resolution.anchor,
            f"Resolution {resolution.label}: {minute.title}",
            f"{words.plain(resolution.record.text)} {minute_token(minute.label)}",
            level=3,
        )


def _action_document(action: ActionNode, words: _Words) -> SearchDocument:
    meeting = action.minute.meeting
    return SearchDocument(
        words.url(action.url),
        f"Action {action.label}: {action.minute.title}",
        SearchType.action,
        f"{action.minute.title}. {words.plain(action.record.text)}",
        body=meeting.body.name,
        year=meeting.year.label,
        date=meeting.date.isoformat(),
        status=action.status.value,
        heading=f"Action {action.label}",
    )


def _programme_document(programme: ProgrammeNode, words: _Words) -> SearchDocument:
    sections = [
        Section(
            item.anchor,
            item.title,
            words.plain(" ".join(filter(None, [item.record.detail, item.record.outcome_note]))),
        )
        for item in programme.items
    ]
    return SearchDocument(
        words.url(programme.url),
        f"Work programme {programme.year.label}: {programme.body.name}",
        SearchType.programme,
        f"{programme.body.name} work programme {programme.year.label}",
        sections,
        programme.body.name,
        programme.year.label,
        programme.latest.date.isoformat(),
    )


def _person_document(person: PersonNode, words: _Words) -> SearchDocument:
    record = person.record
    role = record.job_title or record.kind.value
    return SearchDocument(
        words.url(person.url),
        record.display_name,
        SearchType.person,
        f"{role} {' '.join(r.title for r in record.roles)}",
    )


def _minutes_status(meeting: MeetingNode) -> str:
    minutes = meeting.record.minutes
    return minutes.status.value if minutes is not None else "draft"


def minute_token(label: str) -> str:
    """'39/18' → 'minuteno39x18': one word, since Pagefind splits '39/18' into '39' and '18'.

    The search page turns a query for a minute number into this word (and hides it from excerpts).
    A word rather than a filter: a filter with a value per minute would be downloaded whole.
    """
    number, suffix = label.split("/")
    return f"minuteno{number}x{suffix}"


def pages(
    site: Site, renderer: Renderer, markdown: MarkdownRenderer, part: SearchPart | None = None
) -> Iterator[SearchPage]:
    """Every search document (of one part) as the HTML page Pagefind reads, made as they are asked for."""
    language = site.config.language.split("-")[0]
    for doc in documents(site, renderer, markdown, part):
        yield SearchPage(doc.url, as_html(doc, language))


def as_html(doc: SearchDocument, language: str) -> str:
    """The document as the small HTML page Pagefind reads.

    Filters, metadata (the address among them) and the sort key sit in a `data-pagefind-ignore`
    block: Pagefind reads them there without indexing their words. Every text is escaped, so no
    record's text becomes markup.
    """
    esc = html.escape
    # The address is metadata: Pagefind reads the documents from numbered files (pagefind_cli).
    tags = [f'<span data-pagefind-meta="url">{esc(doc.url)}</span>']
    tags.append(f'<span data-pagefind-meta="title">{esc(doc.title)}</span>')
    tags.append(f'<span data-pagefind-filter="type">{esc(doc.kind)}</span>')
    tags.append(f'<span data-pagefind-meta="type">{esc(doc.kind)}</span>')
    for name, value in (("body", doc.body), ("year", doc.year)):
        if value:
            tags.append(f'<span data-pagefind-filter="{name}">{esc(value)}</span>')
    if doc.body:
        tags.append(f'<span data-pagefind-meta="body">{esc(doc.body)}</span>')
    if doc.date:
        tags.append(f'<span data-pagefind-meta="date">{doc.date}</span>')
        tags.append(f'<span data-pagefind-sort="date">{doc.date}</span>')
    if doc.status:
        tags.append(f'<span data-pagefind-meta="status">{esc(doc.status)}</span>')
    parts = [
        f'<!DOCTYPE html><html lang="{esc(language)}"><head><title>{esc(doc.title)}</title></head><body>',
        f"<main data-pagefind-body><div data-pagefind-ignore>{''.join(tags)}</div>",
        f"<h1>{esc(doc.heading or doc.title)}</h1><p>{esc(doc.text)}</p>",
    ]
    for section in doc.sections:
        heading = f'<h{section.level} id="{esc(section.anchor)}">{esc(section.title)}</h{section.level}>'
        parts.append(f"{heading}<p>{esc(section.text)}</p>")
    parts.append("</main></body></html>")
    return "".join(parts)
