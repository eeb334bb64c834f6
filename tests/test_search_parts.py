"""The search index in parts: each a run of municipal years, indexed side by side, merged by the
search page (the browser tests search them: tests/browser/test_search_browser.py)."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from minutebook import index, pagefind_cli, pagefind_service
from minutebook.build import check
from minutebook.graph import Site
from minutebook.index import SearchPart, search_parts
from minutebook.markdown_text import MarkdownRenderer
from minutebook.outputs import search
from minutebook.priority import usable_cores
from minutebook.render import Renderer
from sitekit import TODAY, build_site, copy_fixture


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Site]:
    root = copy_fixture(tmp_path_factory.mktemp("parts"))
    site, _ = check(root, TODAY)
    return root, site


def urls(root: Path, site: Site, part: SearchPart | None = None) -> list[str]:
    renderer = Renderer(site, root / "templates")
    return [doc.url for doc in index.documents(site, renderer, MarkdownRenderer(), part)]


def test_a_small_site_is_one_part(fixture_site: tuple[Path, Site]) -> None:
    root, site = fixture_site
    (part,) = search_parts(site)
    assert part.folder == "pagefind"
    assert set(part.years) == {m.year for m in site.meetings} | {p.year for p in site.programmes}
    assert part.documents == len(urls(root, site))


def test_parts_are_runs_of_years_newest_first(fixture_site: tuple[Path, Site]) -> None:
    root, site = fixture_site
    parts = search_parts(site, per_part=10)
    assert len(parts) == 3, "33 documents in parts of 10: four wanted, but years are not split"
    assert [p.folder for p in parts] == ["pagefind", "pagefind/part-2", "pagefind/part-3"]
    years = [year for part in parts for year in part.years]
    assert years == sorted(years, reverse=True), "newest first, each year once"
    assert len(set(years)) == len(years)
    assert set(years) == {m.year for m in site.meetings} | {p.year for p in site.programmes}
    assert sum(p.documents for p in parts) == len(urls(root, site))


def test_the_parts_hold_every_document_once(fixture_site: tuple[Path, Site]) -> None:
    root, site = fixture_site
    parts = search_parts(site, per_part=10)
    held = {part.number: urls(root, site, part) for part in parts}
    assert sorted(u for found in held.values() for u in found) == sorted(urls(root, site))
    assert [len(found) for found in held.values()] == [p.documents for p in parts]
    people = [u for u in urls(root, site) if "/people/" in u]
    assert people and set(people) <= set(held[1]), "people are documents of the first part"


def test_parts_are_balanced(fixture_site: tuple[Path, Site]) -> None:
    """Parts close near their share: none is empty, and none is over twice another's share."""
    _, site = fixture_site
    for per_part in (5, 10, 20, 40):
        parts = search_parts(site, per_part=per_part)
        total = sum(p.documents for p in parts)
        assert all(p.years for p in parts)
        wanted = -(-total // per_part)
        assert len(parts) <= wanted + wanted % 2 if wanted > 1 else len(parts) == 1
        assert max(p.documents for p in parts) <= 2 * total / len(parts) + max(
            index._documents_by_year(site).values()
        )


def test_a_build_in_parts_publishes_them_under_pagefind(tmp_path: Path) -> None:
    whole = build_site(copy_fixture(tmp_path / "whole"))
    result = build_site(copy_fixture(tmp_path / "parts"), search_part_documents=10)
    bundle = result.out / "pagefind"
    assert result.figures["search index parts"] == 3
    assert result.figures["search documents"] == whole.figures["search documents"]
    listing = json.loads((bundle / "parts.json").read_text(encoding="utf-8"))
    assert [p["path"] for p in listing["parts"]] == [
        "/minutes/pagefind/",
        "/minutes/pagefind/part-2/",
        "/minutes/pagefind/part-3/",
    ]
    assert listing["parts"][0]["years"][0] == "2026/27"
    for number in (2, 3):
        part = bundle / f"part-{number}"
        names = sorted(p.name for p in part.iterdir())
        assert names[:4] == ["filter", "fragment", "index", "pagefind-entry.json"]
        assert len(names) == 5 and names[4].endswith(".pf_meta"), "only what a merged index reads"
    assert (bundle / "pagefind.js").is_file() and (bundle / "wasm.en.pagefind").is_file()
    assert not list(result.out.glob(".pagefind-part-*")), "no part left beside the site"
    assert not list(result.out.glob(".pagefind-source-*")), "no documents written for Pagefind left"


def test_a_build_in_parts_is_the_same_every_time(tmp_path: Path) -> None:
    """The same parts with the same documents (Pagefind's own files are not byte-identical from one
    run to the next, but each document's fragment is named by its content)."""
    first = build_site(copy_fixture(tmp_path / "one"), search_part_documents=10, jobs=2)
    second = build_site(copy_fixture(tmp_path / "two"), search_part_documents=10)

    def parts(out: Path) -> tuple[str, list[list[str]]]:
        bundle = out / "pagefind"
        fragments = [
            sorted(p.name for p in (folder / "fragment").iterdir())
            for folder in [bundle, *sorted(bundle.glob("part-*"))]
        ]
        return (bundle / "parts.json").read_text(encoding="utf-8"), fragments

    assert parts(first.out) == parts(second.out)


def test_a_part_that_fails_fails_the_build_and_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_fixture(tmp_path / "site")
    published = build_site(root)
    before = sorted(p.relative_to(published.out).as_posix() for p in published.out.rglob("*"))
    real = pagefind_cli.start

    def second_part_fails(documents, output, started=lambda _: None):  # type: ignore[no-untyped-def]
        if output.name == ".pagefind-part-2":
            raise pagefind_service.PagefindError("Pagefind failed: planted")
        return real(documents, output, started)

    monkeypatch.setattr(pagefind_cli, "start", second_part_fails)
    about = root / "content/pages/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")
    with pytest.raises(pagefind_service.PagefindError, match="planted"):
        build_site(root, search_part_documents=10)
    after = sorted(p.relative_to(published.out).as_posix() for p in published.out.rglob("*"))
    assert after == before
    assert not list(root.glob("._site.staging-*")), "the staging folder is removed"


