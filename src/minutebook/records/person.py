"""People: councillors, co-opted members, officers and invited guests."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from minutebook.records.common import Record, Slug, Text


class PersonKind(StrEnum):
    councillor = "councillor"
    co_opted = "co-opted"
    officer = "officer"
    guest = "guest"


class PersonRole(Record):
    """A post a person held, such as 'Cabinet Member for Education and Skills'."""

    title: Text = Field(description="The post, as the council writes it.")
    start: dt.date | None = Field(None, description="First day in the post, when known.")
    end: dt.date | None = Field(None, description="Last day in the post, when known.")


class Person(Record):
    """One person, identified by a stable id that never changes once published."""

    id: Slug = Field(description="Stable id, e.g. 'm-mutton'. The file name without .yaml.")
    name: Text = Field(description="Display name as the council prints it, e.g. 'M Mutton'.")
    honorific: str | None = Field(
        None, description="Form of address printed before the name: 'Councillor', 'Mrs', 'Mr'."
    )
    kind: PersonKind = Field(PersonKind.councillor, description="councillor, co-opted, officer or guest.")
    directorate: str | None = Field(
        None, description="For officers: the directorate they work in, e.g. 'People'."
    )
    job_title: str | None = Field(None, description="For officers: their job title.")
    roles: list[PersonRole] = Field(
        default_factory=list,
        description="Posts held, e.g. Cabinet Member for Education and Skills, with dates.",
    )
    former_names: list[Text] = Field(
        default_factory=list, description="Other spellings used in older records."
    )

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}" if self.honorific else self.name
