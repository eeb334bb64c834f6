"""Stage 4 — render: plan every page of the site, then turn each into HTML with Jinja2.

The template loader looks in the site's templates/ first and the package's defaults
second, so a council overrides one template without forking the engine. Registers
and lists are split by municipal year and paginated: no page grows with the archive.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import BytecodeCache, ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from minutebook import structured_data
from minutebook.graph import (
    ActionNode,
    ActionStatus,
    AgendaNode,
    MeetingNode,
    MinuteNode,
    ResolutionNode,
    Site,
)
from minutebook.markdown_text import MarkdownRenderer
from minutebook.records import MeetingStatus, MunicipalYear


@dataclass
class PageSpec:
    """One page to write: its path in the output, its template, and what the template sees."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    #: What claims this address, named when two pages claim the same one.
    source: str = ""


@dataclass
class Pager:
    number: int
    count: int
    base: str

    def url(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page-{number}/"

    @property
    def previous(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.count else None


def paginate(items: Sequence[Any], size: int, base: str) -> Iterator[tuple[Sequence[Any], Pager]]:
    count = max(1, math.ceil(len(items) / size))
    for number in range(1, count + 1):
        yield items[(number - 1) * size : number * size], Pager(number, count, base)


def page_path(url: str) -> str:
    """'bodies/x/' → 'bodies/x/index.html'."""
    return f"{url}index.html" if url.endswith("/") or not url else url


# ---------------------------------------------------------------- the plan


def plan(site: Site) -> list[PageSpec]:
    """Every page of the site, in a stable order."""
    registers = _Registers.of(site)
    specs: list[PageSpec] = [
        PageSpec("index.html", "home.html", _home(site, registers)),
        PageSpec("bodies/index.html", "bodies.html", {"bodies": list(site.bodies.values())}),
        PageSpec("404.html", "404.html"),
        PageSpec("search/index.html", "search.html", _search_filters(site)),
    ]
    for body in site.bodies.values():
        specs += _body_pages(site, body, registers)
    for meeting in site.meetings:
        specs.append(PageSpec(page_path(meeting.url), "meeting.html", {"meeting": meeting}, meeting.file))
        specs += _document_pages(site, meeting)
    specs += _decision_pages(site, registers)
    specs += _action_pages(site)
    specs += _programme_pages(site)
    specs += _history_pages(site)
    specs += _people_pages(site)
    for slug, page in sorted(site.pages.items()):
        specs.append(
            PageSpec(
                f"{slug}/index.html", "page.html", {"page": page, "slug": slug}, f"content/pages/{slug}.md"
            )
        )
    return specs


def _home(site: Site, registers: _Registers) -> dict[str, Any]:
    upcoming = [m for m in site.meetings if m.date >= site.today and m.status is not MeetingStatus.held][:10]
    with_minutes = [m for m in reversed(site.meetings) if m.minutes][:10]
    return {
        "upcoming": upcoming,
        "latest": with_minutes,
        "decisions": registers.newest[:8],
    }


class SearchType(StrEnum):
    """The kinds of search document (minutebook.index); the search page filters by them.

    Agenda items, minutes and resolutions are sections of their meeting's document.
    """

    meeting = "meeting"
    action = "action"
    programme = "work programme"
    person = "person"


#: The search page's type filter, in the order it lists them.
SEARCH_TYPES = [
    (SearchType.meeting, "Meetings, minutes and decisions"),
    (SearchType.action, "Actions"),
    (SearchType.programme, "Work programmes"),
    (SearchType.person, "People"),
]


def _search_filters(site: Site) -> dict[str, Any]:
    """The search page's filter choices, written into the page: no index download to list them."""
    years = {m.year for m in site.meetings} | {p.year for p in site.programmes}
    return {
        "types": SEARCH_TYPES,
        "bodies": sorted(body.name for body in site.bodies.values()),
        "years": [year.label for year in sorted(years, reverse=True)],
    }


def _newest_resolutions(resolutions: list[ResolutionNode]) -> list[ResolutionNode]:
    return sorted(
        resolutions,
        key=lambda r: (-r.date.toordinal(), r.minute.meeting.body.id, r.minute.number.number, r.number),
    )


@dataclass
class _Registers:
    """Resolutions newest first (all, by year, by body and year) and outstanding actions by body:
    sorted and grouped once, not per page. A group of the sorted list is in the order sorting the
    group would give, since the sort is stable."""

    newest: list[ResolutionNode]
    by_year: dict[MunicipalYear, list[ResolutionNode]]
    resolutions: dict[tuple[str, MunicipalYear], list[ResolutionNode]]
    outstanding: dict[str, list[ActionNode]]

    @classmethod
    def of(cls, site: Site) -> _Registers:
        newest = _newest_resolutions(site.resolutions)
        by_year: dict[MunicipalYear, list[ResolutionNode]] = {}
        resolutions: dict[tuple[str, MunicipalYear], list[ResolutionNode]] = {}
        for resolution in newest:
            meeting = resolution.minute.meeting
            by_year.setdefault(meeting.year, []).append(resolution)
            resolutions.setdefault((meeting.body.id, meeting.year), []).append(resolution)
        outstanding: dict[str, list[ActionNode]] = {}
        for action in site.actions:
            if action.status is not ActionStatus.done:
                outstanding.setdefault(action.minute.meeting.body.id, []).append(action)
        return cls(newest, by_year, resolutions, outstanding)


def _body_pages(site: Site, body: Any, registers: _Registers) -> list[PageSpec]:
    open_actions = registers.outstanding.get(body.id, [])
    specs = [
        PageSpec(
            page_path(body.url),
            "body.html",
            {"body": body, "open_actions": open_actions[-20:], "open_count": len(open_actions)},
        )
    ]
    for year in body.years():
        members = body.record.membership.get(year.label, [])
        specs.append(
            PageSpec(
                f"{body.url}{year.slug}/index.html",
                "body_year.html",
                {"body": body, "year": year, "meetings": body.meetings_in(year), "members": members},
            )
        )
        resolutions = registers.resolutions.get((body.id, year), [])
        specs += _decision_register(site, resolutions, f"{body.url}decisions/{year.slug}/", year, body)
    return specs


def _decision_register(
    site: Site, resolutions: list[ResolutionNode], base: str, year: MunicipalYear, body: Any
) -> list[PageSpec]:
    """One year's decisions (given newest first), a page of them at a time."""
    return [
        PageSpec(
            page_path(pager.url(pager.number)),
            "decisions.html",
            {"resolutions": chunk, "pager": pager, "year": year, "body": body},
        )
        for chunk, pager in paginate(resolutions, site.config.page_size, base)
    ]


def _document_pages(site: Site, meeting: MeetingNode) -> list[PageSpec]:
    specs = []
    for agenda in _walk_public(meeting.agenda):
        for report in agenda.record.reports:
            for title, file in _report_files(report):
                text = site.attachments.get(f"content/meetings/{meeting.body.id}/{file}")
                if text is not None and file.endswith(".md"):
                    specs.append(
                        PageSpec(
                            f"{document_url(meeting, file)}index.html",
                            "document.html",
                            {
                                "meeting": meeting,
                                "agenda": agenda,
                                "title": title,
                                "text": text.decode("utf-8", "replace"),
                            },
                        )
                    )
    return specs


def _report_files(report: Any) -> Iterator[tuple[str, str]]:
    if report.file:
        yield report.title or report.heading, report.file
    for document in report.documents:
        if document.file:
            yield document.title, document.file


def document_url(meeting: MeetingNode, file: str) -> str:
    name = Path(file).name
    stem = Path(file).stem if name.endswith(".md") else name
    return f"{meeting.url}documents/{stem}/" if name.endswith(".md") else f"{meeting.url}documents/{stem}"


def published_attachments(site: Site) -> dict[str, bytes]:
    """Files beside meetings (PDFs, images) that a public agenda item names, at their document address.

    Only named files are published: an exempt item's papers, or a file nobody refers to, never are.
    """
    files: dict[str, bytes] = {}
    for meeting in site.meetings:
        for agenda in _walk_public(meeting.agenda):
            for report in agenda.record.reports:
                for _, file in _report_files(report):
                    data = site.attachments.get(f"content/meetings/{meeting.body.id}/{file}")
                    if data is not None and not file.endswith(".md"):
                        files[document_url(meeting, file)] = data
    return files


def _walk_public(nodes: list[AgendaNode]) -> Iterator[AgendaNode]:
    """Agenda items and their sub-items, leaving out exempt items with everything under them."""
    for node in nodes:
        if node.record.exempt is None:
            yield node
            yield from _walk_public(node.items)


def _decision_pages(site: Site, registers: _Registers) -> list[PageSpec]:
    by_year = registers.by_year
    years = sorted(by_year, reverse=True)
    specs = [
        PageSpec(
            "decisions/index.html",
            "decisions_index.html",
            {
                "years": [(y, len(by_year[y])) for y in years],
                "latest": registers.newest[:20],
            },
        )
    ]
    for year in years:
        specs += _decision_register(site, by_year[year], f"decisions/{year.slug}/", year, None)
    return specs


_STATUS_ORDER = {ActionStatus.overdue: 0, ActionStatus.open: 1, ActionStatus.done: 2}


def _action_pages(site: Site) -> list[PageSpec]:
    by_year: dict[MunicipalYear, list[ActionNode]] = {}
    for action in site.actions:
        by_year.setdefault(action.minute.meeting.year, []).append(action)
    years = sorted(set(by_year) | set(site.years()), reverse=True)
    summary = [  # years with no actions keep their (empty) page, linked from the body's year page
        (y, {s: sum(1 for a in by_year[y] if a.status is s) for s in ActionStatus})
        for y in years
        if y in by_year
    ]
    outstanding = sorted((a for a in site.actions if a.status is not ActionStatus.done), key=_action_order)
    specs = [
        PageSpec(
            "actions/index.html",
            "actions_index.html",
            {"summary": summary, "outstanding_count": len(outstanding)},
        )
    ]
    for chunk, pager in paginate(outstanding, site.config.page_size, "actions/outstanding/"):
        specs.append(
            PageSpec(
                page_path(pager.url(pager.number)),
                "actions.html",
                {"actions": chunk, "pager": pager, "year": None},
            )
        )
    for year in years:
        for chunk, pager in paginate(
            sorted(by_year.get(year, []), key=_action_order), site.config.page_size, f"actions/{year.slug}/"
        ):
            specs.append(
                PageSpec(
                    page_path(pager.url(pager.number)),
                    "actions.html",
                    {"actions": chunk, "pager": pager, "year": year},
                )
            )
    specs += [PageSpec(page_path(a.url), "action.html", {"action": a}) for a in site.actions]
    return specs


def _action_order(action: ActionNode) -> tuple[int, int, str]:
    due = action.record.due or action.date
    return (_STATUS_ORDER[action.status], -due.toordinal(), action.id)


def _programme_pages(site: Site) -> list[PageSpec]:
    specs = [PageSpec("work-programmes/index.html", "programmes.html", {"programmes": site.programmes})]
    specs += [PageSpec(page_path(p.url), "programme.html", {"programme": p}) for p in site.programmes]
    return specs


def _history_pages(site: Site) -> list[PageSpec]:
    specs = [PageSpec("topics/index.html", "topics.html", {"topics": list(site.topics.values())})]
    specs += [PageSpec(page_path(t.url), "topic.html", {"topic": t}) for t in site.topics.values()]
    specs += [PageSpec(page_path(t.url), "thread.html", {"thread": t}) for t in site.threads]
    return specs


def _people_pages(site: Site) -> list[PageSpec]:
    people = sorted(site.people.values(), key=lambda p: (_surname(p.record.name), p.id))
    specs = []
    for chunk, pager in paginate(people, site.config.page_size * 2, "people/"):
        specs.append(
            PageSpec(page_path(pager.url(pager.number)), "people.html", {"people": chunk, "pager": pager})
        )
    specs += [PageSpec(page_path(p.url), "person.html", {"person": p}) for p in people]
    return specs


def _surname(name: str) -> str:
    return name.split()[-1].lower() if name.split() else name


# ---------------------------------------------------------------- the renderer


class Renderer:
    """A Jinja2 environment bound to one linked site."""

    def __init__(
        self,
        site: Site,
        site_templates: Path | None = None,
        markdown_cache: Path | None = None,
        compiled_templates: BytecodeCache | None = None,
    ) -> None:
        """`compiled_templates` keeps templates compiled between builds (keyed by their source)."""
        self.site = site
        self.base_path = urlsplit(site.config.base_url).path or "/"
        self._person_links: dict[tuple[str, str], Markup] = {}
        self.markdown = MarkdownRenderer(markdown_cache)
        loaders: list[Any] = []
        if site_templates and site_templates.is_dir():
            loaders.append(FileSystemLoader(str(site_templates)))
        loaders.append(PackageLoader("minutebook", "templates"))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=compiled_templates,
        )
        self.env.filters.update(self._filters())
        self.env.globals.update(
            site=site,
            config=site.config,
            ActionStatus=ActionStatus,
            MeetingStatus=MeetingStatus,
            url=self.url,
            document_url=document_url,
            footer_pages=_footer_pages(site),
        )

    def _filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "url": self.url,
            "md": self.markdown.render,
            "prose": self.prose,
            "longdate": long_date,
            "shortdate": short_date,
            "clock": clock,
            "person": self.person_link,
            "people": self.people_links,
            "officer": self.officer,
            "label": label,
            "post_on": self.post_on,
            "status_label": self.status_label,
            "headings_from": headings_from,
            "event_json_ld": self.event_json_ld,
        }

    def url(self, path: str) -> str:
        return self.base_path + path

    def render(self, spec: PageSpec) -> str:
        template = self.env.get_template(spec.template)
        return template.render(page_url=spec.path.removesuffix("index.html"), **spec.context)

    def prose(self, text: str | None, meeting: MeetingNode) -> Markup:
        """Markdown with its minute references linked to the minutes they name."""
        if not text:
            return Markup("")
        return self.markdown.render(self._link_references(text, meeting))

    def markdown_sources(self) -> Iterator[str]:
        """Every Markdown text the pages show, as the templates pass it on: for rendering in bulk."""
        site = self.site
        for meeting in site.meetings:
            record = meeting.record
            yield from (t for t in (record.status_note, record.attending) if t)
            for text in _meeting_prose(meeting):
                yield self._link_references(text, meeting)
            for node in _walk_public(meeting.agenda):
                yield from (t for t in (node.record.public_summary,) if t)
                yield from (d.text for report in node.record.reports for d in report.documents if d.text)
            yield from (m.record.public_summary for m in meeting.minutes if m.record.public_summary)
            if record.minutes:
                yield from (c.note for c in record.minutes.corrections)
        for programme in site.programmes:
            for revision in programme.record.revisions:
                yield from (t for t in [revision.note] + [i.detail for i in revision.items] if t)
            yield from (i.record.outcome_note for i in programme.items if i.record.outcome_note)
        for body in site.bodies.values():
            yield from (t for t in (body.record.description, body.record.contact, body.record.attending) if t)
        yield from (t.record.description for t in site.topics.values() if t.record.description)
        yield from (page.body for page in site.pages.values() if page.body)

    def _link_references(self, text: str, meeting: MeetingNode) -> str:
        pieces, last = [], 0
        for found in self.site.references_in(text):
            body_id, number = found.resolve(meeting.body.id, meeting.year)
            target: MinuteNode | None = self.site.minutes.get((body_id, number))
            if target is None:
                continue
            written = text[found.start : found.end]
            explicit_body = ":" in written  # 'cabinet:5/23' reads better as '5/23 (Cabinet)'
            shown = f"{number.label} ({target.meeting.body.record.label})" if explicit_body else written
            pieces += [text[last : found.start], f"[{shown}]({self.url(target.url)})"]
            last = found.end
        return "".join(pieces) + text[last:] if pieces else text

    def person_link(self, person_id: str | None) -> Markup:
        person = self.site.people.get(person_id or "")
        if person is None:
            return Markup("")
        # Made once per person and name: pages link the same people tens of thousands of times,
        # and formatting (which escapes) is the cost.
        key = (person.url, person.record.display_name)
        link = self._person_links.get(key)
        if link is None:
            link = Markup('<a href="{}">{}</a>').format(self.url(key[0]), key[1])
            self._person_links[key] = link
        return link

    def officer(self, person_id: str) -> dict[str, str | None]:
        """What the attendance list shows of an officer: grouped by directorate."""
        person = self.site.people[person_id].record
        # '' rather than None: the attendance list sorts officers by directorate, and None does not sort.
        return {"id": person_id, "directorate": person.directorate or "", "job_title": person.job_title}

    def status_label(self, meeting: MeetingNode) -> str:
        """What a resident needs to know of a meeting's status, as of the build's reference date."""
        status = meeting.status
        if meeting.record.status is None and not meeting.minutes and meeting.date < self.site.today:
            return "Date passed; the minutes are not in this archive"
        return {"scheduled": "Scheduled", "held": "Held", "cancelled": "Cancelled", "postponed": "Postponed"}[
            status.value
        ]

    def post_on(self, person_id: str, day: date) -> str:
        """The post a person held on a day, e.g. 'Cabinet Member for Education and Skills'."""
        person = self.site.people[person_id].record
        held = [r for r in person.roles if (r.start or day) <= day <= (r.end or day)]
        return held[-1].title if held else ""

    def event_json_ld(self, meeting: MeetingNode) -> Markup:
        """The meeting as schema.org Event JSON-LD, safe to place inside a script element."""
        return Markup(structured_data.script_json(structured_data.meeting_event(meeting, self.site.config)))

    def people_links(self, ids: list[str]) -> Markup:
        return Markup(", ").join(self.person_link(i) for i in ids)


