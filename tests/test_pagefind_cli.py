"""Pagefind's command line over documents written for it: each keeps its address, nothing is left
behind, and a failure is reported (the search tests search what it builds)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from minutebook import pagefind_cli
from minutebook.pagefind_cli import SearchPage
from minutebook.pagefind_service import PagefindError


def page(title: str, words: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body>'
        f'<main data-pagefind-body><span data-pagefind-meta="title">{title}</span><p>{words}</p></main></body></html>'
    )


def fragments(bundle: Path) -> dict[str, dict[str, object]]:
    """Each indexed page's fragment by its address (Pagefind gzips them behind a marker)."""
    found = {}
    for file in (bundle / "fragment").iterdir():
        data = json.loads(gzip.decompress(file.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data["url"]] = data
    return found


def test_pages_keep_their_addresses_and_the_documents_are_removed(tmp_path: Path) -> None:
    pages = [
        SearchPage("/minutebook/bodies/cabinet/meetings/2024-05-01/", page("Cabinet", "library opening hours")),
        SearchPage("/minutebook/people/ada-lovelace/", page("Ada Lovelace", "councillor for Marsh ward")),
        SearchPage("/minutebook/about.html", page("About", "these records")),
    ]
    source, bundle = tmp_path / "source", tmp_path / "bundle"
    assert pagefind_cli.build_index(pages, bundle, source) == 3
    assert not source.exists()
    found = fragments(bundle)
    assert set(found) == {p.url for p in pages}
    assert found["/minutebook/people/ada-lovelace/"]["meta"]["title"] == "Ada Lovelace"  # type: ignore[index]
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 3


def test_pagefind_settings_around_the_build_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pagefind reads PAGEFIND_* settings and a pagefind.yml where it runs: neither may change the index.
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pagefind.yml").write_text("force_language: de\n", encoding="utf-8")
    bundle = tmp_path / "bundle"
    pagefind_cli.build_index([SearchPage("/a/", page("A", "words"))], bundle, tmp_path / "source")
    assert (bundle / "wasm.en.pagefind").is_file()
    assert not list(bundle.glob("wasm.fr.*")) and not list(bundle.glob("wasm.de.*"))


def test_nothing_to_index_still_makes_an_index(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    assert pagefind_cli.build_index([], bundle, tmp_path / "source") == 0
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert not (tmp_path / "source").exists()


@pytest.mark.parametrize("url", ["bodies/x/", "/bodies/../x/", "/bodies/x", "/search/?q=x"])
def test_an_address_that_is_not_a_plain_page_is_refused(tmp_path: Path, url: str) -> None:
    with pytest.raises(PagefindError, match="cannot index a page"):
        pagefind_cli.build_index([SearchPage(url, page("X", "words"))], tmp_path / "bundle", tmp_path / "source")
    assert not (tmp_path / "source").exists()


def test_a_failing_pagefind_is_reported(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    with pytest.raises(PagefindError, match="Pagefind failed"):
        pagefind_cli.build_index([SearchPage("/a/", page("A", "words"))], blocked / "bundle", tmp_path / "source")
    assert not (tmp_path / "source").exists()
