"""The work programme table: dates, titles, detail, leads, 'date to be determined'."""

from __future__ import annotations

import re
from dataclasses import dataclass

from minutebook.importer.clean import Kind, Line
from minutebook.importer.dates import day_in_year
from minutebook.importer.draft import Planned, ProgrammeDraft, ProgrammeRow
from minutebook.importer.patterns import DEFAULT, Patterns


@dataclass(frozen=True)
class Columns:
    date: int
    title: int
    detail: int | None
    lead: int | None

    def cell(self, cells: list[str], index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""


def find_columns(line: Line, patterns: Patterns = DEFAULT) -> Columns | None:
    """The columns of a work programme table, when `line` is its header row."""
    if "\t" not in line.plain:
        return None
    cells = [c.lower() for c in line.cells]

    def first(pattern: re.Pattern[str]) -> int | None:
        return next((i for i, cell in enumerate(cells) if pattern.search(cell)), None)

    date, title = first(patterns.wp_header_date), first(patterns.wp_header_title)
    if date is None or title is None:
        return None
    return Columns(date, title, first(patterns.wp_header_detail), first(patterns.wp_header_lead))


def parse_programme(
    lines: list[Line], used: set[int], year_start: int, patterns: Patterns = DEFAULT
) -> ProgrammeDraft | None:
    year = _year(lines, patterns)
    start = int(year[:4]) if year else year_start
    programme = ProgrammeDraft(year=year or f"{start}/{(start + 1) % 100:02d}")
    columns: Columns | None = None
    state = _State(planned=None)
    for line in lines:
        header = find_columns(line, patterns)
        if header:
            columns, state.after_header = header, True
            used.add(line.number)
        elif columns and line.kind is Kind.text and "\t" in line.plain and _has_words(line):
            _row(programme, columns, line, start, state, patterns)
            used.add(line.number)
    _place_summary(lines, programme, used)
    return programme if programme.rows else None


@dataclass
class _State:
    planned: Planned
    after_header: bool = False
    bare_date: str = ""


def _has_words(line: Line) -> bool:
    """A row holds at least one word; a fragment such as ', e' is left for the report."""
    return re.search(r"[A-Za-z]{3}", line.plain) is not None


def _year(lines: list[Line], patterns: Patterns) -> str | None:
    for line in lines:
        match = patterns.wp_heading.search(line.plain)
        if match and match["year"]:
            return re.sub(r"\s", "", match["year"])
    return None


def _row(
    programme: ProgrammeDraft, columns: Columns, line: Line, start: int, state: _State, patterns: Patterns
) -> None:
    cells = line.cells
    date_cell, title = columns.cell(cells, columns.date), columns.cell(cells, columns.title)
    detail, lead = columns.cell(cells, columns.detail), columns.cell(cells, columns.lead)
    if date_cell and not (title or detail or lead) and _planned(date_cell, start, patterns) is None:
        date_cell, title = "", date_cell  # a title printed in the date column
    previous = programme.rows[-1] if programme.rows else None
    continued = previous is not None and (
        not title
        or title[0].islower()
        or re.fullmatch(r"(19|20)\d\d", date_cell) is not None
        or (state.after_header and not date_cell and not detail and not lead)
    )
    state.after_header = False
    if continued and previous is not None:
        _continue(previous, state, date_cell, title, detail, lead, start, patterns)
        return
    if date_cell:
        state.planned, state.bare_date = _planned(date_cell, start, patterns), date_cell
    if title:
        programme.rows.append(ProgrammeRow(state.planned, title, line.number, detail, lead))


def _continue(
    row: ProgrammeRow,
    state: _State,
    date_cell: str,
    title: str,
    detail: str,
    lead: str,
    start: int,
    patterns: Patterns,
) -> None:
    if date_cell and state.bare_date:
        state.bare_date = f"{state.bare_date} {date_cell}"
        state.planned = row.planned = _planned(state.bare_date, start, patterns) or row.planned
    row.title = f"{row.title} {title}".strip()
    row.detail = f"{row.detail} {detail}".strip()
    row.leads = f"{row.leads} {lead}".strip()


def _planned(text: str, start: int, patterns: Patterns) -> Planned:
    if patterns.wp_tbd.match(text.strip()):
        return "tbd"
    return day_in_year(text, start, patterns=patterns)


def _place_summary(lines: list[Line], programme: ProgrammeDraft, used: set[int]) -> None:
    """The list that repeats the table's dates and titles before it is placed, not lost."""
    words = {w for row in programme.rows for w in _words(row.title)}
    for line in lines:
        own = _words(line.plain)
        if line.number not in used and own and len(own & words) >= 0.6 * len(own):
            used.add(line.number)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9']+", text.lower()) if len(w) > 2}
