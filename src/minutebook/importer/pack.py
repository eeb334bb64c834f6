"""One pack, end to end: clean, cut into front sheet, minutes, papers and work programme, parse."""

from __future__ import annotations

from minutebook.importer.clean import Kind, Line, clean
from minutebook.importer.dates import municipal_start
from minutebook.importer.documents import attach, to_markdown
from minutebook.importer.draft import AgendaDraft, FrontSheet, PackDraft, ProgrammeDraft
from minutebook.importer.frontsheet import parse_front
from minutebook.importer.minutes import parse_minutes
from minutebook.importer.patterns import DEFAULT, Patterns
from minutebook.importer.workprogramme import find_columns, parse_programme


def read_pack(source: str, name: str, patterns: Patterns = DEFAULT, start_month: int = 5) -> PackDraft:
    lines, removed = clean(source, patterns)
    used: set[int] = set()
    minutes_at = _minutes_start(lines, patterns)
    front_end = _front_end(lines, minutes_at, patterns)
    front = parse_front(lines[:front_end], used, patterns)
    minutes, after = None, front_end
    if minutes_at is not None:
        minutes_end = _minutes_end(lines, minutes_at, patterns)
        minutes = parse_minutes(lines[minutes_at:minutes_end], used, patterns)
        after = max(minutes_end, front_end)
    year = municipal_start(front.date, start_month) if front.date else 2000
    rest = lines[front_end:minutes_at] + lines[after:] if minutes_at is not None else lines[front_end:]
    programme, loose = _papers(rest, front, used, year, patterns)
    unplaced = [
        (line.number, line.plain) for line in lines if line.kind is Kind.text and line.number not in used
    ]
    return PackDraft(name, front, minutes, programme, unplaced, removed, loose)


def _minutes_start(lines: list[Line], patterns: Patterns) -> int | None:
    for i, line in enumerate(lines):
        heading = patterns.minutes_heading.search(line.plain) if line.kind is Kind.text else None
        agenda_line = patterns.agenda_item.match(line.plain) or patterns.sub_item.match(line.plain)
        if heading and not agenda_line and not patterns.not_a_body.match(heading["body"]):
            previous = _previous_text(lines, i)
            council = previous is not None and patterns.ignore_heading.match(lines[previous].plain)
            return previous if council and previous is not None else i
    return None


def _previous_text(lines: list[Line], i: int) -> int | None:
    return next((j for j in range(i - 1, max(-1, i - 4), -1) if lines[j].kind is Kind.text), None)


def _boundary(line: Line, patterns: Patterns) -> bool:
    return line.kind in (Kind.marker, Kind.page_break) or (
        line.kind is Kind.text and patterns.document_start.match(line.plain) is not None
    )


def _front_end(lines: list[Line], minutes_at: int | None, patterns: Patterns) -> int:
    first = next((i for i, line in enumerate(lines) if _boundary(line, patterns)), len(lines))
    return min(first, minutes_at) if minutes_at is not None else first


def _minutes_end(lines: list[Line], start: int, patterns: Patterns) -> int:
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.kind is Kind.text and patterns.closed.match(line.plain):
            return i + 1
        if line.kind in (Kind.marker, Kind.page_break):
            return i
    return len(lines)


def _segments(lines: list[Line], patterns: Patterns) -> list[tuple[str | None, list[Line]]]:
    segments: list[tuple[str | None, list[Line]]] = []
    marker: str | None = None
    current: list[Line] = []
    for line in lines:
        if _boundary(line, patterns) and sum(x.kind is Kind.text for x in current) >= 3:
            segments.append((marker, current))
            current, marker = [], None
        if line.kind is Kind.marker:
            found = patterns.agenda_marker.match(line.plain)
            marker = found["number"] if found else None
        current.append(line)
    if any(x.kind is Kind.text for x in current):
        segments.append((marker, current))
    return segments


def _programme_start(segment: list[Line], header: int, patterns: Patterns) -> int:
    """Where a work programme begins: its heading, or the short summary lines before its table."""
    for i in range(header - 1, -1, -1):
        line = segment[i]
        if line.kind is Kind.text and patterns.wp_heading.search(line.plain):
            return i
        if line.kind is Kind.text and (len(line.plain) > 100 or line.plain.endswith((".", ",", ":"))):
            return i + 1
    return 0


def _in_order(
    segment: list[Line], front: FrontSheet, previous: AgendaDraft | None, patterns: Patterns
) -> AgendaDraft | None:
    """A new paper that names no item is the next item with a paper; an appendix continues the last."""
    head = [line for line in segment if line.kind is Kind.text][:5]
    if not any(
        patterns.document_start.match(line.plain) or patterns.subject.match(line.plain) for line in head
    ):
        return previous
    after = front.agenda.index(previous) + 1 if previous in front.agenda else 0
    waiting = (i for i in front.agenda[after:] if i.reports and not i.document)
    return next(waiting, previous)


def _papers(
    lines: list[Line], front: FrontSheet, used: set[int], year: int, patterns: Patterns
) -> tuple[ProgrammeDraft | None, list[tuple[int, str]]]:
    programme: ProgrammeDraft | None = None
    loose: list[tuple[int, str]] = []
    previous = None
    for marker, segment in _segments(lines, patterns):
        header = next((i for i, line in enumerate(segment) if find_columns(line, patterns)), None)
        if header is not None:
            split = _programme_start(segment, header, patterns)
            programme = programme or parse_programme(segment[split:], used, year, patterns)
            segment = segment[:split]
            if sum(line.kind is Kind.text for line in segment) < 3:
                continue
        item = attach(segment, front.agenda, marker, patterns) or _in_order(
            segment, front, previous, patterns
        )
        text = to_markdown(segment)
        if item is None:
            loose.append((segment[0].number, text))
            continue
        item.document = f"{item.document}\n{text}" if item.document else text
        used.update(line.number for line in segment)
        previous = item
    return programme, loose
