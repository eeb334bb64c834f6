"""Markdown to safe HTML, once per distinct text, with minute references turned into links.

Content arrives from many hands, so every fragment is sanitised with nh3 whatever
the clerk wrote; headings inside prose are pushed below the page's own outline.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import pickle
import re
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from multiprocessing.synchronize import Event
from pathlib import Path

import markdown
import nh3
from markupsafe import Markup

from minutebook import __version__

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "th": {"scope"}, "td": set()}
_HEADING = re.compile(r"<(/?)h([1-6])>")

#: A line of a plain paragraph: it starts with a letter, a digit (not as "1. ", a list) or an
#: opening quote or bracket, and holds none of the characters that mean something to Markdown or
#: HTML (* _ ` [ ] < > & # | { } \ ~).
#: Plain paragraphs are most of what minutes hold; they convert without Python-Markdown.
_PLAIN_LINE = re.compile(
    r"(?!\d+\.(?: |$))[A-Za-z0-9\u00c0-\u024f(\"'\u2018\u201c]"
    r"[A-Za-z0-9\u00c0-\u024f .,;:!?'\"()%/=+\-\u2013\u2014\u2018\u2019\u201c\u201d\u00a3\u20ac$@]*"
)
_BLANK_LINES = re.compile(r"\n\n+")


class MarkdownRenderer:
    """Renders and caches fragments; one instance per build, shared by every page.

    `prime` renders many texts at once, spread over worker processes, and keeps them
    in an optional on-disk cache keyed by the text's hash, so a text is converted once
    per archive rather than once per page that shows it.
    """

    def __init__(self, disk_cache: Path | None = None) -> None:
        self._md = markdown.Markdown(
            extensions=["tables", "sane_lists", "attr_list", "def_list"], output_format="html"
        )
        self._cache: dict[str, Markup] = {}
        self._disk_cache = disk_cache

    def render(self, text: str | None) -> Markup:
        if not text:
            return Markup("")
        key = _key(text)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = Markup(self._convert(text))
        return cached

    def for_another_thread(self) -> MarkdownRenderer:
        """A renderer for another thread: it starts with a copy of what this one has converted,
        and converts anything else with its own Python-Markdown instance (which is not thread-safe).
        """
        other = MarkdownRenderer()
        other._cache = dict(self._cache)
        return other

    def prime(self, texts: Iterable[str], jobs: int, ahead: ConvertingAhead | None = None) -> int:
        """Render every text not yet known; returns how many needed Python-Markdown.

        Plain paragraphs are done here and now (cheaper than a worker or the disk cache); the
        rest come from what `ahead` converted, from the disk cache, or are converted in parallel.
        """
        missing = {key: text for text in texts if text and (key := _key(text)) not in self._cache}
        for key, text in list(missing.items()):
            plain = plain_paragraphs(text)
            if plain is not None:
                self._cache[key] = Markup(plain)
                del missing[key]
        converted_ahead = ahead.results() if ahead is not None else {}
        early = _taken(missing, converted_ahead)
        for key, html in converted_ahead.items():
            # Also those the pages do not show as they are: the search documents hold a minute's
            # words before its references became links.
            if key not in self._cache:
                self._cache[key] = Markup(html)
        if self._disk_cache is not None:
            for key, html in _read_disk(self._disk_cache, list(missing)):
                self._cache[key] = Markup(html)
                del missing[key]
        keys, sources = list(missing), list(missing.values())
        converted = _convert_many(sources, jobs)
        self._cache.update((key, Markup(html)) for key, html in zip(keys, converted, strict=True))
        if self._disk_cache is not None and (keys or early):
            _write_disk(self._disk_cache, early + list(zip(keys, converted, strict=True)))
        return len(keys) + len(early)

    def _convert(self, text: str) -> str:
        plain = plain_paragraphs(text)
        return plain if plain is not None else self.convert_with_markdown(text)

    def convert_with_markdown(self, text: str) -> str:
        """Python-Markdown, headings pushed down, then the sanitiser: the full path."""
        html = self._md.reset().convert(text)
        html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)
        return nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes={"http", "https", "mailto", "tel"},
            link_rel=None,
        )


def _taken(missing: dict[str, str], converted: Mapping[str, str]) -> list[tuple[str, str]]:
    """The missing texts found in `converted`, taken out of `missing`."""
    found = [(key, html) for key in missing if (html := converted.get(key)) is not None]
    for key, _ in found:
        del missing[key]
    return found


class ConvertingAhead:
    """Texts converted in a forked process while this one does work that keeps one core busy.

    Validating and linking a large archive run on one core (5 s at 10,000 meetings) before the
    build knows which texts its pages show. The texts can be guessed from the parsed files: a
    worker converts every one that is not plain paragraphs until `results` is asked for, and
    `prime` takes them. A guess never changes a page: conversions are keyed by the text itself,
    so a text that the pages show differently (a minute reference made a link) is converted
    again for them, while its words as written serve the search documents.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        context = multiprocessing.get_context("fork")
        self._stop = context.Event()
        handle, name = tempfile.mkstemp(prefix="minutebook-markdown-", suffix=".pickle")
        os.close(handle)
        self._results = Path(name)
        self._process: multiprocessing.process.BaseProcess | None = context.Process(
            target=_convert_ahead, args=(texts, self._stop, self._results), daemon=True
        )
        self._process.start()

    def results(self) -> dict[str, str]:
        """Stop converting (after the text in hand) and return what was converted, by key."""
        if self._process is None:
            return {}
        self._stop.set()
        self._process.join()
        try:
            if self._process.exitcode != 0:
                return {}  # whatever went wrong there, the texts are converted here instead
            converted: dict[str, str] = pickle.loads(self._results.read_bytes())  # noqa: S301 (our own worker's file)
            return converted
        except (OSError, EOFError, pickle.UnpicklingError):
            return {}  # its file was lost or cut short: the same
        finally:
            self.close()

    def close(self) -> None:
        """Stop the worker at once if it still runs and remove its file (the build failed or is done)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._process = None
        self._results.unlink(missing_ok=True)


def _convert_ahead(texts: Iterable[str], stop: Event, results: Path) -> None:
    renderer = MarkdownRenderer()
    converted: dict[str, str] = {}
    for text in texts:
        if stop.is_set():
            break
        if plain_paragraphs(text) is None and (key := _key(text)) not in converted:
            converted[key] = renderer.convert_with_markdown(text)
    results.write_bytes(pickle.dumps(converted, protocol=pickle.HIGHEST_PROTOCOL))


def plain_paragraphs(text: str) -> str | None:
    """Python-Markdown's output, byte for byte, for text that is only plain paragraphs; else None.

    Nothing in such text can become markup, so it needs neither Python-Markdown nor the sanitiser:
    a third of a cold build's time went on converting texts like these (benchmarks/RESULTS.md).
    """
    paragraphs = _BLANK_LINES.split(text.strip("\n"))
    for paragraph in paragraphs:
        for line in paragraph.split("\n"):
            if line.endswith(" ") or not _PLAIN_LINE.fullmatch(line):
                return None
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


#: Part of every cache key: a new engine, Markdown or sanitiser may render differently.
_SALT = f"{__version__}|{markdown.__version__}|{getattr(nh3, '__version__', '')}|".encode()

#: Below this many texts, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 2000


def _key(text: str) -> str:
    return hashlib.blake2b(_SALT + text.encode(), digest_size=16).hexdigest()


def _convert_many(texts: list[str], jobs: int) -> list[str]:
    if jobs <= 1 or len(texts) < PARALLEL_THRESHOLD or sys.platform == "win32":
        return _convert_chunk(texts)
    step = max(1, len(texts) // (jobs * 4))
    chunks = [texts[start : start + step] for start in range(0, len(texts), step)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return [html for chunk in pool.map(_convert_chunk, chunks) for html in chunk]


def _convert_chunk(texts: list[str]) -> list[str]:
    """Texts `prime` found not to be plain paragraphs: straight to Python-Markdown."""
    renderer = MarkdownRenderer()
    return [renderer.convert_with_markdown(text) for text in texts]


def _read_disk(path: Path, keys: list[str]) -> Iterator[tuple[str, str]]:
    if not keys or not path.exists():
        return
    with contextlib.closing(sqlite3.connect(path)) as db:
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            marks = ",".join("?" * len(batch))
            yield from db.execute(f"SELECT key, html FROM fragments WHERE key IN ({marks})", batch)  # noqa: S608


def _write_disk(path: Path, rows: list[tuple[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE IF NOT EXISTS fragments (key TEXT PRIMARY KEY, html TEXT NOT NULL)")
        db.executemany("INSERT OR REPLACE INTO fragments VALUES (?, ?)", rows)
