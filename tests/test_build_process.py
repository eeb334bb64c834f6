"""The preview's full build in a process of its own: published whole, or killed before the swap."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from minutebook import build_process, incremental, serve, write
from minutebook.outputs import StepContext, default_steps
from minutebook.preview import Rebuilder
from minutebook.problems import BuildFailed, Problem
from sitekit import copy_fixture, preview_options

pytestmark = pytest.mark.skipif(not build_process.supported(), reason="the build process needs fork")

MEETING = "content/meetings/planning-committee/2023-06-14.yaml"
PAGE = "_site/bodies/planning-committee/meetings/2023-06-14/index.html"


@dataclass
class Step:
    """A post-build step that, in a build process, fails, raises or waits forever (to be killed)."""

    hang: bool = False
    fail: bool = False
    crash: bool = False
    die: bool = False
    name: str = "test step"
    #: The test's own process: its first build runs the step too, and must get through.
    test_process: int = field(default_factory=os.getpid)

    def run(self, context: StepContext) -> None:
        if os.getpid() == self.test_process:
            return
        marker = context.root / "step-entered"  # written whole, then renamed: seen means readable
        marker.with_suffix(".tmp").write_text(str(os.getpid()))
        marker.with_suffix(".tmp").replace(marker)
        while self.hang:
            time.sleep(0.02)
        if self.fail:
            raise BuildFailed([Problem("content/x.yaml", "the step found a problem")])
        if self.crash:
            raise ZeroDivisionError("a fault of ours")
        if self.die:  # as if the system had killed it (out of memory)
            os._exit(3)


def _rebuilder(
    site: Path, steps: list[object] | None = None
) -> tuple[Rebuilder, list[str], list[list[Problem]]]:
    options = preview_options(site, steps=steps, remove_old=lambda folder: None)
    said: list[str] = []
    reported: list[list[Problem]] = []
    rebuilder = Rebuilder(options, serve.Preview(), report=reported.append, say=said.append)
    rebuilder.first_build()
    return rebuilder, said, reported


def _save_prose(site: Path, words: str) -> None:
    path = site / MEETING
    path.write_text(path.read_text().replace("Patel substituted.", f"Patel substituted. {words}", 1))


def _leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if ".staging-" in p.name or ".old-" in p.name)


def _wait_until(condition: object, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_the_full_build_publishes_from_its_own_process(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    rebuilder, said, _ = _rebuilder(site, [*default_steps()])
    _save_prose(site, "Edited once.")
    assert rebuilder.update({MEETING})
    before = (site / "_site").stat().st_ino
    assert rebuilder.build_all_in_background(lambda: set(), threading.Event()) == set()
    assert said[-1].startswith("Built in"), said
    assert (site / "_site").stat().st_ino != before, "a new site was swapped in"
    assert "Edited once." in (site / PAGE).read_text()
    assert (site / "_site/feeds").is_dir() or (site / "_site/sitemap.xml").is_file()
    assert rebuilder.kept is not None
    assert rebuilder.kept.fingerprints == incremental.load_fingerprints(site / ".cache", site / "_site")
    assert _wait_until(lambda: not multiprocessing.active_children())
    assert _wait_until(lambda: _leftovers(site) == []), "the build process deletes the site it replaced"
    # The kept build still applies the next prose edit, now over the new site.
    _save_prose(site, "Edited twice.")
    assert rebuilder.update({MEETING}) and "pages updated in" in said[-1]
    assert "Edited twice." in (site / PAGE).read_text()


def test_a_save_kills_the_build_before_it_publishes(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    rebuilder, said, _ = _rebuilder(site, [Step(hang=True)])
    served = (site / "_site").stat().st_ino
    _save_prose(site, "Edited once.")
    assert rebuilder.update({MEETING})
    calls = 0

    def saves() -> set[str]:
        nonlocal calls
        calls += 1
        if (site / "step-entered").exists():  # the build has staged every page: kill it now
            return {MEETING}
        return set()

    assert rebuilder.build_all_in_background(saves, threading.Event()) == {MEETING}
    child = int((site / "step-entered").read_text())
    assert _wait_until(lambda: not multiprocessing.active_children()), "killed and reaped"
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
    assert (site / "_site").stat().st_ino == served, "the served site was not replaced"
    assert "Edited once." in (site / PAGE).read_text(), "the quick update stays"
    assert not said[-1].startswith("Built in")
    assert _wait_until(lambda: _leftovers(site) == []), "the killed build's staging folder is removed"
    assert not (site / f"._site.staging-{child}").exists()


def test_a_save_that_comes_as_the_build_finishes_is_kept_for_the_next_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_fixture(tmp_path / "site")
    rebuilder, said, _ = _rebuilder(site, [])
    before = (site / "_site").stat().st_ino
    _save_prose(site, "Edited once.")
    assert rebuilder.update({MEETING})
    # Between its swap and its report the build saves its state: make that last (in the build
    # process, which is forked with this patch) so the save below surely falls in between.
    save_input_state = incremental.save_input_state

    def slowly(*args: object) -> None:
        time.sleep(1)
        save_input_state(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(incremental, "save_input_state", slowly)

    def saves() -> set[str]:  # the save is seen only once the new site is in place
        return {MEETING} if (site / "_site").stat().st_ino != before else set()

    assert rebuilder.build_all_in_background(saves, threading.Event()) == {MEETING}
    assert said[-1].startswith("Built in"), "the finished build is reported, not killed"


def test_a_finished_build_is_not_killed_by_a_late_save(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    rebuilder, _, _ = _rebuilder(site, [])
    options = rebuilder.options
    process = build_process.BuildProcess(options, remove=lambda folder: None)
    assert _wait_until(lambda: process.outcome() is not None)
    outcome = process.stop()
    assert outcome is not None and outcome.problems is None and outcome.internal_error is None


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (Step(fail=True), "the step found a problem"),
        (Step(crash=True), "internal error (ZeroDivisionError: a fault of ours)"),
        (Step(die=True), "internal error (the build process ended without a result (exit code 3))"),
    ],
)
def test_problems_of_the_build_process_reach_the_open_page(tmp_path: Path, step: Step, expected: str) -> None:
    site = copy_fixture(tmp_path / "site")
    rebuilder = _rebuilder(site, [step])[0]
    served = (site / "_site").stat().st_ino
    _save_prose(site, "Edited once.")
    assert rebuilder.update({MEETING})
    rebuilder.build_all_in_background(lambda: set(), threading.Event())
    [problem] = rebuilder.preview.problems
    assert expected in problem.message
    assert (site / "_site").stat().st_ino == served
    assert _wait_until(lambda: not any(".staging-" in name for name in _leftovers(site)))


def test_a_leftover_folder_of_a_running_process_is_left_to_it(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    out.mkdir()
    running = [tmp_path / f"._site.old-{os.getppid()}-1", tmp_path / f"._site.staging-{os.getppid()}"]
    ended = [tmp_path / "._site.old-999999999-2", tmp_path / "._site.staging-999999999"]
    for folder in (*running, *ended):
        folder.mkdir()
    staging = write.staging_dir(out)
    assert all(folder.is_dir() for folder in running), "the test runner's parent is running"
    assert not any(folder.exists() for folder in ended)
    staging.rmdir()


def _linger() -> None:
    time.sleep(60)


def test_stopping_the_preview_does_not_wait_for_a_build_process_cleaning_up() -> None:
    lingering = multiprocessing.get_context("fork").Process(target=_linger, name=build_process.PROCESS_NAME)
    other = multiprocessing.get_context("fork").Process(target=_linger, name="someone else's")
    lingering.start()
    other.start()
    started = time.monotonic()
    build_process.kill_all()
    assert time.monotonic() - started < 5
    assert not lingering.is_alive() and other.is_alive(), "only build processes are stopped"
    other.kill()
    other.join()
