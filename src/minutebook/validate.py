"""Stage 2 — validate: plain data → typed records, gathering every problem with its place.

Model errors come from pydantic; the checks here are the ones a model cannot make
alone: ids that must match file names, minute numbers, references to people and
topics, and the rule that exempt business never has its text committed.
"""

from __future__ import annotations

import difflib
import functools
import re
import typing
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from minutebook.archive import Archive, MeetingSource, MinuteNumber
from minutebook.explain import explain, model_inside
from minutebook.load import Loaded, ParseCache, SourceFile
from minutebook.problems import BuildFailed, DocPath, Problems
from minutebook.records import (
    Body,
    Meeting,
    MunicipalYear,
    Page,
    Person,
    SiteConfig,
    Topic,
    WorkProgramme,
)
from minutebook.records.body import MembershipEntry
from minutebook.records.meeting import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Guest,
    MinuteItem,
    Resolution,
    Substitute,
    Vote,
)
from minutebook.records.work_programme import WorkProgrammeItem

MODELS: dict[str, type[BaseModel]] = {
    "body": Body,
    "person": Person,
    "meeting": Meeting,
    "work-programme": WorkProgramme,
    "page": Page,
}

#: Fields that name people, by model: each must be the id of a person in content/people/.
PERSON_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {
    Attendance: ("chair", "present", "co_opted", "cabinet_members", "officers", "apologies", "absent"),
    Substitute: ("person", "for_"),
    Guest: ("person",),
    Declaration: ("person",),
    Action: ("owner",),
    Meeting: ("contact_officer",),
    Body: ("contact_officer",),
    MembershipEntry: ("person",),
    WorkProgrammeItem: ("leads",),
    Vote: ("for_", "against", "abstained"),
}

_DATE_STEM = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_STEM = re.compile(r"^(\d{4})-(\d{2})$")
_MINUTE = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d{2}))?\s*\.?\s*$")


def validate(
    loaded: Loaded, cache: ParseCache | None = None, go_on: Callable[[], None] = lambda: None
) -> Archive:
    """Turn loaded files into an Archive, or raise BuildFailed with every problem found.

    `go_on`, called between the passes over the archive, may stop the build (it raises).

    With a parse cache, a file parsed by an earlier build keeps the record made from it then.
    That is safe because the only changes made to a record after validation (its body and
    year from the file's place, numbers of resolutions and actions, privacy from its own
    agenda) follow from the file alone, so making them again changes nothing.
    """
    problems = loaded.problems
    config = _validate_config(loaded, problems)
    archive = Archive(root=loaded.root, config=config or _placeholder_config())
    archive.attachments = loaded.attachments
    for source in loaded.files:
        archive.digests[source.rel] = source.digest
        _add_record(source, archive, problems, cache)
    go_on()
    _check_meetings(archive, problems)
    go_on()
    _check_references(archive, problems)
    if problems.errors or config is None:
        raise BuildFailed(problems.items)
    return archive


def _placeholder_config() -> SiteConfig:
    return SiteConfig(council="?", base_url="https://example.invalid/")


def _validate_config(loaded: Loaded, problems: Problems) -> SiteConfig | None:
    if loaded.config is None:
        return None
    return _model(SiteConfig, loaded.config, problems)  # type: ignore[return-value]


def _model(
    model: type[BaseModel], source: SourceFile, problems: Problems, cache: ParseCache | None = None
) -> BaseModel | None:
    kept = cache.record(source) if cache is not None else None
    if isinstance(kept, model):
        return kept
    try:
        record = model.model_validate(source.data)
    except ValidationError as exc:
        for path, message, hint, at_key in explain(exc, model, source.data):
            problems.error(source.rel, message, hint, path, at_key=at_key)
        return None
    if cache is not None:
        cache.keep_record(source, record)
    return record


# ---------------------------------------------------------------- records by kind


