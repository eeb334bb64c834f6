"""The record never silently changes: published-manifest.json, and the build's check against it.

`published-manifest.json`, in the site's own folder beside site_config.yaml and committed
with the content, lists every address the site publishes (pages, documents and redirects;
not the later pages of a paginated list, nor the follow-up histories, which are views that
come and go) and a SHA-256 fingerprint of every minute item of approved minutes. A build
that succeeds rewrites it. A build (or `minutebook check`) fails when:

- an address in it would disappear without a redirect (see `moved_from`), or
- an approved minute's recorded content changed, or a minute went, without a new entry in
  the meeting's `minutes.corrections`, or a recorded correction was removed.

Modes: `off` (library builds of scratch copies), `check` (the preview server and `check`:
guard, never write), `update` (the `build` command: guard, then write when the build
succeeds) and `frozen` (CI: guard, and fail when the file would change at all).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from minutebook.graph import MeetingNode, MinuteNode, Site
from minutebook.locate import locate_all
from minutebook.outputs import StepContext
from minutebook.outputs.redirects import plan_redirects, published_paths
from minutebook.problems import BuildFailed, Problem
from minutebook.records import MinutesStatus

MANIFEST_FILE = "published-manifest.json"
FORMAT = 1
ABOUT = (
    "Every address this site has published, and a fingerprint of every approved minute. "
    "`minutebook build` updates this file; commit it with the content. A build fails when an "
    "address listed here would disappear without a redirect (moved_from), or when approved "
    "minutes change without a new entry in minutes.corrections."
)
#: Views that may come and go as records change: later pages of lists, follow-up histories.
_VIEWS = re.compile(r"(^|/)page-[0-9]+/$|^history/")


class RecordMode(StrEnum):
    off = "off"
    check = "check"
    update = "update"
    frozen = "frozen"


@dataclass(frozen=True)
class ApprovedMinutes:
    file: str
    #: Dates of the corrections recorded, in order.
    corrections: tuple[str, ...]
    #: Minute number ('39/18') → fingerprint of the minute item.
    minutes: dict[str, str]


@dataclass(frozen=True)
class Manifest:
    #: Address relative to the base URL → the content file it comes from ('' for built-in pages).
    urls: dict[str, str]
    #: Meeting address → its approved minutes.
    approved: dict[str, ApprovedMinutes] = field(default_factory=dict)
    #: Page redirects: old address → new address.
    moved: dict[str, str] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        approved = {
            url: {"file": a.file, "corrections": list(a.corrections), "minutes": a.minutes}
            for url, a in self.approved.items()
        }
        data = {"about": ABOUT, "format": FORMAT, "urls": self.urls, "approved_minutes": approved}
        # Indented, one entry a line: the file is committed, and a clerk reads its diffs.
        return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


class PublishedRecord:
    """The post-build step: guard the record, and hand the new manifest to the build to write."""

    name = "published record"

    def run(self, context: StepContext) -> None:
        data = guard(context.root, context.site, RecordMode(context.record))
        if data is not None:
            context.site_files[MANIFEST_FILE] = data


def guard(root: Path, site: Site, mode: RecordMode) -> bytes | None:
    """Raise BuildFailed if the content would change the record; the manifest to write, if any."""
    if mode is RecordMode.off:
        return None
    path = root / MANIFEST_FILE
    written = path.read_bytes() if path.is_file() else None
    old = _parse(written) if written is not None else None
    new = current(site)
    data = new.to_bytes()
    problems = compare(old, new, site) if old is not None else []
    if mode is RecordMode.frozen and data != written:
        problems.append(_stale(old, new))
    if problems:
        raise BuildFailed(_located(root, problems))
    return data if mode is RecordMode.update and data != written else None


def _located(root: Path, problems: list[Problem]) -> list[Problem]:
    """Line and column of each problem in a file that still exists."""
    texts = {}
    for file in {p.file for p in problems if p.path}:
        try:
            texts[file] = (root / file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return locate_all(problems, texts)


# ---------------------------------------------------------------- what the site publishes now


def current(site: Site) -> Manifest:
    published = published_paths(site)
    redirects = plan_redirects(site, published)
    urls = {a: f for a, f in published.items() if not _VIEWS.search(a)}
    urls |= {r.old: r.source for r in redirects}
    approved = {m.url: _approved(m) for m in site.meetings if _is_approved(m)}
    moved = {r.old: r.new for r in redirects if r.is_page}
    return Manifest(dict(sorted(urls.items())), dict(sorted(approved.items())), moved)


def _is_approved(meeting: MeetingNode) -> bool:
    minutes = meeting.record.minutes
    return minutes is not None and minutes.status is MinutesStatus.approved


def _approved(meeting: MeetingNode) -> ApprovedMinutes:
    minutes = meeting.record.minutes
    assert minutes is not None
    return ApprovedMinutes(
        meeting.file,
        tuple(sorted(c.date.isoformat() for c in minutes.corrections)),
        {m.label: fingerprint(m) for m in meeting.minutes},
    )


def fingerprint(minute: MinuteNode) -> str:
    """SHA-256 of the minute item as recorded: its title, text, resolutions, actions, votes…

    Fields left at their defaults are left out, so a later Minutebook that adds an optional
    field does not change the fingerprint of minutes already published.
    """
    data = minute.record.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"number"})
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- reading the committed file


def _parse(data: bytes) -> Manifest:
    try:
        raw = json.loads(data)
        urls = {str(k): str(v) for k, v in raw["urls"].items()}
        approved = {str(url): _approved_entry(entry) for url, entry in raw["approved_minutes"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BuildFailed(
            [
                Problem(
                    MANIFEST_FILE,
                    f"cannot be read ({type(exc).__name__}: {exc})",
                    f"restore it from git (git checkout -- {MANIFEST_FILE}); Minutebook writes it, "
                    "nobody needs to edit it by hand",
                )
            ]
        ) from None
    return Manifest(urls, approved)


def _approved_entry(entry: Any) -> ApprovedMinutes:
    minutes = {str(k): str(v) for k, v in entry["minutes"].items()}
    return ApprovedMinutes(str(entry["file"]), tuple(str(c) for c in entry["corrections"]), minutes)


# ---------------------------------------------------------------- comparing


def compare(old: Manifest, new: Manifest, site: Site) -> list[Problem]:
    problems = _vanished(old, new)
    meetings = {m.url: m for m in site.meetings}
    for url, before in old.approved.items():
        meeting = meetings.get(new.moved.get(url, url))
        if meeting is not None:
            problems += _changed_minutes(before, meeting)
    return problems


def _vanished(old: Manifest, new: Manifest) -> list[Problem]:
    gone: dict[str, list[str]] = {}
    for address in sorted(set(old.urls) - set(new.urls), key=lambda a: (len(a), a)):
        gone.setdefault(old.urls[address], []).append(address)
    return [_vanished_problem(file, addresses) for file, addresses in sorted(gone.items())]


def _vanished_problem(file: str, addresses: list[str]) -> Problem:
    shown = ", ".join(f"/{a}" for a in addresses[:3])
    more = f" and {len(addresses) - 3} more" if len(addresses) > 3 else ""
    what = f"/{addresses[0]} was published" if len(addresses) == 1 else f"{shown}{more} were published"
    return Problem(
        file or MANIFEST_FILE,
        f"{what} and this build would remove {'it' if len(addresses) == 1 else 'them'}",
        "if the record moved, list its old address under moved_from in its new file so the old address "
        "redirects; if the file was removed by mistake, restore it; if it was never published, remove "
        f"{'its line' if len(addresses) == 1 else 'their lines'} from {MANIFEST_FILE}",
    )


def _changed_minutes(before: ApprovedMinutes, meeting: MeetingNode) -> list[Problem]:
    minutes = meeting.record.minutes
    corrections = tuple(c.date.isoformat() for c in minutes.corrections) if minutes else ()
    if Counter(before.corrections) - Counter(corrections):
        message = "a correction recorded in these approved minutes was removed"
        return [Problem(meeting.file, message, "put it back: a published correction stays on the record")]
    if len(corrections) > len(before.corrections):
        return []  # a new correction says what changed
    if not _is_approved(meeting):
        return [_problem(meeting, "these minutes were approved and published, and are now marked draft", ())]
    now = {m.label: m for m in meeting.minutes}
    problems = []
    for label, fingerprinted in before.minutes.items():
        minute = now.get(label)
        if minute is None:
            problems.append(_problem(meeting, f"approved minute {label} has been removed", ()))
        elif fingerprint(minute) != fingerprinted:
            where = ("minutes", "items", minute.index)
            problems.append(
                _problem(
                    meeting,
                    f"approved minute {label} ('{minute.title}') has changed since it was published",
                    where,
                )
            )
    return problems


def _problem(meeting: MeetingNode, message: str, path: tuple[str | int, ...]) -> Problem:
    return Problem(
        meeting.file,
        f"{message}, and minutes.corrections has no new entry",
        "add one under minutes.corrections — date: YYYY-MM-DD and note: what was corrected and why — "
        "or undo the change",
        path,
    )


def _stale(old: Manifest | None, new: Manifest) -> Problem:
    hint = f"run `minutebook build` and commit {MANIFEST_FILE} with the content"
    if old is None:
        return Problem(MANIFEST_FILE, "is missing, and --frozen needs it", hint)
    added = len(set(new.urls) - set(old.urls))
    changed = sum(1 for url, a in new.approved.items() if old.approved.get(url) != a)
    return Problem(
        MANIFEST_FILE,
        f"is not up to date with the content ({added} new address(es), "
        f"{changed} meeting(s) with new or corrected approved minutes), and --frozen forbids changing it",
        hint,
    )
