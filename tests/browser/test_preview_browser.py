"""`minutebook serve` in a real browser: the open page shows each save by itself."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sitekit import TODAY, copy_fixture

if TYPE_CHECKING:
    from playwright.sync_api import Page

MEETING = "content/meetings/planning-committee/2023-06-14.yaml"
PAGE = "/minutes/bodies/planning-committee/meetings/2023-06-14/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture()
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    site = copy_fixture(tmp_path / "site")
    port = _free_port()
    serve = ["serve", "--site", str(site), "--port", str(port), "--today", TODAY.isoformat()]
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "minutebook.cli", *serve],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # printed once the first build is done
        assert "Serving the preview at" in line, line
        time.sleep(0.5)  # the watcher starts just after
        yield f"http://127.0.0.1:{port}", site
    finally:
        server.terminate()
        server.wait(10)


def _save(site: Path, old: str, new: str) -> None:
    path = site / MEETING
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_open_page_shows_each_save(preview: tuple[str, Path], page: Page) -> None:
    base, site = preview
    page.goto(f"{base}{PAGE}")
    minute = page.locator("main")
    assert "Councillor Patel substituted." in minute.inner_text()

    _save(site, "Councillor Patel substituted.", "Councillor Patel substituted for her.")  # words only
    page.get_by_text("Councillor Patel substituted for her.").wait_for(timeout=15_000)

    _save(site, "title: Apologies and substitutions", "title: Apologies and substitutes")  # a title
    page.get_by_role("heading", name="Apologies and substitutes").wait_for(timeout=15_000)

    _save(site, "title: Apologies and substitutes", "title: [Apologies")  # a YAML mistake
    page.get_by_role("heading", name="The content has 1 problem").wait_for(timeout=15_000)
    assert MEETING in page.locator("main").inner_text()

    _save(site, "title: [Apologies", "title: Apologies and substitutes")  # fixed
    page.get_by_role("heading", name="Apologies and substitutes").wait_for(timeout=15_000)
