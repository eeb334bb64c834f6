"""Which pages must be rendered again: a fingerprint of everything each page shows.

A page's fingerprint joins the build-wide inputs (engine version, templates, site
config, bodies, free pages) with what that one page displays: the digests of the
files its records come from and the derived facts linking adds (statuses, the
previous and next meeting, backlinks). A page whose fingerprint matches the last
build is not rendered again; its old file is reused. Pages that summarise the
whole site (home, indexes, people lists) have no fingerprint and are always rendered.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from minutebook import __version__
from minutebook.graph import ActionNode, AgendaNode, MeetingNode, MinuteNode, ResolutionNode, Site
from minutebook.load import files_below
from minutebook.render import PageSpec, Renderer

Parts = Iterator[str]


@dataclass
class Fingerprinter:
    site: Site
    renderer: Renderer
    digests: dict[str, str]
    build_key: str
    #: Files beside each meeting (documents, attachments), by '<body>/<slug>'.
    beside: dict[str, list[str]] = field(default_factory=dict)
    #: When given, filled with the pages (by index) whose fingerprint names each file: what the
    #: preview re-renders when only the words of that file change.
    dependents: dict[str, list[int]] | None = None
    _memo: dict[tuple[int, object], tuple[str, frozenset[str]]] = field(default_factory=dict)
    #: The files named so far by the page (or shared part) being fingerprinted, while tracking.
    _named: set[str] | None = None

    def __post_init__(self) -> None:
        for rel, data in self.site.attachments.items():
            self.digests.setdefault(rel, hashlib.blake2b(data, digest_size=16).hexdigest())
            body_id, slug = Path(rel).parts[2:4]
            self.beside.setdefault(f"{body_id}/{slug}", []).append(rel)

    def fingerprint(self, spec: PageSpec, index: int = -1) -> str | None:
        """The page's fingerprint, or None for a page that summarises the whole site.

        `index` is the page's place in the plan, recorded in `dependents` when tracking.
        """
        parts_of = _PARTS.get(spec.template)
        if parts_of is None:
            return None
        digest = hashlib.blake2b(self.build_key.encode(), digest_size=16)
        digest.update(spec.path.encode())
        self._named = set() if self.dependents is not None else None
        for part in parts_of(self, spec.context):
            digest.update(b"\0" + part.encode())
        if self.dependents is not None and self._named is not None:
            for rel in self._named:
                self.dependents.setdefault(rel, []).append(index)
        return digest.hexdigest()

    def once(self, node: object, parts: Callable[[Fingerprinter, Any], Parts]) -> str:
        """The parts of a record shown on many pages (a register row), worked out once per build."""
        key = (id(node), parts)
        found = self._memo.get(key)
        if found is None:
            page_named, self._named = self._named, (set() if self._named is not None else None)
            text = "\0".join(parts(self, node))
            found = self._memo[key] = (text, frozenset(self._named or ()))
            self._named = page_named
        if self._named is not None:
            self._named |= found[1]
        return found[0]

    def file(self, rel: str, part: str | None = None) -> str:
        """The file's digest, as a part of the fingerprint.

        `part` says that the page shows only that record's words from the file (an action's, a
        resolution's): the dependency record then names the record, so that a prose edit
        elsewhere in the file leaves the page alone. The fingerprint is the same either way.
        """
        if self._named is not None:
            self._named.add(rel if part is None else f"{rel}#{part}")
        return f"{rel}={self.digests.get(rel, '-')}"

    def mention(self, rel: str, part: str) -> None:
        """Name a record of the file in the dependency record, when the page shows something of it
        that is already in its fingerprint as text (a title in a list): a preview's edit of that
        text then rewrites the page. The fingerprint is unchanged."""
        if self._named is not None:
            self._named.add(f"{rel}#{part}")

    def files(self, rels: Iterable[str]) -> Parts:
        return (self.file(rel) for rel in sorted(set(rels)))


def build_key(site: Site, digests: dict[str, str], site_templates: Path) -> str:
    """What every page depends on: a change here renders the whole site again."""
    shared = [__version__, _templates_digest(site_templates), site.config.model_dump_json()]
    shared += [f"{rel}={digest}" for rel, digest in sorted(digests.items()) if _shared_file(rel)]
    return hashlib.blake2b(json.dumps(shared).encode(), digest_size=16).hexdigest()


def _shared_file(rel: str) -> bool:
    return rel.startswith(("content/bodies/", "content/pages/")) or rel == "site_config.yaml"


def _templates_digest(site_templates: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    package = resources.files("minutebook")
    for folder in (package / "templates", package / "static"):
        for entry in sorted(_walk(folder), key=lambda e: e[0]):
            digest.update(entry[0].encode() + b"\0" + entry[1])
    if site_templates.is_dir():
        for path in sorted(site_templates.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(site_templates)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _walk(node: Any, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    for child in node.iterdir():
        name = f"{prefix}/{child.name}"
        if child.is_dir():
            yield from _walk(child, name)
        else:
            yield name, child.read_bytes()


# ---------------------------------------------------------------- what each kind of page shows


def _key(meeting: MeetingNode) -> str:
    return f"{meeting.body.id}/{meeting.slug}"


def _meeting_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    meeting: MeetingNode = context["meeting"]
    yield fp.file(meeting.file)
    yield from _meeting_shown(fp, meeting)
    yield from fp.files(fp.beside.get(_key(meeting), []))
    yield from fp.files(fp.site.people[p].file for p in meeting.people)
    yield from fp.files(item.programme.file for item in meeting.programme_items)
    yield fp.renderer.status_label(meeting)
    for neighbour in (meeting.previous, meeting.next):
        yield from _meeting_shown(fp, neighbour) if neighbour else iter(["-"])
    if meeting.approved_by:
        yield from _minute_shown(fp, meeting.approved_by)
    for minute in meeting.minutes:
        yield from _minute_links(fp, minute)


def _meeting_shown(fp: Fingerprinter, meeting: MeetingNode) -> Parts:
    """What lists and links show of a meeting: its address, date, title, status and papers."""
    fp.mention(meeting.file, listed_part(meeting))
    minutes = meeting.record.minutes
    yield (
        f"{_key(meeting)}|{meeting.date.isoformat()}|{meeting.record.time}|{meeting.title}"
        f"|{meeting.status.value}|{bool(meeting.agenda)}|{minutes.status.value if minutes else '-'}"
    )


def _minute_shown(fp: Fingerprinter, minute: MinuteNode) -> Parts:
    """What a link to a minute shows: its number, title and date."""
    fp.mention(minute.meeting.file, listed_part(minute))
    yield f"{_key(minute.meeting)}#{minute.label}|{minute.title}|{minute.date.isoformat()}"


def _minute_links(fp: Fingerprinter, minute: MinuteNode) -> Parts:
    """The derived facts a minute shows: backlinks, approvals, closures, its thread, its actions."""
    for reference in minute.references:
        yield f"ref {reference.body_id}:{reference.label}:{bool(reference.target)}"
        if reference.target:
            yield from _minute_shown(fp, reference.target)
    for other in minute.referred_by:
        yield from _minute_shown(fp, other)
    for meeting in minute.approves:
        yield from _meeting_shown(fp, meeting)
    for action in minute.closes:
        yield action.id
    yield f"thread {minute.thread.id}:{len(minute.thread.minutes)}" if minute.thread else "no thread"
    for action in minute.actions:
        yield from _action_shown(fp, action)
    for resolution in minute.resolutions:
        yield from _prose_targets(fp, resolution.record.text, minute.meeting)
    yield from _prose_targets(fp, minute.record.text, minute.meeting)


def _prose_targets(fp: Fingerprinter, text: str | None, meeting: MeetingNode) -> Parts:
    """Links the renderer makes inside a text: they change when their target appears or goes."""
    for found in fp.site.references_in(text or ""):
        body_id, number = found.resolve(meeting.body.id, meeting.year)
        target = fp.site.minutes.get((body_id, number))
        yield f"{body_id}:{number.label}:{_key(target.meeting) if target else '-'}"


def _action_shown(fp: Fingerprinter, action: ActionNode) -> Parts:
    """What an action row shows: status, where it was set, the record itself, who closed it."""
    yield fp.once(action, _action_parts)


def _action_parts(fp: Fingerprinter, action: ActionNode) -> Parts:
    yield f"{action.id}:{action.status.value}"
    yield from _minute_shown(fp, action.minute)
    yield fp.file(action.minute.meeting.file, action_part(action))  # its words live in its meeting's file
    yield from _prose_targets(fp, action.record.text, action.minute.meeting)
    if action.closed_by:
        yield from _minute_shown(fp, action.closed_by)
        yield fp.file(action.closed_by.meeting.file)


def listed_part(node: MeetingNode | AgendaNode | MinuteNode) -> str:
    """How the dependency record names what lists and links show of a record from a meeting's
    file: the meeting's title, date and status; an agenda item's or a minute's title."""
    return "listed meeting" if isinstance(node, MeetingNode) else f"listed {node.anchor}"


