"""The search index as a post-build step (see minutebook.index for what is indexed).

Pagefind runs in processes of its own, each on one core: the step starts them before the pages
render (`begin`) and collects them afterwards (`run`), so indexing and rendering overlap. A large
archive is indexed in parts (index.search_parts), a few side by side; the parts after the first
are moved under `pagefind/` at the end, with `parts.json` telling the search page what to merge.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

from minutebook import index, pagefind_service
from minutebook.index import SearchPart
from minutebook.outputs import StepContext
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
        self._failures: list[BaseException] = []
        self._stopped = False

    def begin(self, context: StepContext) -> None:
        if not (context.search and context.site.config.search):
            return
        per_part = context.search_part_documents or index.DOCUMENTS_PER_PART
        self._parts = index.search_parts(context.site, per_part)
        self._waiting = iter(self._parts)
        lanes = min(len(self._parts), usable_cores(), MAX_PAGEFINDS)
        for _ in range(lanes):
            thread = threading.Thread(target=self._index_parts, args=(context,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _index_parts(self, context: StepContext) -> None:
        # Documents are made in this thread as Pagefind takes them, with a Markdown renderer of the
        # thread's own: a large build has converted every text by now, so it mostly reads its copy.
        markdown = context.renderer.markdown.for_another_thread()
        while (part := self._next_part()) is not None:
            try:
                records = index.payloads(context.site, context.renderer, markdown, part)
                count = pagefind_service.build_index(records, _bundle(context, part), started=self._keep)
                with self._lock:
                    self._counts[part.number] = count
            except BaseException as exc:  # handed to the build's thread in run()
                with self._lock:
                    self._failures.append(exc)
                return

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
        _gather_parts(context, self._parts)
        context.figures["search documents"] = sum(self._counts.values())
        if len(self._parts) > 1:
            context.figures["search index parts"] = len(self._parts)

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


def _gather_parts(context: StepContext, parts: list[SearchPart]) -> None:
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
            }
            for part in parts
        ]
    }
    (first / "parts.json").write_text(json.dumps(listing, indent=1) + "\n", encoding="utf-8")
