"""Dates and times as councils print them: '2.00 pm on Thursday, 4th April 2019'."""

from __future__ import annotations

import datetime as dt
import re

from minutebook.importer.patterns import DEFAULT, MONTHS, Patterns


def month_number(name: str) -> int:
    return next(i for i, month in enumerate(MONTHS, start=1) if month.startswith(name.lower()[:3]))


def find_date(text: str, patterns: Patterns = DEFAULT) -> dt.date | None:
    match = patterns.date.search(text)
    if not match:
        return None
    try:
        return dt.date(int(match["year"]), month_number(match["month"]), int(match["day"]))
    except ValueError:
        return None


def is_only_date(text: str, patterns: Patterns = DEFAULT) -> bool:
    """True for a line that is a date and nothing else: 'Wednesday, 27 March 2019'."""
    match = patterns.date.search(text)
    return match is not None and not text.replace(match.group(0), "").strip(" ,.\t")


def find_time(text: str, patterns: Patterns = DEFAULT) -> str | None:
    """'2.00 pm' → '14:00'; '12 noon' → '12:00'."""
    if re.search(r"\b(12\s*)?noon\b", text, re.I):
        return "12:00"
    match = patterns.time.search(text)
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["ampm"].lower() == "p" and hour < 12:
        hour += 12
    if match["ampm"].lower() == "a" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}" if hour < 24 else None


def day_in_year(text: str, start: int, start_month: int = 5, patterns: Patterns = DEFAULT) -> dt.date | None:
    """A date printed with or without its year, placed in the municipal year starting in `start`."""
    full = find_date(text, patterns)
    if full:
        return full
    match = patterns.day_month.search(text)
    if not match:
        return None
    month = month_number(match["month"])
    try:
        return dt.date(start if month >= start_month else start + 1, month, int(match["day"]))
    except ValueError:
        return None


def municipal_start(day: dt.date, start_month: int = 5) -> int:
    return day.year if day.month >= start_month else day.year - 1