@pytest.mark.parametrize("cores", [1, 2])
def test_parts_are_indexed_side_by_side_on_the_cores_there_are(
    cores: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pagefind_cli.start
    lock, running, most, started_parts = threading.Lock(), [0], [0], []
    both = threading.Barrier(2, timeout=10)

    def counted(documents, output, started=lambda _: None):  # type: ignore[no-untyped-def]
        # A Pagefind runs from its start until the build has waited for it.
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            first_two = started_parts.append(output.name) or len(started_parts) <= 2
        if cores == 2 and first_two:
            both.wait()  # the first two parts meet: they run at once
        indexing = real(documents, output, started)
        wait = indexing.wait

        def waited() -> int:
            try:
                return wait()
            finally:
                with lock:
                    running[0] -= 1

        indexing.wait = waited  # type: ignore[method-assign]
        return indexing

    monkeypatch.setattr(search, "usable_cores", lambda: cores)
    monkeypatch.setattr(pagefind_cli, "start", counted)
    result = build_site(copy_fixture(tmp_path / "site"), search_part_documents=10)
    assert result.figures["search index parts"] == 3
    assert most[0] == cores


def test_a_lane_writes_its_next_documents_while_pagefind_indexes_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On one core, part N+1's documents are ready before part N's Pagefind is waited for, so
    Pagefind starts the next part at once (making documents competes with the build's own steps)."""
    events: list[str] = []
    write, start = pagefind_cli.write_documents, pagefind_cli.start

    def written(pages, source):  # type: ignore[no-untyped-def]
        events.append(f"write {source.name.removeprefix('.pagefind-source-')}")
        return write(pages, source)

    def started(documents, output, started=lambda _: None):  # type: ignore[no-untyped-def]
        part = documents.source.name.removeprefix(".pagefind-source-")
        events.append(f"start {part}")
        indexing = start(documents, output, started)
        wait = indexing.wait

        def waited() -> int:
            count = wait()
            events.append(f"done {part}")
            return count

        indexing.wait = waited  # type: ignore[method-assign]
        return indexing

    monkeypatch.setattr(search, "usable_cores", lambda: 1)
    monkeypatch.setattr(pagefind_cli, "write_documents", written)
    monkeypatch.setattr(pagefind_cli, "start", started)
    root = copy_fixture(tmp_path / "site")
    build_site(root, search_part_documents=10)
    parts = search_parts(check(root, TODAY)[0], per_part=10)
    a, b, c = (str(p.number) for p in sorted(parts, key=lambda p: -p.documents))
    assert len({p.documents for p in parts}) == 3, "parts of different sizes, so the order shows"
    assert events == [
        f"write {a}",
        f"start {a}",
        f"write {b}",
        f"done {a}",
        f"start {b}",
        f"write {c}",
        f"done {b}",
        f"start {c}",
        f"done {c}",
    ], "the largest part first; each part's documents written before the last part is waited for"


def test_usable_cores_are_those_this_process_may_run_on() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert usable_cores() == expected


def bundle_files(out: Path) -> dict[str, bytes]:
    bundle = out / "pagefind"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}


def indexed_parts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the bundles Pagefind is asked to write, as the build makes them."""
    real, asked = pagefind_cli.start, []

    def recorded(documents, output, started=lambda _: None):  # type: ignore[no-untyped-def]
        asked.append(output.name)
        return real(documents, output, started)

    monkeypatch.setattr(pagefind_cli, "start", recorded)
    return asked


def test_an_unchanged_index_is_kept_not_indexed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_fixture(tmp_path / "site")
    first = build_site(root, search_part_documents=10)
    before = bundle_files(first.out)
    asked = indexed_parts(monkeypatch)
    about = root / "content/pages/about.md"  # a page no search document shows
    about.write_text(about.read_text(encoding="utf-8") + "\nMore about the fixture.\n", encoding="utf-8")
    again = build_site(root, search_part_documents=10)
    assert asked == []
    assert again.figures["search index parts kept"] == 3
    assert bundle_files(again.out) == before, "the same files, byte for byte"


def test_an_edit_reindexes_only_its_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_fixture(tmp_path / "site")
    first = build_site(root, search_part_documents=10)
    before = bundle_files(first.out)
    asked = indexed_parts(monkeypatch)
    meeting = root / "content/meetings/cabinet/2023-09-12.yaml"  # 2023/24: the second part
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("venue: ", "venue: Old ", 1), encoding="utf-8")
    again = build_site(root, search_part_documents=10)
    assert asked == [".pagefind-part-2"]
    assert again.figures["search index parts kept"] == 2
    after = bundle_files(again.out)

    def files_of_part(files: dict[str, bytes], number: int) -> dict[str, bytes]:
        if number > 1:
            return {n: d for n, d in files.items() if n.startswith(f"pagefind/part-{number}/")}
        return {n: d for n, d in files.items() if "/part-" not in n and not n.endswith("parts.json")}

    assert files_of_part(after, 1) == files_of_part(before, 1), "the first part was kept"
    assert files_of_part(after, 3) == files_of_part(before, 3), "the third part was kept"
    assert set(files_of_part(after, 2)) != set(files_of_part(before, 2)), "the second was indexed again"
    old, new = (json.loads(files["pagefind/parts.json"]) for files in (before, after))
    assert [p["digest"] for p in old["parts"]][0::2] == [p["digest"] for p in new["parts"]][0::2]
    assert old["parts"][1]["digest"] != new["parts"][1]["digest"]


def test_a_part_missing_from_the_published_site_is_indexed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_fixture(tmp_path / "site")
    first = build_site(root, search_part_documents=10)
    shutil.rmtree(first.out / "pagefind/part-3")
    asked = indexed_parts(monkeypatch)
    again = build_site(root, search_part_documents=10)
    assert asked == [".pagefind-part-3"]
    assert (again.out / "pagefind/part-3/pagefind-entry.json").is_file()