def is_listing(named: str) -> bool:
    """True for a dependency on what a list shows of a record (see listed_part)."""
    return named.partition("#")[2].startswith("listed ")


def action_part(action: ActionNode) -> str:
    """How the dependency record names the words of one action (see Fingerprinter.file)."""
    return f"action {action.id}"


def resolution_part(resolution: ResolutionNode) -> str:
    return f"resolution {resolution.anchor}"


def _resolution_shown(fp: Fingerprinter, resolution: ResolutionNode) -> Parts:
    yield fp.once(resolution, _resolution_parts)


def _resolution_parts(fp: Fingerprinter, resolution: ResolutionNode) -> Parts:
    yield from _minute_shown(fp, resolution.minute)
    yield fp.file(resolution.minute.meeting.file, resolution_part(resolution))
    yield from _prose_targets(fp, resolution.record.text, resolution.minute.meeting)


def _pager(context: dict[str, Any]) -> Parts:
    pager = context.get("pager")
    yield f"pager {pager.number}/{pager.count}" if pager else "no pager"
    year = context.get("year")
    yield f"year {year.label}" if year else "no year"


def _decisions_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    yield from _pager(context)
    for resolution in context["resolutions"]:
        yield from _resolution_shown(fp, resolution)


def _actions_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    yield from _pager(context)
    for action in context["actions"]:
        yield from _action_shown(fp, action)


