"""Meetings with their agenda, attendance, declarations and minutes."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from minutebook.records.common import Record, Slug, Text, TimeOfDay, Url


class MeetingStatus(StrEnum):
    scheduled = "scheduled"
    held = "held"
    cancelled = "cancelled"
    postponed = "postponed"


class MinutesStatus(StrEnum):
    draft = "draft"
    approved = "approved"


class Document(Record):
    """A paper attached to a report: a Markdown file in content/, inline text, or a link."""

    title: Text = Field(description="Title as listed, e.g. 'Appendix 1 – Action Plan'.")
    file: str | None = Field(
        None, description="Markdown file beside the meeting file, e.g. '2018-11-29/appendix-1.md'."
    )
    url: Url | None = Field(None, description="Address of a document published elsewhere.")
    text: str | None = Field(None, description="Markdown: the document itself, for short papers.")


class Report(Record):
    """The paper an agenda item is taken on: 'Briefing Note of the Deputy Chief Executive (People)'."""

    kind: Text = Field("Report", description="What sort of paper: 'Report', 'Briefing Note', 'Information'.")
    author: str | None = Field(None, description="Whose paper it is, e.g. 'Deputy Chief Executive (People)'.")
    title: str | None = Field(None, description="Title, when it differs from the agenda item's.")
    summary: str | None = Field(None, description="Markdown: a short summary of the paper.")
    file: str | None = Field(None, description="Markdown file holding the paper's text.")
    documents: list[Document] = Field(default_factory=list, description="Appendices and papers.")

    @property
    def heading(self) -> str:
        return f"{self.kind} of the {self.author}" if self.author else self.kind


class Exemption(Record):
    """Why an item is taken in private: a paragraph of Schedule 12A, Local Government Act 1972."""

    paragraph: int = Field(ge=1, le=7, description="Schedule 12A paragraph, 1 to 7.")
    note: str | None = Field(None, description="A public explanation, if any.")


class AgendaItem(Record):
    number: str = Field(
        pattern=r"^[0-9]+[a-z]?$|^[a-z]$|^[0-9]+$",
        description="Item number as printed: '4', or 'a' / '1' for a sub-item.",
    )
    title: Text = Field(description="Title as printed on the agenda.")
    pages: str | None = Field(None, description="Page range in the printed pack, e.g. '11 - 18'.")
    description: str | None = Field(None, description="Markdown: what the item is for.")
    reports: list[Report] = Field(default_factory=list, description="Papers for the item.")
    items: list[AgendaItem] = Field(default_factory=list, description="Sub-items a), b)…")
    private: bool = Field(False, description="True for private business (public excluded).")
    exempt: Exemption | None = Field(
        None, description="For exempt or confidential business: the Schedule 12A paragraph."
    )
    public_summary: str | None = Field(
        None, description="Markdown: for exempt items, the decision as the council publishes it."
    )
    topics: list[Slug] = Field(default_factory=list, description="Topic ids, e.g. 'signs-of-safety'.")

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        """Clerks write `number: 4`; YAML reads that as a number, but it means item "4"."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _exempt_is_private(self) -> AgendaItem:
        if self.exempt is not None:
            self.private = True
        return self


class Substitute(Record):
    person: Slug = Field(description="Person id of the substitute.")
    for_: Slug = Field(alias="for", description="Person id of the member substituted for.")


class Guest(Record):
    person: Slug | None = Field(None, description="Person id, when the guest has one.")
    name: str | None = Field(None, description="Name, for a guest with no person record.")
    note: str | None = Field(None, description="Who they are, e.g. 'Volunteer at Allesley Library'.")

    @model_validator(mode="after")
    def _named(self) -> Guest:
        if not (self.person or self.name):
            raise ValueError("a guest needs a person id or a name")
        return self


class Attendance(Record):
    chair: Slug | None = Field(None, description="Person id of whoever chaired the meeting.")
    present: list[Slug] = Field(default_factory=list, description="Members present (ids).")
    co_opted: list[Slug] = Field(default_factory=list, description="Co-opted members present.")
    substitutes: list[Substitute] = Field(default_factory=list, description="Substitutes.")
    cabinet_members: list[Slug] = Field(default_factory=list, description="Cabinet members present.")
    officers: list[Slug] = Field(
        default_factory=list, description="Officers present; shown by their directorate."
    )
    apologies: list[Slug] = Field(default_factory=list, description="Apologies received (ids).")
    absent: list[Slug] = Field(default_factory=list, description="Members absent without apology.")
    invited: list[Guest] = Field(default_factory=list, description="Invited guests.")


class Declaration(Record):
    person: Slug = Field(description="Person id of the member declaring.")
    item: str | None = Field(None, description="Agenda item number the interest concerns.")
    interest: Text = Field(description="What the interest is.")
    kind: Text = Field(
        "other", description="'disclosable pecuniary', 'other registrable', 'non-registrable', 'other'."
    )


class Vote(Record):
    """A recorded vote: names (person ids) where the council records them, else counts."""

    for_: list[Slug] | int = Field(alias="for", description="Who voted for, or how many.")
    against: list[Slug] | int = Field(default_factory=list, description="Who voted against.")
    abstained: list[Slug] | int = Field(default_factory=list, description="Who abstained.")

    @staticmethod
    def count(side: list[str] | int) -> int:
        return side if isinstance(side, int) else len(side)


