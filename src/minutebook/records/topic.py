"""Topics: a thread that runs through many meetings, such as 'Signs of Safety'."""

from __future__ import annotations

from pydantic import Field

from minutebook.records.common import Record, Text


class Topic(Record):
    title: Text = Field(description="Topic as residents would name it, e.g. 'Signs of Safety'.")
    description: str | None = Field(None, description="Markdown: what the topic covers.")
