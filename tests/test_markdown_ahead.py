"""Markdown converted ahead, in a forked process, while the build validates and links.

What the worker converts must be exactly what the build would have converted itself, a build
must come out the same whether the worker got far or nowhere, and a worker must never outlive
the build that started it.
"""

from __future__ import annotations

import itertools
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import minutebook.build
import minutebook.markdown_text
from minutebook.build import BuildOptions, build
from minutebook.markdown_text import ConvertingAhead, MarkdownRenderer, _key
from sitekit import TODAY, build_site, copy_example

MARKDOWN_TEXTS = [
    "A list:\n\n- one\n- two",
    "**Agreed** that the report be noted.",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "See [the report](https://example.org/report).",
    "<script>alert(1)</script> and *emphasis*",
]
PLAIN_TEXTS = ["The board noted the report.", "Members asked about the budget.\n\nThe chair replied."]


def _finished(ahead: ConvertingAhead) -> ConvertingAhead:
    """Let the worker convert everything before its results are asked for."""
    assert ahead._process is not None
    ahead._process.join(timeout=60)
    return ahead


def test_the_worker_converts_each_markdown_text_once_as_the_build_would() -> None:
    texts = MARKDOWN_TEXTS + PLAIN_TEXTS + MARKDOWN_TEXTS  # repeated texts are converted once
    results = _finished(ConvertingAhead(texts)).results()
    here = MarkdownRenderer()
    assert results == {_key(text): here.convert_with_markdown(text) for text in MARKDOWN_TEXTS}
    assert "<script>" not in "".join(results.values()), "the worker's output is sanitised too"


def test_results_stop_a_worker_that_is_still_converting() -> None:
    endless = (f"Item *{n}* of the agenda" for n in itertools.count())
    ahead = ConvertingAhead(endless)
    time.sleep(1)  # time to convert some (a text takes well under a millisecond)
    results = ahead.results()  # returns although the texts never end
    assert results, "the worker converted nothing before it was stopped"
    here = MarkdownRenderer()
    for n in range(len(results)):
        text = f"Item *{n}* of the agenda"
        assert results[_key(text)] == here.convert_with_markdown(text)
    assert ahead._process is None


def test_close_kills_the_worker_and_removes_its_file() -> None:
    ahead = ConvertingAhead(f"Item *{n}*" for n in itertools.count())
    process, file = ahead._process, ahead._results
    assert process is not None and file.exists()
    ahead.close()
    assert not process.is_alive()
    assert not file.exists()
    assert ahead.results() == {}, "a closed worker has nothing more to give"


def test_a_worker_that_fails_gives_nothing_and_the_texts_are_converted_here() -> None:
    def failing() -> Iterator[str]:
        yield "**bold**"
        raise RuntimeError("the worker fails")

    ahead = _finished(ConvertingAhead(failing()))
    renderer = MarkdownRenderer()
    assert renderer.prime(["**bold**"], jobs=1, ahead=ahead) == 1
    assert renderer.render("**bold**") == "<p><strong>bold</strong></p>"


def test_prime_takes_what_the_worker_converted_and_converts_only_the_rest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sent: list[str] = []
    real = minutebook.markdown_text._convert_many

    def recorded(texts: list[str], jobs: int) -> list[str]:
        sent.extend(texts)
        return real(texts, jobs)

    monkeypatch.setattr(minutebook.markdown_text, "_convert_many", recorded)
    ahead = _finished(ConvertingAhead(MARKDOWN_TEXTS[:3]))
    cache = tmp_path / "markdown.sqlite"
    renderer = MarkdownRenderer(cache)
    converted = renderer.prime(MARKDOWN_TEXTS + PLAIN_TEXTS, jobs=1, ahead=ahead)
    assert converted == len(MARKDOWN_TEXTS)
    assert sent == MARKDOWN_TEXTS[3:], "texts the worker converted were converted again"
    fresh = MarkdownRenderer()
    for text in MARKDOWN_TEXTS + PLAIN_TEXTS:
        assert renderer.render(text) == fresh.render(text)
    with sqlite3.connect(cache) as db:
        kept = {key for (key,) in db.execute("SELECT key FROM fragments")}
    assert kept == {_key(text) for text in MARKDOWN_TEXTS}, "the worker's conversions were not kept on disk"


