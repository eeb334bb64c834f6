"""Atom feeds of agendas, minutes, approvals and decisions: feed.xml and bodies/<id>/feed.xml.

Entries and their dates come from the records (see minutebook.outputs.changes), so two builds
of the same content write the same bytes whenever they run.
"""

from __future__ import annotations

from minutebook.graph import BodyNode, Site
from minutebook.outputs import StepContext
from minutebook.outputs.atom import FEED_SIZE, FeedSpec, feed_bytes
from minutebook.outputs.changes import Change, Kind

#: What a feed tells of: a meeting's agenda or its change of date, its minutes, and its decisions.
FEED_KINDS = frozenset(
    {
        Kind.agenda,
        Kind.cancelled,
        Kind.postponed,
        Kind.moved,
        Kind.minutes,
        Kind.approved,
        Kind.corrected,
        Kind.decision,
    }
)
SITE_FEED = "feed.xml"


def body_feed_path(body: BodyNode) -> str:
    return f"{body.url}feed.xml"


class Feeds:
    name = "feeds"

    def run(self, context: StepContext) -> None:
        site = context.site
        changes = [c for c in context.record_changes() if c.kind in FEED_KINDS]
        context.figures["feed entries"] = _write(context, site_feed(site), changes)
        by_body: dict[int, list[Change]] = {id(body): [] for body in site.bodies.values()}
        for change in changes:
            if change.body is not None and id(change.body) in by_body:
                by_body[id(change.body)].append(change)
        for body in site.bodies.values():
            context.go_on()
            _write(context, body_feed(site, body), by_body[id(body)])


def site_feed(site: Site) -> FeedSpec:
    council = site.config.council
    return FeedSpec(
        SITE_FEED,
        site.config.site_title,
        "",
        f"Agendas, minutes and decisions of {council}'s committees and boards.",
    )


def body_feed(site: Site, body: BodyNode) -> FeedSpec:
    return FeedSpec(
        body_feed_path(body),
        f"{body.name} – {site.config.site_title}",
        body.url,
        f"Agendas, minutes and decisions of {body.name}.",
    )


def _write(context: StepContext, spec: FeedSpec, changes: list[Change]) -> int:
    """Write one feed; returns how many entries it holds."""
    target = context.staging / spec.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(feed_bytes(spec, changes, context.site.config, context.site.today))
    return min(len(changes), FEED_SIZE)
