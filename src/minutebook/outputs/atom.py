"""Atom (RFC 4287) documents from dated changes, written with xml.etree: escaping is never by hand.

A feed's `updated` is its newest entry's date; with no entries, the build's reference date
(itself a date from the content's history), so a feed never carries the time it was built.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from minutebook import timing
from minutebook.outputs.changes import Change
from minutebook.records import SiteConfig

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Entries a feed keeps: the newest, by date.
FEED_SIZE = 50


@dataclass
class FeedSpec:
    #: Where the feed is written, relative to the site root, e.g. "bodies/cabinet/feed.xml".
    path: str
    title: str
    #: The page the feed is the feed of, relative to the site root.
    page: str
    subtitle: str = ""


def tag_uri(config: SiteConfig, minted: dt.date, key: str) -> str:
    """tag:example.github.io,2018-11-29:minutebook/bodies/…: stable whatever the build."""
    parts = urlsplit(config.base_url)
    prefix = parts.path.strip("/")
    specific = f"{prefix}/{key}" if prefix else key
    return f"tag:{parts.hostname},{minted.isoformat()}:{specific}"


def feed_bytes(spec: FeedSpec, changes: list[Change], config: SiteConfig, fallback: dt.date) -> bytes:
    """The Atom document for the newest FEED_SIZE of `changes` (already newest first)."""
    tz = timing.zone(config.timezone)
    entries = changes[:FEED_SIZE]
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: config.language})
    _text(feed, "id", config.base_url + spec.path)
    _text(feed, "title", spec.title)
    if spec.subtitle:
        _text(feed, "subtitle", spec.subtitle)
    _text(feed, "updated", timing.rfc3339(max((c.date for c in entries), default=fallback), tz))
    _link(feed, config.base_url + spec.path, "self", "application/atom+xml")
    _link(feed, config.base_url + spec.page, "alternate", "text/html")
    author = ET.SubElement(feed, "author")
    _text(author, "name", config.council)
    _text(author, "uri", config.base_url)
    _text(feed, "rights", f"{config.council}. {config.licence}.")
    _text(feed, "generator", "Minutebook")
    for change in entries:
        feed.append(_entry(change, config, tz))
    ET.indent(feed)
    return xml_document(feed)


def xml_document(root: ET.Element) -> bytes:
    """UTF-8 XML with the usual declaration and a final newline."""
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _entry(change: Change, config: SiteConfig, tz: ZoneInfo) -> ET.Element:
    entry = ET.Element("entry")
    _text(entry, "id", tag_uri(config, change.minted, change.key))
    _text(entry, "title", change.title)
    _text(entry, "updated", timing.rfc3339(change.date, tz))
    _link(entry, config.base_url + change.url, "alternate", "text/html")
    category = ET.SubElement(entry, "category")
    category.set("term", change.kind.value)
    if change.body is not None:
        ET.SubElement(entry, "category", {"term": change.body.id, "label": change.body.name})
    if change.summary:
        _text(entry, "summary", change.summary)
    return entry


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, name)
    element.text = text
    return element


def _link(parent: ET.Element, href: str, rel: str, media_type: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": media_type, "href": href})
