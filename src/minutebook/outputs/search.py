"""The search index as a post-build step (see minutebook.index for what is indexed).

Pagefind runs in processes of its own, each on one core: the step starts them before the pages
render (`begin`) and collects them afterwards (`run`), so indexing and rendering overlap. A large
archive is indexed in parts (index.search_parts), a few side by side; the parts after the first
are moved under `pagefind/` at the end, with `parts.json` telling the search page what to merge.

`parts.json` also records a digest of each part's documents (and of the Pagefind that indexed
them): a part whose documents are the same as in the site being replaced is taken from it, hard
linked, instead of being indexed again. An edit to one meeting re-indexes one part.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from minutebook import index, pagefind_cli, write
from minutebook.index import SearchPart
from minutebook.outputs import StepContext
from minutebook.pagefind_cli import SearchPage
from minutebook.priority import usable_cores

#: Pagefind processes at once, at most (each holds its part in memory: up to ~2 GB at full size).
MAX_PAGEFINDS = 3

#: What a merged part needs; the engine and the interface come from the first part.
_PART_FILES = ("pagefind-entry.json", "index", "fragment", "filter")


class SearchIndex:
    name = "search index"

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []
        self._processes: list[subprocess.Popen[bytes]] = []
        self._parts: list[SearchPart] = []
        self._waiting: Iterator[SearchPart] = iter(())
        self._lock = threading.Lock()
        self._counts: dict[int, int] = {}
        self._digests: dict[int, str] = {}
        self._reused: list[int] = []
        self._previous: dict[str, str] = {}
        self._failures: list[BaseException] = []
        self._stopped = False

    def begin(self, context: StepContext) -> None:
        if not (context.search and context.site.config.search):
            return
        per_part = context.search_part_documents or index.DOCUMENTS_PER_PART
        self._parts = index.search_parts(context.site, per_part)
        # The largest parts first, so the last to finish is a small one: the build waits for it.
        self._waiting = iter(sorted(self._parts, key=lambda part: -part.documents))
        self._previous = _published_digests(context.published)
        lanes = min(len(self._parts), usable_cores(), MAX_PAGEFINDS)
        for _ in range(lanes):
            thread = threading.Thread(target=self._index_parts, args=(context,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _index_parts(self, context: StepContext) -> None:
        # A part's documents are made in this thread, with a Markdown renderer of the thread's own (a
        # large build has converted every text by now, so it mostly reads its copy), then compared
        # with the published part's digest: only a changed part goes to Pagefind. They are made and
        # written while Pagefind still indexes this lane's previous part, so it starts the next part
        # at once: making them competes for the interpreter with the build's own steps, and took up
        # to 6 s a part at 10,000 meetings.
        markdown = context.renderer.markdown.for_another_thread()
        indexing: pagefind_cli.Indexing | None = None
        try:
            while (part := self._next_part()) is not None:
                pages = list(index.pages(context.site, context.renderer, markdown, part))
                digest = _digest(pages)
                if self._previous.get(part.folder) == digest and _reuse(context, part):
                    with self._lock:
                        self._reused.append(part.number)
                else:
                    documents = pagefind_cli.write_documents(pages, _source(context, part))
                    if indexing is not None:
                        indexing.wait()
                    indexing = pagefind_cli.start(documents, _bundle(context, part), started=self._keep)
                with self._lock:
                    self._counts[part.number] = len(pages)
                    self._digests[part.number] = digest
            if indexing is not None:
                indexing.wait()
        except BaseException as exc:  # handed to the build's thread in run()
            with self._lock:
                self._failures.append(exc)

    def _next_part(self) -> SearchPart | None:
        with self._lock:
            if self._failures or self._stopped:
                return None
            return next(self._waiting, None)

    def _keep(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.append(process)
            if self._stopped:  # abandoned while this part was starting
                process.kill()

    def run(self, context: StepContext) -> None:
        if not self._threads:
            self.begin(context)
        if not self._threads:
            return
        # Pagefind may take minutes on a large archive: stay stoppable, and stop the other parts
        # as soon as one fails.
        while not self._failures and (alive := [t for t in self._threads if t.is_alive()]):
            alive[0].join(timeout=0.2)
            context.go_on()
        if self._failures:
            self.abandon()
            raise self._failures[0]
        _gather_parts(context, self._parts, self._digests)
        context.figures["search documents"] = sum(self._counts.values())
        if len(self._parts) > 1:
            context.figures["search index parts"] = len(self._parts)
        if self._reused:
            context.figures["search index parts kept"] = len(self._reused)

    def abandon(self) -> None:
        """The build failed: stop Pagefind rather than let it write into a discarded folder."""
        with self._lock:
            self._stopped = True
            running = list(self._processes)
        for process in running:
            if process.poll() is None:
                process.kill()
        for thread in self._threads:
            thread.join(timeout=10)


def _bundle(context: StepContext, part: SearchPart) -> Path:
    """Where Pagefind writes a part: the first in place, the others beside it until all are done."""
    if part.number == 1:
        return context.staging / part.folder
    return context.staging / f".pagefind-part-{part.number}"


def _source(context: StepContext, part: SearchPart) -> Path:
    """Where a part's documents are written for Pagefind to read (removed once it has)."""
    return context.staging / f".pagefind-source-{part.number}"


