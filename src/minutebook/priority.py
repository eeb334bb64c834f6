"""How the preview's full build shares the machine with the preview.

The preview's full build runs in a process of its own (minutebook.build_process) at a lower
priority, so the preview keeps serving pages and applying saves at full speed meanwhile.

A build's own render and Markdown workers run at the build's priority. They used to yield to
Pagefind, which indexed on one core and was then the longest part of a large build; since the
index is built in parts, several Pagefind processes share the cores with the render, and a render
that yields to them finishes last and leaves the post-build steps to run alone at the end
(10,000 meetings with search: 138 and 165 s without the lower priority, 147 and 184 s with it,
alternating runs; benchmarks/RESULTS.md).
"""

from __future__ import annotations

import os

#: How much lower the preview's build process runs than the preview.
BUILD_PROCESS_NICENESS = 5


def usable_cores() -> int:
    """The cores this process may run on: a container or CI runner may allow fewer than the
    machine has (os.cpu_count counts them all)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
