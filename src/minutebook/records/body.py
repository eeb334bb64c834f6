"""Bodies: committees, boards, cabinet — whoever holds meetings."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, field_validator

from minutebook.records.common import MunicipalYear, Record, Slug, Text, YearLabel


class Role(StrEnum):
    chair = "chair"
    vice_chair = "vice-chair"
    member = "member"
    co_opted = "co-opted"
    by_invitation = "by-invitation"


class MembershipEntry(Record):
    person: Slug = Field(description="Person id.")
    role: Role = Field(Role.member, description="chair, vice-chair, member, co-opted, by-invitation.")


class Body(Record):
    """A committee, board or cabinet, with its membership for each municipal year."""

    id: Slug = Field(description="Stable id used in addresses, e.g. 'ecs-scrutiny-board-2'.")
    name: Text = Field(description='Full name, e.g. "Education and Children\'s Services Scrutiny Board (2)".')
    short_name: str | None = Field(None, description="Short name for lists, e.g. 'Scrutiny Board 2'.")
    kind: Text = Field("committee", description="committee, scrutiny board, cabinet, council, panel…")
    description: str | None = Field(None, description="Markdown: what the body does.")
    year_start_month: int = Field(5, ge=1, le=12, description="Month the municipal year starts (5 = May).")
    membership: dict[YearLabel, list[MembershipEntry]] = Field(
        default_factory=dict,
        description="Membership per municipal year, keyed '2018/19'.",
    )
    contact_officer: Slug | None = Field(None, description="Person id of the clerk or contact.")
    contact: str | None = Field(None, description="Markdown: how to contact the body's clerk.")
    attending: str | None = Field(
        None,
        description="Markdown: how a resident can attend, watch or ask to speak. A meeting may override it.",
    )

    @field_validator("membership")
    @classmethod
    def _years_are_real(cls, value: dict[str, list[MembershipEntry]]) -> dict[str, list[MembershipEntry]]:
        for label in value:
            MunicipalYear.parse(label)
        return value

    @property
    def label(self) -> str:
        return self.short_name or self.name
