"""Cleaning: the text a PDF-to-text tool gives, minus its artefacts, one numbered line at a time.

Every source line keeps its number so that anything the parsers cannot place can be reported
against the pack. Artefacts (page numbers, blank-page notices, running headers, HTML tags,
split ordinals, stray symbols) are removed here and counted, never silently.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import StrEnum

from minutebook.importer.patterns import DEFAULT, Patterns


class Kind(StrEnum):
    text = "text"
    blank = "blank"
    marker = "marker"  # "Agenda Item 4": where a paper for item 4 starts
    page_break = "break"  # "This page is intentionally left blank": a paper ends


@dataclass(frozen=True)
class Line:
    number: int
    text: str  # cleaned, Markdown kept
    plain: str  # cleaned, Markdown emphasis and list bullets removed
    kind: Kind = Kind.text

    @property
    def cells(self) -> list[str]:
        """Tab-separated cells of a flattened table row, stripped."""
        return [cell.strip() for cell in self.plain.split("\t")]


_BLANK_PAGE = re.compile(r"\s*this page is (?:intentionally|deliberately) (?:left )?blank\.?\s*", re.I)
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}$|^page\s+\d{1,3}\s+of\s+\d{1,3}$", re.I)
_FURNITURE = re.compile(r"^(public document pack|\(?continued\)?|p\.t\.o\.?)$", re.I)
_SUP = re.compile(r"<sup>\s*(st|nd|rd|th)\s*</sup>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_ORDINAL = re.compile(r"\b(\d{1,2})\s+(st|nd|rd|th)\b")
_STRAY = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u200b\ufeff\ue000-\uf8ff\u25aa\u25cf\u2022\u2713\u2714\uf0b7]"
)
_LINK = re.compile(r"\[([^\]]+)\]\((?:mailto:)?[^)]+\)")
_ANGLE_URL = re.compile(r"<((?:https?://|mailto:)[^>]+)>")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_BULLET = re.compile(r"^(?:[-*+] +)+")
_HEADING = re.compile(r"^#{1,6}\s*")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")


def clean_text(raw: str) -> str:
    """One line's text without HTML, split ordinals or stray symbols; Markdown kept."""
    text = raw.replace("\u00a0", " ").replace("\r", "")
    text = _ANGLE_URL.sub(r"\1", text)
    text = _SUP.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _STRAY.sub("", text)
    text = _ORDINAL.sub(r"\1\2", text)
    cells = [re.sub(r" {2,}", " ", cell).strip() for cell in text.split("\t")]
    return "\t".join(cells).rstrip(" ") if len(cells) > 1 else cells[0]


def plain_text(text: str) -> str:
    """The words of a cleaned line, without Markdown emphasis, headings, bullets or links."""
    text = _LINK.sub(r"\1", text)
    text = _HEADING.sub("", text.strip(" "))
    text = _BULLET.sub("", text)
    text = _EMPHASIS.sub("", text)
    return text.replace("\\", "").strip(" ")


def clean(source: str, patterns: Patterns = DEFAULT) -> tuple[list[Line], list[tuple[int, str]]]:
    """The pack's lines, cleaned, and the artefacts removed (line number, what it was)."""
    lines: list[Line] = []
    removed: list[tuple[int, str]] = []
    for number, raw in enumerate(source.splitlines(), start=1):
        lines.extend(_clean_line(number, raw, removed, patterns))
    return lines, removed


def _clean_line(number: int, raw: str, removed: list[tuple[int, str]], patterns: Patterns) -> list[Line]:
    text = clean_text(raw)
    out: list[Line] = []
    blank_page = _BLANK_PAGE.search(text)
    if blank_page:
        removed.append((number, "blank-page notice"))
        text = _BLANK_PAGE.sub(" ", text).strip()
    plain = plain_text(text)
    if _RULE.match(text.strip()) or not plain.strip("\t "):
        out.append(Line(number, "", "", Kind.blank))
    elif _PAGE_NUMBER.match(plain) or _FURNITURE.match(plain):
        removed.append((number, f"page furniture '{plain}'"))
    elif patterns.agenda_marker.match(plain):
        out.append(Line(number, plain, plain, Kind.marker))
    else:
        out.append(Line(number, text, plain))
    if blank_page:
        out.append(Line(number, "", "", Kind.page_break))
    return out
