"""Stage 1 — load: read site_config.yaml and every file under content/ into plain data.

Nothing here knows the records; it only knows where each kind of file lives and
how to read it. Files that cannot be read become problems, never exceptions.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

import yaml

from minutebook import references, yamlerrors, yamlfile
from minutebook.problems import Problem, Problems, Severity

#: The largest content file read; anything bigger is almost certainly a mistake.
MAX_FILE_BYTES = 2_000_000

#: From this many files to parse, worker processes parse a share each while the build's process
#: parses its own (10,000 meetings: ~11 s of parsing on one core; benchmarks/RESULTS.md).
PARALLEL_PARSE_FILES = 1000

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

    # String functions rather than a Path each: validating asks for these ~5 times per file.
    @property
    def stem(self) -> str:
        return os.path.splitext(os.path.basename(self.rel))[0]

    @property
    def folder(self) -> str:
        return os.path.basename(os.path.dirname(self.rel))


@dataclass
class Loaded:
    root: Path
    config: SourceFile | None
    files: list[SourceFile] = field(default_factory=list)
    #: Markdown documents and other attachments under content/meetings/<body>/<meeting>/.
    attachments: dict[str, bytes] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)

    def texts(self) -> Iterator[str]:
        """Every text in the parsed files, file by file: what the pages' Markdown can be guessed from."""
        for source in self.files:
            yield from _texts_in(source.data)


def _texts_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts_in(item)


@dataclass
class ParseCache:
    """Files parsed by earlier builds in this process, by path: the preview server keeps one.

    An entry is used only while the file's size and modification time are unchanged; a
    file that had errors is never kept, so its problems are reported again each time.
    """

    entries: dict[str, tuple[tuple[int, int], SourceFile, list[Problem]]] = field(default_factory=dict)
    #: The record validate made from each parsed file, kept with the parse it came from: a file
    #: parsed again gets a new SourceFile, so its old record no longer matches.
    records: dict[str, tuple[SourceFile, object]] = field(default_factory=dict)
    #: How many times a file was parsed into the cache: unchanged means no file changed since.
    reads: int = 0
    #: The minute numbers found in texts by the last build's linking, for the next (references.Memo).
    prose_references: references.Memo | None = None

    def get(self, root: Path, rel: str) -> tuple[SourceFile, list[Problem]] | None:
        entry = self.entries.get(rel)
        if entry is None or entry[0] != file_stamp(root / rel):
            return None
        return entry[1], entry[2]

    def put(self, root: Path, rel: str, source: SourceFile, warnings: list[Problem]) -> None:
        self.entries[rel] = (file_stamp(root / rel), source, warnings)
        self.reads += 1

    def record(self, source: SourceFile) -> object | None:
        """The record validated from this very parse of the file, if one was kept."""
        kept = self.records.get(source.rel)
        return kept[1] if kept is not None and kept[0] is source else None

    def keep_record(self, source: SourceFile, record: object) -> None:
        self.records[source.rel] = (source, record)


def file_stamp(path: Path) -> tuple[int, int]:
    """Size and modification time, (-1, -1) for a missing file: what tells that a file changed."""
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


def load(
    root: Path,
    content_dir: str = "content",
    cache: ParseCache | None = None,
    go_on: Callable[[], None] = lambda: None,
    jobs: int = 1,
) -> Loaded:
    """Read every content file; `go_on`, called for each, may stop the build (it raises).

    With `jobs` above 1 and many files to parse, `jobs - 1` worker processes parse the later files
    while this one parses the first; the files and problems come out in the same order either way.
    """
    problems = Problems()
    reader = _CachedReader(root, problems, cache)
    config = reader.read("site_config.yaml", "config")
    loaded = Loaded(root=root, config=config, problems=problems)
    content = root / content_dir
    if not content.is_dir():
        problems.error(content_dir, "the content folder is missing", "create it beside site_config.yaml")
        return loaded
    files = _content_files(root, content)
    with _parsing_elsewhere(root, files, reader, jobs) as reader.elsewhere:
        for rel in files:
            go_on()
            _load_one(root, rel, loaded, reader)
    return loaded


