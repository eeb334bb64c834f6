"""Stage 1 — load: read site_config.yaml and every file under content/ into plain data.

Nothing here knows the records; it only knows where each kind of file lives and
how to read it. Files that cannot be read become problems, never exceptions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from minutebook import yamlfile
from minutebook.problems import Problems

#: The largest content file read; anything bigger is almost certainly a mistake.
MAX_FILE_BYTES = 2_000_000

#: content/<folder>/… → the kind of record its YAML files hold.
FOLDER_KINDS = {
    "bodies": "body",
    "people": "person",
    "meetings": "meeting",
    "work-programmes": "work-programme",
}
#: Kinds whose files sit one folder deeper, in a folder named after the body.
PER_BODY = {"meeting", "work-programme"}


@dataclass(frozen=True)
class SourceFile:
    """One content file: where it is, what kind of record it holds, its parsed data."""

    rel: str
    kind: str
    data: Any
    digest: str

    @property
    def stem(self) -> str:
        return Path(self.rel).stem

    @property
    def folder(self) -> str:
        return Path(self.rel).parent.name


@dataclass
class Loaded:
    root: Path
    config: SourceFile | None
    files: list[SourceFile] = field(default_factory=list)
    #: Markdown documents and other attachments under content/meetings/<body>/<meeting>/.
    attachments: dict[str, bytes] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)


def load(root: Path, content_dir: str = "content") -> Loaded:
    problems = Problems()
    config = _read_yaml(root, "site_config.yaml", "config", problems)
    loaded = Loaded(root=root, config=config, problems=problems)
    content = root / content_dir
    if not content.is_dir():
        problems.error(content_dir, "the content folder is missing", "create it beside site_config.yaml")
        return loaded
    for path in sorted(content.rglob("*")):
        if path.is_file() and not _hidden(path.relative_to(root)):
            _load_one(root, path, loaded)
    return loaded


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _load_one(root: Path, path: Path, loaded: Loaded) -> None:
    rel = path.relative_to(root).as_posix()
    parts = Path(rel).parts[1:]  # without "content"
    kind = _kind_of(parts)
    if kind == "attachment":
        loaded.attachments[rel] = path.read_bytes()
    elif kind == "page":
        page = _read_page(root, rel, loaded.problems)
        if page:
            loaded.files.append(page)
    elif kind in FOLDER_KINDS.values() or kind == "topics":
        source = _read_yaml(root, rel, kind, loaded.problems)
        if source:
            loaded.files.append(source)
    else:
        _report_misplaced(rel, parts, loaded.problems)


def _kind_of(parts: tuple[str, ...]) -> str:
    name = parts[-1]
    if parts == ("topics.yaml",):
        return "topics"
    if len(parts) == 2 and parts[0] == "pages" and name.endswith(".md"):
        return "page"
    kind = FOLDER_KINDS.get(parts[0]) if len(parts) > 1 else None
    if kind is None or not name.endswith(".yaml"):
        if parts[0] == "meetings" and len(parts) >= 4:
            return "attachment"
        return "misplaced"
    depth = 3 if kind in PER_BODY else 2
    return kind if len(parts) == depth else "misplaced"


def _report_misplaced(rel: str, parts: tuple[str, ...], problems: Problems) -> None:
    name = parts[-1]
    if name.endswith(".yml"):
        problems.error(rel, "content files end in .yaml, not .yml", f"rename it to {name[:-4]}.yaml")
    elif name.endswith(".yaml") and parts[0] in FOLDER_KINDS:
        where = "content/<folder>/<body-id>/" if FOLDER_KINDS[parts[0]] in PER_BODY else "content/<folder>/"
        problems.error(rel, "this file is in the wrong folder", f"{parts[0]} files go in {where}")
    else:
        folders = ", ".join(sorted([*FOLDER_KINDS, "pages"]))
        problems.error(
            rel,
            "Minutebook does not know what this file is",
            f"content/ holds {folders} and topics.yaml; move or remove it",
        )


def _read_text(root: Path, rel: str, problems: Problems) -> tuple[str, str] | None:
    path = root / rel
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.error(rel, "file not found", "create it (see the clerk's guide, 'Getting started')")
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.error(
            rel,
            f"the file is {len(raw) // 1_000_000} MB; the most a content file may be is "
            f"{MAX_FILE_BYTES // 1_000_000} MB",
            "split long documents into separate Markdown files",
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(
            rel,
            "the file is not UTF-8 text",
            "save it as UTF-8 in your editor ('Save with encoding')",
            line=line,
            col=exc.start - raw.rfind(b"\n", 0, exc.start),
        )
        return None
    return text.removeprefix("\ufeff"), hashlib.sha256(raw).hexdigest()


def _read_yaml(root: Path, rel: str, kind: str, problems: Problems) -> SourceFile | None:
    read = _read_text(root, rel, problems)
    if read is None:
        return None
    text, digest = read
    try:
        data = yamlfile.parse(text)
    except yaml.YAMLError as exc:
        _report_yaml_error(rel, exc, problems)
        return None
    if not isinstance(data, dict):
        problems.error(
            rel,
            "this file must be a set of 'field: value' lines",
            "see the examples in the clerk's guide",
            line=1,
            col=1,
        )
        return None
    return SourceFile(rel, kind, data, digest)


def _read_page(root: Path, rel: str, problems: Problems) -> SourceFile | None:
    read = _read_text(root, rel, problems)
    if read is None:
        return None
    text, digest = read
    if not text.startswith("---\n"):
        problems.error(
            rel,
            "a page starts with a '---' line, its title, and another '---' line",
            "add:\n---\ntitle: Your title\n---",
            line=1,
            col=1,
        )
        return None
    head, sep, body = text[4:].partition("\n---\n")
    if not sep:
        problems.error(
            rel,
            "the front matter has no closing '---' line",
            "add a line '---' after the title",
            line=1,
            col=1,
        )
        return None
    try:
        data = yamlfile.parse(head) or {}
    except yaml.YAMLError as exc:
        _report_yaml_error(rel, exc, problems, line_offset=1)
        return None
    if not isinstance(data, dict):
        problems.error(
            rel, "the front matter must be 'field: value' lines", "e.g. title: About", line=2, col=1
        )
        return None
    return SourceFile(rel, "page", {**data, "body": body}, digest)


#: libyaml's words → what a clerk can act on.
_YAML_HINTS = [
    ("'\\t'", "a tab character is not allowed", "indent with spaces, not tabs"),
    (
        "mapping values are not allowed",
        "a colon in an unexpected place",
        "put text that contains ': ' in quotes, or check the indentation",
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
    ("found undefined alias", "an '*' starts a YAML alias", "put the text in quotes"),
    ("found unexpected end of stream", "a quote is never closed", "close the quote"),
    ("found unknown escape character", "a backslash in double quotes", "use single quotes, or write \\\\"),
    ("appears twice", "", "remove one of them; YAML would keep only the last"),
]


def _report_yaml_error(rel: str, exc: yaml.YAMLError, problems: Problems, line_offset: int = 0) -> None:
    mark = getattr(exc, "problem_mark", None)
    raw = getattr(exc, "problem", None) or str(exc)
    message, hint = f"this is not valid YAML: {raw}", "see 'Writing YAML' in the clerk's guide"
    for needle, friendly, advice in _YAML_HINTS:
        if needle in raw:
            message, hint = (friendly or raw), advice
            break
    line = mark.line + 1 + line_offset if mark else 1
    col = mark.column + 1 if mark else 1
    problems.error(rel, message, hint, line=line, col=col)
