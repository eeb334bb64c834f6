"""Stage 3 — link: build the record graph, resolve every reference, derive statuses.

A reference into minutes the archive holds that finds nothing is an error (a typo);
one into minutes the archive never loaded is a warning and renders as plain text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from datetime import date

from minutebook import references
from minutebook.archive import Archive, MeetingSource, MinuteNumber
from minutebook.graph import (
    ActionNode,
    ActionStatus,
    AgendaNode,
    Attendance,
    BodyNode,
    HistoryEntry,
    MeetingNode,
    MinuteNode,
    PersonNode,
    ProgrammeItemNode,
    ProgrammeNode,
    Reference,
    ResolutionNode,
    Site,
    ThreadNode,
    TopicNode,
)
from minutebook.problems import BuildFailed, DocPath, Problems
from minutebook.records import AgendaItem, MeetingStatus, MunicipalYear, WorkProgrammeOutcome

#: For each body and year, the span of minute numbers of each meeting whose minutes are held.
Ranges = dict[tuple[str, MunicipalYear], list[tuple[int, int]]]


def link(
    archive: Archive,
    today: date,
    problems: Problems,
    go_on: Callable[[], None] = lambda: None,
    memo: references.Memo | None = None,
) -> Site:
    """The linked site; `go_on`, called as it goes through the archive, may stop the build (it raises).

    `memo` holds the minute numbers found in texts by an earlier build in this process: used if it
    was made with the same body names.
    """
    site = Site(
        config=archive.config,
        today=today,
        pages=archive.pages,
        attachments=archive.attachments,
        digests=archive.digests,
    )
    _add_bodies(archive, site)
    site.body_names = references.body_names((b.id, b.name, b.short_name) for b in archive.bodies.values())
    reusable = memo is not None and memo.names == site.body_names
    site.prose_references = memo if memo is not None and reusable else references.Memo(site.body_names)
    _add_meetings(archive, site, go_on)
    go_on()
    _add_people(archive, site)
    ranges = _minute_ranges(site)
    go_on()
    for minute in _all_minutes(site):
        go_on()
        _resolve_references(minute, site, ranges, problems)
    go_on()
    actions = {(a.minute.meeting.body.id, a.minute.number, a.number): a for a in site.actions}
    for meeting in site.meetings:
        _resolve_approval(meeting, site, ranges, problems)
        for minute in meeting.minutes:
            _resolve_closures(minute, actions, problems)
    _derive_action_status(site)
    go_on()
    _add_programmes(archive, site, problems)
    _add_threads(site)
    go_on()
    _add_topics(archive, site)
    if problems.errors:
        raise BuildFailed(problems.items)
    return site


def _all_minutes(site: Site) -> Iterator[MinuteNode]:
    for meeting in site.meetings:
        yield from meeting.minutes


# ---------------------------------------------------------------- bodies and meetings


def _add_bodies(archive: Archive, site: Site) -> None:
    for body_id in sorted(archive.bodies):
        site.bodies[body_id] = BodyNode(
            archive.bodies[body_id], f"bodies/{body_id}/", archive.files[("body", body_id)]
        )


def _add_meetings(archive: Archive, site: Site, go_on: Callable[[], None]) -> None:
    ordered = sorted(archive.meetings.values(), key=lambda s: (s.record.date, s.body, s.slug))
    for source in ordered:
        go_on()
        body = site.bodies[source.body]
        meeting = MeetingNode(
            body, source.slug, source.record, source.file, source.year, f"{body.url}meetings/{source.slug}/"
        )
        meeting.agenda = list(_agenda_nodes(meeting, source.record.agenda, ""))
        _add_minutes(meeting, source, site)
        body.meetings.append(meeting)
        site.meetings.append(meeting)
    for body in site.bodies.values():
        for earlier, later in zip(body.meetings, body.meetings[1:], strict=False):
            earlier.next, later.previous = later, earlier


def _agenda_nodes(meeting: MeetingNode, items: list[AgendaItem], parent: str) -> Iterator[AgendaNode]:
    for item in items:
        label = f"{parent}({item.number})" if parent else item.number
        node = AgendaNode(
            meeting, item, label, f"item-{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}"
        )
        node.items = list(_agenda_nodes(meeting, item.items, label))
        yield node


def _add_minutes(meeting: MeetingNode, source: MeetingSource, site: Site) -> None:
    if source.record.minutes is None:
        return
    agenda = {node.record.number: node for node in meeting.agenda}
    for index, (item, number) in enumerate(zip(source.record.minutes.items, source.numbers, strict=True)):
        minute = MinuteNode(meeting, item, number, index, agenda.get(item.agenda_item or ""))
        if minute.agenda:
            minute.agenda.minutes.append(minute)
            if minute.agenda.record.private:
                item.private = True
            if item.exempt is None:
                item.exempt = minute.agenda.record.exempt
        if not minute.exempt:  # exempt business publishes its title and public summary, no more
            _add_decisions(minute, site)
        site.minutes[(meeting.body.id, number)] = minute
        meeting.minutes.append(minute)


def _add_decisions(minute: MinuteNode, site: Site) -> None:
    item, meeting = minute.record, minute.meeting
    minute.resolutions = [ResolutionNode(minute, r) for r in item.resolutions]
    by_number = {r.number: r for r in minute.resolutions}
    for action in item.actions:
        action_id = f"{meeting.body.id}-{minute.number.slug}-a{action.number}"
        node = ActionNode(
            minute,
            action,
            action_id,
            f"actions/{action_id}/",
            resolution=by_number.get(action.resolution or 0),
        )
        minute.actions.append(node)
        site.actions.append(node)
    site.resolutions.extend(minute.resolutions)


# ---------------------------------------------------------------- minute references


def _minute_ranges(site: Site) -> Ranges:
    """For each body and year, the span of minute numbers of each meeting whose minutes are held."""
    ranges: Ranges = {}
    for meeting in site.meetings:
        if meeting.minutes:
            numbers = [m.number.number for m in meeting.minutes]
            ranges.setdefault((meeting.body.id, meeting.year), []).append((min(numbers), max(numbers)))
    return ranges


def _held(
    body_id: str, number: MinuteNumber, ranges: dict[tuple[str, MunicipalYear], list[tuple[int, int]]]
) -> bool:
    """True when the minutes that would hold this number are in the archive."""
    return any(low <= number.number <= high for low, high in ranges.get((body_id, number.year), []))


def _texts_of(minute: MinuteNode) -> Iterator[tuple[DocPath, str]]:
    base: DocPath = ("minutes", "items", minute.index)
    item = minute.record
    if minute.exempt:  # what exempt text refers to is not published either
        return
    if item.text:
        yield (*base, "text"), item.text
    for index, resolution in enumerate(item.resolutions):
        yield (*base, "resolutions", index, "text"), resolution.text
    for index, action in enumerate(item.actions):
        yield (*base, "actions", index, "text"), action.text


def _resolve_references(minute: MinuteNode, site: Site, ranges: Ranges, problems: Problems) -> None:
    body_id, file = minute.meeting.body.id, minute.meeting.file
    found: list[tuple[DocPath, references.Found, int | None]] = []
    for path, text in _texts_of(minute):
        found += [(path, f, f.start) for f in site.references_in(text)]
    for index, written in enumerate(minute.record.further_to):
        one = references.explicit(written)
        path = ("minutes", "items", minute.index, "further_to", index)
        if one is None:
            problems.error(
                file,
                f"'{written}' is not a minute number",
                "write it as number/year, e.g. 27/17, or body-id:27/17",
                path,
            )
            continue
        found.append((path, one, None))
    seen: set[tuple[str, MinuteNumber]] = set()
    for path, one, offset in found:
        target_body, number = one.resolve(body_id, minute.meeting.year)
        key = (target_body, number)
        if target_body not in site.bodies:
            problems.error(
                file,
                f"minute {number.label} names the body '{target_body}', which does not exist",
                _did_you_mean(target_body, site.bodies) or "use the id of a body in content/bodies/",
                path,
                text_offset=offset,
            )
            continue
        reference = Reference(number.label, target_body, number, site.minutes.get(key), offset is None)
        if key in seen or key == (body_id, minute.number):
            continue
        if reference.target and reference.target.date >= minute.date:
            continue  # a pointer forward ("see minute 6/22") is linked in the text, not a follow-up
        seen.add(key)
        minute.references.append(reference)
        if reference.target:
            reference.target.referred_by.append(minute)
        elif _held(target_body, number, ranges):
            problems.error(
                file,
                f"there is no minute {number.label} in the minutes the archive holds for that meeting",
                "check the number: it may be a typo",
                path,
                text_offset=offset,
            )
        else:
            site.outside.append((minute, reference))
            problems.warning(
                file,
                f"minute {number.label} is not in the archive; it is shown without a link",
                "add that meeting's minutes to link it",
                path,
                text_offset=offset,
            )


def _did_you_mean(written: str, known: dict[str, BodyNode]) -> str:
    close = difflib.get_close_matches(written, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _resolve_approval(meeting: MeetingNode, site: Site, ranges: Ranges, problems: Problems) -> None:
    minutes = meeting.record.minutes
    if minutes is None or not minutes.approved_by:
        return
    path = ("minutes", "approved_by")
    one = references.explicit(minutes.approved_by)
    if one is None:
        problems.error(
            meeting.file,
            f"'{minutes.approved_by}' is not a minute number",
            "name the later minute that approved these, e.g. 38/18",
            path,
        )
        return
    body_id, number = one.resolve(meeting.body.id, meeting.year)
    if number.year < meeting.year:
        number = MinuteNumber(number.number, MunicipalYear(number.year.start + 100))
    approver = site.minutes.get((body_id, number))
    meeting.approved_by_label = number.label
    if approver is None:
        if _held(body_id, number, ranges):
            problems.error(
                meeting.file,
                f"there is no minute {number.label} to approve these minutes",
                "check the number",
                path,
            )
        else:
            problems.warning(
                meeting.file,
                f"minute {number.label}, which approved these minutes, is not in the archive",
                "the page says 'approved' without a link until that meeting's minutes are added",
                path,
            )
        return
    if approver.date <= meeting.date:
        problems.error(
            meeting.file,
            f"minute {number.label} is from {approver.date.isoformat()}, not after this meeting",
            "minutes are approved at a later meeting",
            path,
        )
        return
    meeting.approved_by = approver
    approver.approves.append(meeting)


ActionKey = tuple[str, MinuteNumber, int]


def _resolve_closures(minute: MinuteNode, by_id: dict[ActionKey, ActionNode], problems: Problems) -> None:
    if minute.exempt:  # closures (and their notes) in exempt business are not published
        return
    for index, closure in enumerate(minute.record.closes):
        path = ("minutes", "items", minute.index, "closes", index, "action")
        match = references.ACTION.fullmatch(closure.action)
        if not match:
            problems.error(
                minute.meeting.file,
                f"'{closure.action}' is not an action reference",
                "write the minute number and action number, e.g. 39/18-a1",
                path,
            )
            continue
        year = references.year_for_suffix(match["yy"], minute.meeting.year)
        key = (match["body"] or minute.meeting.body.id, MinuteNumber(int(match["n"]), year), int(match["k"]))
        action = by_id.get(key)
        if action is None:
            problems.error(
                minute.meeting.file,
                f"there is no action {closure.action}",
                "check the minute number and the action's number",
                path,
            )
        elif action.closed_by is not None:
            problems.error(
                minute.meeting.file,
                f"action {closure.action} was already closed by minute {action.closed_by.label}",
                "remove one of the two closures",
                path,
            )
        elif action.minute.date >= minute.date:
            problems.error(
                minute.meeting.file,
                f"action {closure.action} was set on {action.minute.date.isoformat()}; "
                f"this meeting ({minute.date.isoformat()}) is not later",
                "record an action as done at a meeting after the one that set it",
                path,
            )
        else:
            action.closed_by, action.closure_note = minute, closure.note
            minute.closes.append(action)


def _derive_action_status(site: Site) -> None:
    for action in site.actions:
        if action.closed_by is not None:
            action.status = ActionStatus.done
        elif action.record.due is not None and action.record.due < site.today:
            action.status = ActionStatus.overdue
        else:
            action.status = ActionStatus.open


# ---------------------------------------------------------------- people


def _add_people(archive: Archive, site: Site) -> None:
    for person_id in sorted(archive.people):
        site.people[person_id] = PersonNode(
            archive.people[person_id], f"people/{person_id}/", archive.files[("person", person_id)]
        )
    for body in site.bodies.values():
        for label, entries in sorted(body.record.membership.items()):
            for entry in entries:
                site.people[entry.person].memberships.append(
                    (body, MunicipalYear.parse(label), entry.role.value)
                )
    for meeting in site.meetings:
        for person_id, role in attendance_of(meeting):
            site.people[person_id].attended.append(Attendance(meeting, role))
        meeting.people = people_named(meeting)
        for minute in meeting.minutes:
            for action in minute.actions:
                if action.record.owner:
                    site.people[action.record.owner].actions.append(action)


def people_named(meeting: MeetingNode) -> set[str]:
    """Everyone the meeting's record names: attendance, declarations, votes, owners, contact."""
    record = meeting.record
    named = {person_id for person_id, _ in attendance_of(meeting)}
    named |= {s.for_ for s in record.attendance.substitutes} if record.attendance else set()
    named |= {d.person for d in record.declarations}
    named |= {record.contact_officer} if record.contact_officer else set()
    for minute in meeting.minutes:
        named |= {a.record.owner for a in minute.actions if a.record.owner}
        for resolution in minute.resolutions:
            vote = resolution.record.vote
            for side in (vote.for_, vote.against, vote.abstained) if vote else ():
                named |= set(side) if isinstance(side, list) else set()
    return named