def _content_files(root: Path, content: Path) -> list[str]:
    """Every file in `content` that is not hidden (no part of its path starts with a dot)."""
    return [rel for rel, _ in files_below(root, content.relative_to(root).as_posix(), hidden=False)]


def files_below(root: Path, folder: str, *, hidden: bool) -> list[tuple[str, os.DirEntry[str]]]:
    """Each file at any depth in `root/folder`: its path relative to `root` with forward slashes and
    its directory entry, in the order of sorting their `Path`s; with `hidden`, names starting with a
    dot too. Folders that are links are not entered, as `Path.rglob` does not.

    Listed with `os.scandir` and kept as strings: a `Path` per file cost half a second at 10,000
    meetings, on every build and every save the preview builds.
    """
    found: list[tuple[str, os.DirEntry[str]]] = []

    def walk(path: str, rel: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if not hidden and entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{rel}/{entry.name}")
                elif entry.is_file():
                    found.append((f"{rel}/{entry.name}", entry))

    walk(str(root / folder), folder)
    return sorted(found, key=lambda item: item[0].split("/"))


def read_yaml_file(root: Path, rel: str, kind: str) -> tuple[SourceFile | None, list[Problem]]:
    """One YAML content file read afresh, with the problems reading it found (the preview's fast path)."""
    problems = Problems()
    return _read_yaml(root, rel, kind, problems), problems.items


#: One file parsed: its path, what it holds (None when it could not be read) and the problems found.
_Parsed = tuple[str, "SourceFile | None", list[Problem]]


@dataclass
class _Elsewhere:
    """Files being parsed in worker processes: their results, collected when the first is needed."""

    pending: AsyncResult[list[list[_Parsed]]]
    rels: set[str]
    results: dict[str, tuple[SourceFile | None, list[Problem]]] | None = None

    def take(self, rel: str) -> tuple[SourceFile | None, list[Problem]] | None:
        if rel not in self.rels:
            return None
        if self.results is None:
            self.results = {r: (source, found) for share in self.pending.get() for r, source, found in share}
        return self.results.pop(rel)


@dataclass
class _CachedReader:
    """Reads YAML files and pages, through the parse cache when there is one."""

    root: Path
    problems: Problems
    cache: ParseCache | None
    elsewhere: _Elsewhere | None = None
    #: Parse-cache hits already looked up (each lookup reads the file's size and time).
    hits: dict[str, tuple[SourceFile, list[Problem]]] = field(default_factory=dict)

    def cached(self, rel: str) -> bool:
        hit = self.cache.get(self.root, rel) if self.cache is not None else None
        if hit is not None:
            self.hits[rel] = hit
        return hit is not None

    def read(self, rel: str, kind: str) -> SourceFile | None:
        hit = self.hits.pop(rel, None)
        if hit is None and self.cache is not None:
            hit = self.cache.get(self.root, rel)
        if hit is not None:
            self.problems.items.extend(hit[1])
            return hit[0]
        before = len(self.problems.items)
        if self.elsewhere is not None and (done := self.elsewhere.take(rel)) is not None:
            source = done[0]
            self.problems.items.extend(done[1])
        else:
            source = _read_file(self.root, rel, kind, self.problems)
        found = self.problems.items[before:]
        clean = not any(p.severity is Severity.error for p in found)
        if self.cache is not None and source is not None and clean:
            self.cache.put(self.root, rel, source, found)
        return source


def _read_file(root: Path, rel: str, kind: str, problems: Problems) -> SourceFile | None:
    return (_read_page if kind == "page" else _read_yaml)(root, rel, kind, problems)


def _to_parse(files: list[str], reader: _CachedReader) -> list[tuple[str, str]]:
    """(path, kind) of each file that will be parsed, not taken from the parse cache, in order."""
    wanted = []
    for rel in files:
        kind = _kind_of(_parts_in_content(rel))
        if _is_parsed(kind) and not reader.cached(rel):
            wanted.append((rel, kind))
    return wanted


@contextlib.contextmanager
def _parsing_elsewhere(
    root: Path, files: list[str], reader: _CachedReader, jobs: int
) -> Iterator[_Elsewhere | None]:
    """Workers parsing all but the first 1/`jobs` of the files to parse (forked, so they start at once)."""
    if jobs <= 1 or len(files) < PARALLEL_PARSE_FILES or sys.platform == "win32":
        yield None
        return
    wanted = _to_parse(files, reader)
    if len(wanted) < PARALLEL_PARSE_FILES:
        yield None
        return
    theirs = wanted[len(wanted) // jobs :]
    step = -(-len(theirs) // (jobs - 1))
    shares = [(root, theirs[start : start + step]) for start in range(0, len(theirs), step)]
    with multiprocessing.get_context("fork").Pool(len(shares)) as pool:  # leaving it stops the workers
        yield _Elsewhere(pool.map_async(_parse_share, shares), {rel for rel, _ in theirs})


def _parse_share(share: tuple[Path, list[tuple[str, str]]]) -> list[_Parsed]:
    root, files = share
    parsed = []
    for rel, kind in files:
        problems = Problems()
        parsed.append((rel, _read_file(root, rel, kind, problems), problems.items))
    return parsed


def _is_parsed(kind: str) -> bool:
    return kind == "page" or kind in FOLDER_KINDS.values() or kind == "topics"


def _load_one(root: Path, rel: str, loaded: Loaded, reader: _CachedReader) -> None:
    parts = _parts_in_content(rel)
    kind = _kind_of(parts)
    if kind == "attachment":
        loaded.attachments[rel] = (root / rel).read_bytes()
    elif _is_parsed(kind):
        source = reader.read(rel, kind)
        if source:
            loaded.files.append(source)
    else:
        _report_misplaced(rel, parts, loaded.problems)


def _parts_in_content(rel: str) -> tuple[str, ...]:
    """The parts of a content file's path below the content folder."""
    return tuple(rel.split("/")[1:])


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
    message, hint = _misplaced(parts)
    problems.error(rel, message, hint, line=1, col=1)


def _misplaced(parts: tuple[str, ...]) -> tuple[str, str]:
    name, folder = parts[-1], parts[0]
    known = [*FOLDER_KINDS, "pages"]
    if name.endswith(".yml"):
        return "content files end in .yaml, not .yml", f"rename it to {name[:-4]}.yaml"
    if len(parts) > 1 and folder not in known:
        return f"Minutebook does not read a folder named '{folder}'", _folder_hint(folder, known)
    if name.endswith(".yaml") and folder in FOLDER_KINDS:
        return "this file is in the wrong folder", _right_folder(parts)
    if folder == "pages":
        return "a page is a Markdown file directly in content/pages/", "name it like about.md"
    if folder == "meetings":
        return (
            "Minutebook does not know what this file is",
            "a meeting's papers go in a folder named after the meeting's file, "
            "e.g. content/meetings/<body-id>/2018-11-29/",
        )
    return (
        "Minutebook does not know what this file is",
        f"content/ holds the folders {_listed(known)} and topics.yaml; move or remove it",
    )


#: Folder names a clerk might reach for, and the folder Minutebook reads instead.
_FOLDER_WORDS = {
    "minutes": "meetings",
    "agendas": "meetings",
    "agenda": "meetings",
    "papers": "meetings",
    "committees": "bodies",
    "body": "bodies",
    "members": "people",
    "councillors": "people",
    "person": "people",
    "persons": "people",
    "page": "pages",
    "programmes": "work-programmes",
}


def _folder_hint(folder: str, known: list[str]) -> str:
    if folder.lower() == "topics":
        return "topics are kept in one file, content/topics.yaml"
    close = _FOLDER_WORDS.get(folder.lower()) or next(
        iter(difflib.get_close_matches(folder.lower(), known, n=1, cutoff=0.75)), None
    )
    return f"did you mean content/{close}/?" if close else f"the folders are {_listed(known)}"


def _right_folder(parts: tuple[str, ...]) -> str:
    folder, name = parts[0], parts[-1]
    if FOLDER_KINDS[folder] not in PER_BODY:
        return f"move it to content/{folder}/{name}"
    if len(parts) == 2:
        return f"move it into the folder named after its body: content/{folder}/<body-id>/{name}"
    return f"move it to content/{folder}/{parts[1]}/{name}"


def _listed(names: list[str]) -> str:
    return ", ".join(sorted(names))


def _read_text(root: Path, rel: str, problems: Problems) -> tuple[str, str] | None:
    path = root / rel
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.error(
            rel,
            f"there is no {rel} in {root}",
            "run minutebook in the site's folder or name it with --site; "
            "a new site needs one (see 'Getting started' in the clerk's guide)",
        )
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.error(
            rel,
            f"the file is {len(raw) / 1_000_000:.1f} MB; a content file may be at most "
            f"{MAX_FILE_BYTES / 1_000_000:.0f} MB",
            "split it into smaller files, e.g. one Markdown file per appendix",
            line=1,
            col=1,
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
    not_fields = (
        "this file must be a set of 'field: value' lines",
        "write one field per line, with a space after the colon, e.g. 'name: M Mutton'",
    )
    data = _parse_fields(rel, text, problems, not_fields, line=1, empty_ok=False)
    return None if data is None else SourceFile(rel, kind, data, digest)


def _parse_fields(
    rel: str, text: str, problems: Problems, not_fields: tuple[str, str], *, line: int, empty_ok: bool
) -> dict[str, Any] | None:
    """YAML that must be 'field: value' lines: its data, or None with the problem reported."""
    try:
        data = yamlfile.parse(text)
    except yaml.YAMLError as exc:
        _report_yaml_error(rel, exc, text, problems)
        return None
    _warn_of_comments(rel, text, problems)
    if data is None and empty_ok:  # the model then names the fields that are missing
        return {}
    if not isinstance(data, dict):
        problems.error(rel, *not_fields, line=line, col=1)
        return None
    return data


def front_matter(text: str) -> str | None:
    """A page's text up to its closing '---' line: YAML whose marks are the file's own lines."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0 and text.endswith("\n---"):
        end = len(text) - 4
    return text[: end + 1] if end >= 0 else None


def _missing_front_matter(text: str) -> tuple[str, str]:
    if text.startswith("---\n"):
        return "the front matter has no closing '---' line", "add a line '---' after the title"
    return (
        "a page starts with its title between two '---' lines",
        "make the first three lines '---', 'title: Your title', '---'",
    )


def _read_page(root: Path, rel: str, kind: str, problems: Problems) -> SourceFile | None:
    read = _read_text(root, rel, problems)
    if read is None:
        return None
    text, digest = read
    front = front_matter(text)
    if front is None:
        problems.error(rel, *_missing_front_matter(text), line=1, col=1)
        return None
    body = text[len(front) + len("---\n") :]
    not_fields = ("the front matter must be 'field: value' lines", "e.g. title: About")
    data = _parse_fields(rel, front, problems, not_fields, line=2, empty_ok=True)
    return None if data is None else SourceFile(rel, "page", {**data, "body": body}, digest)


def _warn_of_comments(rel: str, text: str, problems: Problems) -> None:
    for line, column in yamlfile.cut_by_comments(text):
        problems.warning(
            rel,
            "the text from this '#' is left out: YAML reads ' #' as the start of a comment",
            "put the whole text in quotes",
            line=line + 1,
            col=column + 1,
        )


def _report_yaml_error(rel: str, exc: yaml.YAMLError, text: str, problems: Problems) -> None:
    explained = yamlerrors.explain(exc, text)
    problems.error(rel, explained.message, explained.hint, line=explained.line + 1, col=explained.column + 1)
