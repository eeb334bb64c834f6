"""Minute references as clerks write them: 'Further to minute 27/17', 'minutes 41/18 and 42/18'.

One grammar serves prose and explicit fields. A number may name another body
('cabinet:12/18'); otherwise it means the referring body's own minute.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from minutebook.archive import MinuteNumber
from minutebook.records import MunicipalYear

_ONE = r"(?:[a-z0-9][a-z0-9-]*:)?\d{1,4}/\d{2}"
#: 'minute 27/17', 'Minute 43/15', 'minutes 41/18, 42/18 and 43/18'.
PROSE = re.compile(rf"\b(?P<word>[Mm]inutes?)\s+(?P<list>{_ONE}(?:\s*(?:,|and|&)\s*{_ONE})*)")
NUMBER = re.compile(r"(?:(?P<body>[a-z0-9][a-z0-9-]*):)?(?P<n>\d{1,4})/(?P<yy>\d{2})")
ACTION = re.compile(r"^\s*(?:(?P<body>[a-z0-9][a-z0-9-]*):)?(?P<n>\d{1,4})/(?P<yy>\d{2})-a(?P<k>\d+)\s*$")


@dataclass(frozen=True)
class Found:
    """One minute number found in a text, with where it sits."""

    body: str | None
    number: int
    suffix: str
    start: int
    end: int

    def resolve(self, default_body: str, near: MunicipalYear) -> tuple[str, MinuteNumber]:
        return self.body or default_body, MinuteNumber(self.number, year_for_suffix(self.suffix, near))


def year_for_suffix(suffix: str, near: MunicipalYear) -> MunicipalYear:
    """'17' → the municipal year 2017/18 nearest before (or at) the referring year."""
    century = near.start - near.start % 100
    start = century + int(suffix)
    return MunicipalYear(start - 100 if start > near.start else start)


def body_names(bodies: Iterable[tuple[str, str, str | None]]) -> dict[str, str]:
    """Lower-cased names, short names and ids of bodies → body id, for 'Cabinet minute 5/23'."""
    names: dict[str, str] = {}
    for body_id, name, short_name in bodies:
        for written in (body_id, name, short_name):
            if written:
                names[written.lower()] = body_id
    return names


def _named_before(text: str, start: int, names: Mapping[str, str]) -> str | None:
    """The body whose name stands just before 'minute': 'Further to Cabinet minute 5/23'."""
    before = text[max(0, start - 120) : start].rstrip().lower()
    before = before.removesuffix("'s").removesuffix("\u2019s")
    for name in sorted(names, key=len, reverse=True):
        if before.endswith(name) and (len(before) == len(name) or not before[-len(name) - 1].isalnum()):
            return names[name]
    return None


def in_prose(text: str, names: Mapping[str, str] | None = None) -> Iterator[Found]:
    """Minute numbers in a text; `names` lets a body's name before 'minute' say whose minute it is."""
    if "inute" not in text:  # most texts cite no minute: skip the regular expression
        return
    for match in PROSE.finditer(text):
        offset = match.start("list")
        named = _named_before(text, match.start(), names) if names else None
        for number in NUMBER.finditer(match["list"]):
            yield Found(
                number["body"] or named,
                int(number["n"]),
                number["yy"],
                offset + number.start(),
                offset + number.end(),
            )


@dataclass
class Memo:
    """The minute numbers found in each text asked about, for one set of body names.

    Linking, fingerprinting and rendering each ask of the same texts, half a million times in a
    pass over 10,000 meetings; the preview keeps the memo between its builds (in its ParseCache),
    since most texts are the same from one save to the next.
    """

    names: dict[str, str]
    found: dict[str, tuple[Found, ...]] = field(default_factory=dict)

    def of(self, text: str) -> tuple[Found, ...]:
        found = self.found.get(text)
        if found is None:
            found = self.found[text] = tuple(in_prose(text, self.names))
        return found


def explicit(text: str) -> Found | None:
    match = NUMBER.fullmatch(text.strip())
    if not match:
        return None
    return Found(match["body"], int(match["n"]), match["yy"], 0, len(text))


def line_of(text: str, offset: int) -> int:
    """Zero-based line of an offset in a text, to point a clerk at the right line."""
    return text.count("\n", 0, offset)
