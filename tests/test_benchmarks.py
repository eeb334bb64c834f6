"""The benchmark harness: a deterministic generator whose archives pass the checker, and a runner
that writes every figure the archive-scale issue asks for."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"
PYTHON = sys.executable

REQUIRED_KEYS = {
    "meetings",
    "pages",
    "cold_build_s",
    "pagefind_s",
    "noop_rebuild_s",
    "edit_rebuild_s",
    "rename_person_rebuild_s",
    "peak_rss_mb",
    "output_mb",
    "pages_per_s",
    "search_kb",
    "hugo_build_s",
    "hugo_pagefind_s",
    "mkdocs_build_s",
    "ratio_vs_hugo",
    "speedup_vs_mkdocs",
    "machine",
    "incremental",
}


def _generate(out: Path, meetings: int, *extra: str) -> None:
    subprocess.run(
        [PYTHON, str(BENCHMARKS / "generate.py"), "--meetings", str(meetings), "--out", str(out), *extra],
        check=True,
        capture_output=True,
    )


def _digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_generator_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    _generate(tmp_path / "one", 30, "--jobs", "1")
    _generate(tmp_path / "two", 30, "--jobs", "2")
    _generate(tmp_path / "other-seed", 30, "--seed", "2", "--formats", "minutebook")
    one, two = _digests(tmp_path / "one"), _digests(tmp_path / "two")
    assert one == two
    assert any(name.startswith("hugo/content/meetings/") for name in one)
    assert any(name.startswith("mkdocs/docs/bodies/") for name in one)
    other = _digests(tmp_path / "other-seed")
    meetings = {k: v for k, v in one.items() if k.startswith("minutebook/content/meetings/")}
    assert meetings and not set(meetings.items()) <= set(other.items())


def test_a_small_archive_passes_the_checker(tmp_path: Path) -> None:
    _generate(tmp_path, 30, "--formats", "minutebook")
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["meetings"] == 30
    assert manifest["references"] > 0 and manifest["closures"] > 0 and manifest["work_programmes"] > 0
    done = subprocess.run(
        [
            PYTHON,
            "-m",
            "minutebook.cli",
            "check",
            "--site",
            str(tmp_path / "minutebook"),
            "--today",
            "2026-11-29",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "no errors, 0 warning(s)" in done.stderr


def test_prose_has_a_large_zipf_like_vocabulary() -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from vocabulary import make_vocabulary
    finally:
        sys.path.remove(str(BENCHMARKS))
    vocab = make_vocabulary(1)
    assert len(set(vocab.words)) >= 50_000
    import random

    sample = vocab.sample(random.Random(0), 200_000)
    counts: dict[str, int] = {}
    for word in sample:
        counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    assert len(counts) > 20_000  # not a few hundred words repeated
    assert ranked[0] > 50 * ranked[999]  # a long tail: the commonest word far above the 1,000th


def test_run_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    done = subprocess.run(
        [
            PYTHON,
            str(BENCHMARKS / "run.py"),
            "--meetings",
            "20",
            "--repeat",
            "1",
            "--skip-hugo",
            "--skip-mkdocs",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    missing = REQUIRED_KEYS - set(report)
    assert not missing, missing
    assert report["meetings"] == 20 and report["pages"] > 20
    for key in ("cold_build_s", "pagefind_s", "noop_rebuild_s", "edit_rebuild_s", "rename_person_rebuild_s"):
        assert report[key] > 0, key
    assert report["peak_rss_mb"] > 10
    assert report["machine"]["cpu_count"] >= 1
    if report["search_kb"] is None:
        pytest.skip(report.get("search_note", "no browser"))
    assert report["search_kb"] > 0
