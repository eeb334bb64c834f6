"""The front sheet: body, date, time, place, agenda items, membership, contact, publication."""

from __future__ import annotations

import re

from minutebook.importer.clean import Kind, Line
from minutebook.importer.dates import find_date, find_time, is_only_date
from minutebook.importer.draft import AgendaDraft, FrontSheet, Name, ReportDraft
from minutebook.importer.names import parse_names
from minutebook.importer.patterns import DEFAULT, Patterns


def parse_front(lines: list[Line], used: set[int], patterns: Patterns = DEFAULT) -> FrontSheet:
    front = FrontSheet()
    text = [line for line in lines if line.kind is Kind.text]
    first_date = next((i for i, line in enumerate(text) if find_date(line.plain, patterns)), None)
    if first_date is None:
        return front
    _heading(front, text, first_date, used, patterns)
    agenda_from = _place(front, text, first_date, used, patterns)
    _venue_in_sentence(front, text[first_date], patterns)
    agenda_to = _agenda(front, text, agenda_from, used, patterns)
    before = [line for line in text[:agenda_from] if line.number not in used]
    _after_agenda(front, before + text[max(0, agenda_to - 1) :], used, patterns)
    for line in text:
        _contact(front, line, used, patterns)
        _membership(front, line, used, patterns)
    return front


def _heading(front: FrontSheet, text: list[Line], at: int, used: set[int], patterns: Patterns) -> None:
    line = text[at]
    front.date = find_date(line.plain, patterns)
    used.add(line.number)
    for near in text[max(0, at - 2) : at + 3]:
        if front.time is None and find_time(near.plain, patterns):
            front.time = find_time(near.plain, patterns)
            used.add(near.number)
    for candidate in reversed(text[:at]):
        used.add(candidate.number)
        if not patterns.ignore_heading.match(candidate.plain) and not candidate.plain.endswith(":"):
            front.body = candidate.plain
            break


def _place(front: FrontSheet, text: list[Line], at: int, used: set[int], patterns: Patterns) -> int:
    """Venue and remote link near the date; returns where the agenda starts."""
    end = min(len(text), at + 8)
    for i in range(max(0, at - 3), end):
        line = text[i]
        if patterns.agenda_item.match(line.plain) or patterns.public_heading.match(line.plain):
            return i
        match = patterns.venue_label.match(line.plain)
        if match and front.venue is None:
            front.venue = match["rest"].strip() or (text[i + 1].plain if i + 1 < len(text) else None)
            used.update({line.number} | ({text[i + 1].number} if not match["rest"].strip() else set()))
        url = patterns.url.search(line.plain)
        if url and patterns.remote_words.search(line.plain):
            front.remote_link = url.group(0).rstrip(".,")
            used.add(line.number)
        if find_time(line.plain, patterns) and front.time and line.number not in used:
            used.add(line.number)
    return at + 1


def _venue_in_sentence(front: FrontSheet, line: Line, patterns: Patterns) -> None:
    """'…to be held on Monday 14th October 2024 at 7.15pm in the Village Hall, Church Road.'"""
    match = patterns.venue_inline.search(line.plain)
    if front.venue is None and match:
        front.venue = match["venue"].strip()


def _agenda(front: FrontSheet, text: list[Line], start: int, used: set[int], patterns: Patterns) -> int:
    private, exempt_next = False, None
    current: AgendaDraft | None = None
    sub: AgendaDraft | None = None
    for i in range(start, len(text)):
        line, plain = text[i], text[i].plain
        if front.agenda and (patterns.agenda_end.match(plain) or is_only_date(plain, patterns)):
            _give_back_signature(front, text[i - 1], used, is_only_date(plain, patterns))
            return i
        if patterns.private_heading.match(plain):
            private = True
        elif patterns.public_heading.match(plain) or re.fullmatch(r"nil|none", plain, re.I):
            pass
        elif (item := _new_item(plain, line.number, front.agenda, patterns)) is not None:
            item.private, current, sub = private, item, None
            front.agenda.append(item)
        elif current and (match := patterns.sub_item.match(plain)):
            sub = _item(match["number"], match["title"], line.number, patterns)
            sub.private = private
            current.items.append(sub)
        elif current and (match := patterns.report.match(plain)):
            (sub or current).reports.append(_report(match))
        elif current and (match := patterns.exempt.search(plain)):
            exempt_next = int(match["paragraph"])
            (sub or current).exempt_paragraph, (sub or current).private = exempt_next, True
        elif current:
            (sub or current).description.append(plain)
        else:
            continue
        used.add(line.number)
    return len(text)