def _meeting_prose(meeting: MeetingNode) -> Iterator[str]:
    """The texts of a meeting that its templates show through the `prose` filter."""
    record = meeting.record
    yield from (t for t in (record.status_note,) if t)
    for node in _walk_public(meeting.agenda):
        item = node.record
        yield from (t for t in (item.description,) if t)
        yield from (report.summary for report in item.reports if report.summary)
    if record.minutes is None:
        return
    yield from (t for t in (record.minutes.amendments,) if t)
    for minute in meeting.minutes:
        if minute.exempt:  # only its public summary is ever shown
            continue
        yield from (t for t in (minute.record.text,) if t)
        yield from (r.record.text for r in minute.resolutions)
        yield from (a.record.text for a in minute.actions)
        yield from (a.closure_note for a in minute.closes if a.closure_note)


def _footer_pages(site: Site) -> list[tuple[str, Any]]:
    listed = [(slug, page) for slug, page in site.pages.items() if page.nav is not None]
    return sorted(listed, key=lambda pair: (pair[1].nav, pair[0]))


#: How a person's kind and a member's role read on a page (one place for every template).
_LABELS = {
    "councillor": "Councillor",
    "co-opted": "Co-opted member",
    "officer": "Officer",
    "guest": "Guest",
    "chair": "Chair",
    "vice-chair": "Vice Chair",
    "by-invitation": "By invitation",
    "member": "Member",
}


