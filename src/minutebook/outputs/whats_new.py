"""What's new: whats-new/index.html and whats-new.xml, the changes of the last eight weeks.

"The last eight weeks" ends on the build's reference date (site.today). Changes come from
the records' own dates (agenda published, minutes, approvals, closures, corrections,
cancellations and moves, work-programme revisions) and, where the site is a git checkout,
from the commits that added or changed content files. Never from the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from pathlib import PurePosixPath

from minutebook.graph import BodyNode, MeetingNode, Site
from minutebook.outputs import StepContext
from minutebook.outputs.atom import FeedSpec, feed_bytes
from minutebook.outputs.changes import Change, Kind, meeting_subject
from minutebook.outputs.history import FileChange, content_changes
from minutebook.render import PageSpec

WINDOW = dt.timedelta(weeks=8)
#: The status a meeting page shows ("Held", "Cancelled"…): the renderer's, so both agree.
StatusLabel = Callable[[MeetingNode], str]
PAGE = "whats-new/"
FEED = "whats-new.xml"
#: Decisions are told of by their minutes' entry: one line a meeting, not one a resolution.
LEFT_OUT = frozenset({Kind.decision})


@dataclass(frozen=True)
class Target:
    """A record a content file holds, as a what's-new entry names it."""

    subject: str
    url: str
    body: BodyNode | None
    summary: str = ""


class WhatsNew:
    name = "what's new"

    def run(self, context: StepContext) -> None:
        site = context.site
        since = site.today - WINDOW + dt.timedelta(days=1)
        files = content_changes(context.root, since, site.today)
        changes = whats_new(site, files, since, context.renderer.status_label, context.record_changes())
        spec = PageSpec(f"{PAGE}index.html", "whats_new.html", page_context(changes, since, site.today))
        target = context.staging / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(context.renderer.render(spec), encoding="utf-8")
        feed = FeedSpec(FEED, f"What's new – {site.config.site_title}", PAGE, _subtitle(since, site.today))
        (context.staging / FEED).write_bytes(feed_bytes(feed, changes, site.config, site.today))
        context.figures["what's new entries"] = len(changes)


def whats_new(
    site: Site, files: list[FileChange], since: dt.date, label: StatusLabel, changes: list[Change]
) -> list[Change]:
    """Changes from `since` to the reference date, newest first: the records' own (`changes`, from
    outputs.changes.record_changes), then git's."""
    recorded = [c for c in changes if c.date >= since and c.kind not in LEFT_OUT]
    seen = {(c.url.partition("#")[0], c.date) for c in recorded}
    committed = [c for c in git_changes(site, files, label) if (c.url, c.date) not in seen]
    return sorted(recorded + committed, key=Change.sort_key)


def git_changes(site: Site, files: list[FileChange], label: StatusLabel) -> list[Change]:
    """One entry per record whose file a commit added or changed: the latest such commit."""
    targets = _targets(site, label)
    latest: dict[str, tuple[dt.date, bool]] = {}
    for change in files:
        target = _target_path(change.path, targets)
        if target is None:
            continue
        day, added = latest.get(target, (change.date, False))
        # A new paper beside a meeting updates the meeting; only a new meeting file adds one.
        latest[target] = (max(day, change.date), added or (change.added and change.path == target))
    return [_git_change(targets[path], day, added) for path, (day, added) in sorted(latest.items())]


def _git_change(target: Target, day: dt.date, added: bool) -> Change:
    kind = Kind.added if added else Kind.updated
    key = f"{target.url}{kind.value}-{day.isoformat()}"
    return Change(day, kind, target.subject, target.url, target.body, key, day, target.summary)


def _target_path(path: str, targets: dict[str, Target]) -> str | None:
    """The record file a changed file belongs to: a meeting's papers belong to the meeting."""
    if path in targets:
        return path
    parts = PurePosixPath(path).parts
    if len(parts) > 4 and parts[:2] == ("content", "meetings"):
        meeting_file = f"content/meetings/{parts[2]}/{parts[3]}.yaml"
        return meeting_file if meeting_file in targets else None
    return None


def _targets(site: Site, label: StatusLabel) -> dict[str, Target]:
    targets = {m.file: Target(meeting_subject(m), m.url, m.body, _now(m, label)) for m in site.meetings}
    for programme in site.programmes:
        subject = f"{programme.body.name} work programme {programme.year.label}"
        targets[programme.file] = Target(subject, programme.url, programme.body)
    for body in site.bodies.values():
        targets[body.file] = Target(body.name, body.url, body)
    for slug, page in site.pages.items():
        targets[f"content/pages/{slug}.md"] = Target(page.title, f"{slug}/", None)
    return targets


def _now(meeting: MeetingNode, label: StatusLabel) -> str:
    """What the meeting's page shows now, for an entry that git alone dates: 'Held. Draft minutes.'"""
    minutes = meeting.record.minutes
    if minutes is not None:
        return f"{label(meeting)}. {minutes.status.value.capitalize()} minutes."
    items = len(meeting.agenda)
    agenda = f" Agenda of {items} item{'' if items == 1 else 's'}." if items else ""
    return f"{label(meeting)}.{agenda}"


def page_context(changes: list[Change], since: dt.date, today: dt.date) -> dict[str, object]:
    days = [(day, list(group)) for day, group in groupby(changes, key=lambda c: c.date)]
    return {"days": days, "since": since, "today": today, "count": len(changes), "feed": FEED}


def _subtitle(since: dt.date, today: dt.date) -> str:
    return f"Records added or changed from {since.isoformat()} to {today.isoformat()}."
