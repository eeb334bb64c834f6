"""The preview's full build, in a process of its own.

While the full build runs (search, feeds, open data: up to minutes on a large archive), the
preview must go on serving pages and applying saves at once. In a forked process the build
neither holds the preview's interpreter nor leaves the previous build's millions of objects
for the preview to collect, and a newer save stops it at once: the preview kills it.

The one moment a build must not be killed is the swap into the served folder together with
the fingerprints saved after it, which must describe the site that is served. The build takes
a lock just before the swap (`BuildOptions.before_publish`) and reports its outcome before
letting go; the preview takes that lock before it kills, so a build is either stopped before
the swap or has finished and said so.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing.synchronize import Lock
from pathlib import Path

from minutebook import write
from minutebook.build import BuildOptions, build
from minutebook.priority import BUILD_PROCESS_NICENESS
from minutebook.problems import BuildFailed, Problem

#: How long the preview waits for a build to leave its swap before killing it anyway, in seconds.
#: The swap is two renames and one file of fingerprints; only a build that died holding the lock
#: would take longer.
SWAP_SECONDS = 30.0


@dataclass
class Outcome:
    """What a full build in its own process came to."""

    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    #: The content's errors: nothing was published.
    problems: list[Problem] | None = None
    #: A fault of Minutebook's (or the process died): nothing was published.
    internal_error: str | None = None


#: The build processes' name, as `multiprocessing.active_children()` lists them.
PROCESS_NAME = "minutebook full build"


def kill_all() -> None:
    """Kill the build processes still running, e.g. deleting the site they replaced.

    Stopping the preview should not wait for that (Python waits for its child processes at
    exit); the next build deletes what is left.
    """
    for child in multiprocessing.active_children():
        if child.name == PROCESS_NAME:
            child.kill()
            child.join()


def supported() -> bool:
    """Forking is how the build gets the preview's parsed files without reading them again."""
    return sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()


class BuildProcess:
    """One full build running in a forked process; `outcome` polls it, `stop` ends it.

    A staging folder the build leaves (killed, or dead of itself) goes to `remove`.
    """

    def __init__(self, options: BuildOptions, remove: Callable[[Path], None]) -> None:
        context = multiprocessing.get_context("fork")
        self._remove = remove
        self._out = (options.out or options.root.resolve() / "_site").resolve()
        self._publishing = context.Lock()
        self._results, sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_run, args=(options, sender, self._publishing), name=PROCESS_NAME
        )
        self._process.start()
        sender.close()
        with contextlib.suppress(OSError):  # the build does it too: whichever runs first, none is missed
            os.setpgid(self._process.pid or 0, self._process.pid or 0)
        self._outcome: Outcome | None = None

    def outcome(self) -> Outcome | None:
        """The outcome once the build has reported it (or died without one); None while it runs."""
        if self._outcome is None:
            self._outcome = self._reported()
            if self._outcome is None and not self._process.is_alive():  # it may have reported as it ended
                ended = f"the build process ended without a result (exit code {self._process.exitcode})"
                self._outcome = self._reported() or Outcome(0.0, internal_error=ended)
                self._discard_staging()
        return self._outcome

    def stop(self) -> Outcome | None:
        """Kill the build unless it has finished.

        Returns the outcome if the build had finished (then its site is the one served).
        """
        taken = self._publishing.acquire(timeout=SWAP_SECONDS)
        try:
            if self.outcome() is None:
                self._kill()
        finally:
            if taken:
                self._publishing.release()
        self._discard_staging()
        return self._outcome

    def _discard_staging(self) -> None:
        staging = write.staging_path(self._out, self._process.pid or 0)
        if staging.exists():
            write.discard(staging, self._out, self._remove)

    def _reported(self) -> Outcome | None:
        with contextlib.suppress(EOFError, OSError):
            if self._results.poll():
                received = self._results.recv()
                return received if isinstance(received, Outcome) else None
        return None

    def _kill(self) -> None:
        """Kill the build with its render workers and its search indexer (one process group).

        A killed process runs no more of its code, so the preview need not wait while the system
        frees its memory (gigabytes, with Pagefind's, on a large archive): it is reaped aside.
        """
        assert self._process.pid is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.kill()  # in case it had not yet made its group
        threading.Thread(target=self._process.join, daemon=True).start()


def _run(options: BuildOptions, results: multiprocessing.connection.Connection, publishing: Lock) -> None:
    """The build process: build, report, then delete the site it replaced."""
    _detach_from_the_terminal()
    retired: list[Path] = []
    holding = False

    def before_publish() -> None:
        nonlocal holding
        publishing.acquire()
        holding = True

    options = replace(
        options, keep=False, cancel=None, before_publish=before_publish, remove_old=retired.append
    )
    started = time.perf_counter()
    try:
        result = build(options)
        outcome = Outcome(time.perf_counter() - started, warnings=result.warnings)
    except BuildFailed as failed:
        outcome = Outcome(time.perf_counter() - started, problems=failed.problems)
    except Exception as exc:  # a fault of ours: the preview shows it as an internal error
        detail = traceback.format_exc() if os.environ.get("MINUTEBOOK_DEBUG") else ""
        error = f"{type(exc).__name__}: {exc}\n{detail}".strip()
        outcome = Outcome(time.perf_counter() - started, internal_error=error)
    results.send(outcome)
    if holding:
        publishing.release()
    for folder in retired:  # after reporting: the preview need not wait for tens of thousands of files
        shutil.rmtree(folder, ignore_errors=True)


def _detach_from_the_terminal() -> None:
    """Make the build a background job the preview can kill whole and that dies with it.

    Its own process group (with its workers and Pagefind) is killed in one call; Ctrl+C is the
    preview's to handle; it runs at a lower priority than the preview, which serves the clerk's
    saves first; and on Linux it is killed if the preview dies without stopping it.
    """
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.nice(BUILD_PROCESS_NICENESS)
    if sys.platform.startswith("linux"):
        libc_name = ctypes.util.find_library("c")
        if libc_name:
            pr_set_pdeathsig = 1
            ctypes.CDLL(libc_name).prctl(pr_set_pdeathsig, signal.SIGKILL)
