"""Leads in a work programme cell: 'Paul Smith Cllr Seaman' → existing people, the rest kept as printed."""

from __future__ import annotations

import re

from minutebook.importer.draft import Name
from minutebook.importer.people import People, name_key

_CLLR = re.compile(r"\b(?:Cllr|Councillor)\.?\s+((?:[A-Z]\.?\s+)?[A-Z][\w'’-]+)")
_FULL = re.compile(r"\b([A-Z][a-z]+)\s+((?:Mc|Mac|O['’])?[A-Z][\w'’]+(?:-\s?[A-Z][\w'’]+)?)")


def leads_of(text: str, people: People) -> tuple[list[str], str | None]:
    """Person ids of the leads the site already knows; the whole cell as a note if any are unknown.

    A work programme names leads loosely ('Cllr Seaman', 'Health partners'), so the importer
    never proposes a new person from it: a name it cannot match stays in `lead_note`.
    """
    if not text.strip():
        return [], None
    ids: list[str] = []
    unknown = False
    for match in _CLLR.finditer(text):
        unknown |= not _known(Name(match.group(1), "Councillor"), "councillor", people, ids)
    rest = _CLLR.sub(" ", text)
    for match in _FULL.finditer(rest):
        unknown |= not _known(Name(f"{match.group(1)} {match.group(2)}"), "officer", people, ids)
    leftover = _FULL.sub(" ", rest).strip(" ,/&")
    return ids, text if unknown or leftover else None


def _known(name: Name, kind: str, people: People, ids: list[str]) -> bool:
    key = name_key(name.name)
    found = [p for p in people.people if not p.new and name_key(p.name)[1] == key[1]]
    found = [p for p in found if not key[0] or name_key(p.name)[0] == key[0]]
    found = [p for p in found if p.kind == kind] if len(found) > 1 else found
    if len(found) == 1:
        if found[0].id not in ids:
            ids.append(found[0].id)
        return True
    return False