def test_what_the_pages_do_not_show_as_written_is_kept_for_the_search_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written = "Further to minute 4/19, the board *agreed*."
    ahead = _finished(ConvertingAhead([written]))
    renderer = MarkdownRenderer()
    renderer.prime(["Further to minute [4/19](/x/#minute-4-19), the board *agreed*."], jobs=1, ahead=ahead)
    expected = MarkdownRenderer().render(written)

    def refuse(text: str) -> str:
        raise AssertionError(f"converted again: {text}")

    monkeypatch.setattr(MarkdownRenderer, "convert_with_markdown", lambda self, text: refuse(text))
    assert renderer.for_another_thread().render(written) == expected


class _Recorded(ConvertingAhead):
    started: list[_Recorded] = []

    def __init__(self, texts: Any) -> None:
        super().__init__(texts)
        self.started.append(self)


@pytest.fixture
def recorded_ahead(monkeypatch: pytest.MonkeyPatch) -> list[_Recorded]:
    monkeypatch.setattr(minutebook.build, "ConvertingAhead", _Recorded)
    monkeypatch.setattr(minutebook.build, "AHEAD_FILES", 1)
    monkeypatch.setattr(minutebook.build, "PRIME_THRESHOLD", 0)  # the example's pages are few
    _Recorded.started = []
    return _Recorded.started


def test_a_cold_build_converts_ahead_and_leaves_no_worker_behind(
    recorded_ahead: list[_Recorded], tmp_path: Path
) -> None:
    build_site(copy_example(tmp_path), tmp_path / "out", jobs=2, search=False)
    assert len(recorded_ahead) == 1
    assert recorded_ahead[0]._process is None, "the worker was not stopped and reaped"
    assert not recorded_ahead[0]._results.exists()


def test_a_build_with_one_core_or_converted_texts_on_disk_does_not_convert_ahead(
    recorded_ahead: list[_Recorded], tmp_path: Path
) -> None:
    root = copy_example(tmp_path)
    build_site(root, tmp_path / "serial", jobs=1, search=False)
    assert recorded_ahead == []
    options = BuildOptions(root, tmp_path / "cached", TODAY, jobs=2, search=False, cache=tmp_path / "cache")
    build(options)
    assert len(recorded_ahead) == 1, "a first build with a cache converts ahead"
    about = root / "content" / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    assert build(options).pages, "the edit was not built"
    assert len(recorded_ahead) == 1, "a build with the texts already converted on disk forked a worker"


def test_a_build_that_fails_stops_the_worker(recorded_ahead: list[_Recorded], tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    meeting = next((root / "content" / "meetings").rglob("*.yaml"))
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\nnot_a_field: 1\n", encoding="utf-8")
    with pytest.raises(minutebook.build.BuildFailed):
        build_site(root, tmp_path / "out", jobs=2, search=False)
    assert len(recorded_ahead) == 1
    assert recorded_ahead[0]._process is None and not recorded_ahead[0]._results.exists()


def test_a_build_where_no_worker_can_start_converts_the_texts_itself(
    recorded_ahead: list[_Recorded], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_temporary_files(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError("the temporary folder is not writable")

    monkeypatch.setattr(minutebook.markdown_text.tempfile, "mkstemp", no_temporary_files)
    root = copy_example(tmp_path)
    built = build_site(root, tmp_path / "out", jobs=2, search=False)
    assert recorded_ahead == []
    monkeypatch.undo()
    serial = build_site(root, tmp_path / "serial", jobs=1, search=False)
    assert built.pages == serial.pages > 50
    pages = sorted(p.relative_to(serial.out) for p in serial.out.rglob("*.html"))
    assert pages == sorted(p.relative_to(built.out) for p in built.out.rglob("*.html"))
    for page in pages:
        assert (built.out / page).read_bytes() == (serial.out / page).read_bytes(), page


def test_a_lost_results_file_gives_nothing_and_no_traceback() -> None:
    ahead = _finished(ConvertingAhead(["**bold**"]))
    ahead._results.unlink()
    assert ahead.results() == {}
