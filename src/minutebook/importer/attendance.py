"""Who attended: 'Present: Members: Councillor M Mutton (Chair)…', 'PRESENT: Councillor X in the chair.'"""

from __future__ import annotations

import re

from minutebook.importer.clean import Line
from minutebook.importer.draft import MinutesDraft
from minutebook.importer.names import parse_names
from minutebook.importer.patterns import DEFAULT, Patterns

_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z -]{1,40}?)\s*(?:\([^)]*\))?\s*(?::|\t)\s*:?\s*(?P<rest>.*)$")
_CHAIR = re.compile(r"\b(?<!vice-)(?<!vice )chair(?:man|woman|person)?\b|\bin the chair\b", re.I)
_SUBSTITUTE = re.compile(r"substitut(?:e|ing) for\s+(?P<who>.+)$", re.I)


def parse_attendance(
    lines: list[Line], minutes: MinutesDraft, used: set[int], patterns: Patterns = DEFAULT
) -> None:
    """Fill in the attendance of `minutes` from the lines between its heading and first item."""
    current: str | None = None
    for line in lines:
        category, text = _categorise(line.plain, current, patterns)
        if category is None:
            continue
        current = category
        used.add(line.number)
        names = [n for cell in _name_cells(text) for n in parse_names(cell, patterns)]
        minutes.attendance.setdefault(category, []).extend(names)
    _sort_out(minutes, patterns)


def _categorise(plain: str, current: str | None, patterns: Patterns) -> tuple[str | None, str]:
    sentence = patterns.apologies_sentence.match(plain)
    if sentence:
        return "apologies", sentence["rest"]
    match = _LABEL.match(plain)
    if match:
        category = _category(match["label"], patterns)
        if category:
            return category, match["rest"]
    return current, plain


def _category(label: str, patterns: Patterns) -> str | None:
    label = label.strip().lower()
    return next((cat for pattern, cat in patterns.attendance_labels if re.fullmatch(pattern, label)), None)


def _name_cells(text: str) -> list[str]:
    """Cells of a flattened table row; a leading cell of directorate names is no list of people."""
    cells = [c for c in text.split("\t") if c.strip()]
    return cells


def _sort_out(minutes: MinutesDraft, patterns: Patterns) -> None:
    """Chair, substitutes and cabinet members out of the lists where the pack printed them."""
    present = minutes.attendance.get("present", [])
    for name in list(present):
        note = name.note or ""
        if _CHAIR.search(note) and minutes.chair is None:
            minutes.chair = name
            present.remove(name)
        elif (sub := _SUBSTITUTE.search(note)) and (original := parse_names(sub["who"], patterns)):
            minutes.substitutes.append((name, original[0]))
            present.remove(name)
    for category in ("present", "invited"):
        for name in list(minutes.attendance.get(category, [])):
            if re.search(r"\bcabinet member\b", name.note or "", re.I) and not re.search(
                r"deputy", name.note or "", re.I
            ):
                minutes.attendance[category].remove(name)
                minutes.attendance.setdefault("cabinet_members", []).append(name)
