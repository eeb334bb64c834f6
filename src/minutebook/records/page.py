"""Free pages: about, accessibility statement, how to take part."""

from __future__ import annotations

from pydantic import Field

from minutebook.records.common import Record, Text


class Page(Record):
    title: Text = Field(description="Page title.")
    description: str | None = Field(None, description="One sentence for search engines.")
    nav: int | None = Field(None, description="Position in the footer links; omit to leave out.")
    body: str = Field("", description="Markdown below the front matter.")
