"""Papers in the pack: reports and briefing notes, as Markdown, attached to their agenda items."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from minutebook.importer.clean import Kind, Line
from minutebook.importer.draft import AgendaDraft
from minutebook.importer.patterns import DEFAULT, Patterns

_SECTION = re.compile(r"^(\d{1,2})\.?\s+([A-Z][^.]{2,78})$")
_MD_HEADING = re.compile(r"^#{1,6}\s*")
_BOLD_LINE = re.compile(r"^\*\*([^*]+)\*\*$")


def to_markdown(lines: list[Line]) -> str:
    """A paper's lines as Markdown: headings, numbered paragraphs and tables kept."""
    blocks: list[str] = []
    table: list[list[str]] = []
    for line in lines:
        if line.kind is Kind.text and "\t" in line.plain:
            table.append(line.cells)
            continue
        if table:
            blocks.append(_table(table))
            table = []
        if line.kind is Kind.text:
            blocks.append(_block(line))
    if table:
        blocks.append(_table(table))
    return "\n\n".join(b for b in blocks if b).strip() + "\n"


def _block(line: Line) -> str:
    text = line.text.strip()
    if _MD_HEADING.match(text) or _SECTION.match(line.plain) or _BOLD_LINE.match(text):
        return "## " + line.plain.strip() if not _BOLD_LINE.match(text) else "### " + line.plain.strip()
    return re.sub(r"^-\s+(?=\d)", "", text)


def _table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    cells = [[c.replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in rows]
    head = "| " + " | ".join(cells[0]) + " |"
    rule = "|" + "---|" * width
    return "\n".join([head, rule] + ["| " + " | ".join(r) + " |" for r in cells[1:]])


def attach(
    segment: list[Line], agenda: list[AgendaDraft], marker: str | None, patterns: Patterns = DEFAULT
) -> AgendaDraft | None:
    """The agenda item a paper belongs to: by its 'Agenda Item N' header, else by its subject."""
    items = [i for item in agenda for i in [item, *item.items]]
    if marker:
        found = next((i for i in agenda if i.number == marker), None)
        if found:
            return _best_sub(found, segment) or found
    subject = _subject(segment, patterns)
    if not subject:
        return None
    scored = [(_similarity(subject, item.title), item) for item in items]
    score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return best if score >= 0.6 else None


def _best_sub(item: AgendaDraft, segment: list[Line]) -> AgendaDraft | None:
    head = " ".join(line.plain for line in segment[:12])
    return next((sub for sub in item.items if _norm(sub.title) in _norm(head)), None)


def _subject(segment: list[Line], patterns: Patterns) -> str | None:
    text = [line for line in segment if line.kind is Kind.text][:15]
    for line in text:
        match = patterns.subject.match(line.plain)
        if match:
            return match["title"]
    titled = [line.plain for line in text if 3 < len(line.plain) < 120 and not line.plain.endswith(".")]
    return " ".join(titled[:6]) or None


def _similarity(subject: str, title: str) -> float:
    a, b = _norm(subject), _norm(title)
    if b and b in a:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("’", "'")).strip()
