"""The search index as a post-build step (see minutebook.index for what is indexed).

Pagefind runs in its own process, mostly on one core: the step starts it before the pages
render (`begin`) and collects it afterwards (`run`), so indexing and rendering overlap.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator

from minutebook import index, pagefind_service
from minutebook.outputs import StepContext


class SearchIndex:
    name = "search index"

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._outcome: list[int | BaseException] = []

    def begin(self, context: StepContext) -> None:
        if not (context.search and context.site.config.search):
            return
        # Documents are made in the indexing thread as Pagefind takes them, with a Markdown renderer of
        # that thread's own: a large build has converted every text by now, so it mostly reads its copy.
        markdown = context.renderer.markdown.for_another_thread()
        records = index.payloads(context.site, context.renderer, markdown)
        self._thread = threading.Thread(target=self._index, args=(records, context), daemon=True)
        self._thread.start()

    def _index(self, records: Iterator[dict[str, object]], context: StepContext) -> None:
        try:
            count = pagefind_service.build_index(records, context.staging / "pagefind", started=self._keep)
            self._outcome.append(count)
        except BaseException as exc:  # handed to the build's thread in run()
            self._outcome.append(exc)

    def _keep(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process

    def run(self, context: StepContext) -> None:
        if self._thread is None:
            self.begin(context)
        if self._thread is None:
            return
        while self._thread.is_alive():  # Pagefind may take minutes on a large archive: stay stoppable
            self._thread.join(timeout=0.2)
            context.go_on()
        outcome = self._outcome[0]
        if isinstance(outcome, BaseException):
            raise outcome
        context.figures["search documents"] = outcome

    def abandon(self) -> None:
        """The build failed: stop Pagefind rather than let it write into a discarded folder."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        if self._thread is not None:
            self._thread.join(timeout=10)
