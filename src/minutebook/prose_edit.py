"""The preview's fastest path: a save that changes only the words of one meeting file.

Most saves while a clerk writes minutes change words — the text of a minute, a resolution,
an action, an agenda item's description, a title, or a detail such as the venue, the start time
or the link to the recording — and nothing else. Such an edit cannot change what links where:
the numbers, dates, people and minute references are all as before.
So the linked archive of the last build stays right once the new words are put into its
records, and the pages to write again are exactly those whose dependency record names the file
or the edited record (plus the few summary pages that have none). One thing links by words: a
work-programme item with no `taken_at` is matched to its meeting's agenda item by title, so a
title edit that would change such a match is not handled here. Anything else — another kind of
file, a new reference, a changed number, a file that no longer validates — is not handled
either: `apply` returns None and the preview builds as usual.

The output is byte for byte what a full build writes for those pages (tests compare the two).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from minutebook import incremental, link, references, write
from minutebook.graph import MeetingNode, Site
from minutebook.load import FOLDER_KINDS, ParseCache, read_yaml_file
from minutebook.problems import Severity
from minutebook.records import Meeting
from minutebook.render import PageSpec, Renderer

#: Keys of a meeting file whose values are prose only: shown as Markdown, never used to link.
PROSE_KEYS = frozenset(
    {"text", "resolved", "description", "summary", "amendments", "public_summary", "status_note", "attending"}
)

#: Keys of a meeting file whose values are titles: shown wherever the record is listed or linked
#: (see incremental.listed_part); linking reads them only to match work-programme items.
TITLE_KEYS = frozenset({"title"})

#: Keys of a meeting file whose values are only shown — on the meeting's page, and a meeting's
#: time in lists of meetings — and never read by validation across files or by linking. Unlike
#: prose and titles, a clerk may also add or remove them (a recording's link after the meeting).
DETAIL_KEYS = frozenset(
    {
        "time",
        "end_time",
        "venue",
        "remote_link",
        "webcast",
        "recording",
        "agenda_published",
        "published_by",
        "closed_at",
        "pages",
        "kind",
        "author",
        "interest",
        "owner_note",
    }
)

WORDS_KEYS = PROSE_KEYS | TITLE_KEYS

#: Where a value sits in a file: keys and list positions, e.g. ("minutes", "items", 3, "text").
FieldPath = tuple[str | int, ...]


@dataclass
class LastBuild:
    """What the preview keeps of its last build, to apply a prose-only edit without building."""

    root: Path
    out: Path
    cache: Path
    site: Site
    renderer: Renderer
    specs: list[PageSpec]
    #: The pages (by index into `specs`) whose fingerprint names each file.
    dependents: dict[str, list[int]]
    #: Pages that summarise the whole site and have no fingerprint: written on every edit.
    summaries: list[int]
    #: The fingerprints the last build saved for `out`.
    fingerprints: dict[str, str]
    #: `ParseCache.reads` when the archive was loaded: any file read since means the archive moved on.
    reads: int
    jobs: int = 1


def apply(last: LastBuild, changed: set[str], cache: ParseCache) -> list[str] | None:
    """Write the pages a prose-only edit of one meeting file changes; None when the edit is not one.

    `changed` are the files (relative to the site's folder) saved since the last build.
    """
    if len(changed) != 1 or cache.reads != last.reads:
        return None
    (rel,) = changed
    if not _is_meeting_file(rel) or rel not in cache.entries:
        return None
    old_source = cache.entries[rel][1]
    meeting = next((m for m in last.site.meetings if m.file == rel), None)
    if meeting is None:
        return None
    new_source, problems = read_yaml_file(last.root, rel, "meeting")
    if new_source is None or any(p.severity is Severity.error for p in problems):
        return None
    names = last.site.body_names
    if _shape(old_source.data, names) != _shape(new_source.data, names):
        return None
    try:
        new_record = Meeting.model_validate(new_source.data)
    except ValidationError:
        return None
    edits = list(_changed_words(old_source.data, new_source.data))
    if not _programme_matches_kept(meeting, new_record):
        return None
    parts = _records_edited(meeting, edits)
    for path in edits:
        _put(meeting.record, path, _get(new_record, path))
    cache.put(last.root, rel, new_source, problems)
    cache.keep_record(new_source, new_record)
    last.reads = cache.reads
    last.site.digests[rel] = new_source.digest
    return _write_pages(last, [rel, *(f"{rel}#{part}" for part in sorted(parts))]) if edits else []


def _programme_matches_kept(meeting: MeetingNode, new_record: Meeting) -> bool:
    """True when the work-programme items matched by title to the meeting's agenda stay as they are."""
    titles = [item.title for item in new_record.agenda]
    for item in meeting.programme_items:
        if item.planned_meeting is meeting and link.may_be_matched_by_title(item):
            was = meeting.agenda.index(item.taken_at) if item.taken_at in meeting.agenda else None
            if link.item_with_title(titles, item.record.title) != was:
                return False
    return True


def _records_edited(meeting: MeetingNode, edits: list[FieldPath]) -> set[str]:
    """The records of the meeting, as the dependency record names them, whose edited words other
    pages show: an action's or resolution's words, a title or a meeting's time in a list, an
    action's owner."""
    shown_apart, listed = _records_shown_apart(meeting), _records_listed(meeting)
    parts = set()
    for path in edits:
        record = id(_get(meeting.record, path[:-1]))
        if path[-1] in PROSE_KEYS:
            part = shown_apart.get(record)
        else:
            part = listed.get(record) or shown_apart.get(record)
        if part:
            parts.add(part)
    return parts


def _records_listed(meeting: MeetingNode) -> dict[int, str]:
    """The records of a meeting whose title other pages list or link: the meeting, its agenda
    items and its minutes, keyed by the record object."""
    found = {id(meeting.record): incremental.listed_part(meeting)}
    todo = list(meeting.agenda)
    while todo:
        agenda = todo.pop()
        found[id(agenda.record)] = incremental.listed_part(agenda)
        todo.extend(agenda.items)
    for minute in meeting.minutes:
        found[id(minute.record)] = incremental.listed_part(minute)
    return found


def _records_shown_apart(meeting: MeetingNode) -> dict[int, str]:
    """The records of a meeting whose words other pages show on their own: actions, resolutions.

    Keyed by the record object, named as the dependency record names them: an edit of their
    words rewrites the pages that show them too, not only those that show the whole meeting.
    """
    found: dict[int, str] = {}
    for minute in meeting.minutes:
        for action in minute.actions:
            found[id(action.record)] = incremental.action_part(action)
        for resolution in minute.resolutions:
            found[id(resolution.record)] = incremental.resolution_part(resolution)
    return found


def _write_pages(last: LastBuild, keys: list[str]) -> list[str]:
    """Render again the pages whose dependency record names any of `keys`, and the summaries."""
    todo = sorted({index for key in keys for index in last.dependents.get(key, [])} | set(last.summaries))
    paths = [last.specs[index].path for index in todo]
    # First forget the fingerprints of the pages about to change, so that no later build reuses
    # one of them as if it were still what its old fingerprint describes.
    for path in paths:
        last.fingerprints.pop(path, None)
    incremental.save_fingerprints(last.cache, last.out, last.fingerprints)
    incremental.forget_input_state(last.cache, last.out)
    write.render_pages(last.renderer, last.specs, last.out, last.jobs, todo, in_place=True)
    return paths


def _is_meeting_file(rel: str) -> bool:
    parts = Path(rel).parts
    return (
        len(parts) == 4
        and parts[0] == "content"
        and FOLDER_KINDS.get(parts[1]) == "meeting"
        and rel.endswith(".yaml")
    )


def _shape(data: Any, names: Mapping[str, str]) -> Any:
    """The file's data with each prose value reduced to what linking sees of it.

    That is whether it is empty (exempt business must have none) and the minute numbers it
    names (they make follow-up links): two files of the same shape link the same way.
    """
    if isinstance(data, dict):
        return {key: _value_shape(key, value, names) for key, value in data.items() if key not in DETAIL_KEYS}
    if isinstance(data, list):
        return [_shape(value, names) for value in data]
    return data


def _value_shape(key: str, value: Any, names: Mapping[str, str]) -> Any:
    if key in PROSE_KEYS:
        return _prose_shape(value, names)
    if key in TITLE_KEYS and isinstance(value, str):
        return ("title", bool(value.strip()))
    return _shape(value, names)


def _prose_shape(value: Any, names: Mapping[str, str]) -> Any:
    if not isinstance(value, str):
        return _shape(value, names)
    found = tuple((f.body, f.number, f.suffix) for f in references.in_prose(value, names))
    return ("prose", bool(value.strip()), found)


def _changed_words(old: Any, new: Any, path: FieldPath = ()) -> Iterator[FieldPath]:
    """Where the prose, titles and details of two files of the same shape differ."""
    if isinstance(new, dict):
        for key in {**old, **new}:
            if key in DETAIL_KEYS:
                if old.get(key) != new.get(key):
                    yield (*path, key)
                continue
            value = new[key]
            if key in WORDS_KEYS and isinstance(value, str):
                if old[key] != value:
                    yield (*path, key)
            else:
                yield from _changed_words(old[key], value, (*path, key))
    elif isinstance(new, list):
        for index, value in enumerate(new):
            yield from _changed_words(old[index], value, (*path, index))


def _step(node: Any, key: str | int) -> Any:
    if isinstance(key, int):
        return node[key]
    return getattr(node, _field_name(type(node), key))


def _field_name(model: type[BaseModel], key: str) -> str:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name
    raise KeyError(key)


def _get(record: BaseModel, path: FieldPath) -> Any:
    node: Any = record
    for key in path:
        node = _step(node, key)
    return node


def _put(record: BaseModel, path: FieldPath, value: Any) -> None:
    parent = _get(record, path[:-1])
    setattr(parent, _field_name(type(parent), str(path[-1])), value)