def _action_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    action: ActionNode = context["action"]
    yield from _action_shown(fp, action)
    yield f"resolution {action.resolution.number if action.resolution else '-'}"
    if action.record.owner:
        yield fp.file(fp.site.people[action.record.owner].file)
    if action.status.value == "overdue":
        yield f"today {fp.site.today.isoformat()}"


def _body_year_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    body = context["body"]
    yield f"year {context['year'].label}:{context['year'] in body.programmes}"
    for meeting in context["meetings"]:
        yield from _meeting_shown(fp, meeting)
        yield fp.renderer.status_label(meeting)
    yield from fp.files(fp.site.people[entry.person].file for entry in context["members"])


def _body_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    body = context["body"]
    for year in body.years():
        yield f"year {year.label}:{len(body.meetings_in(year))}:{year in body.programmes}"
    for meeting in body.meetings[-6:]:
        yield from _meeting_shown(fp, meeting)
        yield fp.renderer.status_label(meeting)
    for entries in body.record.membership.values():
        yield from fp.files(fp.site.people[entry.person].file for entry in entries)
    yield f"open {context['open_count']}"
    for action in context["open_actions"]:
        yield from _action_shown(fp, action)


def _programme_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    programme = context["programme"]
    yield fp.file(programme.file)
    for item in programme.items:
        if item.planned_meeting:
            yield from _meeting_shown(fp, item.planned_meeting)
        if item.taken_at:
            yield f"taken {item.taken_at.url}"
            yield from _meeting_shown(fp, item.taken_at.meeting)
            for minute in item.taken_at.minutes:
                yield minute.label
        yield from fp.files(fp.site.people[p].file for p in item.record.leads)


def _topic_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    topic = context["topic"]
    yield json.dumps(topic.record.model_dump(mode="json"), sort_keys=True)
    for entry in topic.entries:
        body = entry.meeting.body.record.label if entry.meeting else ""
        if isinstance(entry.node, AgendaNode | MinuteNode):
            fp.mention(entry.node.meeting.file, listed_part(entry.node))
        yield f"{entry.date.isoformat()}|{entry.kind}|{entry.title}|{entry.url}|{body}"


