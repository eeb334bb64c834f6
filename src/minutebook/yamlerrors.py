"""YAML mistakes in a clerk's words: what went wrong, where, and what to type instead.

libyaml reports where it gave up, which is often a line or two after the mistake
(an unclosed quote is noticed at the end of the file). Each rule here recognises
one common mistake and points at the place the clerk must change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from minutebook.yamlfile import DuplicateKey


@dataclass(frozen=True)
class Explained:
    message: str
    hint: str
    #: 0-based, as in YAML marks.
    line: int
    column: int


@dataclass(frozen=True)
class _Error:
    """The parts of a YAMLError the rules read, with the text it came from."""

    problem: str
    context: str
    line: int
    column: int
    context_mark: yaml.Mark | None
    text: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line_text(self, index: int) -> str:
        lines = self.lines
        return lines[index] if 0 <= index < len(lines) else ""


Rule = Callable[[_Error], Explained | None]


def explain(exc: yaml.YAMLError, text: str) -> Explained:
    """The clerk's version of a YAML error."""
    if isinstance(exc, DuplicateKey) and exc.problem_mark and exc.context_mark:
        return _duplicate(exc)
    error = _parts(exc, text)
    for rule in _RULES:
        found = rule(error)
        if found is not None:
            return found
    return Explained(
        f"this is not valid YAML: {error.problem}",
        "see 'Writing YAML' in the clerk's guide",
        error.line,
        error.column,
    )


def _parts(exc: yaml.YAMLError, text: str) -> _Error:
    mark = getattr(exc, "problem_mark", None)
    return _Error(
        problem=getattr(exc, "problem", None) or str(exc),
        context=getattr(exc, "context", None) or "",
        line=mark.line if mark else 0,
        column=mark.column if mark else 0,
        context_mark=getattr(exc, "context_mark", None),
        text=text,
    )


def _duplicate(exc: DuplicateKey) -> Explained:
    assert exc.problem_mark is not None and exc.context_mark is not None
    return Explained(
        f"{exc.problem}; it is first on line {exc.context_mark.line + 1}",
        "remove one of them: YAML would silently keep only the last",
        exc.problem_mark.line,
        exc.problem_mark.column,
    )


# ---------------------------------------------------------------- the rules, most specific first


def _another_document(error: _Error) -> Explained | None:
    if "expected a single document" not in error.context:
        return None
    return Explained(
        "a line '---' splits this file in two",
        "remove the '---' line: only pages use '---', around their title",
        error.line,
        0,
    )


def _top_level_indented(error: _Error) -> Explained | None:
    """The first field indented: libyaml reads the rest of the file as a second document."""
    if "expected <document start>" not in error.problem:
        return None
    first = next((i for i, line in enumerate(error.lines) if not _CONTENT.match(line)), error.line)
    line = error.line_text(first)
    return Explained(
        "the fields at the top of the file do not line up",
        "start each top-level field at the very beginning of its line, with no spaces before it",
        first,
        len(line) - len(line.lstrip()),
    )


def _tab(error: _Error) -> Explained | None:
    line = error.line_text(error.line)
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indent:
        return Explained(
            "this line is indented with a tab",
            "indent with spaces, not tabs (most editors can be set to insert spaces)",
            error.line,
            indent.index("\t"),
        )
    if line[error.column : error.column + 1] == "\t":
        return Explained("a tab is not allowed here", "use spaces instead", error.line, error.column)
    return None


def _unclosed_quote(error: _Error) -> Explained | None:
    """A quote still open at the end of the file: point at the quote itself."""
    mark = error.context_mark
    if "quoted scalar" not in error.context or "end of stream" not in error.problem or mark is None:
        return None
    quote = error.text[mark.index : mark.index + 1]
    return Explained(
        "this quote is never closed",
        f"add the closing {quote} at the end of the text",
        mark.line,
        mark.column,
    )


def _quote_spanning_lines(error: _Error) -> Explained | None:
    """A quoted text that runs on to the line where parsing failed: its closing quote is missing."""
    for token in reversed(_quoted_tokens(error.text)):
        start, end = token.start_mark, token.end_mark
        if end.line == error.line and end.column <= error.column and start.line < end.line:
            quote = "'" if token.style == "'" else '"'
            return Explained(
                "this quote is not closed on its line",
                f"add the closing {quote} at the end of the text",
                start.line,
                start.column,
            )
    return None


def _quote_ends_early(error: _Error) -> Explained | None:
    """`title: "The "Big" Plan"`: the second quote ends the text, and the rest makes no sense."""
    for token in reversed(_quoted_tokens(error.text)):
        end = token.end_mark
        if end.line == error.line and end.column <= error.column:
            if token.style == "'":
                hint = "write a ' inside the text twice (''), or put the whole text in double quotes"
            else:
                hint = 'put the whole text in single quotes when it contains " (or write \\")'
            return Explained("this quote ends the text early", hint, end.line, end.column - 1)
    return None


def _unclosed_bracket(error: _Error) -> Explained | None:
    """A '[' or '{' still open on a later line: point at the bracket, not at where parsing stopped."""
    if "flow" not in error.context:
        return None
    still_open = [mark for mark in _open_brackets(error.text) if mark.line < error.line]
    if not still_open:
        return None
    mark = still_open[-1]
    opening = error.text[mark.index]
    closing = "]" if opening == "[" else "}"
    return Explained(
        f"the '{opening}' here is never closed",
        f"close it with '{closing}' on the same line, or put text that starts with '{opening}' in quotes",
        mark.line,
        mark.column,
    )