class Resolution(Record):
    number: int | None = Field(None, ge=1, description="Number in 'RESOLVED that: 1. … 2. …'.")
    text: Text = Field(description="Markdown: what was resolved.")
    vote: Vote | None = Field(None, description="The vote, where one was recorded.")
    topics: list[Slug] = Field(default_factory=list, description="Topic ids.")


class Action(Record):
    number: int | None = Field(None, ge=1, description="Number within the minute (1, 2…).")
    text: Text = Field(description="What is to be done.")
    owner: Slug | None = Field(None, description="Person id of who is to do it, when recorded.")
    owner_note: str | None = Field(None, description="Who, when not a person: 'Scrutiny Co-ordinator'.")
    due: dt.date | None = Field(None, description="Date due, when recorded.")
    resolution: int | None = Field(None, ge=1, description="Number of the resolution it follows from.")


class ActionClosure(Record):
    action: str = Field(description="The action closed, e.g. '39/18-a1' or 'other-body:39/18-a1'.")
    note: str | None = Field(None, description="Markdown: how it was done.")


class MinuteItem(Record):
    number: str | int = Field(description="Minute number, '39/18' (or 39: the year is added).")
    title: Text = Field(description="Title of the minute.")
    agenda_item: str | None = Field(None, description="Number of the agenda item it minutes.")
    text: str | None = Field(None, description="Markdown: the minute itself.")
    resolved: str | None = Field(
        None, description="Words before the resolutions, e.g. 'RESOLVED that the Board:'."
    )
    resolutions: list[Resolution] = Field(default_factory=list, description="Numbered resolutions.")
    actions: list[Action] = Field(default_factory=list, description="Follow-up actions.")
    further_to: list[str] = Field(
        default_factory=list,
        description="Earlier minutes this one follows up, e.g. '27/17' or 'other-body:12/18', "
        "beside those named in the text.",
    )
    closes: list[ActionClosure] = Field(
        default_factory=list, description="Earlier actions this minute records as done."
    )
    private: bool = Field(False, description="Taken in private (inherited from the agenda item).")
    exempt: Exemption | None = Field(None, description="Schedule 12A paragraph, for exempt business.")
    public_summary: str | None = Field(None, description="Markdown: public summary of an exempt item.")
    topics: list[Slug] = Field(default_factory=list, description="Topic ids.")


class Correction(Record):
    date: dt.date = Field(description="When the correction was made.")
    note: Text = Field(description="Markdown: what was corrected and why.")


class Minutes(Record):
    status: MinutesStatus = Field(MinutesStatus.draft, description="draft or approved.")
    approved_by: str | None = Field(None, description="The later minute that approved these, e.g. '38/18'.")
    amendments: str | None = Field(
        None, description="Markdown: amendments made when the minutes were approved."
    )
    closed_at: TimeOfDay | None = Field(None, description="Time the meeting closed, HH:MM.")
    items: list[MinuteItem] = Field(default_factory=list, description="The minute items in order.")
    corrections: list[Correction] = Field(
        default_factory=list, description="Corrections made after publication."
    )


class Meeting(Record):
    """One meeting. Its address comes from its file name, which never changes."""

    body: Slug | None = Field(None, description="Body id; taken from the folder when omitted.")
    date: dt.date = Field(description="Date the meeting is (or was) held, YYYY-MM-DD.")
    time: TimeOfDay | None = Field(None, description="Start time, 24-hour HH:MM.")
    end_time: TimeOfDay | None = Field(None, description="Planned end time, HH:MM.")
    title: str | None = Field(None, description="Only for special meetings, e.g. 'Extraordinary meeting'.")
    status: MeetingStatus | None = Field(
        None, description="scheduled, held, cancelled or postponed; 'held' once minutes exist."
    )
    status_note: str | None = Field(None, description="Markdown: why it was cancelled or moved.")
    venue: str | None = Field(None, description="Where, e.g. 'Diamond Room 2 - Council House'.")
    remote_link: Url | None = Field(None, description="Link to join a remote meeting.")
    webcast: Url | None = Field(None, description="Link to the live webcast.")
    recording: Url | None = Field(None, description="Link to the recording.")
    attending: str | None = Field(
        None, description="Markdown: how to attend or ask to speak, when it differs from the body's."
    )
    agenda_published: dt.date | None = Field(None, description="Date the agenda was published.")
    published_by: str | None = Field(None, description="Officer who issued the agenda, as printed.")
    contact_officer: Slug | None = Field(None, description="Person id of the meeting's contact.")
    agenda: list[AgendaItem] = Field(default_factory=list, description="Agenda items in order.")
    attendance: Attendance | None = Field(None, description="Who attended and apologies.")
    declarations: list[Declaration] = Field(default_factory=list, description="Declarations of interest.")
    minutes: Minutes | None = Field(None, description="The minutes, once written.")
    topics: list[Slug] = Field(default_factory=list, description="Topic ids.")
    moved_from: list[str] = Field(
        default_factory=list,
        description="Addresses this meeting was published at before its file was renamed or moved, "
        "e.g. 'bodies/cabinet/meetings/2019-02-07/': each becomes a page that redirects here.",
    )

    @property
    def effective_status(self) -> MeetingStatus:
        if self.status is not None:
            return self.status
        return MeetingStatus.held if self.minutes else MeetingStatus.scheduled
