"""Names in running text: 'Councillors B Kaur and L Kelly', 'A Brennan, People Directorate'."""

from __future__ import annotations

import re

from minutebook.importer.draft import Name
from minutebook.importer.patterns import DEFAULT, Patterns

_INITIALS_NAME = re.compile(
    r"^((?:[A-Z]\.?\s*){1,3})\s*((?:[A-Z][a-z]?['’])?[A-Z][\w'’]*(?:-\s?[A-Z][\w'’]*)?)"
)
_FULL_NAME = re.compile(
    r"^([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+((?:Mc|Mac|O['’])?[A-Z][\w'’]*(?:-\s?[A-Z][\w'’]*)?)"
)
_NOTE = re.compile(r"\(([^()]*)\)")
_SEPARATOR = re.compile(r",|;|\t|\s+and\s+|\s+&\s+")


def parse_names(text: str, patterns: Patterns = DEFAULT) -> list[Name]:
    """Every name in a list of people, with its honorific and any note in brackets."""
    names: list[Name] = []
    for honorific, chunk in _honorific_chunks(text, patterns):
        for part in _parts(chunk):
            _add(names, honorific, part, patterns)
    return names


def _honorific_chunks(text: str, patterns: Patterns) -> list[tuple[str | None, str]]:
    """Split at each honorific, which also separates names run together: 'Councillor A Councillor B'."""
    pieces: list[tuple[str | None, str]] = []
    last = 0
    honorific: str | None = None
    for match in patterns.honorific.finditer(text):
        if _inside_brackets(text, match.start()):
            continue
        pieces.append((honorific, text[last : match.start()]))
        honorific, last = _normal_honorific(match.group(1)), match.end()
    pieces.append((honorific, text[last:]))
    return [(h, chunk) for h, chunk in pieces if chunk.strip(" ,.;:\t")]


def _inside_brackets(text: str, index: int) -> bool:
    return text.count("(", 0, index) > text.count(")", 0, index)


def _normal_honorific(word: str) -> str:
    word = word.rstrip(".")
    return "Councillor" if word.lower().startswith(("councillor", "cllr")) else word


def _parts(chunk: str) -> list[str]:
    """Split at commas and 'and', but never inside brackets."""
    parts: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(chunk):
        char = chunk[i]
        depth += {"(": 1, ")": -1}.get(char, 0)
        match = _SEPARATOR.match(chunk, i) if depth == 0 else None
        if match:
            parts.append(chunk[start:i])
            start = i = match.end()
            continue
        i += 1
    parts.append(chunk[start:])
    return [p.strip(" .:\t") for p in parts if p.strip(" .:\t")]


def _add(names: list[Name], honorific: str | None, part: str, patterns: Patterns) -> None:
    note_match = _NOTE.search(part)
    note = note_match.group(1).strip() if note_match else None
    bare = _NOTE.sub(" ", part).strip()
    match = _INITIALS_NAME.match(bare) or _FULL_NAME.match(bare)
    if not match or _stopword(match, patterns):
        _extend_previous(names, part, patterns)
        return
    initials, surname = match.group(1), match.group(2)
    name = f"{_initials(initials) if match.re is _INITIALS_NAME else initials} {surname}".replace("- ", "-")
    rest = bare[match.end() :].strip(" ,.-–")
    if rest and _INITIALS_NAME.fullmatch(rest):  # two names run together: 'T Skipper S Hanson'
        own = note_match is not None and note_match.start() <= match.end() + 1  # 'A Roe (Chair) B Poe'
        names.append(Name(name=name, honorific=honorific, note=note if own else None))
        _add(names, None, part[note_match.end() if own and note_match else match.end() :], patterns)
        return
    note = "; ".join(x for x in (note, rest) if x) or None
    names.append(Name(name=name, honorific=honorific, note=note))


def _initials(text: str) -> str:
    return " ".join(re.findall(r"[A-Z]", text))


def _stopword(match: re.Match[str], patterns: Patterns) -> bool:
    words = match.group(0).lower().split()
    return any(w in patterns.name_stopwords for w in words)


def _extend_previous(names: list[Name], part: str, patterns: Patterns) -> None:
    """Words that are no name describe the one before: its directorate, or more of its note."""
    if not names:
        return
    last = names[-1]
    if re.search(r"directorate", part, re.I):
        last.directorate = re.sub(r"\s*directorate\s*", "", part, flags=re.I).strip() or None
    else:
        last.note = f"{last.note} and {part}" if last.note else part
