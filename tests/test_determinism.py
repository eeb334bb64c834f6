"""The same input builds the same bytes: in another folder, and with one or two worker processes.

Pagefind's bundle is compared only by being present and non-empty: its file names carry
content hashes of its own making, and exact comparison of them is not this project's promise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import minutebook.build
import minutebook.load
import minutebook.markdown_text
import minutebook.write
from sitekit import TODAY, build_site, copy_example, copy_fixture

COPIES: dict[str, Callable[[Path], Path]] = {"example": copy_example, "fixture": copy_fixture}


def copy_site(site: str, root: Path) -> Path:
    root.mkdir(parents=True)
    return COPIES[site](root)


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file outside pagefind/, by its path in the site."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.relative_to(out).parts[0] != "pagefind"
    }


def pagefind_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in (out / "pagefind").rglob("*") if p.is_file())


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    only_first = sorted(set(first) - set(second))
    only_second = sorted(set(second) - set(first))
    changed = sorted(path for path in set(first) & set(second) if first[path] != second[path])
    return (
        [f"only in the first build: {p}" for p in only_first]
        + [f"only in the second build: {p}" for p in only_second]
        + [f"differs: {p}" for p in changed]
    )


@pytest.mark.parametrize("site", sorted(COPIES))
def test_two_builds_in_different_folders_are_byte_identical(site: str, tmp_path: Path) -> None:
    first_root = copy_site(site, tmp_path / "first")
    second_root = copy_site(site, tmp_path / "elsewhere" / "second")
    first = build_site(first_root, tmp_path / "out-a" / "_site", search=True)
    second = build_site(second_root, tmp_path / "out-b" / "public", search=True)
    a, b = snapshot(first.out), snapshot(second.out)
    assert sum(1 for p in a if p.endswith(".html")) >= first.pages > 50, "pages are missing from the output"
    assert not differences(a, b), "\n".join(differences(a, b)[:40])
    assert pagefind_files(first.out) and pagefind_files(second.out), "a Pagefind index is empty"


@pytest.mark.parametrize("site", sorted(COPIES))
def test_one_and_two_workers_build_the_same_bytes(
    site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(minutebook.write, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(minutebook.load, "PARALLEL_PARSE_FILES", 1)
    # Every text converted up front, in worker processes when there are two.
    monkeypatch.setattr(minutebook.build, "PRIME_THRESHOLD", 0)
    monkeypatch.setattr(minutebook.markdown_text, "PARALLEL_THRESHOLD", 1)
    # And converted ahead, in a worker forked while the archive is validated and linked.
    monkeypatch.setattr(minutebook.build, "AHEAD_FILES", 1)
    root = copy_site(site, tmp_path / "site")
    serial = build_site(root, tmp_path / "serial", jobs=1, search=True)
    parallel = build_site(root, tmp_path / "parallel", jobs=2, search=True)
    a, b = snapshot(serial.out), snapshot(parallel.out)
    assert serial.pages == parallel.pages > 50
    assert not differences(a, b), "\n".join(differences(a, b)[:40])
    assert pagefind_files(serial.out) and pagefind_files(parallel.out), "a Pagefind index is empty"


def test_parallel_rendering_really_forks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the threshold lowered, jobs=2 renders pages in worker processes, not in this one."""
    monkeypatch.setattr(minutebook.write, "PARALLEL_THRESHOLD", 1)
    log = tmp_path / "renderers.txt"
    real = minutebook.write._render_range

    def logged(renderer: Any, specs: Any, staging: Path, indexes: Any) -> None:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        real(renderer, specs, staging, indexes)

    monkeypatch.setattr(minutebook.write, "_render_range", logged)
    build_site(copy_site("fixture", tmp_path / "site"), jobs=2, search=False)
    pids = set(log.read_text(encoding="utf-8").split())
    assert pids and str(os.getpid()) not in pids, f"rendered in {pids}, this process is {os.getpid()}"


def test_files_parsed_in_a_worker_load_the_same_with_the_same_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the threshold lowered, jobs=2 parses the later files in a worker process: the same
    files, attachments and problems (errors and warnings, from both halves), in the same order."""
    monkeypatch.setattr(minutebook.load, "PARALLEL_PARSE_FILES", 1)
    root = copy_site("fixture", tmp_path / "site")
    first, last = "content/bodies/aa-broken.yaml", "content/work-programmes/planning-committee/zz-broken.yaml"
    (root / first).write_text("name: [never closed\n", encoding="utf-8")
    (root / last).write_text("title: 'never closed\n", encoding="utf-8")
    (root / "content/people/zz-noted.yaml").write_text("# a comment\nname: Z Noted\n", encoding="utf-8")
    log = tmp_path / "parsers.txt"
    real = minutebook.load._read_file

    def logged(root: Path, rel: str, kind: str, problems: Any) -> Any:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {rel}\n")
        return real(root, rel, kind, problems)

    monkeypatch.setattr(minutebook.load, "_read_file", logged)
    serial = minutebook.load.load(root, jobs=1)
    log.unlink()
    parallel = minutebook.load.load(root, jobs=2)
    parsers = dict(reversed(line.split(" ", 1)) for line in log.read_text(encoding="utf-8").splitlines())
    assert parsers[last] != str(os.getpid()), "the later files, elsewhere"
    assert parsers[first] == str(os.getpid()), "the first files, here"
    assert parallel.files == serial.files and len(serial.files) > 10
    assert parallel.attachments == serial.attachments
    assert parallel.problems.items == serial.problems.items
    found = {p.file for p in serial.problems.items}
    assert {first, last} <= found


def test_parallel_parsing_takes_unchanged_files_from_the_parse_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview's parse cache with parsing in workers: unchanged files are not parsed again, a
    changed one is, and the files come out as a fresh load makes them."""
    monkeypatch.setattr(minutebook.load, "PARALLEL_PARSE_FILES", 1)
    root = copy_site("fixture", tmp_path / "site")
    cache = minutebook.load.ParseCache()
    first = minutebook.load.load(root, cache=cache, jobs=2)
    parsed = cache.reads
    assert parsed == len(first.files) + 1, "every file and the site's settings, parsed once"
    assert minutebook.load.load(root, cache=cache, jobs=2).files == first.files
    assert cache.reads == parsed, "nothing changed: nothing parsed again"
    person = next(root.glob("content/people/*.yaml"))
    person.write_text(person.read_text(encoding="utf-8") + "email: new@example.org\n", encoding="utf-8")
    again = minutebook.load.load(root, cache=cache, jobs=2)
    assert cache.reads == parsed + 1, "only the changed file parsed again"
    assert again.files == minutebook.load.load(root, jobs=1).files


@pytest.mark.parametrize("site", sorted(COPIES))
def test_builds_under_different_hash_seeds_are_byte_identical(site: str, tmp_path: Path) -> None:
    """Set and dict order must not leak into the output: build in two fresh interpreters."""
    root = copy_site(site, tmp_path / "site")
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "minutebook.cli", "build", "--site", str(root), "--out", str(out)]
        command += ["--today", TODAY.isoformat(), "--jobs", "1", "--no-search", "--no-cache"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        outs.append(snapshot(out))
    assert len(outs[0]) > 50
    assert not differences(*outs), "\n".join(differences(*outs)[:40])
