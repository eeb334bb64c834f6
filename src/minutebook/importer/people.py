"""People: every name in a pack matched to one person, existing or proposed once.

"Councillor M Mutton" matches m-mutton; "Michelle Rose" and "M Rose" are one person. A name
that matches nobody becomes one proposed person, and every later spelling of it (a full first
name, an initial, a dropped honorific) finds that proposal instead of proposing a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minutebook.importer.draft import Name


@dataclass
class Known:
    id: str
    name: str
    kind: str = "councillor"
    honorific: str | None = None
    directorate: str | None = None
    job_title: str | None = None
    former_names: list[str] = field(default_factory=list)
    new: bool = False


def name_key(name: str) -> tuple[str, str]:
    """(first initial, surname): the part of a name every spelling of it shares."""
    words = re.findall(r"[A-Za-z][A-Za-z'’.-]*", name.replace("- ", "-"))
    if not words:
        return ("", "")
    surname = re.sub(r"[^a-z]", "", words[-1].lower())
    return (words[0][0].lower() if len(words) > 1 else "", surname)


def slug(name: str) -> str:
    initial, surname = name_key(name)
    return f"{initial}-{surname}" if initial else surname or "person"


class People:
    """The people of a site, and those an import proposes; matching never makes a duplicate."""

    def __init__(self, existing: list[Known]) -> None:
        self.people: list[Known] = list(existing)

    def match(self, name: Name, kind: str) -> Known:
        found = self._find(name, kind)
        if found is not None:
            _prefer_fuller(found, name.name)
            _learn(found, name)
            return found
        return self._propose(name, kind)

    def proposed(self) -> list[Known]:
        return [p for p in self.people if p.new]

    def _find(self, name: Name, kind: str) -> Known | None:
        key = name_key(name.name)
        same = [p for p in self.people if _keys(p) & {key}]
        if not key[0]:  # a surname alone ('Cllr Seaman'): only when it is unambiguous
            same = [p for p in self.people if name_key(p.name)[1] == key[1]]
            same = [p for p in same if p.kind == kind] if len(same) > 1 else same
            return same[0] if len(same) == 1 else None
        same = [p for p in same if not _conflict(p, name, kind)]
        if len(same) > 1:
            same = [p for p in same if p.kind == kind] or same
            same = [p for p in same if _first_names_agree(p.name, name.name)] or same
        return same[0] if same else None

    def _propose(self, name: Name, kind: str) -> Known:
        base = slug(name.name)
        ids = {p.id for p in self.people}
        number, new_id = 2, base
        while new_id in ids:
            new_id, number = f"{base}-{number}", number + 1
        honorific = name.honorific if kind in ("councillor", "co-opted") else None
        person = Known(new_id, name.name, kind, honorific, name.directorate, new=True)
        _learn(person, name)
        self.people.append(person)
        return person


def _keys(person: Known) -> set[tuple[str, str]]:
    return {name_key(n) for n in [person.name, *person.former_names]}


_MEMBERS = ("councillor", "co-opted")


def _conflict(person: Known, name: Name, kind: str) -> bool:
    """A councillor is never an officer: 'Councillor J Lowe' and the officer 'Jo Lowe' are two people."""
    if name.is_councillor:
        return person.kind == "officer"
    return kind == "officer" and person.kind in _MEMBERS and person.honorific == "Councillor"


def _first_names_agree(a: str, b: str) -> bool:
    first_a, first_b = a.split()[0].lower(), b.split()[0].lower()
    return len(first_a) == 1 or len(first_b) == 1 or first_a == first_b


def _prefer_fuller(person: Known, printed: str) -> None:
    """A proposed person takes the fullest spelling seen: 'Michelle Rose' over 'M Rose'."""
    if (
        person.new
        and len(printed.split()[0]) > len(person.name.split()[0])
        and len(printed) > len(person.name)
    ):
        person.name = printed


def _learn(person: Known, name: Name) -> None:
    if person.new and name.directorate and not person.directorate:
        person.directorate = name.directorate
    plain_post = name.note and not re.search(r"substitut|chair|\bfor\b", name.note, re.I)
    if person.new and person.kind == "officer" and plain_post and not person.job_title:
        person.job_title = name.note