def _add_record(source: SourceFile, archive: Archive, problems: Problems, cache: ParseCache | None) -> None:
    if source.kind == "topics":
        _add_topics(source, archive, problems)
        return
    record = _model(MODELS[source.kind], source, problems, cache)
    if record is None:
        return
    adders = {
        "body": _add_body,
        "person": _add_person,
        "meeting": _add_meeting,
        "work-programme": _add_work_programme,
        "page": _add_page,
    }
    adders[source.kind](record, source, archive, problems)  # type: ignore[operator]


def _check_id(record_id: str, source: SourceFile, problems: Problems) -> bool:
    if record_id != source.stem:
        problems.error(
            source.rel,
            f"the id '{record_id}' does not match the file name '{source.stem}.yaml'",
            f"use id: {source.stem}, or rename the file to {record_id}.yaml",
            ("id",),
        )
        return False
    return True


def _add_body(body: Body, source: SourceFile, archive: Archive, problems: Problems) -> None:
    if _check_id(body.id, source, problems):
        archive.bodies[body.id] = body
        archive.files[("body", body.id)] = source.rel


def _add_person(person: Person, source: SourceFile, archive: Archive, problems: Problems) -> None:
    if _check_id(person.id, source, problems):
        archive.people[person.id] = person
        archive.files[("person", person.id)] = source.rel


def _add_page(page: Page, source: SourceFile, archive: Archive, problems: Problems) -> None:
    archive.pages[source.stem] = page
    archive.files[("page", source.stem)] = source.rel


def _add_topics(source: SourceFile, archive: Archive, problems: Problems) -> None:
    for topic_id, data in source.data.items():
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(topic_id)):
            suggestion = re.sub(r"[^a-z0-9]+", "-", str(topic_id).lower()).strip("-")
            problems.error(
                source.rel,
                f"'{topic_id}' is not a usable topic id",
                f"use lower-case letters, digits and hyphens, e.g. {suggestion or 'housing'}",
                (topic_id,),
                at_key=True,
            )
            continue
        if not isinstance(data, dict):
            problems.error(
                source.rel,
                f"the topic '{topic_id}' needs its title on a line of its own",
                f"write '{topic_id}:' and below it, indented, 'title: {data}'",
                (topic_id,),
            )
            continue
        try:
            archive.topics[topic_id] = Topic.model_validate(data)
        except ValidationError as exc:
            for path, message, hint, at_key in explain(exc, Topic, data):
                problems.error(source.rel, message, hint, (topic_id, *path), at_key=at_key)
    archive.files[("topics",)] = source.rel


def _add_meeting(meeting: Meeting, source: SourceFile, archive: Archive, problems: Problems) -> None:
    body_id = source.folder
    if meeting.body and meeting.body != body_id:
        problems.error(
            source.rel,
            f"the meeting says body '{meeting.body}' but sits in the folder of '{body_id}'",
            f"move the file to content/meetings/{meeting.body}/, or remove the body line",
            ("body",),
        )
        return
    if not _DATE_STEM.fullmatch(source.stem) or _parse_date(source.stem) is None:
        problems.error(
            source.rel,
            "a meeting file is named after its date, YYYY-MM-DD.yaml",
            f"rename it to {meeting.date.isoformat()}.yaml",
        )
        return
    meeting.body = body_id
    body = archive.bodies.get(body_id)
    start_month = body.year_start_month if body else 5
    year = MunicipalYear.containing(meeting.date, start_month)
    archive.meetings[(body_id, source.stem)] = MeetingSource(body_id, source.stem, meeting, source.rel, year)
    archive.files[("meeting", body_id, source.stem)] = source.rel


def _add_work_programme(
    programme: WorkProgramme, source: SourceFile, archive: Archive, problems: Problems
) -> None:
    body_id = source.folder
    match = _YEAR_STEM.fullmatch(source.stem)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        problems.error(
            source.rel,
            "a work programme file is named after its municipal year, e.g. 2018-19.yaml",
            "rename the file",
        )
        return
    year = MunicipalYear(int(match[1]))
    if programme.year and programme.year != year.label:
        problems.error(
            source.rel,
            f"year {programme.year} does not match the file name {source.stem}.yaml",
            f"write year: {year.label}",
            ("year",),
        )
        return
    if programme.body and programme.body != body_id:
        problems.error(
            source.rel,
            f"the programme says body '{programme.body}' but sits in the folder of '{body_id}'",
            f"move it to content/work-programmes/{programme.body}/",
            ("body",),
        )
        return
    programme.body, programme.year = body_id, year.label
    archive.work_programmes[(body_id, year)] = programme
    archive.files[("wp", body_id, year)] = source.rel


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# ---------------------------------------------------------------- meetings and minutes