def attendance_of(meeting: MeetingNode) -> Iterator[tuple[str, str]]:
    """Each person recorded at the meeting, once, with the first role the record gives them."""
    attendance = meeting.record.attendance
    if attendance is None:
        return
    seen: set[str] = set()
    roles = [
        ([attendance.chair] if attendance.chair else [], "chair"),
        (attendance.present, "present"),
        (attendance.co_opted, "present (co-opted)"),
        ([s.person for s in attendance.substitutes], "substitute"),
        (attendance.cabinet_members, "cabinet member"),
        (attendance.officers, "officer"),
        ([g.person for g in attendance.invited if g.person], "invited"),
        (attendance.apologies, "apologies"),
        (attendance.absent, "absent"),
    ]
    for people, role in roles:
        for person_id in people:
            if person_id not in seen:
                seen.add(person_id)
                yield person_id, role


# ---------------------------------------------------------------- work programmes


def _add_programmes(archive: Archive, site: Site, problems: Problems) -> None:
    for (body_id, year), record in sorted(
        archive.work_programmes.items(), key=lambda kv: (kv[0][0], kv[0][1])
    ):
        body = site.bodies.get(body_id)
        file = archive.files[("wp", body_id, year)]
        if body is None:
            problems.error(file, f"unknown body '{body_id}'", "the folder name must be a body id", ())
            continue
        programme = ProgrammeNode(body, year, record, f"{body.url}work-programme/{year.slug}/", file)
        last = len(record.revisions) - 1
        meetings = _BodyMeetings(body)
        for index, item in enumerate(record.revisions[-1].items):
            node = ProgrammeItemNode(programme, item, index)
            _place_programme_item(
                node, meetings, file, (("revisions", last, "items", index, "taken_at")), problems
            )
            programme.items.append(node)
        body.programmes[year] = programme
        site.programmes.append(programme)


