"""The patterns the importer reads a pack with: one dataclass of regexes and vocabularies.

Councils lay their papers out differently. What differs is data, not code: a council whose
minutes say "Minute 12 –" or label apologies "Absent with apologies" changes a pattern here
(or passes its own :class:`Patterns`) rather than adding a code path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" + (
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"


def _words(text: str) -> list[str]:
    return text.split()


def _c(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


@dataclass(frozen=True)
class Patterns:
    """Every regex and word list the parsers use, with defaults that fit English councils."""

    date: re.Pattern[str] = _c(
        _WEEKDAY + r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b",
        re.I,
    )
    day_month: re.Pattern[str] = _c(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH + r"\b", re.I)
    time: re.Pattern[str] = _c(
        r"\b(?P<hour>[01]?\d)(?:[.:](?P<minute>[0-5]\d))?\s*(?P<ampm>[ap])\.?\s?m\b\.?", re.I
    )
    url: re.Pattern[str] = _c(r"https?://[^\s<>)\]]+")
    remote_words: re.Pattern[str] = _c(r"\b(remote|join|online|teams|zoom|webex|virtual)\b", re.I)
    ignore_heading: re.Pattern[str] = _c(
        r"^(public document pack|notice of (the )?meeting|agenda|summons|time and date|date|time|"
        r"place|venue|.*\b(council|COUNCIL))$",
        re.I,
    )
    venue_label: re.Pattern[str] = _c(r"^(?:place|venue|location|where)\s*:?\s*(?P<rest>.*)$", re.I)
    public_heading: re.Pattern[str] = _c(
        r"^(public business|part (1|a|i)\b.*|open business|agenda|items? (to be )?considered in public)$",
        re.I,
    )
    private_heading: re.Pattern[str] = _c(
        r"^(private business|part (2|b|ii)\b.*|exempt business|confidential business|"
        r"items? (to be )?considered in private)$",
        re.I,
    )
    agenda_item: re.Pattern[str] = _c(r"^(?P<number>\d{1,2})\.?\s+(?P<title>\S.*)$")
    sub_item: re.Pattern[str] = _c(r"^\(?(?P<number>[a-z]|\d{1,2})\)\s+(?P<title>\S.*)$")
    pages: re.Pattern[str] = _c(r"\s*\(?\b(?:Pages?)\s+(?P<from>\d+)(?:\s*[-–]?\s*(?P<to>\d+))?\)?\s*$", re.I)
    report: re.Pattern[str] = _c(
        r"^(?P<kind>(?:Joint )?(?:Report|Briefing Note|Information|Note|Presentation|Verbal Report)|"
        r"Joint Report)(?:\s+(?:of|from|by)\s+(?:the\s+)?(?P<author>.+?))?\.?$",
        re.I,
    )
    exempt: re.Pattern[str] = _c(r"exempt\b.*?paragraphs?\s+(?P<paragraph>[1-7])\b", re.I)
    agenda_end: re.Pattern[str] = _c(
        r"^(notes?\s*:|membership\b|(?:committee |board |panel )?members\b|issued by|published\b|"
        r"date of publication|signed\b|"
        r"contact\b|further information|for further information|the person to contact)",
        re.I,
    )
    published: re.Pattern[str] = _c(r"^(?:published|date of publication|issued|date)\b(?:\s+on)?\s*:?", re.I)
    signature_label: re.Pattern[str] = _c(r"^(?:signed|issued by|published by)\s*:?\s*", re.I)
    published_by: re.Pattern[str] = _c(
        r"^(?i:issued|published)\s+by\s*:?\s*(?P<who>.+)$|\bby\s+(?P<by>[A-Z].+)$"
    )
    contact: re.Pattern[str] = _c(
        r"(?:person to contact about (?:the|this) agenda[^.]*? is|^contact(?: officer)?\s*:|"
        r"^further information\s*:|^for further information(?: contact)?\s*:?)\s*"
        r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})",
        re.I,
    )
    membership: re.Pattern[str] = _c(
        r"^(?P<label>membership|(?:committee |board |panel |cabinet )?members"
        r"(?: of the (?:committee|board|cabinet|panel))?)"
        r"\s*:\s*(?P<rest>.+)$",
        re.I,
    )
    membership_roles: tuple[tuple[str, str], ...] = (
        (r"co-?opted", "co-opted"),
        (r"by invitation|invited", "by-invitation"),
        (r"vice[- ]?chair", "vice-chair"),
        (r"\bchair", "chair"),
    )
    membership_labels: re.Pattern[str] = _c(r"\b(Co-?opted Members?|By Invitation)\s*:", re.I)
    minutes_heading: re.Pattern[str] = _c(
        r"\bminutes of (?:a |the )?(?:(?:\w+ )?meeting of (?:the )?)?"
        r"(?P<body>.+?)(?:\s+(?:meeting\s+)?held\b|$)",
        re.I,
    )
    #: What a minutes heading's body must not be: "the minutes of the meeting held on …" is an agenda item.
    not_a_body: re.Pattern[str] = _c(r"^(?:\w+\s+)?meetings?\b", re.I)
    venue_inline: re.Pattern[str] = _c(
        r"\d\s?[ap]\.?m\.?\s+(?:in|at)\s+(?:the\s+)?(?P<venue>[A-Z][^.]+)", re.I
    )
    attendance_labels: tuple[tuple[str, str], ...] = (
        (r"present|members present|members|councillors", "present"),
        (r"co-?opted members?|co-?optees?", "co_opted"),
        (r"cabinet members?|portfolio holders?", "cabinet_members"),
        (r"employees|officers|officers in attendance|officers present|staff", "officers"),
        (r"apologies(?: for absence)?|apologies received", "apologies"),
        (r"absent", "absent"),
        (r"invited|also present|also in attendance|in attendance|guests|others present", "invited"),
    )
    apologies_sentence: re.Pattern[str] = _c(
        r"^apologies (?:for absence )?were (?:received|submitted|given) "
        r"(?:from|by|on behalf of)\s+(?P<rest>.+)$",
        re.I,
    )
    honorific: re.Pattern[str] = _c(r"\b(Councillors?|Cllrs?\.?|Mrs|Mr|Ms|Miss|Dr|Professor|Prof)\b\.?")
    minute_item: re.Pattern[str] = _c(r"^(?P<number>\d{1,4})\.?\s+(?P<rest>[A-Z(‘'\"].*)$")
    caps_title: re.Pattern[str] = _c(
        r"^(?P<title>[A-Z0-9][A-Z0-9 ,'’&/().:-]*[A-Z0-9).])\s+[–—-]\s+(?P<text>\S.*)$"
    )
    resolved: re.Pattern[str] = _c(r"(?:^|[–—-]\s*)\b(?P<word>RESOLVED|Resolved)\b\s*(?P<rest>.*)$")
    resolution_part: re.Pattern[str] = _c(r"^\(?(?P<mark>\d{1,2}|[a-h]|[ivx]{1,4})[.)]\s+(?P<text>\S.*)$")
    further_to: re.Pattern[str] = _c(r"\bfurther to minutes?\s+(?P<ref>\d{1,4}(?:/\d{2,4})?)", re.I)
    closed: re.Pattern[str] = _c(
        r"^\(?(?:the\s+)?meeting\s+(?:closed|ended|finished|concluded|terminated)\s+at\s+(?P<time>.+?)\)?\.?\)?$",
        re.I,
    )
    declaration_kinds: tuple[tuple[str, str], ...] = (
        (r"disclosable pecuniary", "disclosable pecuniary"),
        (r"other registrable", "other registrable"),
        (r"non-registrable", "non-registrable"),
    )
    declarations_title: re.Pattern[str] = _c(r"declarations? of (?:members'? )?interests?", re.I)
    wp_header_date: re.Pattern[str] = _c(r"^(date|meeting( date)?|when)$", re.I)
    wp_header_title: re.Pattern[str] = _c(r"^(title|item|topic|subject|report)$", re.I)
    wp_header_detail: re.Pattern[str] = _c(r"^(detail|details|purpose|description|scope|comments?)$", re.I)
    wp_header_lead: re.Pattern[str] = _c(r"(lead|officer|cabinet member|responsible)", re.I)
    wp_tbd: re.Pattern[str] = _c(
        r"^(date to be (determined|decided|confirmed|agreed)|tbc|tbd|to be (determined|confirmed)|"
        r"next municipal year.*|future (meetings?|items?)|(19|20)\d\d\s*[-/]\s*(\d\d|\d{4}))$",
        re.I,
    )
    wp_heading: re.Pattern[str] = _c(r"work programme\s*(?P<year>(?:19|20)\d\d\s*/\s*\d\d)?", re.I)
    document_start: re.Pattern[str] = _c(
        r"^(briefing note|report to\s*:.*|report to the .+|cabinet report|committee report|to\s*:\s*\S.*|"
        r"report of the .+ to the .+)$",
        re.I,
    )
    subject: re.Pattern[str] = _c(r"^(?:subject|title|report title)\s*:?\s+(?P<title>\S.*)$", re.I)
    agenda_marker: re.Pattern[str] = _c(r"^agenda item\s+(?P<number>\d{1,2}[a-z]?)\s*$", re.I)
    name_stopwords: frozenset[str] = field(
        default_factory=lambda: frozenset(
            _words(
                "cabinet member members chair chairman vice directorate director head officer manager "
                "council services service committee board leader deputy people place resources public "
                "business health partners the of for and clerk town"
            )
        )
    )


DEFAULT = Patterns()


class PatternError(ValueError):
    """A patterns file names an unknown pattern or holds a regular expression that does not compile."""


def load_patterns(data: object, base: Patterns = DEFAULT) -> Patterns:
    """`base` with the patterns a council overrides: {name: regex} or {name: [[regex, value], …]}."""
    if not isinstance(data, dict):
        raise PatternError("a patterns file is a mapping of pattern names to regular expressions")
    known = {f.name: f for f in fields(Patterns)}
    changes: dict[str, object] = {}
    for name, value in data.items():
        if name not in known:
            raise PatternError(f"unknown pattern '{name}': the names are listed in docs/importing.md")
        changes[name] = _pattern_value(name, value, getattr(base, name))
    return replace(base, **changes)  # type: ignore[arg-type]


def _pattern_value(name: str, value: object, current: object) -> object:
    try:
        if isinstance(current, re.Pattern):
            return re.compile(str(value), current.flags)
        if isinstance(current, tuple):
            return tuple((str(pattern), str(meaning)) for pattern, meaning in value)  # type: ignore[attr-defined]
        if isinstance(current, frozenset):
            return frozenset(str(word).lower() for word in value)  # type: ignore[attr-defined]
    except (re.error, TypeError, ValueError) as exc:
        raise PatternError(f"pattern '{name}': {exc}") from exc
    raise PatternError(f"pattern '{name}' cannot be changed")
