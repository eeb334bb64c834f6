"""Redirects: a record that moved keeps its old addresses, as small pages pointing to the new one.

A meeting whose file was renamed or moved lists its earlier addresses in `moved_from`. Each
becomes a redirect page (meta refresh, a link, rel=canonical) — and so do the addresses of
its documents under the old address and, when it moved to another body, of its actions.
Files that are not pages (a PDF beside the meeting) are published again at the old address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from minutebook.graph import MeetingNode, Site
from minutebook.outputs import StepContext
from minutebook.problems import BuildFailed, Problem
from minutebook.render import plan

#: An old meeting address: its body id is what action ids were built from.
_MEETING_PATH = re.compile(r"^bodies/(?P<body>[a-z0-9][a-z0-9-]*)/meetings/[^/]+/$")


@dataclass(frozen=True)
class Redirect:
    #: The old address, relative to the site's base: 'bodies/x/meetings/2019-02-07/'.
    old: str
    #: Where it moved to, in the same form.
    new: str
    title: str
    #: The content file that says the record moved.
    source: str

    @property
    def is_page(self) -> bool:
        return self.old.endswith("/")


def published_paths(site: Site) -> dict[str, str]:
    """Every address the site's pages and files are published at (no redirects) → its content file.

    Worked out once per linked site: the redirects, the sitemap and the published record all ask.
    """
    if site.published is not None:
        return site.published
    sources = _sources(site)
    found: dict[str, str] = {}
    for spec in plan(site):
        address = spec.path.removesuffix("index.html")
        found[address] = spec.source or _source_of(address, sources)
    for rel in site.attachments:
        if not rel.endswith(".md"):
            body_id, slug, *rest = rel.split("/")[2:]
            address = f"bodies/{body_id}/meetings/{slug}/documents/{'/'.join(rest)}"
            found[address] = _source_of(address, sources)
    site.published = found
    return found


def _sources(site: Site) -> dict[str, str]:
    """Address prefixes of records ('bodies/x/meetings/2018-11-29/') → the files they come from."""
    pairs = [(m.url, m.file) for m in site.meetings]
    pairs += [(b.url, b.file) for b in site.bodies.values()]
    pairs += [(p.url, p.file) for p in site.people.values()]
    pairs += [(p.url, p.file) for p in site.programmes]
    pairs += [(a.url, a.minute.meeting.file) for a in site.actions]
    pairs += [(f"{slug}/", f"content/pages/{slug}.md") for slug in site.pages]
    return dict(pairs)


def _source_of(address: str, sources: dict[str, str]) -> str:
    """The file of the longest record address that `address` starts with."""
    parts = address.rstrip("/").split("/")
    for length in range(len(parts), 0, -1):
        file = sources.get("/".join(parts[:length]) + "/")
        if file:
            return file
    return ""


def normalise(written: str) -> str:
    """'/bodies/x/meetings/2019-02-07' → 'bodies/x/meetings/2019-02-07/'."""
    path = written.strip().lstrip("/")
    last = path.rsplit("/", 1)[-1]
    return path if "." in last or path.endswith("/") else f"{path}/"


def plan_redirects(site: Site, published: dict[str, str]) -> list[Redirect]:
    """Every redirect the content asks for; BuildFailed if one is unusable."""
    problems: list[Problem] = []
    claimed: dict[str, Redirect] = {}
    for meeting in site.meetings:
        for index, written in enumerate(meeting.record.moved_from):
            problem = _unusable(written, meeting, published, claimed, index)
            if problem:
                problems.append(problem)
                continue
            for redirect in _of_meeting(meeting, normalise(written), published):
                claimed.setdefault(redirect.old, redirect)
    if problems:
        raise BuildFailed(problems)
    return [claimed[old] for old in sorted(claimed)]


def _unusable(
    written: str, meeting: MeetingNode, published: dict[str, str], claimed: dict[str, Redirect], index: int
) -> Problem | None:
    path = normalise(written)
    where = ("moved_from", index)
    if "://" in written or ".." in path.split("/") or not path.strip("/"):
        message = f"'{written}' is not an address in this site"
        hint = "write the old address without the site's base, e.g. bodies/cabinet/meetings/2019-02-07/"
        return Problem(meeting.file, message, hint, where)
    if path in published:
        message = f"moved_from names /{path}, which this site still publishes"
        return Problem(meeting.file, message, "remove it: only an address no page uses can redirect", where)
    if path in claimed and claimed[path].source != meeting.file:
        message = f"/{path} is already redirected to another record by {claimed[path].source}"
        return Problem(meeting.file, message, "an old address can point to one record only", where)
    return None


def _of_meeting(meeting: MeetingNode, old: str, published: dict[str, str]) -> Iterator[Redirect]:
    title = f"{meeting.body.name}, {meeting.date:%-d %B %Y}"
    yield Redirect(old, meeting.url, title, meeting.file)
    for address in sorted(published):
        if address.startswith(meeting.url) and address != meeting.url:
            yield Redirect(old + address.removeprefix(meeting.url), address, title, meeting.file)
    match = _MEETING_PATH.match(old)
    if match and match["body"] != meeting.body.id:
        for minute in meeting.minutes:
            for action in minute.actions:
                before = f"actions/{match['body']}-{minute.number.slug}-a{action.number}/"
                yield Redirect(before, action.url, f"Action {action.label}", meeting.file)


class Redirects:
    """Writes the redirect pages (and copies of moved files) into the staging folder."""

    name = "redirects"

    def run(self, context: StepContext) -> None:
        redirects = plan_redirects(context.site, published_paths(context.site))
        template = context.renderer.env.get_template("redirect.html")
        for redirect in redirects:
            target = context.staging / (f"{redirect.old}index.html" if redirect.is_page else redirect.old)
            target.parent.mkdir(parents=True, exist_ok=True)
            if redirect.is_page:
                html = template.render(
                    redirect=redirect,
                    target=context.renderer.url(redirect.new),
                    canonical=context.site.config.base_url + redirect.new,
                )
                target.write_text(html, encoding="utf-8")
            else:
                target.write_bytes((context.staging / redirect.new).read_bytes())
        context.figures["redirects"] = len(redirects)