class _BodyMeetings:
    """A body's meetings by file date and by date held, for placing a programme's items."""

    def __init__(self, body: BodyNode) -> None:
        self.by_slug = {m.slug: m for m in body.meetings}
        self.by_date = {m.date: m for m in body.meetings}


def _place_programme_item(
    node: ProgrammeItemNode, meetings: _BodyMeetings, file: str, path: DocPath, problems: Problems
) -> None:
    item = node.record
    by_slug, by_date = meetings.by_slug, meetings.by_date
    if isinstance(item.planned, date):
        node.planned_meeting = by_date.get(item.planned) or by_slug.get(item.planned.isoformat())
    if item.taken_at:
        slug, _, number = item.taken_at.partition("/")
        meeting = by_slug.get(slug) or _meeting_on(by_date, slug)
        agenda = {a.record.number: a for a in meeting.agenda} if meeting else {}
        if meeting is None:
            problems.error(
                file,
                f"taken_at names a meeting on {slug}, which is not in the archive",
                "write the meeting's file date and the item number, e.g. 2018-11-29/4",
                path,
            )
        elif number not in agenda:
            problems.error(
                file,
                f"the meeting of {slug} has no agenda item {number or '(none given)'}",
                f"use one of: {', '.join(agenda)}",
                path,
            )
        else:
            node.taken_at = agenda[number]
    elif node.planned_meeting is not None and may_be_matched_by_title(node):
        found = item_with_title([a.title for a in node.planned_meeting.agenda], item.title)
        node.taken_at = None if found is None else node.planned_meeting.agenda[found]
    if node.taken_at:
        node.taken_at.programme_items.append(node)
    if node.planned_meeting:
        node.planned_meeting.programme_items.append(node)