#: Each minute number of a body's year, and the file and title of the minute that has it.
Seen = dict[tuple[str, MinuteNumber], tuple[str, str]]


def _check_meetings(archive: Archive, problems: Problems) -> None:
    seen: Seen = {}
    broken_bodies = _broken_ids(problems, "bodies")
    for source in archive.meetings.values():
        if source.body not in archive.bodies and source.body not in broken_bodies:
            _unknown_body(problems, source.file, source.body, archive, "meetings")
        _check_agenda(source, archive.attachments, problems)
        _check_minutes(source, seen, problems)
        _check_exempt(source, problems)
    _check_sequence(archive, problems)
    for body_id, year in archive.work_programmes:
        if body_id not in archive.bodies and body_id not in broken_bodies:
            _unknown_body(problems, archive.files[("wp", body_id, year)], body_id, archive, "work-programmes")


def _unknown_body(problems: Problems, file: str, body_id: str, archive: Archive, folder: str) -> None:
    hint = f"the folder content/{folder}/{body_id}/ must be named after a body in content/bodies/"
    _unknown(problems, file, "body", body_id, archive.bodies, (), hint)


def _check_documents(source: MeetingSource, attachments: dict[str, bytes], problems: Problems) -> None:
    """Every document a report names must sit beside the meeting, inside content/meetings/<body>/."""
    for path, file in _document_files(source.record.agenda, ("agenda",)):
        if ".." in Path(file).parts or Path(file).is_absolute():
            problems.error(
                source.file,
                f"the document path '{file}' leaves the body's folder",
                f"put the file in content/meetings/{source.body}/{source.slug}/",
                path,
            )
        elif f"content/meetings/{source.body}/{file}" not in attachments:
            problems.error(
                source.file,
                f"the document '{file}' does not exist",
                f"add it as content/meetings/{source.body}/{file}, or correct the name",
                path,
            )


def _document_files(items: list[AgendaItem], path: DocPath) -> Iterator[tuple[DocPath, str]]:
    for index, item in enumerate(items):
        for r_index, report in enumerate(item.reports):
            report_path = (*path, index, "reports", r_index)
            if report.file:
                yield (*report_path, "file"), report.file
            for d_index, document in enumerate(report.documents):
                if document.file:
                    yield (*report_path, "documents", d_index, "file"), document.file
        yield from _document_files(item.items, (*path, index, "items"))


def _check_agenda(source: MeetingSource, attachments: dict[str, bytes], problems: Problems) -> None:
    numbers: set[str] = set()
    for index, item in enumerate(source.record.agenda):
        if item.number in numbers:
            problems.error(
                source.file,
                f"agenda item {item.number} appears twice",
                "number the items in order",
                ("agenda", index, "number"),
            )
        numbers.add(item.number)
    _check_documents(source, attachments, problems)
    minutes = source.record.minutes
    if not minutes or not source.record.agenda:
        return
    for index, minute in enumerate(minutes.items):
        if minute.agenda_item and minute.agenda_item not in numbers:
            problems.error(
                source.file,
                f"minute '{minute.title}' names agenda item {minute.agenda_item}, "
                "which the agenda does not have",
                f"use one of: {', '.join(sorted(numbers, key=_natural))}",
                ("minutes", "items", index, "agenda_item"),
            )


def _natural(text: str) -> tuple[int, str]:
    digits = re.match(r"\d+", text)
    return (int(digits[0]) if digits else 0, text)