def label(value: StrEnum) -> str:
    """PersonKind.co_opted → 'Co-opted member', Role.vice_chair → 'Vice Chair'."""
    return _LABELS[value.value]


@functools.lru_cache(maxsize=8192)  # a page shows the same few dates many times
def long_date(day: date | None) -> str:
    """Thursday 29 November 2018 — the form council minutes use."""
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""


def short_date(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else ""


def clock(time: str | None) -> str:
    """'14:00' → '2pm', '14:30' → '2:30pm' (GOV.UK style)."""
    if not time:
        return ""
    hours, minutes = (int(part) for part in time.split(":"))
    suffix = "am" if hours < 12 else "pm"
    shown = hours % 12 or 12
    if (hours, minutes) == (12, 0):
        return "midday"
    return f"{shown}{suffix}" if minutes == 0 else f"{shown}:{minutes:02d}{suffix}"


_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")


def headings_from(html: str | None, top: int) -> Markup:
    """Move the headings of a rendered fragment so its highest one is <h{top}>, keeping their
    relative levels: a page's Markdown body under the page's <h1> starts at <h2>, with no level
    skipped (prose is rendered for a place deep in a meeting page, from <h3> down)."""
    if not html:
        return Markup("")
    levels = [int(m[2]) for m in _HEADING_TAG.finditer(html) if not m[1]]
    if not levels:
        return Markup(html)
    shift = top - min(levels)
    return Markup(_HEADING_TAG.sub(lambda m: f"<{m[1]}h{max(1, min(int(m[2]) + shift, 6))}", str(html)))


__all__ = ["PageSpec", "Pager", "Renderer", "escape", "plan"]