def may_be_matched_by_title(node: ProgrammeItemNode) -> bool:
    """True for an item found by its title among its meeting's agenda: planned (or marked taken),
    with no `taken_at`, at a meeting that was held."""
    planned = node.planned_meeting
    outcome_allows = node.record.outcome in (WorkProgrammeOutcome.planned, WorkProgrammeOutcome.taken)
    return (
        outcome_allows
        and not node.record.taken_at
        and planned is not None
        and planned.status is MeetingStatus.held
    )


def _meeting_on(by_date: dict[date, MeetingNode], text: str) -> MeetingNode | None:
    try:
        return by_date.get(date.fromisoformat(text))
    except ValueError:
        return None


def item_with_title(agenda_titles: list[str], title: str) -> int | None:
    """Where a work-programme item's title is among a meeting's agenda titles (words and case aside)."""
    wanted = _words(title)
    return next((index for index, other in enumerate(agenda_titles) if _words(other) == wanted), None)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


# ---------------------------------------------------------------- history: threads and topics


def _add_threads(site: Site) -> None:
    """Group minutes joined by references into follow-up chains (connected components)."""
    seen: set[int] = set()
    for minute in _all_minutes(site):
        if id(minute) in seen or not (minute.references or minute.referred_by):
            continue
        component = _component(minute)
        seen.update(id(m) for m in component)
        if len(component) < 2:
            continue
        component.sort(key=lambda m: (m.date, m.number.number))
        first = component[0]
        thread = ThreadNode(
            f"{first.meeting.body.id}-{first.number.slug}",
            f"history/{first.meeting.body.id}/{first.number.slug}/",
            component,
        )
        for member in component:
            member.thread = thread
        site.threads.append(thread)


