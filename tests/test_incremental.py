"""Incremental builds: after any edit, rendering only the changed pages gives the same bytes as a cold build.

Each case edits a copy of the fixture archive, builds it with the cache of the previous build,
builds the same input cold into another folder, and compares every file outside pagefind/.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from minutebook import incremental
from minutebook.build import BuildOptions, BuildResult, build
from minutebook.load import ParseCache
from minutebook.outputs import StepContext, default_steps
from minutebook.problems import BuildFailed, Problem
from sitekit import TODAY, copy_fixture

PC = "content/meetings/planning-committee"


def _edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(site: Path) -> None:
        path = site / rel
        text = path.read_text()
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1))

    return apply


def _add_meeting(site: Path) -> None:
    (site / PC / "2023-04-19.yaml").write_text(
        'date: 2023-04-19\ntime: "18:00"\nagenda:\n  - number: "1"\n    title: Apologies\n'
    )


def _remove_meeting(site: Path) -> None:
    (site / PC / "2027-01-20.yaml").unlink()


def _override_template(site: Path) -> None:
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block title %}Lost{% endblock %}'
        "{% block main %}<h1>Lost</h1>{% endblock %}"
    )


def _rename_first_person(site: Path) -> None:
    path = site / "content/people/e-patel.yaml"
    path.write_text(re.sub(r"(?m)^name: .*$", "name: E Patel-Jones", path.read_text()))


EDITS: dict[str, Callable[[Path], None]] = {
    "minute text": _edit(
        f"{PC}/2023-06-14.yaml", "Councillor Patel substituted.", "Councillor Patel stood in."
    ),
    "person renamed": _rename_first_person,
    "meeting added between two others": _add_meeting,
    "meeting removed": _remove_meeting,
    "body renamed": _edit("content/bodies/cabinet.yaml", "name: ", "name: The "),
    "site title": _edit("site_config.yaml", "council: ", "council: The "),
    "template override": _override_template,
    "topic retitled": _edit("content/topics.yaml", "title: ", "title: Renamed "),
    "meeting cancelled": _edit(f"{PC}/2027-01-20.yaml", "status: scheduled", "status: cancelled"),
}


def _build(site: Path, out: Path, cache: Path | None, today: date = TODAY) -> BuildResult:
    return build(BuildOptions(root=site, out=out, today=today, jobs=1, search=False, cache=cache))


def _assert_same_tree(left: Path, right: Path) -> None:
    def files(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    assert files(left) == files(right)
    mismatch = [rel for rel in sorted(files(left)) if not filecmp.cmp(left / rel, right / rel, shallow=False)]
    assert not mismatch, f"incremental output differs from a cold build in: {mismatch[:10]}"


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_incremental_build_equals_cold_build_after_an_edit(tmp_path: Path, edit: str) -> None:
    site = copy_fixture(tmp_path / "site")
    cache = tmp_path / "cache"
    first = _build(site, tmp_path / "warm", cache)
    EDITS[edit](site)
    again = _build(site, tmp_path / "warm", cache)
    _build(site, tmp_path / "cold", None)
    _assert_same_tree(tmp_path / "warm", tmp_path / "cold")
    assert again.figures["pages rendered"] <= first.figures["pages rendered"]


def test_the_preview_reads_an_unchanged_archive_once_when_it_starts(tmp_path: Path) -> None:
    """Nothing changed since the last build: nothing is built, but the preview's parse cache is
    filled, so its first save re-reads one file instead of the whole archive."""
    site = copy_fixture(tmp_path / "site")
    cache = tmp_path / "cache"
    _build(site, tmp_path / "out", cache)
    parsed = ParseCache()
    options = BuildOptions(root=site, out=tmp_path / "out", today=TODAY, jobs=1, search=False, cache=cache)
    started = build(replace(options, parse_cache=parsed))
    assert started.site is None, "nothing changed, so nothing was built"
    files = len(parsed.entries)
    assert files > 20 and len(parsed.records) > 20, "files parsed and their records validated"
    kept = dict(parsed.entries)
    EDITS["minute text"](site)
    again = build(replace(options, parse_cache=parsed))
    assert again.site is not None
    reread = [rel for rel, entry in parsed.entries.items() if entry is not kept.get(rel)]
    assert reread == [f"{PC}/2023-06-14.yaml"]


def test_a_template_edited_in_place_is_compiled_again(tmp_path: Path) -> None:
    """Compiled templates are kept in the cache, keyed by their source: an edit takes effect."""
    site = copy_fixture(tmp_path / "site")
    cache = tmp_path / "cache"
    _override_template(site)
    _build(site, tmp_path / "out", cache)
    assert list((cache / "templates").iterdir()), "the build kept its compiled templates"
    page = site / "templates/404.html"
    page.write_text(page.read_text().replace("<h1>Lost</h1>", "<h1>Not here</h1>"))
    _build(site, tmp_path / "out", cache)
    assert "<h1>Not here</h1>" in (tmp_path / "out/404.html").read_text()


def test_an_unchanged_archive_renders_only_the_summary_pages(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    cache = tmp_path / "cache"
    first = _build(site, tmp_path / "out", cache)
    again = _build(site, tmp_path / "out", cache)
    assert first.figures["pages rendered"] == first.pages
    summaries = {"home.html", "bodies.html", "404.html", "search.html", "decisions_index.html"}
    assert again.figures["pages rendered"] < first.pages // 4, sorted(summaries)


def test_a_new_reference_date_updates_overdue_actions_everywhere(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    cache = tmp_path / "cache"
    _build(site, tmp_path / "warm", cache, today=date(2023, 9, 1))
    _build(site, tmp_path / "warm", cache, today=TODAY)
    _build(site, tmp_path / "cold", None, today=TODAY)
    _assert_same_tree(tmp_path / "warm", tmp_path / "cold")


def test_a_one_page_edit_renders_few_pages(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    cache = tmp_path / "cache"
    first = _build(site, tmp_path / "out", cache)
    EDITS["minute text"](site)
    again = _build(site, tmp_path / "out", cache)
    assert again.figures["pages rendered"] < first.pages // 3


def test_options_default_to_no_cache() -> None:
    assert replace(BuildOptions(root=Path(".")), out=None).cache is None


def test_nothing_changed_means_nothing_is_done(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    cache = tmp_path / "cache"
    _build(site, tmp_path / "out", cache)
    stamp = (tmp_path / "out/index.html").stat().st_mtime_ns
    again = _build(site, tmp_path / "out", cache)
    assert again.site is None and again.figures["pages rendered"] == 0
    assert (tmp_path / "out/index.html").stat().st_mtime_ns == stamp
    EDITS["minute text"](site)
    assert _build(site, tmp_path / "out", cache).site is not None
    assert _build(site, tmp_path / "out", cache, today=date(2030, 1, 1)).site is not None


def test_a_parse_cache_rereads_only_changed_files_and_gives_the_same_site(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    parse_cache = ParseCache()
    options = BuildOptions(root=site, out=tmp_path / "warm", today=TODAY, jobs=1, search=False)
    build(replace(options, parse_cache=parse_cache))
    kept = dict(parse_cache.entries)
    EDITS["minute text"](site)
    build(replace(options, parse_cache=parse_cache))
    changed = [rel for rel, entry in parse_cache.entries.items() if kept[rel][1] is not entry[1]]
    assert changed == [f"{PC}/2023-06-14.yaml"]
    _build(site, tmp_path / "cold", None)
    _assert_same_tree(tmp_path / "warm", tmp_path / "cold")


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_records_kept_by_a_parse_cache_give_the_same_site_after_an_edit(tmp_path: Path, edit: str) -> None:
    """Validate and link change records they made (numbers, privacy); a kept record must not drift."""
    site = copy_fixture(tmp_path / "site")
    parse_cache = ParseCache()
    options = BuildOptions(root=site, out=tmp_path / "warm", today=TODAY, jobs=1, search=False)
    for _ in range(2):  # the second build validates nothing again
        build(replace(options, parse_cache=parse_cache))
    kept = {rel: record for rel, (_, record) in parse_cache.records.items()}
    EDITS[edit](site)
    build(replace(options, parse_cache=parse_cache))
    reused = {rel for rel, record in kept.items() if parse_cache.records[rel][1] is record}
    assert f"{PC}/2022-11-16.yaml" in reused  # a meeting with exempt business
    assert edit != "minute text" or f"{PC}/2023-06-14.yaml" not in reused
    _build(site, tmp_path / "cold", None)
    _assert_same_tree(tmp_path / "warm", tmp_path / "cold")


def test_the_previews_quick_pass_updates_pages_and_keeps_search_and_feeds(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    cache = tmp_path / "cache"
    options = BuildOptions(root=site, out=tmp_path / "warm", today=TODAY, jobs=1, search=True, cache=cache)
    build(options)
    EDITS["minute text"](site)
    build(replace(options, steps=[], in_place=True))
    page = (tmp_path / "warm" / "bodies/planning-committee/meetings/2023-06-14/index.html").read_text()
    assert "Councillor Patel stood in." in page
    assert (tmp_path / "warm/feed.xml").exists() and (tmp_path / "warm/pagefind/pagefind.js").exists()
    build(options)
    build(replace(options, out=tmp_path / "cold", cache=None))
    for folder in ("warm", "cold"):  # the search index is compared by the tests of search, not here
        shutil.rmtree(tmp_path / folder / "pagefind")
    _assert_same_tree(tmp_path / "warm", tmp_path / "cold")


#: The page of the meeting that EDITS["minute text"] changes.
EDITED_PAGE = "bodies/planning-committee/meetings/2023-06-14/index.html"


def _quick(site: Path, out: Path, cache: Path | None) -> BuildResult:
    """The preview's first pass after a save: changed pages only, into the served folder."""
    options = BuildOptions(root=site, out=out, today=TODAY, jobs=1, search=False, cache=cache)
    return build(replace(options, steps=[], in_place=True))


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_an_in_place_pass_then_a_full_build_equals_a_cold_build(tmp_path: Path, edit: str) -> None:
    site = copy_fixture(tmp_path / "site")
    cache, warm = tmp_path / "cache", tmp_path / "warm"
    _build(site, warm, cache)
    folder = warm.stat().st_ino
    EDITS[edit](site)
    assert _quick(site, warm, cache).site is not None
    assert warm.stat().st_ino == folder, "the served folder was swapped, not updated in place"
    assert not list(tmp_path.glob(".warm.*")) and not list(warm.rglob(".*.tmp"))
    _build(site, warm, cache)
    _build(site, tmp_path / "cold", None)
    _assert_same_tree(warm, tmp_path / "cold")


