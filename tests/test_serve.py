"""The preview server: serves under the base path, reloads after a rebuild, shows errors in the page."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from minutebook import serve
from minutebook.build import BuildOptions, build
from minutebook.problems import Problem
from sitekit import TODAY, build_site, copy_fixture


@pytest.fixture()
def preview(tmp_path: Path) -> Iterator[tuple[str, serve.Preview, Path]]:
    site = copy_fixture(tmp_path / "site")
    result = build_site(site, search=False)
    state = serve.Preview()
    state.succeeded()
    server = serve.make_server(result.out, "https://example.org/minutes/", 0, state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", state, site
    server.shutdown()
    server.server_close()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_pages_are_served_under_the_base_path_with_the_reload_script(
    preview: tuple[str, serve.Preview, Path],
) -> None:
    base, _, _ = preview
    status, page = fetch(f"{base}/minutes/")
    assert status == 200
    assert "<h1>" in page and serve.STATE_PATH in page
    status, _ = fetch(f"{base}/minutes/no-such-page/")
    assert status == 404


def test_state_changes_after_a_rebuild(preview: tuple[str, serve.Preview, Path]) -> None:
    base, state, _ = preview
    before = json.loads(fetch(f"{base}{serve.STATE_PATH}")[1])
    state.succeeded()
    after = json.loads(fetch(f"{base}{serve.STATE_PATH}")[1])
    assert after["generation"] == before["generation"] + 1 and not after["failed"]


def test_a_failed_build_shows_its_problems_in_every_page(preview: tuple[str, serve.Preview, Path]) -> None:
    base, state, _ = preview
    state.failed(
        [Problem("content/people/x.yaml", "unknown field 'nmae'", "did you mean 'name'?", line=2, col=1)]
    )
    status, page = fetch(f"{base}/minutes/bodies/")
    assert status == 500
    assert (
        "content/people/x.yaml:2:1: unknown field &#x27;nmae&#x27; — did you mean &#x27;name&#x27;?" in page
    )
    assert json.loads(fetch(f"{base}{serve.STATE_PATH}")[1])["failed"] is True


def test_pages_rewritten_in_place_are_served_whole(preview: tuple[str, serve.Preview, Path]) -> None:
    base, _, site = preview
    meeting = site / "content/meetings/planning-committee/2023-06-14.yaml"
    url = f"{base}/minutes/bodies/planning-committee/meetings/2023-06-14/"
    served: list[tuple[int, str]] = []
    done = threading.Event()

    def read_while_writing() -> None:
        while not done.is_set():
            served.append(fetch(url))

    reader = threading.Thread(target=read_while_writing, daemon=True)
    reader.start()
    options = BuildOptions(root=site, out=site / "_site", today=TODAY, jobs=1, search=False, steps=[])
    original = meeting.read_text()
    for n in range(3):  # the preview's quick pass: every page written into the folder being served
        meeting.write_text(original.replace("Patel substituted.", f"Patel substituted ({n}).", 1))
        build(replace(options, in_place=True))
    done.set()
    reader.join()
    assert served and all(code == 200 and page.rstrip().endswith("</html>") for code, page in served)
    assert "Patel substituted (2)." in fetch(url)[1]


def test_the_watcher_sees_a_saved_file(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    seen = threading.Event()
    stop = threading.Event()
    since = serve.snapshot(site)
    watcher = threading.Thread(target=serve.watch, args=(site, seen.set, stop, 0.05, since), daemon=True)
    watcher.start()
    page = site / "content/pages/about.md"
    target = page if page.exists() else next((site / "content").rglob("*.yaml"))
    target.write_text(target.read_text() + "\n")
    assert seen.wait(5)
    stop.set()