def _component(start: MinuteNode) -> list[MinuteNode]:
    found, todo = {id(start): start}, [start]
    while todo:
        minute = todo.pop()
        neighbours = [r.target for r in minute.references if r.target] + minute.referred_by
        for other in neighbours:
            if id(other) not in found:
                found[id(other)] = other
                todo.append(other)
    return list(found.values())


def _add_topics(archive: Archive, site: Site) -> None:
    for topic_id in sorted(archive.topics):
        site.topics[topic_id] = TopicNode(topic_id, archive.topics[topic_id], f"topics/{topic_id}/")
    for minute in _all_minutes(site):
        minute.topics |= set(minute.record.topics)
        if minute.agenda:
            minute.topics |= set(minute.agenda.record.topics)
        for resolution in minute.resolutions:
            minute.topics |= set(resolution.record.topics)
    for thread in site.threads:  # a follow-up chain shares the topics of any of its minutes
        shared = set().union(*(m.topics for m in thread.minutes))
        for minute in thread.minutes:
            minute.topics |= shared
    for entry, topic_ids in _topic_entries(site):  # one pass over the archive for every topic
        for topic_id in topic_ids:
            if topic_id in site.topics:
                site.topics[topic_id].entries.append(entry)
    for topic in site.topics.values():
        topic.entries.sort(key=lambda e: (e.date, e.kind))


def _topic_entries(site: Site) -> Iterator[tuple[HistoryEntry, set[str]]]:
    """Every tagged record with the topics it belongs to; an agenda item counts once its minute does not."""
    for meeting in site.meetings:
        for agenda in _walk_agenda(meeting.agenda):
            minuted = set().union(*(m.topics for m in agenda.minutes)) if agenda.minutes else set()
            tags = set(agenda.record.topics) - minuted
            if tags:
                yield (
                    HistoryEntry(meeting.date, "agenda item", agenda.url, meeting, agenda),
                    tags,
                )
        for minute in meeting.minutes:
            if minute.topics:
                yield HistoryEntry(meeting.date, "minute", minute.url, meeting, minute), minute.topics
    for programme in site.programmes:
        for item in programme.items:
            if item.record.topics:
                when = item.record.planned if isinstance(item.record.planned, date) else programme.latest.date
                entry = HistoryEntry(when, "work programme", item.url, item.planned_meeting, item)
                yield entry, set(item.record.topics)


def _walk_agenda(nodes: list[AgendaNode]) -> Iterator[AgendaNode]:
    for node in nodes:
        yield node
        if node.record.exempt is None:  # what sits under exempt business is not published
            yield from _walk_agenda(node.items)
