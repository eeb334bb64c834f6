"""sitemap.xml and robots.txt: every page's absolute address, for search engines.

The sitemap lists every HTML page in the staged site except the 404 page, the search page
and redirect pages, so it runs after every step that writes pages (the search index writes none,
and may still be running). `lastmod` is given only where the
records date a page (a meeting, its papers, an action, a work programme), never the build time.
"""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from pathlib import Path

from minutebook.graph import MeetingNode, Site
from minutebook.outputs import StepContext
from minutebook.outputs.atom import xml_document
from minutebook.outputs.redirects import plan_redirects, published_paths
from minutebook.render import page_path

SITEMAP = "sitemap.xml"
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: Pages that are not content: left out of the sitemap.
EXCLUDED = frozenset({"404.html", "search/index.html"})
#: Folders that hold no pages (Pagefind's bundle).
SKIPPED_FOLDERS = frozenset({"pagefind"})


class Sitemap:
    name = "sitemap"

    def run(self, context: StepContext) -> None:
        redirects = redirect_pages(context.site)
        pages = [p for p in html_pages(context.staging) if p not in redirects]
        config = context.site.config
        (context.staging / SITEMAP).write_bytes(
            sitemap_bytes(config.base_url, pages, last_modified(context.site))
        )
        (context.staging / "robots.txt").write_text(robots_txt(config.base_url), encoding="utf-8")
        context.figures["sitemap pages"] = len(pages)


def html_pages(staging: Path) -> list[str]:
    """Paths of the pages to list, relative to the site root, in a stable order.

    Pagefind may still be indexing meanwhile: its bundle and its hidden working folders, which
    come and go, are not walked.
    """
    found = []
    with os.scandir(staging) as tops:
        for top in tops:
            if top.name.startswith(".") or top.name in SKIPPED_FOLDERS:
                continue
            if not top.is_dir():
                found.append(top.name)
                continue
            # os.walk and plain strings: a Path per file made this step take seconds at 50,000 pages.
            for folder, _, names in os.walk(top.path):
                rel = Path(folder).relative_to(staging).as_posix()
                found.extend(f"{rel}/{name}" for name in names)
    return sorted((rel for rel in found if rel.endswith(".html") and rel not in EXCLUDED), key=page_address)


def redirect_pages(site: Site) -> set[str]:
    """Pages that only point to a record's new address: not pages to list."""
    redirects = plan_redirects(site, published_paths(site))
    return {f"{r.old}index.html" for r in redirects if r.is_page}


def page_address(rel: str) -> str:
    """'bodies/x/index.html' → 'bodies/x/', the address the site links to."""
    return rel.removesuffix("index.html")


def sitemap_bytes(base_url: str, pages: list[str], lastmod: dict[str, dt.date]) -> bytes:
    urlset = ET.Element("urlset", {"xmlns": NS})
    for rel in pages:
        entry = ET.SubElement(urlset, "url")
        ET.SubElement(entry, "loc").text = base_url + page_address(rel)
        day = page_lastmod(rel, lastmod)
        if day is not None:
            ET.SubElement(entry, "lastmod").text = day.isoformat()
    ET.indent(urlset)
    return xml_document(urlset)


def page_lastmod(rel: str, lastmod: dict[str, dt.date]) -> dt.date | None:
    """A page's date; a meeting's papers share the meeting's."""
    if rel in lastmod:
        return lastmod[rel]
    meeting, found, _ = rel.partition("/documents/")
    return lastmod.get(f"{meeting}/index.html") if found else None


def robots_txt(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}{SITEMAP}\n"


def last_modified(site: Site) -> dict[str, dt.date]:
    """The date each record page last changed, as far as the records tell, keyed by page path."""
    dates: dict[str, dt.date] = {}
    for meeting in site.meetings:
        changed = meeting_changed(meeting, site.today)
        if changed is not None:
            dates[page_path(meeting.url)] = changed
    for action in site.actions:
        closed = action.closed_by.date if action.closed_by else action.date
        dates[page_path(action.url)] = min(max(action.date, closed), site.today)
    for programme in site.programmes:
        dates[page_path(programme.url)] = min(programme.latest.date, site.today)
    return dates


def meeting_changed(meeting: MeetingNode, today: dt.date) -> dt.date | None:
    """The latest record date that changes a meeting's page, up to the reference date, if any."""
    record, days = meeting.record, [meeting.original_date, meeting.date]
    days += [record.agenda_published] if record.agenda_published else []
    if meeting.approved_by is not None:
        days.append(meeting.approved_by.date)
    days += [c.date for c in record.minutes.corrections] if record.minutes else []
    for minute in meeting.minutes:
        days += [a.closed_by.date for a in minute.actions if a.closed_by]
        days += [later.date for later in minute.referred_by]
    past = [d for d in days if d <= today]
    return max(past, default=None)
