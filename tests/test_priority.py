"""Render and Markdown workers yield the CPU to the search indexer."""

from __future__ import annotations

import multiprocessing
import os
import sys

import pytest

from minutebook.priority import WORKER_NICENESS, lower_worker_priority


def _niceness(_: int) -> int:
    return os.nice(0)


@pytest.mark.skipif(sys.platform == "win32", reason="no process priorities to lower")
def test_pool_workers_run_at_a_lower_priority_than_the_build() -> None:
    with multiprocessing.get_context("fork").Pool(1, initializer=lower_worker_priority) as pool:
        (worker,) = pool.map(_niceness, [0])
    assert worker == min(os.nice(0) + WORKER_NICENESS, 19)
