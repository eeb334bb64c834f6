"""Incremental builds: after any edit, rendering only the changed pages gives the same bytes as a cold build.

Each case edits a copy of the fixture archive, builds it with the cache of the previous build,
builds the same input cold into another folder, and compares every file outside pagefind/.
"""

from __future__ import annotations

import filecmp
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

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


def test_the_previews_quick_pass_updates_pages_and_keeps_search_and_feeds(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    cache = tmp_path / "cache"
    options = BuildOptions(root=site, out=tmp_path / "warm", today=TODAY, jobs=1, search=True, cache=cache)
    build(options)
    EDITS["minute text"](site)
    build(replace(options, steps=[], carry_over=True))
    page = (tmp_path / "warm" / "bodies/planning-committee/meetings/2023-06-14/index.html").read_text()
    assert "Councillor Patel stood in." in page
    assert (tmp_path / "warm/feed.xml").exists() and (tmp_path / "warm/pagefind/pagefind.js").exists()
    build(options)
    build(replace(options, out=tmp_path / "cold", cache=None))
    for folder in ("warm", "cold"):  # the search index is compared by the tests of search, not here
        shutil.rmtree(tmp_path / folder / "pagefind")
    _assert_same_tree(tmp_path / "warm", tmp_path / "cold")


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
    search = steps[0]
    assert getattr(search, "_process", None) is None or search._process.poll() is not None
