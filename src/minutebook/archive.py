"""The validated archive: every record, typed, with the file it came from."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from minutebook.records import (
    Body,
    Meeting,
    MunicipalYear,
    Page,
    Person,
    SiteConfig,
    Topic,
    WorkProgramme,
)


@dataclass(frozen=True)
class MinuteNumber:
    """'39/18': minute 39 of the municipal year that starts in 2018."""

    number: int
    year: MunicipalYear

    def __hash__(self) -> int:  # one call, not two: minutes are found by number ~350,000 times a build
        return hash((self.number, self.year.start))

    @functools.cached_property
    def label(self) -> str:  # cached: registers and anchors ask for it hundreds of thousands of times
        return f"{self.number}/{self.year.suffix}"

    @functools.cached_property
    def slug(self) -> str:
        return f"{self.number}-{self.year.suffix}"


@dataclass
class MeetingSource:
    """A meeting with the facts its file name and folder give it."""

    body: str
    slug: str
    record: Meeting
    file: str
    year: MunicipalYear
    #: Minute numbers parsed and checked, in the order of minutes.items.
    numbers: list[MinuteNumber] = field(default_factory=list)


@dataclass
class Archive:
    root: Path
    config: SiteConfig
    bodies: dict[str, Body] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    meetings: dict[tuple[str, str], MeetingSource] = field(default_factory=dict)
    work_programmes: dict[tuple[str, MunicipalYear], WorkProgramme] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    attachments: dict[str, bytes] = field(default_factory=dict)
    #: The file each record came from, keyed as ("body", id), ("wp", body, year)…
    files: dict[tuple[object, ...], str] = field(default_factory=dict)
    #: The content digest of every source file, for incremental builds.
    digests: dict[str, str] = field(default_factory=dict)
