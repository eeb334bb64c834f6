"""The preview's fastest path: a save that changes only the words of one meeting file.

Most saves while a clerk writes minutes change words — the text of a minute, a resolution,
an action, an agenda item's description, a title, or a detail such as the venue, the start time
or the link to the recording — and nothing else. Such an edit cannot change what links where:
the numbers, dates and minute references are all as before. So the linked archive of the last
build stays right once the new words are put into its records, and the pages to write again
are exactly those whose dependency record names the file or the edited record (plus the few
summary pages that have none). Who attended is applied here too, as linking would: each
person's list of meetings is updated and their pages are written with the meeting's.

One thing links by words: a work-programme item with no `taken_at` is matched to its meeting's
agenda item by title, so a title edit that would change such a match is not handled here.
Anything else — another kind of file, a new reference, a changed number, someone with no
person file, a file that no longer validates — is not handled either: `apply` returns None and
the preview builds as usual.

The output is byte for byte what a full build writes for those pages (tests compare the two).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from minutebook import incremental, link, references, validate, write
from minutebook.graph import Attendance, MeetingNode, Site
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
    """What the preview keeps of its last build, to apply a words-only edit without building."""

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
    """Write the pages a words-only edit of one meeting file changes (see above); None for other edits.

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
    old_data, new_data = _without_attendance(old_source.data), _without_attendance(new_source.data)
    names = last.site.body_names
    if _shape(old_data, names) != _shape(new_data, names):
        return None
    try:
        new_record = Meeting.model_validate(new_source.data)
    except ValidationError:
        return None
    edits = list(_changed_words(old_data, new_data))
    attendance_changed = new_source.data.get("attendance") != old_source.data.get("attendance")
    if not _programme_matches_kept(meeting, new_record) or not _people_known(last.site, new_record):
        return None
    parts = _records_edited(meeting, edits)
    for path in edits:
        _put(meeting.record, path, _get(new_record, path))
    people_pages = _attend(last, meeting, new_record) if attendance_changed else []
    cache.put(last.root, rel, new_source, problems)
    cache.keep_record(new_source, new_record)
    last.reads = cache.reads
    last.site.digests[rel] = new_source.digest
    if not edits and not attendance_changed:
        return []
    return _write_pages(last, [rel, *(f"{rel}#{part}" for part in sorted(parts))], people_pages)


def _without_attendance(data: Any) -> Any:
    """The file's data without who attended, which `_attend` applies on its own."""
    if not isinstance(data, dict):
        return data
    return {key: value for key, value in data.items() if key != "attendance"}


def _people_known(site: Site, record: Meeting) -> bool:
    """True when everyone the new attendance names has a person file (else the build says so)."""
    attendance = record.attendance
    return attendance is None or validate.people_named_in(attendance) <= site.people.keys()


def _attend(last: LastBuild, meeting: MeetingNode, record: Meeting) -> list[int]:
    """Put the new attendance into the kept archive, as linking would; the person pages it changes.

    Each person's meetings stay in the archive's order. Those who now attend for the first time
    list the meeting on their page, so the dependency record names it for them too: a later
    save of the meeting's title or time rewrites their page as well.
    """
    site = last.site
    before = dict(link.attendance_of(meeting))
    meeting.record.attendance = record.attendance
    after = dict(link.attendance_of(meeting))
    meeting.people = link.people_named(meeting)
    place = {id(m): index for index, m in enumerate(site.meetings)}
    pages = _person_pages(last)
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    for person_id in changed:
        person = site.people[person_id]
        person.attended = [a for a in person.attended if a.meeting is not meeting]
        if person_id in after:
            at = sum(1 for a in person.attended if place[id(a.meeting)] < place[id(meeting)])
            person.attended.insert(at, Attendance(meeting, after[person_id]))
            if person_id not in before:
                listed = f"{meeting.file}#{incremental.listed_part(meeting)}"
                last.dependents.setdefault(listed, []).append(pages[person_id])
    return [pages[person_id] for person_id in changed]


def _person_pages(last: LastBuild) -> dict[str, int]:
    """Each person's page, by person id: its place in the plan."""
    return {
        spec.context["person"].id: index
        for index, spec in enumerate(last.specs)
        if spec.template == "person.html"
    }


def _programme_matches_kept(meeting: MeetingNode, new_record: Meeting) -> bool:
    """True when the work-programme items matched by title to the meeting's agenda stay as they are."""
    titles = [item.title for item in new_record.agenda]
    for item in meeting.programme_items:
        if link.may_be_matched_by_title(item):  # the meeting's items are those planned for it
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


def _write_pages(last: LastBuild, keys: list[str], also: list[int]) -> list[str]:
    """Render again the pages whose dependency record names any of `keys`, the summaries and `also`."""
    named = {index for key in keys for index in last.dependents.get(key, [])}
    todo = sorted(named | set(last.summaries) | set(also))
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
