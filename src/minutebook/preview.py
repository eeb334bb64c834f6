"""What `minutebook serve` does when the clerk saves: the quickest correct update first, then the rest.

1. A save that changes only the words of one meeting file is applied to the last build's
   linked archive and writes just the pages that show that file (prose_edit): a fraction of
   a second, whatever the archive's size.
2. Any other save runs the quick pass: load and link everything, write the pages whose
   fingerprint changed into the served folder.
3. Once saves pause for a second (the open page reloads meanwhile), the full build refreshes
   search, feeds, calendars and open data and swaps in the whole site. It runs in a process of
   its own (build_process), which a newer save kills, and the loop starts again from 1.

Saves are watched in one thread and built in another, so a save is seen while a build runs.
"""

from __future__ import annotations

import functools
import gc
import shutil
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from minutebook import build_process, incremental, prose_edit, serve
from minutebook.build import BuildOptions, BuildResult, build, no_cycle_collection
from minutebook.load import ParseCache
from minutebook.problems import BuildCancelled, BuildFailed, Problem

Say = Callable[[str], None]


@dataclass
class Rebuilder:
    """Builds for the preview and keeps what the next save needs. `options` must have a cache.

    Python's cycle collector is left to the preview (see `watch_and_build`): it runs after each
    full build, never in the middle of a save, where one pass over a large archive takes seconds.
    """

    options: BuildOptions
    preview: serve.Preview
    report: Callable[[list[Problem]], None]
    say: Say
    cache: ParseCache = field(default_factory=ParseCache)
    #: Print the traceback of an internal error (MINUTEBOOK_DEBUG) as well as the message.
    debug: bool = False
    #: Set by the watcher when a newer save arrives: the full build in progress stops.
    cancel: threading.Event = field(default_factory=threading.Event)
    kept: prose_edit.LastBuild | None = None
    #: Files saved since the build that `kept` comes from.
    unsettled: set[str] = field(default_factory=set)
    #: True once the open page has been told of the pages the last update wrote.
    _reloaded: bool = False
    #: True when a quick pass replaced `kept` since the last full collection: the old archive is garbage.
    _dropped_a_build: bool = False
    _warnings: list[Problem] = field(default_factory=list)

    def first_build(self) -> None:
        self.build_all()

    def rebuild(self, changed: set[str]) -> None:
        """Update the pages, then build everything: what one save does when no other follows."""
        if self.update(changed):
            self.build_all()

    def update(self, changed: set[str]) -> bool:
        """Write the pages the saved files change; False when the content has errors (shown instead)."""
        started = time.perf_counter()
        self.unsettled |= changed
        try:
            with no_cycle_collection():
                self._reloaded = self._update_pages(started)
        except BuildFailed as failed:
            self._failed(failed)
            return False
        except Exception as exc:  # a bug of ours: say so, keep serving, start afresh on the next save
            self._internal_error(f"{type(exc).__name__}: {exc}")
            return False
        return True

    def build_all(self) -> None:
        """The full build: search, feeds, calendars, open data; stopped by a newer save (`cancel`)."""
        started = time.perf_counter()
        options = replace(self.options, parse_cache=self.cache, keep=True, cancel=self.cancel)
        try:
            result = build(options)
        except BuildCancelled:
            return  # a newer save is waiting: serve it first, collect later
        except BuildFailed as failed:
            self._failed(failed)
            gc.collect()
            return
        except Exception as exc:
            self._internal_error(f"{type(exc).__name__}: {exc}")
            gc.collect()
            return
        self._keep(result)
        self._built(result.warnings, time.perf_counter() - started)
        gc.collect()
        self._dropped_a_build = False

    def build_all_in_background(self, saves: Callable[[], set[str]], stop: threading.Event) -> set[str]:
        """The full build in a process of its own, killed by the next save; returns that save's files.

        Where processes cannot be forked (Windows), the full build runs here and a save stops it
        at its next step instead.
        """
        if not build_process.supported():
            self.build_all()
            return set()
        self.collect_garbage()
        process = build_process.BuildProcess(
            replace(self.options, parse_cache=self.cache), remove_in_background
        )
        changed: set[str] = set()
        while (outcome := process.outcome()) is None:
            changed = saves()
            if changed or stop.is_set():
                outcome = process.stop()
                if outcome is None:
                    return changed
                break  # it had just finished: report it, then the save
        self._finished(outcome)
        return changed

    def _finished(self, outcome: build_process.Outcome) -> None:
        if outcome.problems is not None:
            self._failed(BuildFailed(outcome.problems))
        elif outcome.internal_error is not None:
            self._internal_error(outcome.internal_error)
        else:
            if self.kept is not None:  # the build saved fingerprints for every page it published
                self.kept.fingerprints = incremental.load_fingerprints(self.kept.cache, self.kept.out)
            self._built(outcome.warnings, outcome.seconds)

    def _built(self, warnings: list[Problem], seconds: float) -> None:
        if warnings != self._warnings:  # repeat warnings only when they change
            self.report(warnings)
            self._warnings = warnings
        if not self._reloaded:
            self.preview.succeeded()
        self._reloaded = False
        self.say(f"Built in {seconds:.2f} s.")

    def collect_garbage(self) -> None:
        """Free what the updates dropped: when no save waits, and before a build process is forked.

        A full collection takes seconds on a large archive, so it runs only when a quick pass has
        replaced the kept build; otherwise what was made since the last collection is all the
        garbage there can be (a fast path's, or a failed pass's).
        """
        gc.collect(2 if self._dropped_a_build else 1)
        self._dropped_a_build = False

    def _update_pages(self, started: float) -> bool:
        """Write the changed pages into the served folder; True when a page was written."""
        if self.kept is not None:
            pages = prose_edit.apply(self.kept, self.unsettled, self.cache)
            if pages is not None:
                self.unsettled = set()
                self.preview.succeeded()
                self.say(f"{len(pages)} pages updated in {time.perf_counter() - started:.2f} s.")
                return True
        options = replace(
            self.options,
            parse_cache=self.cache,
            keep=True,
            steps=[],
            in_place=True,
            first_pages=self._pages_showing(self.unsettled),
            first_written=functools.partial(self._first_written, started),
        )
        quick = build(options)
        self._keep(quick)
        if quick.site is None:
            return False
        self.preview.succeeded()
        self.say(f"Pages updated in {time.perf_counter() - started:.2f} s.")
        return True

    def _pages_showing(self, files: set[str]) -> frozenset[str]:
        """The pages of the last build that showed these files (or a record in one), not just listed them."""
        if self.kept is None:
            return frozenset()
        kept = self.kept
        return frozenset(
            kept.specs[index].path
            for named, indexes in kept.dependents.items()
            if named.partition("#")[0] in files and not incremental.is_listing(named)
            for index in indexes
        )

    def _first_written(self, started: float, count: int) -> None:
        """The quick pass has written the pages that showed the saved files: reload the open page."""
        self.preview.succeeded()
        self.say(f"{count} pages updated in {time.perf_counter() - started:.2f} s; updating the others.")

    def _failed(self, failed: BuildFailed) -> None:
        self.report(failed.problems)
        self.say("The preview shows these problems until they are fixed.")
        self.preview.failed(failed.problems)
        self._reloaded = False

    def _internal_error(self, description: str) -> None:
        """Show a bug of ours as a problem in the open page; the next save starts from a cold parse."""
        if self.debug and sys.exc_info()[0] is not None:
            traceback.print_exc()
        self.kept, self.cache = None, ParseCache()  # either may be half-updated
        self._dropped_a_build = True
        self._failed(BuildFailed([internal_error(description)]))

    def _keep(self, result: BuildResult) -> None:
        if result.kept is not None:
            self._dropped_a_build = self._dropped_a_build or self.kept is not None
            self.kept, self.unsettled = result.kept, set()