def _check_minutes(source: MeetingSource, seen: Seen, problems: Problems) -> None:
    meeting = source.record
    if meeting.minutes is None:
        return
    if meeting.effective_status.value in ("cancelled", "postponed"):
        problems.error(
            source.file,
            f"a {meeting.effective_status.value} meeting has minutes",
            "set status: held, or remove the minutes",
            ("status",),
        )
    if meeting.minutes.approved_by and meeting.minutes.status.value == "draft":
        problems.error(
            source.file,
            "the minutes name the minute that approved them but are marked draft",
            "set status: approved",
            ("minutes", "status"),
        )
    for index, item in enumerate(meeting.minutes.items):
        path: DocPath = ("minutes", "items", index)
        number = _minute_number(item, source, path, problems)
        if number is None:
            continue
        source.numbers.append(number)
        key = (source.body, number)
        if key in seen:
            problems.error(
                source.file, _twice(number, source.file, *seen[key]), _NEXT_NUMBER, (*path, "number")
            )
        else:
            seen[key] = (source.file, item.title)
        _number_children(item, source, path, problems)


_NEXT_NUMBER = "give each minute the next number of the municipal year"


def _twice(number: MinuteNumber, file: str, other_file: str, other_title: str) -> str:
    if other_file == file:
        return f"minute {number.label} is numbered twice in this meeting; minute '{other_title}' has it too"
    return (
        f"minute {number.label} is numbered twice in {number.year.label}; "
        f"minute '{other_title}' in {other_file} has it too"
    )


def _minute_number(
    item: MinuteItem, source: MeetingSource, path: DocPath, problems: Problems
) -> MinuteNumber | None:
    match = _MINUTE.fullmatch(str(item.number))
    if not match:
        problems.error(
            source.file,
            f"'{item.number}' is not a minute number",
            f"write it as number/year, e.g. 39/{source.year.suffix}",
            (*path, "number"),
        )
        return None
    number = MinuteNumber(int(match[1]), source.year)
    if match[2] and match[2] != source.year.suffix:
        problems.error(
            source.file,
            f"minute {item.number} carries the year {match[2]}, but a meeting on "
            f"{source.record.date.isoformat()} is in {source.year.label}",
            f"number it {number.label}",
            (*path, "number"),
        )
        return None
    return number


def _number_children(item: MinuteItem, source: MeetingSource, path: DocPath, problems: Problems) -> None:
    """Give resolutions and actions their numbers (1, 2, …) where the clerk left them out."""
    sequences: list[tuple[str, Sequence[Resolution | Action]]] = [
        ("resolutions", item.resolutions),
        ("actions", item.actions),
    ]
    for field_name, children in sequences:
        used: set[int] = set()
        for index, child in enumerate(children):
            if child.number is None:
                child.number = index + 1
            if child.number in used:
                problems.error(
                    source.file,
                    f"two {field_name} of minute '{item.title}' share number {child.number}",
                    "number them 1, 2, 3 …",
                    (*path, field_name, index, "number"),
                )
            used.add(child.number)
    numbers = {r.number for r in item.resolutions}
    for index, action in enumerate(item.actions):
        if action.resolution is not None and action.resolution not in numbers:
            problems.error(
                source.file,
                f"the action follows resolution {action.resolution}, "
                f"which minute '{item.title}' does not have",
                "use the number of one of its resolutions",
                (*path, "actions", index, "resolution"),
            )
        if action.due is not None and action.due < source.record.date:
            problems.error(
                source.file,
                f"the action is due on {action.due.isoformat()}, "
                f"before the meeting that set it ({source.record.date.isoformat()})",
                "check the due date",
                (*path, "actions", index, "due"),
            )


def _check_sequence(archive: Archive, problems: Problems) -> None:
    """Warn where minute numbers of a body's year skip or run backwards between meetings."""
    by_year: dict[tuple[str, MunicipalYear], list[MeetingSource]] = {}
    for source in archive.meetings.values():
        items = source.record.minutes.items if source.record.minutes else []
        if source.numbers and len(source.numbers) == len(items):  # else a number is wrong: an error
            by_year.setdefault((source.body, source.year), []).append(source)
    for sources in by_year.values():
        sources.sort(key=lambda s: s.record.date)
        previous: MinuteNumber | None = None
        for source in sources:
            for index, number in enumerate(source.numbers):
                if previous is not None:
                    _check_step(source, index, previous, number, problems)
                previous = number