def _give_back_signature(front: FrontSheet, previous: Line, used: set[int], dated: bool) -> None:
    """The line before a bare publication date names who issued the agenda, not an item."""
    last = front.agenda[-1]
    holder = last.items[-1] if last.items else last
    if dated and holder.description and holder.description[-1] == previous.plain:
        holder.description.pop()
        used.discard(previous.number)


def _new_item(plain: str, number: int, agenda: list[AgendaDraft], patterns: Patterns) -> AgendaDraft | None:
    match = patterns.agenda_item.match(plain)
    expected = int(agenda[-1].number) + 1 if agenda else None
    if not match or (expected is not None and int(match["number"]) != expected):
        return None
    if expected is None and int(match["number"]) > 3:
        return None
    return _item(match["number"], match["title"], number, patterns)


def _item(number: str, title: str, line: int, patterns: Patterns) -> AgendaDraft:
    title, page_range = _table_row(title)
    pages = patterns.pages.search(title)
    if pages:
        title = title[: pages.start()].strip()
        page_range = f"{pages['from']} - {pages['to']}" if pages["to"] else pages["from"]
    return AgendaDraft(number=number, title=title.strip(" .:"), line=line, pages=page_range)


def _table_row(title: str) -> tuple[str, str | None]:
    """An agenda printed as a table: 'Title<tab>7 - 30' → the title and its pages."""
    cells = [cell.strip() for cell in title.split("\t") if cell.strip()]
    if len(cells) < 2:
        return (cells[0] if cells else title), None
    found = next((c for c in cells[1:] if re.fullmatch(r"\d+(?:\s*[-–]\s*\d+)?", c)), None)
    pages = re.sub(r"\s*[-–]\s*", " - ", found) if found else None
    return cells[0], pages


def _report(match: re.Match[str]) -> ReportDraft:
    kind = " ".join(w.capitalize() if w.lower() not in {"of"} else w for w in match["kind"].split())
    return ReportDraft(kind=kind.replace("Note", "Note"), author=(match["author"] or "").strip() or None)


def _after_agenda(front: FrontSheet, text: list[Line], used: set[int], patterns: Patterns) -> None:
    previous: Line | None = None
    for line in text:
        plain = line.plain
        if front.published is None and (patterns.published.match(plain) or is_only_date(plain, patterns)):
            front.published = find_date(plain, patterns)
            used.add(line.number)
            _published_by(front, plain, previous, used, patterns)
        elif (match := patterns.published_by.match(plain)) and match["who"]:
            front.published_by = match["who"].strip()
            used.add(line.number)
        previous = line


def _published_by(
    front: FrontSheet, plain: str, previous: Line | None, used: set[int], patterns: Patterns
) -> None:
    match = patterns.published_by.search(plain)
    if match and (match["by"] or match["who"]):
        front.published_by = (match["by"] or match["who"]).strip()
    elif front.published_by is None and previous is not None and previous.number not in used:
        front.published_by = patterns.signature_label.sub("", previous.plain)
        used.add(previous.number)


def _contact(front: FrontSheet, line: Line, used: set[int], patterns: Patterns) -> None:
    match = patterns.contact.search(line.plain)
    if match and front.contact is None:
        front.contact = Name(name=match["name"].strip())
        used.add(line.number)


def _membership(front: FrontSheet, line: Line, used: set[int], patterns: Patterns) -> None:
    match = patterns.membership.match(line.plain)
    labelled = patterns.membership_labels.match(line.plain)
    if not (match or labelled):
        return
    used.add(line.number)
    text = match["rest"] if match else line.plain
    for role, chunk in _labelled_chunks(text, patterns):
        for name in parse_names(chunk, patterns):
            if all(name.name != known.name for known, _ in front.membership):
                front.membership.append((name, _role(role, name.note, patterns)))


def _labelled_chunks(text: str, patterns: Patterns) -> list[tuple[str, str]]:
    chunks: list[tuple[str, str]] = []
    last, label = 0, "member"
    for found in patterns.membership_labels.finditer(text):
        chunks.append((label, text[last : found.start()]))
        label, last = found.group(1), found.end()
    chunks.append((label, text[last:]))
    return chunks


def _role(label: str, note: str | None, patterns: Patterns) -> str:
    for source in (note or "", label):
        for pattern, role in patterns.membership_roles:
            if re.search(pattern, source, re.I):
                return role
    return "member"
