"""site_config.yaml: the settings a council sets once."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from minutebook.records.common import Record, Text, Url


class SiteConfig(Record):
    council: Text = Field(description="Name of the council, e.g. 'Coventry City Council'.")
    title: str | None = Field(None, description="Site title; defaults to '<council> meetings'.")
    base_url: Url = Field(
        description="Public address, ending in '/'. May include a sub-path: https://x.github.io/minutes/"
    )
    timezone: str = Field("Europe/London", description="IANA time zone of meeting times.")
    language: str = Field("en-GB", description="Language of the records (BCP 47).")
    contact: str | None = Field(None, description="Markdown: how to contact the council.")
    contact_email: str | None = Field(None, description="E-mail address for enquiries.")
    licence: Text = Field(
        "Open Government Licence v3.0", description="Licence the records are published under."
    )
    licence_url: Url | None = Field(
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        description="Address of the licence text.",
    )
    attending: str | None = Field(
        None, description="Markdown: how to attend meetings, unless a body or meeting says otherwise."
    )
    page_size: int = Field(50, ge=5, le=1000, description="Rows per page in registers and lists.")
    search: bool = Field(True, description="Index the site with Pagefind.")

    @field_validator("base_url")
    @classmethod
    def _ends_with_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # "Europe" is a folder
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value

    @property
    def site_title(self) -> str:
        return self.title or f"{self.council} meetings"
