"""Work programmes: what a body plans to consider through a municipal year, revised as it goes."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field

from minutebook.records.common import Record, Slug, Text


class WorkProgrammeOutcome(StrEnum):
    planned = "planned"
    taken = "taken"
    deferred = "deferred"
    withdrawn = "withdrawn"
    elsewhere = "elsewhere"


class WorkProgrammeItem(Record):
    title: Text = Field(description="The topic, e.g. 'Early Help Hubs'.")
    detail: str | None = Field(None, description="Markdown: what the board wants to know.")
    leads: list[Slug] = Field(default_factory=list, description="Lead officers or cabinet members (ids).")
    lead_note: str | None = Field(None, description="Leads with no person record, as printed.")
    planned: dt.date | Literal["tbd"] | None = Field(
        None, description="Meeting date planned, or 'tbd' for 'date to be determined'."
    )
    outcome: WorkProgrammeOutcome = Field(
        WorkProgrammeOutcome.planned,
        description="planned, taken, deferred, withdrawn, or elsewhere (another body took it).",
    )
    taken_at: str | None = Field(
        None,
        description="Agenda item that took it, 'YYYY-MM-DD/4' (meeting file date / item number). "
        "Found from the planned meeting when omitted.",
    )
    outcome_note: str | None = Field(None, description="Markdown: what became of it.")
    topics: list[Slug] = Field(default_factory=list, description="Topic ids.")


class WorkProgrammeRevision(Record):
    date: dt.date = Field(description="Date of this version, e.g. the agenda it was published with.")
    note: str | None = Field(None, description="Markdown: what changed.")
    items: list[WorkProgrammeItem] = Field(description="The programme as it stood.")


class WorkProgramme(Record):
    body: Slug | None = Field(None, description="Body id; taken from the folder when omitted.")
    year: str | None = Field(None, description="Municipal year '2018/19'; taken from the file name.")
    revisions: list[WorkProgrammeRevision] = Field(
        min_length=1, description="Versions, oldest first; the site shows the last."
    )
