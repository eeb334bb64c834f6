"""What the parsers read from a pack, before people are matched and files are written.

Plain dataclasses holding names as printed; :mod:`minutebook.importer.assemble` turns them into
content records once every name has been matched to a person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal


@dataclass
class Name:
    """A person as the pack prints them: 'Councillor M Mutton (Chair)'."""

    name: str
    honorific: str | None = None
    note: str | None = None
    directorate: str | None = None

    @property
    def is_councillor(self) -> bool:
        return bool(self.honorific and self.honorific.lower().startswith(("councillor", "cllr")))


@dataclass
class ReportDraft:
    kind: str
    author: str | None = None


@dataclass
class AgendaDraft:
    number: str
    title: str
    line: int
    pages: str | None = None
    reports: list[ReportDraft] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    items: list[AgendaDraft] = field(default_factory=list)
    private: bool = False
    exempt_paragraph: int | None = None
    document: str | None = None  # Markdown of the paper, when the pack carries it


@dataclass
class FrontSheet:
    body: str | None = None
    date: dt.date | None = None
    time: str | None = None
    venue: str | None = None
    remote_link: str | None = None
    agenda: list[AgendaDraft] = field(default_factory=list)
    membership: list[tuple[Name, str]] = field(default_factory=list)
    contact: Name | None = None
    published: dt.date | None = None
    published_by: str | None = None


@dataclass
class ResolutionDraft:
    number: int
    text: str


@dataclass
class MinuteDraft:
    number: int
    title: str
    line: int
    text: list[str] = field(default_factory=list)
    resolved: str | None = None
    resolutions: list[ResolutionDraft] = field(default_factory=list)
    further_to: list[str] = field(default_factory=list)


@dataclass
class DeclarationDraft:
    person: Name
    interest: str
    kind: str = "other"


@dataclass
class MinutesDraft:
    body: str | None = None
    date: dt.date | None = None
    time: str | None = None
    attendance: dict[str, list[Name]] = field(default_factory=dict)
    substitutes: list[tuple[Name, Name]] = field(default_factory=list)
    chair: Name | None = None
    declarations: list[DeclarationDraft] = field(default_factory=list)
    items: list[MinuteDraft] = field(default_factory=list)
    closed_at: str | None = None


Planned = dt.date | Literal["tbd"] | None


@dataclass
class ProgrammeRow:
    planned: Planned
    title: str
    line: int
    detail: str = ""
    leads: str = ""


@dataclass
class ProgrammeDraft:
    year: str | None = None
    rows: list[ProgrammeRow] = field(default_factory=list)


@dataclass
class PackDraft:
    """Everything read from one pack, and the source lines nothing claimed."""

    source: str
    front: FrontSheet
    minutes: MinutesDraft | None
    programme: ProgrammeDraft | None
    unplaced: list[tuple[int, str]]
    removed: list[tuple[int, str]]
    unattached_documents: list[tuple[int, str]] = field(default_factory=list)
