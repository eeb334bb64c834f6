"""How a build shares the machine: its workers run at its own priority (they share the cores
with the search index's parts), and the cycle collector is paused while the build runs."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from minutebook import write
from minutebook.build import BuildOptions, build
from minutebook.outputs import StepContext
from sitekit import TODAY, copy_fixture


@pytest.mark.skipif(sys.platform == "win32", reason="no worker processes")
def test_render_workers_run_at_the_builds_own_priority(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers that yielded to Pagefind's parts would finish the render last (RESULTS.md)."""
    real = write._render_range

    def render_and_note_priority(*args: Any) -> None:
        (tmp_path / f"nice-{os.getpid()}").write_text(str(os.nice(0)), encoding="utf-8")
        real(*args)

    monkeypatch.setattr(write, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(write, "_render_range", render_and_note_priority)
    site = copy_fixture(tmp_path / "site")
    build(BuildOptions(root=site, out=tmp_path / "out", today=TODAY, jobs=2, search=False, steps=[]))
    workers = [int(p.read_text()) for p in tmp_path.glob("nice-*") if p.name != f"nice-{os.getpid()}"]
    assert workers, "the pages were rendered in worker processes"
    assert set(workers) == {os.nice(0)}


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
