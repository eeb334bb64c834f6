"""How a build shares the machine: workers yield the CPU to the search indexer, and the cycle
collector is paused while the build runs."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from pathlib import Path

import pytest

from minutebook.build import BuildOptions, build
from minutebook.outputs import StepContext
from minutebook.priority import WORKER_NICENESS, lower_worker_priority
from sitekit import TODAY, copy_fixture


def _niceness(_: int) -> int:
    return os.nice(0)


@pytest.mark.skipif(sys.platform == "win32", reason="no process priorities to lower")
def test_pool_workers_run_at_a_lower_priority_than_the_build() -> None:
    with multiprocessing.get_context("fork").Pool(1, initializer=lower_worker_priority) as pool:
        (worker,) = pool.map(_niceness, [0])
    assert worker == min(os.nice(0) + WORKER_NICENESS, 19)


def test_a_build_pauses_the_cycle_collector_and_restores_it(tmp_path: Path) -> None:
    """The collector would rescan the archive's millions of objects over and over during a build."""
    seen: list[bool] = []

    class Watch:
        name = "watch"

        def run(self, context: StepContext) -> None:
            seen.append(gc.isenabled())

    assert gc.isenabled()
    site = copy_fixture(tmp_path / "site")
    build(BuildOptions(root=site, out=tmp_path / "out", today=TODAY, jobs=1, search=False, steps=[Watch()]))
    assert seen == [False], "paused while the build ran"
    assert gc.isenabled(), "and running again afterwards"