def _check_step(
    source: MeetingSource, index: int, previous: MinuteNumber, number: MinuteNumber, problems: Problems
) -> None:
    """One minute number after the one before it (a number used twice is an error of its own)."""
    path = ("minutes", "items", index, "number")
    if number.number < previous.number:
        problems.warning(
            source.file,
            f"minute {number.label} comes after minute {previous.label}",
            "minute numbers run upwards through the municipal year",
            path,
        )
    elif index > 0 and number.number > previous.number + 1:
        problems.warning(
            source.file,
            f"minute {number.label} follows {previous.label}; the numbers between are missing",
            "number the minutes of a meeting one after another",
            path,
        )


#: Free text of an exempt item must never be in the content repository.
_EXEMPT_AGENDA_TEXT = ("description",)
_EXEMPT_MINUTE_TEXT = ("text", "resolved", "resolutions", "actions", "closes")


def _exempt_report_text(item: AgendaItem, path: DocPath) -> Iterator[tuple[DocPath, str]]:
    """Where an exempt item's reports carry text: each field named, to point at it."""
    for r_index, report in enumerate(item.reports):
        report_path = (*path, "reports", r_index)
        for name in ("summary", "file"):
            if getattr(report, name):
                yield (*report_path, name), name
        for d_index, document in enumerate(report.documents):
            for name in ("text", "file"):
                if getattr(document, name):
                    yield (*report_path, "documents", d_index, name), f"document {name}"


def _check_exempt(source: MeetingSource, problems: Problems) -> None:
    """Exempt business carries no text: each field that has some is named and refused."""
    exempt = {item.number: item.exempt for item in source.record.agenda if item.exempt is not None}
    for index, item in enumerate(source.record.agenda):
        if item.exempt is not None:
            _check_exempt_item(source.file, item, index, problems)
    minutes = source.record.minutes
    for index, minute in enumerate(minutes.items if minutes else []):
        if minute.exempt is None and minute.agenda_item in exempt:
            minute.exempt = exempt[minute.agenda_item]
        if minute.exempt is not None:
            minute.private = True
            _check_exempt_minute(source.file, minute, index, problems)


def _check_exempt_item(file: str, item: AgendaItem, index: int, problems: Problems) -> None:
    for path, name in _exempt_item_text(item, ("agenda", index)):
        problems.error(
            file,
            f"agenda item '{item.title}' is exempt, so its {name} must not be published or committed",
            "remove it; publish only the title, the exemption paragraph and a public_summary",
            path,
            at_key=True,
        )


def _exempt_item_text(item: AgendaItem, path: DocPath) -> Iterator[tuple[DocPath, str]]:
    """Every text of an exempt item and of its sub-items: none of it may be committed."""
    yield from (((*path, name), name) for name in _EXEMPT_AGENDA_TEXT if getattr(item, name))
    yield from ((where, f"report {name}") for where, name in _exempt_report_text(item, path))
    for index, sub_item in enumerate(item.items):
        for where, name in _exempt_item_text(sub_item, (*path, "items", index)):
            yield where, f"sub-item {sub_item.number} {name}"


def _check_exempt_minute(file: str, minute: MinuteItem, index: int, problems: Problems) -> None:
    for name in _EXEMPT_MINUTE_TEXT:
        if getattr(minute, name):
            problems.error(
                file,
                f"minute '{minute.title}' is exempt business, "
                f"so its {name} must not be published or committed",
                "remove it; give a public_summary of the decision instead",
                ("minutes", "items", index, name),
                at_key=True,
            )


# ---------------------------------------------------------------- references to people and topics


