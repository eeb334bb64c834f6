"""The minutes a pack carries: heading, attendance, items, resolutions, references, closing time."""

from __future__ import annotations

import re

from minutebook.importer.attendance import parse_attendance
from minutebook.importer.clean import Kind, Line
from minutebook.importer.dates import find_date, find_time
from minutebook.importer.draft import DeclarationDraft, MinuteDraft, MinutesDraft, ResolutionDraft
from minutebook.importer.names import parse_names
from minutebook.importer.patterns import DEFAULT, Patterns


def parse_minutes(lines: list[Line], used: set[int], patterns: Patterns = DEFAULT) -> MinutesDraft:
    text = [line for line in lines if line.kind is Kind.text]
    minutes = MinutesDraft()
    heading_end = _heading(minutes, text, used, patterns)
    first = _first_item(text, heading_end, patterns)
    parse_attendance(text[heading_end:first], minutes, used, patterns)
    _items(minutes, text[first:], used, patterns)
    _declarations(minutes, patterns)
    return minutes


def _heading(minutes: MinutesDraft, text: list[Line], used: set[int], patterns: Patterns) -> int:
    """Body, date and time from the heading, which may run over a few lines."""
    for end in range(min(len(text), 5)):
        joined = " ".join(line.plain for line in text[: end + 1])
        match = patterns.minutes_heading.search(joined)
        if match and minutes.body is None:
            minutes.body = re.sub(r"\s+(?:held|on|at)\b.*$", "", match["body"]).strip(" ,")
        if minutes.body and find_date(joined, patterns):
            minutes.date = find_date(joined, patterns)
            minutes.time = find_time(joined, patterns)
            used.update(line.number for line in text[: end + 1])
            return end + 1
    return 1


def _first_item(text: list[Line], start: int, patterns: Patterns) -> int:
    for i in range(start, len(text)):
        if _item_start(text[i].plain, None, patterns):
            return i
    return len(text)


def _item_start(plain: str, previous: int | None, patterns: Patterns) -> re.Match[str] | None:
    match = patterns.minute_item.match(plain)
    if not match or (previous is not None and int(match["number"]) != previous + 1):
        return None
    if len(match["rest"]) > 160 and not patterns.caps_title.match(match["rest"]):
        return None
    return match


def _items(minutes: MinutesDraft, text: list[Line], used: set[int], patterns: Patterns) -> None:
    item: MinuteDraft | None = None
    in_parts = False
    for line in text:
        plain = line.plain
        closed = patterns.closed.match(plain)
        if closed:
            minutes.closed_at = find_time(closed["time"], patterns)
            used.add(line.number)
            return
        start = _item_start(plain, item.number if item else None, patterns)
        if start:
            item, in_parts = _new_item(start, line.number, patterns), False
            minutes.items.append(item)
            used.add(line.number)
            if item.text:
                in_parts = _body_line(item, item.text.pop(), patterns)
        elif item is not None:
            used.add(line.number)
            in_parts = _body_line(item, line.text, patterns, in_parts)


def _new_item(match: re.Match[str], line: int, patterns: Patterns) -> MinuteDraft:
    rest = match["rest"].strip()
    caps = patterns.caps_title.match(rest)
    title, text = (caps["title"], caps["text"]) if caps else (rest, "")
    item = MinuteDraft(number=int(match["number"]), title=title.strip(" .:"), line=line)
    if text:
        item.text.append(text)
    return item


def _body_line(item: MinuteDraft, text: str, patterns: Patterns, in_parts: bool = False) -> bool:
    """Add one line to the item; True while numbered resolutions are being read."""
    plain = text.replace("**", "").lstrip("-* ").strip()
    item.further_to.extend(m["ref"] for m in patterns.further_to.finditer(plain))
    resolved = patterns.resolved.match(plain)
    if resolved:
        return _resolved(item, resolved["rest"])
    part = patterns.resolution_part.match(plain) if in_parts else None
    if part:
        item.resolutions.append(ResolutionDraft(len(item.resolutions) + 1, part["text"].strip()))
        return True
    item.text.append(text)
    return False


def _resolved(item: MinuteDraft, rest: str) -> bool:
    rest = rest.strip().lstrip("–—-:").strip()
    if re.fullmatch(r"(?:that|:)?\s*", rest, re.I) or rest.endswith(":"):
        item.resolved = f"RESOLVED {rest}".strip()
        return True
    item.resolutions.append(ResolutionDraft(len(item.resolutions) + 1, rest[0].upper() + rest[1:]))
    return False


def _declarations(minutes: MinutesDraft, patterns: Patterns) -> None:
    for item in minutes.items:
        if not patterns.declarations_title.search(item.title):
            continue
        for paragraph in item.text:
            who, _, _ = paragraph.partition(" declared")
            names = parse_names(who, patterns) if "declared" in paragraph else []
            if names:
                kind = next(
                    (k for p, k in patterns.declaration_kinds if re.search(p, paragraph, re.I)), "other"
                )
                minutes.declarations.append(DeclarationDraft(names[0], paragraph.strip(), kind))
