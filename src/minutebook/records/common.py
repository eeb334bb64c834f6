"""Shared building blocks of the records: the strict base model and small value types."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

#: A stable identifier written by a clerk: lower-case letters, digits and hyphens.
Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", min_length=1, max_length=80),
]

#: Free text that must not be empty once surrounding spaces are removed.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

#: A time of day written as 24-hour HH:MM ("14:00").
TimeOfDay = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]

#: A web address (http or https).
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]

#: A municipal year written "2018/19".
YearLabel = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}/[0-9]{2}$")]


class Record(BaseModel):
    """Base of every hand-authored record: unknown fields are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)


@dataclass(frozen=True, order=True)
class MunicipalYear:
    """A council year, starting in a body's start month (May in English councils)."""

    start: int

    @classmethod
    def containing(cls, day: date, start_month: int = 5) -> MunicipalYear:
        return cls(day.year if day.month >= start_month else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> MunicipalYear:
        """'2018/19' → MunicipalYear(2018); the second part must follow the first."""
        match = re.fullmatch(r"(\d{4})/(\d{2})", label.strip())
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError(f"'{label}' is not a municipal year such as 2018/19")
        return cls(int(match[1]))

    @property
    def label(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def suffix(self) -> str:
        """The two digits minute numbers carry: 39/18 is minute 39 of 2018/19."""
        return f"{self.start % 100:02d}"

    def __str__(self) -> str:
        return self.label