def _check_references(archive: Archive, problems: Problems) -> None:
    """Ids of people and topics must name records; a record whose own file failed is not re-reported."""
    broken_people = _broken_ids(problems, "people")
    topics_failed = any(Path(p.file).name == "topics.yaml" for p in problems.errors)
    for file, root in _record_roots(archive):
        for path, model, name, value in _walk_fields(root, ()):
            if name == "topics" and not topics_failed:
                _check_topic_ids(file, path, value, archive, problems)
            elif name in PERSON_FIELDS.get(model, ()):
                _check_person_ids(file, path, value, archive, problems, broken_people)


def _broken_ids(problems: Problems, folder: str) -> set[str]:
    """Ids whose own file (content/<folder>/<id>.yaml) has an error: references to them add nothing."""
    return {Path(p.file).stem for p in problems.errors if Path(p.file).parent.name == folder}


def _check_topic_ids(file: str, path: DocPath, ids: list[str], archive: Archive, problems: Problems) -> None:
    for index, topic in enumerate(ids):
        if topic not in archive.topics:
            hint = "add it to content/topics.yaml"
            _unknown(problems, file, "topic", topic, archive.topics, (*path, index), hint)


def _check_person_ids(
    file: str, path: DocPath, value: Any, archive: Archive, problems: Problems, broken: set[str]
) -> None:
    for index, person in enumerate(_ids(value)):
        if person in archive.people or person in broken:
            continue
        where = (*path, index) if isinstance(value, list) else path
        hint = f"add content/people/{person}.yaml, or correct the id"
        _unknown(problems, file, "person", person, archive.people, where, hint)


def _ids(value: Any) -> list[str]:
    """The ids a person field holds: one, a list, or none (a vote may give a count instead)."""
    return value if isinstance(value, list) else [value] if isinstance(value, str) else []


def people_named_in(record: BaseModel) -> set[str]:
    """Every person id the record's fields name (PERSON_FIELDS), at any depth."""
    return {
        person
        for _, model, name, value in _walk_fields(record, ())
        if name in PERSON_FIELDS.get(model, ())
        for person in _ids(value)
    }


def _record_roots(archive: Archive) -> Iterator[tuple[str, BaseModel]]:
    for body in archive.bodies.values():
        yield archive.files[("body", body.id)], body
    for source in archive.meetings.values():
        yield source.file, source.record
    for (body_id, year), programme in archive.work_programmes.items():
        yield archive.files[("wp", body_id, year)], programme


def _walk_fields(model: BaseModel, path: DocPath) -> Iterator[tuple[DocPath, type[BaseModel], str, Any]]:
    """Every set field that names a person or topic, with its YAML path (aliases, as the clerk writes them).

    Which fields to look at is worked out once per model class: a meeting file has
    thousands of text and date fields that can never hold a reference.
    """
    for name, written, names_something, holds_models in _field_plan(type(model)):
        value = getattr(model, name)
        if value is None or value == []:
            continue
        field_path = (*path, written)
        if names_something:
            yield field_path, type(model), name, value
        if not holds_models:
            continue
        if isinstance(value, BaseModel):
            yield from _walk_fields(value, field_path)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                if isinstance(child, BaseModel):
                    yield from _walk_fields(child, (*field_path, index))
        elif isinstance(value, dict):
            for key, children in value.items():
                for index, child in enumerate(children if isinstance(children, list) else []):
                    if isinstance(child, BaseModel):
                        yield from _walk_fields(child, (*field_path, key, index))


@functools.cache
def _field_plan(model: type[BaseModel]) -> tuple[tuple[str, str, bool, bool], ...]:
    """(field, YAML name, names a person or topic, may hold nested records) for each field worth a look."""
    plan = []
    for name, info in model.model_fields.items():
        names_something = name == "topics" or name in PERSON_FIELDS.get(model, ())
        holds_models = model_inside(info.annotation) is not None
        if names_something or holds_models:
            plan.append((name, info.alias or name, names_something, holds_models))
    return tuple(plan)


def _unknown(
    problems: Problems,
    file: str,
    kind: str,
    value: str,
    known: typing.Mapping[str, object],
    path: DocPath,
    hint: str = "",
) -> None:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    if close:
        hint = f"did you mean '{close[0]}'?"
    problems.error(file, f"unknown {kind} '{value}'", hint, path)