def _text_after_bracket(error: _Error) -> Explained | None:
    """`title: [Draft] Budget report`: YAML reads '[Draft]' as a list and trips over the rest."""
    line = error.line_text(error.line)
    before = line[: error.column].rstrip()
    value = re.match(r"^[ ]*(?:-[ ]+)*[^:#]+:[ ]+([\[{])", line)
    if not value or not before.endswith(("]", "}")):
        return None
    kind = "list" if value[1] == "[" else "set of fields"
    return Explained(
        f"text that starts with '{value[1]}' is read as a {kind}",
        "put the whole text in quotes",
        error.line,
        value.start(1),
    )


def _indented_too_far(error: _Error) -> Explained | None:
    """A field indented more than the one above reads as more of that field's text."""
    if "mapping values are not allowed" not in error.problem:
        return None
    previous = _previous_line(error)
    if previous is None:
        return None
    above_text = error.line_text(previous).rstrip()
    here, above = _key_column(error.line_text(error.line)), _key_column(above_text)
    if here <= above or above_text.endswith(":"):
        return None
    if ":" not in above_text:
        return Explained(
            "this line needs a colon: the line below is indented as one of its fields",
            f"write '{above_text.strip()}:', or line the next line up with this one",
            previous,
            len(above_text),
        )
    return Explained(
        "this line is indented further than the line above",
        "line it up with the field above it, using the same number of spaces",
        error.line,
        here,
    )


def _misaligned(error: _Error) -> Explained | None:
    if not any(p in error.problem for p in ("did not find expected key", "expected '-' indicator")):
        return None
    previous = _previous_line(error)
    line = error.line_text(error.line)
    if previous is None or not (":" in line or line.lstrip().startswith("-")):
        return None
    here, above = _key_column(line), _key_column(error.line_text(previous))
    if here == above:
        return None
    if line.lstrip().startswith("-"):
        return Explained(
            "this list item does not line up with the one above",
            "line up the '-' of each item of a list",
            error.line,
            len(line) - len(line.lstrip()),
        )
    return Explained(
        "this line does not line up with the fields around it",
        "give fields of the same record the same number of spaces before them",
        error.line,
        here,
    )


def _bad_first_character(error: _Error) -> Explained | None:
    line = error.line_text(error.line)
    first = line[error.column : error.column + 1]
    cannot_start = "cannot start any token" in error.problem or "directive" in error.context
    if (cannot_start and first in "@`%") or "constructor for the tag" in error.problem:
        first = first or "!"
        return Explained(
            f"a value cannot start with '{first}'",
            "put the text in quotes",
            error.line,
            error.column,
        )
    return None


def _line_without_colon(error: _Error) -> Explained | None:
    mark = error.context_mark
    if "expected ':'" not in error.problem or "simple key" not in error.context or mark is None:
        return None
    return Explained(
        "this line is not 'field: value'",
        "add the missing colon and a space after it, or indent the line if it continues the text above",
        mark.line,
        mark.column,
    )


#: libyaml's words → what a clerk can act on, where no rule above applied.
_PHRASES = [
    (
        "mapping values are not allowed",
        "a colon in an unexpected place",
        "put text that contains ': ' in quotes",
    ),
    (
        "could not find expected ':'",
        "a line that is not 'field: value'",
        "check this line and the one above: a missing colon or quote",
    ),
    (
        "did not find expected key",
        "the indentation does not line up",
        "line this field up with the fields around it",
    ),
    (
        "did not find expected '-' indicator",
        "the indentation of a list does not line up",
        "line up the '-' of each list item",
    ),
    (
        "block sequence entries are not allowed",
        "a '- ' in an unexpected place",
        "start a list on the next line, or put text that starts with '-' in quotes",
    ),
    ("found undefined alias", "a value cannot start with '*'", "put the text in quotes"),
    ("found unknown escape character", "a backslash in double quotes", "use single quotes, or write \\\\"),
]


def _phrase(error: _Error) -> Explained | None:
    for needle, message, hint in _PHRASES:
        if needle in error.problem:
            return Explained(message, hint, error.line, error.column)
    return None


_RULES: list[Rule] = [
    _another_document,
    _top_level_indented,
    _tab,
    _unclosed_quote,
    _quote_spanning_lines,
    _quote_ends_early,
    _unclosed_bracket,
    _text_after_bracket,
    _indented_too_far,
    _misaligned,
    _bad_first_character,
    _line_without_colon,
    _phrase,
]


# ---------------------------------------------------------------- helpers


def _quoted_tokens(text: str) -> list[yaml.ScalarToken]:
    """Quoted scalars as the pure-Python scanner sees them, up to where it stops."""
    found: list[yaml.ScalarToken] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                found.append(token)
    except yaml.YAMLError:
        pass
    return found


def _open_brackets(text: str) -> list[yaml.Mark]:
    """Where each '[' or '{' still open when the pure-Python scanner stops was opened."""
    opened: list[yaml.Mark] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                opened.append(token.start_mark)
            elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and opened:
                opened.pop()
    except yaml.YAMLError:
        pass
    return opened


_CONTENT = re.compile(r"^\s*(?:#.*)?$")


def _previous_line(error: _Error) -> int | None:
    """The nearest line above the error that holds something other than a comment."""
    for index in range(error.line - 1, -1, -1):
        if not _CONTENT.match(error.line_text(index)):
            return index
    return None


def _key_column(line: str) -> int:
    """Where the field name starts: after the indentation and any '- ' list markers."""
    match = re.match(r"^[ ]*(?:-[ ]+)*", line)
    return match.end() if match else 0