def test_an_in_place_pass_changes_only_the_pages_it_renders(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    cache, warm = tmp_path / "cache", tmp_path / "warm"
    _build(site, warm, cache)
    before = {p: p.stat().st_ino for p in warm.rglob("*") if p.is_file()}
    EDITS["minute text"](site)
    quick = _quick(site, warm, cache)
    replaced = [p for p, inode in before.items() if p.stat().st_ino != inode]
    page = warm / EDITED_PAGE
    assert page in replaced and "Councillor Patel stood in." in page.read_text()
    assert len(replaced) == quick.figures["pages rendered"]
    assert page.stat().st_mode == (warm / "index.html").stat().st_mode == _staged_page_mode(tmp_path)


def _staged_page_mode(tmp_path: Path) -> int:
    """The mode a page of a staged build gets: a page written in place must be as readable."""
    site = copy_fixture(tmp_path / "site-for-mode")
    return _build(site, tmp_path / "staged", None).out.joinpath("index.html").stat().st_mode


def test_an_in_place_pass_that_stops_half_way_leaves_no_page_marked_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_fixture(tmp_path / "site")
    cache, warm = tmp_path / "cache", tmp_path / "warm"
    _build(site, warm, cache)
    meeting = site / f"{PC}/2023-06-14.yaml"
    original, stamp = meeting.read_text(), meeting.stat().st_mtime_ns
    EDITS["minute text"](site)

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:  # the pages are written; the pass stops before the end
        patched.setattr("minutebook.write.update_files", stop)
        with pytest.raises(KeyboardInterrupt):
            _quick(site, warm, cache)
    assert "Councillor Patel stood in." in (warm / EDITED_PAGE).read_text()
    meeting.write_text(original)  # the clerk undoes the edit: the inputs are those of the first build
    os.utime(meeting, ns=(stamp, stamp))
    assert _build(site, warm, cache).site is not None
    _build(site, tmp_path / "cold", None)
    _assert_same_tree(warm, tmp_path / "cold")


def test_an_in_place_pass_in_worker_processes_equals_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("minutebook.write.PARALLEL_THRESHOLD", 1)
    site = copy_fixture(tmp_path / "site")
    cache, warm = tmp_path / "cache", tmp_path / "warm"
    _build(site, warm, cache)
    EDITS["site title"](site)  # every page changes
    options = BuildOptions(root=site, out=warm, today=TODAY, jobs=2, search=False, cache=cache)
    quick = build(replace(options, steps=[], in_place=True))
    assert quick.figures["pages rendered"] == quick.pages
    _build(site, warm, cache)  # reuses every page the workers wrote
    _build(site, tmp_path / "cold", None)
    _assert_same_tree(warm, tmp_path / "cold")


def test_an_in_place_pass_without_an_output_yet_is_staged(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    result = _quick(site, tmp_path / "out", tmp_path / "cache")
    assert result.figures["pages rendered"] == result.pages
    _build(site, tmp_path / "cold", None)
    assert (tmp_path / "out/index.html").read_bytes() == (tmp_path / "cold/index.html").read_bytes()


def test_an_in_place_pass_runs_no_post_build_steps(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="steps=\\[\\]"):
        build(BuildOptions(root=tmp_path, in_place=True))


def test_a_failed_step_stops_the_search_index_and_leaves_nothing_behind(tmp_path: Path) -> None:
    class Refuse:
        name = "refuse"

        def run(self, context: StepContext) -> None:
            raise BuildFailed([Problem("content/x.yaml", "refused")])

    site = copy_fixture(tmp_path / "site")
    steps = default_steps()
    options = BuildOptions(root=site, out=tmp_path / "out", today=TODAY, jobs=1, steps=[*steps, Refuse()])
    with pytest.raises(BuildFailed):
        build(options)
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".out.*"))
    search = next(step for step in steps if step.name == "search index")
    assert getattr(search, "_process", None) is None or search._process.poll() is not None


def test_the_input_state_changes_with_any_input_file_and_only_then(tmp_path: Path) -> None:
    """The cheap 'did anything change' a build checks first: every file of site_config.yaml,
    content/ and templates/ by size and time, in a fixed order; a linked folder is not entered."""
    root = copy_fixture(tmp_path / "site")
    first = incremental.input_state(root, "settings")
    assert incremental.input_state(root, "settings") == first
    assert incremental.input_state(root, "other settings") != first
    meeting = next((root / "content" / "meetings").rglob("*.yaml"))
    meeting.write_text(meeting.read_text() + "\n")
    second = incremental.input_state(root, "settings")
    assert second != first
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "page.html").write_text("{{ page }}")
    third = incremental.input_state(root, "settings")
    assert third != second
    (tmp_path / "elsewhere").mkdir()
    (root / "content" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere" / "x.yaml").write_text("x")
    assert incremental.input_state(root, "settings") == third
