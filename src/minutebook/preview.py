"""What `minutebook serve` does when the clerk saves: the quickest correct update first, then the rest.

1. A save that changes only the words of one meeting file is applied to the last build's
   linked archive and writes just the pages that show that file (prose_edit): a fraction of
   a second, whatever the archive's size.
2. Any other save runs the quick pass: load and link everything, write the pages whose
   fingerprint changed into the served folder.
3. Then the full build refreshes search, feeds, calendars and open data and swaps in the whole
   site. A newer save stops it at its next step, and the loop starts again from 1.

Saves are watched in one thread and built in another, so a save is seen while a build runs.
"""

from __future__ import annotations

import gc
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from minutebook import prose_edit, serve
from minutebook.build import BuildOptions, BuildResult, build, no_cycle_collection
from minutebook.load import ParseCache
from minutebook.problems import BuildCancelled, BuildFailed, Problem

Say = Callable[[str], None]


@dataclass
class Rebuilder:
    """Builds for the preview and keeps what the next save needs. `options` must have a cache."""

    options: BuildOptions
    preview: serve.Preview
    report: Callable[[list[Problem]], None]
    say: Say
    cache: ParseCache = field(default_factory=ParseCache)
    #: Set by the watcher when a newer save arrives: the full build in progress stops.
    cancel: threading.Event = field(default_factory=threading.Event)
    kept: prose_edit.LastBuild | None = None
    #: Files saved since the build that `kept` comes from.
    unsettled: set[str] = field(default_factory=set)
    _warnings: list[Problem] = field(default_factory=list)

    def first_build(self) -> None:
        self._build(None)

    def rebuild(self, changed: set[str]) -> None:
        self._build(changed)

    def _build(self, changed: set[str] | None) -> None:
        # The collector stays paused from the save to the end of the build, as in a build: with a
        # large archive in memory, one full collection takes seconds. It runs once afterwards,
        # and not when a newer save stopped the build, so that save is not kept waiting.
        with no_cycle_collection():
            finished = self._update_then_build(changed)
        if finished:
            gc.collect()

    def _update_then_build(self, changed: set[str] | None) -> bool:
        """Update the served site; False when a newer save stopped the build (it is next)."""
        started, updated = time.perf_counter(), False
        options = replace(self.options, parse_cache=self.cache, keep=True)
        try:
            if changed is not None:
                self.unsettled |= changed
                updated = self._update_pages(options, started)
            result = build(replace(options, cancel=self.cancel))
        except BuildCancelled:
            return False  # a newer save is waiting: serve it first, collect later
        except BuildFailed as failed:
            self.report(failed.problems)
            self.say("The preview shows these problems until they are fixed.")
            self.preview.failed(failed.problems)
            return True
        self._keep(result)
        if result.warnings != self._warnings:  # repeat warnings only when they change
            self.report(result.warnings)
            self._warnings = result.warnings
        if not updated:
            self.preview.succeeded()
        self.say(f"Built in {time.perf_counter() - started:.2f} s.")
        return True

    def _update_pages(self, options: BuildOptions, started: float) -> bool:
        """Write the changed pages into the served folder; True when a page was written."""
        if self.kept is not None:
            pages = prose_edit.apply(self.kept, self.unsettled, self.cache)
            if pages is not None:
                self.unsettled = set()
                self.preview.succeeded()
                self.say(f"{len(pages)} pages updated in {time.perf_counter() - started:.2f} s.")
                return True
        quick = build(replace(options, steps=[], in_place=True))
        self._keep(quick)
        if quick.site is None:
            return False
        self.preview.succeeded()
        self.say(f"Pages updated in {time.perf_counter() - started:.2f} s.")
        return True

    def _keep(self, result: BuildResult) -> None:
        if result.kept is not None:
            self.kept, self.unsettled = result.kept, set()


def remove_in_background(folder: Path) -> None:
    """Delete a retired or abandoned site folder in a thread: tens of thousands of files take a while."""
    threading.Thread(target=shutil.rmtree, args=(folder, True), daemon=True).start()


def watch_and_build(
    rebuilder: Rebuilder, changes: Callable[[threading.Event], Iterable[set[str]]], stop: threading.Event
) -> None:
    """Run builds in this thread as saves arrive; watch for saves (`changes`) in another."""
    pending: set[str] = set()
    arrived = threading.Condition()

    def watch() -> None:
        for batch in changes(stop):
            with arrived:
                pending.update(batch)
                rebuilder.cancel.set()
                arrived.notify()

    threading.Thread(target=watch, daemon=True).start()
    while not stop.is_set():
        with arrived:
            while not pending and not stop.is_set():
                arrived.wait(0.5)
            changed = set(pending)
            pending.clear()
            rebuilder.cancel.clear()
        if changed:
            rebuilder.rebuild(changed)
