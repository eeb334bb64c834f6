"""Problems found in a site's content: the errors and warnings a clerk reads.

A problem names the file and a path inside its YAML document; the line and
column are found lazily (see `locate.py`) so a good build never pays for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

#: A path inside a YAML document: mapping keys and sequence indexes.
DocPath = tuple[str | int, ...]


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    hint: str = ""
    path: DocPath = ()
    severity: Severity = Severity.error
    line: int | None = None
    col: int | None = None
    #: Lines into a text value, for a mistake inside a block of Markdown.
    text_line: int | None = None
    #: Characters into a text value: points at the very word, whatever the YAML style.
    text_offset: int | None = None
    #: Point at the key rather than its value (unknown or misspelt fields).
    at_key: bool = False

    def format(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        kind = "" if self.severity is Severity.error else "warning: "
        hint = f" — {self.hint}" if self.hint else ""
        return f"{where}: {kind}{self.message}{hint}"


@dataclass
class Problems:
    """Every problem of one build, gathered so all are reported together."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def error(self, file: str, message: str, hint: str = "", path: DocPath = (), **kw: object) -> None:
        self.items.append(Problem(file, message, hint, path, Severity.error, **kw))  # type: ignore[arg-type]

    def warning(self, file: str, message: str, hint: str = "", path: DocPath = (), **kw: object) -> None:
        self.items.append(Problem(file, message, hint, path, Severity.warning, **kw))  # type: ignore[arg-type]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.warning]


def relative_to(root: Path, problems: list[Problem]) -> list[Problem]:
    """Problems in files named by absolute path (a site's templates) as seen from the site folder."""
    return [replace(p, file=_relative(root, p.file)) for p in problems]


def _relative(root: Path, file: str) -> str:
    path = Path(file)
    if not path.is_absolute():
        return file
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file


class BuildCancelled(Exception):
    """A build stopped on request (the preview, when a newer save arrives); nothing was published."""


class BuildFailed(Exception):
    """Raised by a stage when the content has errors; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