def internal_error(description: str) -> Problem:
    return Problem(
        file="minutebook",
        message=f"internal error ({description}): a fault in Minutebook, not in your content",
        hint="save again to retry; if it comes back, stop the preview, "
        "run `MINUTEBOOK_DEBUG=1 minutebook serve` and report the details it prints",
    )


#: After the changed pages are written, how long the full build waits for the open page to reload
#: (and for another save) before it takes the CPU, in seconds.
SETTLE_SECONDS = 1.0

#: How often the preview looks whether its build process has finished, in seconds (a save is
#: seen at once, whenever it comes).
BUILD_POLL_SECONDS = 0.05


def remove_in_background(folder: Path) -> None:
    """Delete a retired or abandoned site folder aside: tens of thousands of files take a while.

    `rm` does it in a process of its own where there is one, so the deleting does not slow the
    preview's own work (a Python thread would share its interpreter lock with the next update).
    """
    rm = shutil.which("rm")
    if rm is None:
        threading.Thread(target=shutil.rmtree, args=(folder, True), daemon=True).start()
        return
    command = [rm, "-rf", "--", str(folder)]
    threading.Thread(target=subprocess.run, args=(command,), kwargs={"check": False}, daemon=True).start()


def watch_and_build(
    rebuilder: Rebuilder, changes: Callable[[threading.Event], Iterable[set[str]]], stop: threading.Event
) -> None:
    """Run builds in this thread as saves arrive; watch for saves (`changes`) in another."""
    pending: set[str] = set()
    arrived = threading.Condition()

    def watch() -> None:
        try:
            for batch in changes(stop):
                with arrived:
                    pending.update(batch)
                    rebuilder.cancel.set()
                    arrived.notify()
        except OSError as exc:  # e.g. the system's limit on watched folders (inotify) is reached
            rebuilder.say(f"The preview can no longer see your saves ({exc}). Stop it and start it again.")

    def next_saves(wait: float | None) -> set[str]:
        """The files saved since last asked, waiting up to `wait` seconds (None: until a save)."""
        deadline = None if wait is None else time.monotonic() + wait
        with arrived:
            while not pending and not stop.is_set():
                left = 0.5 if deadline is None else min(0.5, deadline - time.monotonic())
                if left <= 0:
                    break
                arrived.wait(left)
            changed = set(pending)
            pending.clear()
            rebuilder.cancel.clear()
            return changed

    gc.disable()  # the Rebuilder collects when no save waits (see collect_garbage)
    threading.Thread(target=watch, daemon=True).start()
    changed = set[str]()
    while not stop.is_set():
        changed = changed or next_saves(None)
        if not changed:
            continue
        updated = rebuilder.update(changed)
        changed = next_saves(SETTLE_SECONDS)  # let the page reload; a save meanwhile goes first
        if changed:
            continue
        if updated:
            changed = rebuilder.build_all_in_background(lambda: next_saves(BUILD_POLL_SECONDS), stop)
        else:  # the content has errors: no build until the next save, but free what the pass made
            rebuilder.collect_garbage()
    build_process.kill_all()
