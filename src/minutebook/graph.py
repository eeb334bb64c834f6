"""The linked record graph the renderer walks: every record with its address and its links.

Nodes are plain dataclasses holding the validated record plus what linking found:
addresses, backlinks, derived statuses. `eq=False` keeps identity comparison, which
is what a graph wants, and keeps nodes hashable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from minutebook import references
from minutebook.archive import MinuteNumber
from minutebook.records import (
    Action,
    AgendaItem,
    Body,
    Meeting,
    MeetingStatus,
    MinuteItem,
    MunicipalYear,
    Page,
    Person,
    Resolution,
    SiteConfig,
    Topic,
    WorkProgramme,
)
from minutebook.records.work_programme import WorkProgrammeItem, WorkProgrammeRevision


class Node:
    """Graph nodes point at each other in every direction: show only the address, never the graph."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'url', '') or getattr(self, 'id', '')}>"


class ActionStatus(StrEnum):
    open = "open"
    overdue = "overdue"
    done = "done"


@dataclass(eq=False, repr=False)
class BodyNode(Node):
    record: Body
    url: str
    file: str = ""
    meetings: list[MeetingNode] = field(default_factory=list)
    programmes: dict[MunicipalYear, ProgrammeNode] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def name(self) -> str:
        return self.record.name

    def years(self) -> list[MunicipalYear]:
        found = {m.year for m in self.meetings} | set(self.programmes)
        found |= {MunicipalYear.parse(label) for label in self.record.membership}
        return sorted(found, reverse=True)

    def meetings_in(self, year: MunicipalYear) -> list[MeetingNode]:
        return [m for m in self.meetings if m.year == year]


@dataclass(eq=False, repr=False)
class MeetingNode(Node):
    body: BodyNode
    slug: str
    record: Meeting
    file: str
    year: MunicipalYear
    url: str
    agenda: list[AgendaNode] = field(default_factory=list)
    minutes: list[MinuteNode] = field(default_factory=list)
    previous: MeetingNode | None = None
    next: MeetingNode | None = None
    approved_by: MinuteNode | None = None
    approved_by_label: str | None = None
    programme_items: list[ProgrammeItemNode] = field(default_factory=list)
    #: Everyone the meeting's record names: attendance, declarations, votes, owners, contact.
    people: set[str] = field(default_factory=set)

    @property
    def date(self) -> dt.date:
        return self.record.date

    @property
    def status(self) -> MeetingStatus:
        return self.record.effective_status

    @property
    def original_date(self) -> dt.date:
        return dt.date.fromisoformat(self.slug)

    @property
    def rescheduled_from(self) -> dt.date | None:
        return self.original_date if self.original_date != self.date else None

    @property
    def title(self) -> str:
        return self.record.title or self.body.name


@dataclass(eq=False, repr=False)
class AgendaNode(Node):
    meeting: MeetingNode
    record: AgendaItem
    label: str
    anchor: str
    items: list[AgendaNode] = field(default_factory=list)
    minutes: list[MinuteNode] = field(default_factory=list)
    programme_items: list[ProgrammeItemNode] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.meeting.url}#{self.anchor}"

    @property
    def title(self) -> str:
        return self.record.title


@dataclass(eq=False, repr=False)
class Reference(Node):
    """A minute reference as written ('minute 27/17') and what it resolved to."""

    written: str
    body_id: str
    number: MinuteNumber
    target: MinuteNode | None = None
    #: Named in the further_to field rather than in the text (the text links its own).
    explicit: bool = False

    @property
    def label(self) -> str:
        return self.number.label


@dataclass(eq=False, repr=False)
class MinuteNode(Node):
    meeting: MeetingNode
    record: MinuteItem
    number: MinuteNumber
    index: int
    agenda: AgendaNode | None = None
    resolutions: list[ResolutionNode] = field(default_factory=list)
    actions: list[ActionNode] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    referred_by: list[MinuteNode] = field(default_factory=list)
    closes: list[ActionNode] = field(default_factory=list)
    approves: list[MeetingNode] = field(default_factory=list)
    topics: set[str] = field(default_factory=set)
    thread: ThreadNode | None = None

    @property
    def anchor(self) -> str:
        return f"minute-{self.number.slug}"

    @property
    def url(self) -> str:
        return f"{self.meeting.url}#{self.anchor}"

    @property
    def label(self) -> str:
        return self.number.label

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def date(self) -> dt.date:
        return self.meeting.date

    @property
    def exempt(self) -> bool:
        return self.record.exempt is not None


@dataclass(eq=False, repr=False)
class ResolutionNode(Node):
    minute: MinuteNode
    record: Resolution

    @property
    def number(self) -> int:
        return self.record.number or 0

    @property
    def anchor(self) -> str:
        return f"resolution-{self.minute.number.slug}-{self.number}"

    @property
    def url(self) -> str:
        return f"{self.minute.meeting.url}#{self.anchor}"

    @property
    def label(self) -> str:
        return f"{self.minute.label} ({self.number})"

    @property
    def date(self) -> dt.date:
        return self.minute.date


