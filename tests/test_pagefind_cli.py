"""Pagefind's command line over documents written for it: each is found with its address, nothing is
left behind, and a failure is reported (the search tests search what it builds)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from minutebook import pagefind_cli
from minutebook.pagefind_cli import SearchPage
from minutebook.pagefind_service import PagefindError


def page(title: str, words: str, url: str = "/a/") -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body><main data-pagefind-body>'
        f'<div data-pagefind-ignore><span data-pagefind-meta="url">{url}</span>'
        f'<span data-pagefind-meta="title">{title}</span></div><p>{words}</p></main></body></html>'
    )


def fragments(bundle: Path) -> list[dict[str, Any]]:
    """Each indexed page's fragment (Pagefind gzips them behind a marker)."""
    return [
        json.loads(gzip.decompress(file.read_bytes()).removeprefix(b"pagefind_dcd"))
        for file in sorted((bundle / "fragment").iterdir())
    ]


def index(pages: list[SearchPage], bundle: Path, source: Path) -> int:
    """What the search step does with a part: write its documents, run Pagefind, wait for it."""
    return pagefind_cli.start(pagefind_cli.write_documents(pages, source), bundle).wait()


def test_each_page_is_indexed_with_its_address_and_the_documents_are_removed(tmp_path: Path) -> None:
    pages = [
        SearchPage(url, page(title, words, url))
        for url, title, words in [
            ("/minutebook/bodies/cabinet/meetings/2024-05-01/", "Cabinet", "library opening hours"),
            ("/minutebook/people/ada-lovelace/", "Ada Lovelace", "councillor for Marsh ward"),
            ("/minutebook/about.html", "About", "these records"),
        ]
    ]
    source, bundle = tmp_path / "source", tmp_path / "bundle"
    assert index(pages, bundle, source) == 3
    assert not source.exists()
    found = {fragment["meta"]["url"]: fragment for fragment in fragments(bundle)}
    assert set(found) == {p.url for p in pages}, "each page's address, as its metadata"
    assert found["/minutebook/people/ada-lovelace/"]["meta"]["title"] == "Ada Lovelace"
    assert "councillor for Marsh ward" in found["/minutebook/people/ada-lovelace/"]["content"]
    addresses_as_words = [url for url, fragment in found.items() if "/minutebook/" in fragment["content"]]
    assert addresses_as_words == [], "an address is metadata, not words to find"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 3


def test_pagefind_settings_around_the_build_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pagefind reads PAGEFIND_* settings and a pagefind.yml where it runs: neither may change the index.
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pagefind.yml").write_text("force_language: de\n", encoding="utf-8")
    bundle = tmp_path / "bundle"
    index([SearchPage("/a/", page("A", "words"))], bundle, tmp_path / "source")
    assert (bundle / "wasm.en.pagefind").is_file()
    assert not list(bundle.glob("wasm.fr.*")) and not list(bundle.glob("wasm.de.*"))


def test_nothing_to_index_still_makes_an_index(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    assert index([], bundle, tmp_path / "source") == 0
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert not (tmp_path / "source").exists()


def test_a_failing_pagefind_is_reported(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    pages = [SearchPage("/a/", page("A", "words"))]
    with pytest.raises(PagefindError, match="Pagefind failed"):
        index(pages, blocked / "bundle", tmp_path / "source")
    assert not (tmp_path / "source").exists()