def _thread_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    for minute in context["thread"].minutes:
        yield from _minute_shown(fp, minute)
        yield " ".join(str(r.number) for r in minute.resolutions)
        for action in minute.actions:
            yield f"{action.id}:{action.status.value}"


def _person_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    person = context["person"]
    yield fp.file(person.file)
    for attended in person.attended:
        yield attended.role
        yield from _meeting_shown(fp, attended.meeting)
    for body, year, role in person.memberships:
        yield f"{body.id}:{year.label}:{role}"
    for action in person.actions:
        yield from _action_shown(fp, action)


def _document_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    meeting = context["meeting"]
    yield fp.file(meeting.file)
    yield from _meeting_shown(fp, meeting)
    yield from fp.files(fp.beside.get(_key(meeting), []))


def _free_page(fp: Fingerprinter, context: dict[str, Any]) -> Parts:
    yield fp.file(f"content/pages/{context['slug']}.md")


_PARTS: dict[str, Callable[[Fingerprinter, dict[str, Any]], Parts]] = {
    "meeting.html": _meeting_page,
    "decisions.html": _decisions_page,
    "actions.html": _actions_page,
    "action.html": _action_page,
    "body.html": _body_page,
    "body_year.html": _body_year_page,
    "programme.html": _programme_page,
    "topic.html": _topic_page,
    "thread.html": _thread_page,
    "person.html": _person_page,
    "document.html": _document_page,
    "page.html": _free_page,
}


# ---------------------------------------------------------------- the record of the last build


def _cache_file(cache_dir: Path, out: Path) -> Path:
    name = hashlib.blake2b(str(out).encode(), digest_size=8).hexdigest()
    return cache_dir / f"pages-{name}.json"


def load_fingerprints(cache_dir: Path, out: Path) -> dict[str, str]:
    """Fingerprints of the pages the last successful build wrote into `out`, if it is still there."""
    try:
        data = json.loads(_cache_file(cache_dir, out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("engine") != __version__ or not out.is_dir():
        return {}
    pages = data.get("pages")
    return pages if isinstance(pages, dict) else {}


def save_fingerprints(cache_dir: Path, out: Path, fingerprints: dict[str, str]) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = _cache_file(cache_dir, out)
    temporary = target.with_suffix(".tmp")
    payload = {"engine": __version__, "out": str(out), "pages": fingerprints}
    temporary.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")
    temporary.replace(target)


def input_state(root: Path, settings: str) -> str:
    """Every input file's size and modification time, with the build's settings: a cheap 'what changed'."""
    digest = hashlib.blake2b(f"{__version__}\0{settings}".encode(), digest_size=16)
    for name in ("site_config.yaml", "content", "templates"):
        for rel, stat in _file_stats(root, name):
            digest.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _file_stats(root: Path, name: str) -> Iterator[tuple[str, os.stat_result]]:
    """Each file at or below `root/name`, hidden ones too, with its status, in the order of sorted paths."""
    path = root / name
    if path.is_dir():
        for rel, entry in files_below(root, name, hidden=True):
            try:
                stat = entry.stat()
            except OSError:  # gone since it was listed
                continue
            yield rel, stat
    elif path.is_file():
        yield name, path.stat()


def _state_file(cache_dir: Path, out: Path) -> Path:
    return _cache_file(cache_dir, out).with_name(_cache_file(cache_dir, out).stem + "-inputs.txt")


def unchanged_since_last_build(cache_dir: Path, out: Path, state: str) -> bool:
    """True when the last successful build into `out` had exactly these inputs and its output is there."""
    try:
        return out.is_dir() and _state_file(cache_dir, out).read_text(encoding="utf-8") == state
    except OSError:
        return False


def save_input_state(cache_dir: Path, out: Path, state: str) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    _state_file(cache_dir, out).write_text(state, encoding="utf-8")


def forget_input_state(cache_dir: Path, out: Path) -> None:
    """Before changing `out` in place: until the build records its state again, no build is skipped."""
    _state_file(cache_dir, out).unlink(missing_ok=True)