@dataclass(eq=False, repr=False)
class ActionNode(Node):
    minute: MinuteNode
    record: Action
    id: str
    url: str
    status: ActionStatus = ActionStatus.open
    resolution: ResolutionNode | None = None
    closed_by: MinuteNode | None = None
    closure_note: str | None = None

    @property
    def number(self) -> int:
        return self.record.number or 0

    @property
    def anchor(self) -> str:
        return f"action-{self.minute.number.slug}-{self.number}"

    @property
    def label(self) -> str:
        return f"{self.minute.label}-a{self.number}"

    @property
    def date(self) -> dt.date:
        return self.minute.date


@dataclass(eq=False, repr=False)
class ProgrammeItemNode(Node):
    programme: ProgrammeNode
    record: WorkProgrammeItem
    index: int
    taken_at: AgendaNode | None = None
    planned_meeting: MeetingNode | None = None

    @property
    def anchor(self) -> str:
        return f"wp-item-{self.index + 1}"

    @property
    def url(self) -> str:
        return f"{self.programme.url}#{self.anchor}"

    @property
    def title(self) -> str:
        return self.record.title


@dataclass(eq=False, repr=False)
class ProgrammeNode(Node):
    body: BodyNode
    year: MunicipalYear
    record: WorkProgramme
    url: str
    file: str = ""
    items: list[ProgrammeItemNode] = field(default_factory=list)

    @property
    def latest(self) -> WorkProgrammeRevision:
        return self.record.revisions[-1]


@dataclass(eq=False, repr=False)
class Attendance(Node):
    meeting: MeetingNode
    role: str


@dataclass(eq=False, repr=False)
class PersonNode(Node):
    record: Person
    url: str
    file: str = ""
    attended: list[Attendance] = field(default_factory=list)
    memberships: list[tuple[BodyNode, MunicipalYear, str]] = field(default_factory=list)
    actions: list[ActionNode] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.record.id


@dataclass(eq=False, repr=False)
class HistoryEntry(Node):
    date: dt.date
    kind: str
    url: str
    meeting: MeetingNode | None
    node: AgendaNode | MinuteNode | ProgrammeItemNode

    @property
    def title(self) -> str:
        """Read from the record each time, so that a title edited in the preview shows at once."""
        if isinstance(self.node, MinuteNode):
            return f"{self.node.label} {self.node.title}"
        return self.node.title


@dataclass(eq=False, repr=False)
class TopicNode(Node):
    id: str
    record: Topic
    url: str
    entries: list[HistoryEntry] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class ThreadNode(Node):
    """A follow-up chain: minutes linked by 'further to' references, oldest first."""

    id: str
    url: str
    minutes: list[MinuteNode] = field(default_factory=list)

    @property
    def first(self) -> MinuteNode:
        return self.minutes[0]


@dataclass(repr=False)
class Site:
    """The whole linked archive, ready to render."""

    def __repr__(self) -> str:
        return f"<Site {self.config.council}: {len(self.meetings)} meetings>"

    config: SiteConfig
    today: dt.date
    bodies: dict[str, BodyNode] = field(default_factory=dict)
    meetings: list[MeetingNode] = field(default_factory=list)
    minutes: dict[tuple[str, MinuteNumber], MinuteNode] = field(default_factory=dict)
    resolutions: list[ResolutionNode] = field(default_factory=list)
    actions: list[ActionNode] = field(default_factory=list)
    people: dict[str, PersonNode] = field(default_factory=dict)
    programmes: list[ProgrammeNode] = field(default_factory=list)
    topics: dict[str, TopicNode] = field(default_factory=dict)
    threads: list[ThreadNode] = field(default_factory=list)
    pages: dict[str, Page] = field(default_factory=dict)
    #: References into minutes the archive does not hold: (where, reference).
    outside: list[tuple[MinuteNode, Reference]] = field(default_factory=list)
    attachments: dict[str, bytes] = field(default_factory=dict)
    #: Content digest of every source file, for fingerprinting pages.
    digests: dict[str, str] = field(default_factory=dict)
    #: Bodies by the names prose uses for them ('cabinet', 'scrutiny board (2)') → body id.
    body_names: dict[str, str] = field(default_factory=dict)
    #: Every address the site publishes → its content file, once worked out (outputs.redirects).
    published: dict[str, str] | None = None
    #: The minute numbers written in each text asked about, with `body_names` (see `references_in`).
    prose_references: references.Memo = field(default_factory=lambda: references.Memo({}))

    def references_in(self, text: str) -> tuple[references.Found, ...]:
        """The minute numbers written in a text, found once per text (see references.Memo)."""
        return self.prose_references.of(text)

    def years(self) -> list[MunicipalYear]:
        return sorted({m.year for m in self.meetings}, reverse=True)