def _digest(pages: list[SearchPage]) -> str:
    """What a part's bundle is made from: its documents, and the Pagefind that indexes them."""
    digest = hashlib.blake2b(_pagefind_version().encode(), digest_size=16)
    for page in pages:
        digest.update(f"\0{page.url}\0{page.html}".encode())
    return digest.hexdigest()


def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return "unknown"


def _published_digests(published: Path | None) -> dict[str, str]:
    """Each part's digest in the site being replaced, by folder; none if it has no listing."""
    if published is None:
        return {}
    try:
        listing = json.loads((published / "pagefind" / "parts.json").read_text(encoding="utf-8"))
        return {part["folder"]: part["digest"] for part in listing["parts"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _reuse(context: StepContext, part: SearchPart) -> bool:
    """Link the part's bundle from the site being replaced into the staging folder; False (and
    nothing left half-copied) if it cannot be."""
    assert context.published is not None
    source, target = context.published / part.folder, _bundle(context, part)
    try:
        for folder, subfolders, files in os.walk(source):
            here = target / Path(folder).relative_to(source)
            here.mkdir(parents=True, exist_ok=True)
            if part.number == 1 and Path(folder) == source:
                # The other parts and their listing are not part 1's.
                subfolders[:] = [name for name in subfolders if not name.startswith("part-")]
                files = [name for name in files if name != "parts.json"]
            for name in files:
                write.carry_over(Path(folder) / name, here / name)
        if (target / "pagefind-entry.json").is_file():
            return True
    except OSError:
        pass
    with contextlib.suppress(OSError):
        shutil.rmtree(target)
    return False


def _gather_parts(context: StepContext, parts: list[SearchPart], digests: dict[int, str]) -> None:
    """Move the later parts under pagefind/ (only the files a merged index reads) and list them."""
    first = context.staging / parts[0].folder
    for part in parts[1:]:
        written, published = _bundle(context, part), context.staging / part.folder
        published.mkdir(parents=True)
        for name in _PART_FILES:
            if (written / name).exists():
                (written / name).rename(published / name)
        for meta in written.glob("*.pf_meta"):
            meta.rename(published / meta.name)
        shutil.rmtree(written)
    listing = {
        "parts": [
            {
                "path": context.renderer.url(f"{part.folder}/"),
                "years": [year.label for year in part.years],
                "folder": part.folder,
                "digest": digests[part.number],
            }
            for part in parts
        ]
    }
    (first / "parts.json").write_text(json.dumps(listing, indent=1) + "\n", encoding="utf-8")
