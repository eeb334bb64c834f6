"""Worker processes run at a lower priority than the build and its search indexer.

Pagefind indexes on one core alongside the render, and on a large archive it is the longest
part of a build: it finishes soonest when page and Markdown workers yield the CPU to it.
"""

from __future__ import annotations

import contextlib
import os

#: How much lower a worker's priority is than the build's own.
WORKER_NICENESS = 5


def lower_worker_priority() -> None:
    """A pool initializer; does nothing where priorities cannot be changed (Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)
