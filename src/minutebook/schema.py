"""The content model as JSON Schema, for editors and for the clerk's guide."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from minutebook.records import Body, Meeting, Page, Person, SiteConfig, Topic, WorkProgramme

KINDS: dict[str, type[BaseModel]] = {
    "site_config": SiteConfig,
    "body": Body,
    "person": Person,
    "meeting": Meeting,
    "work_programme": WorkProgramme,
    "page": Page,
    "topic": Topic,
}


def schemas() -> dict[str, dict[str, Any]]:
    return {name: model.model_json_schema(by_alias=True) for name, model in KINDS.items()}
