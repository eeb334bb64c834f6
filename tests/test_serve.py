"""The preview server: serves under the base path, reloads after a rebuild, shows errors in the page."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from minutebook import build as minutebook_build
from minutebook import prose_edit, serve
from minutebook.build import BuildOptions, build
from minutebook.preview import Rebuilder, watch_and_build
from minutebook.problems import Problem
from sitekit import TODAY, build_site, copy_fixture, preview_options


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


def test_a_state_request_is_held_until_the_next_build(
    preview: tuple[str, serve.Preview, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's script asks with the generation it shows; the answer comes when a build lands."""
    base, state, _ = preview
    now = json.loads(fetch(f"{base}{serve.STATE_PATH}")[1])["generation"]
    started = time.perf_counter()
    assert json.loads(fetch(f"{base}{serve.STATE_PATH}?seen={now - 1}")[1])["generation"] == now
    assert time.perf_counter() - started < 1, "a page behind the last build hears at once"
    threading.Timer(0.4, state.succeeded).start()
    started = time.perf_counter()
    answer = json.loads(fetch(f"{base}{serve.STATE_PATH}?seen={now}")[1])
    assert answer["generation"] == now + 1
    assert 0.3 < time.perf_counter() - started < 4
    monkeypatch.setattr(serve, "HOLD_SECONDS", 0.2)
    assert json.loads(fetch(f"{base}{serve.STATE_PATH}?seen={now + 1}")[1])["generation"] == now + 1


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


def test_the_watcher_reports_each_saved_file(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path)
    stop = threading.Event()
    batches: list[set[str]] = []
    seen, watching = threading.Event(), threading.Event()

    def collect() -> None:
        for batch in serve.changes(site, stop, watching):
            batches.append(batch)
            seen.set()

    watcher = threading.Thread(target=collect, daemon=True)
    watcher.start()
    assert watching.wait(5), "the watcher says when saves are seen"  # and a save right after is
    meeting = site / "content/meetings/planning-committee/2023-06-14.yaml"
    meeting.write_text(meeting.read_text() + "\n")
    (meeting.parent / ".2023-06-14.yaml.swp").write_text("an editor's own file")
    assert seen.wait(5)
    assert batches[0] == {"content/meetings/planning-committee/2023-06-14.yaml"}
    seen.clear()
    config = site / "site_config.yaml"
    config.write_text(config.read_text() + "\n")
    assert seen.wait(5), "site_config.yaml is watched too"
    assert "site_config.yaml" in batches[-1]
    stop.set()
    watcher.join(5)
    assert not watcher.is_alive()


def test_the_preview_applies_a_prose_edit_then_builds(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    options = preview_options(site)
    said: list[str] = []
    state = serve.Preview()
    rebuilder = Rebuilder(options, state, report=lambda problems: None, say=said.append)
    rebuilder.first_build()
    page = site / "_site/bodies/planning-committee/meetings/2023-06-14/index.html"
    rel = "content/meetings/planning-committee/2023-06-14.yaml"
    meeting = site / rel
    meeting.write_text(meeting.read_text().replace("Patel substituted.", "Patel substituted for her.", 1))
    rebuilder.rebuild({rel})
    assert "Patel substituted for her." in page.read_text()
    assert said[-2].endswith(" s.") and "pages updated in" in said[-2], said
    assert said[-1].startswith("Built in")
    meeting.write_text(meeting.read_text().replace("substituted for her.", "substituted (minute 6/22).", 1))
    rebuilder.rebuild({rel})
    assert said[-2].startswith("Pages updated in"), "a new minute reference goes through the quick pass"
    assert "substituted (" in page.read_text()
    assert state.generation == 3 and not state.problems  # one reload per save, one for the first build


def test_the_preview_says_so_when_it_can_no_longer_see_saves(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    options = preview_options(site)
    said: list[str] = []
    rebuilder = Rebuilder(options, serve.Preview(), report=lambda problems: None, say=said.append)

    def failing_watch(stop: threading.Event) -> Iterator[set[str]]:
        raise OSError("OS file watch limit reached")
        yield set()

    stop = threading.Event()
    builder = threading.Thread(target=watch_and_build, args=(rebuilder, failing_watch, stop), daemon=True)
    builder.start()
    deadline = time.monotonic() + 5
    while not said and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    builder.join(5)
    assert said == [
        "The preview can no longer see your saves (OS file watch limit reached). Stop it and start it again."
    ]


def test_an_internal_error_in_a_preview_build_is_shown_and_the_next_save_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_fixture(tmp_path / "site")
    options = preview_options(site)
    said: list[str] = []
    reported: list[list[Problem]] = []
    state = serve.Preview()
    rebuilder = Rebuilder(options, state, report=reported.append, say=said.append)
    rebuilder.first_build()
    page = site / "_site/bodies/planning-committee/meetings/2023-06-14/index.html"
    rel = "content/meetings/planning-committee/2023-06-14.yaml"
    meeting = site / rel

    def broken_apply(*args: object) -> None:
        raise KeyError("a bug of ours")

    monkeypatch.setattr(prose_edit, "apply", broken_apply)
    meeting.write_text(meeting.read_text().replace("Patel substituted.", "Patel substituted for her.", 1))
    rebuilder.rebuild({rel})  # must not raise: the builder thread would end and the preview go deaf
    [problem] = state.problems
    assert "internal error (KeyError" in problem.message and "not in your content" in problem.message
    assert "MINUTEBOOK_DEBUG=1" in problem.hint
    assert reported[-1] == [problem]
    assert rebuilder.kept is None, "the half-updated build is forgotten"

    monkeypatch.undo()
    rebuilder.rebuild({rel})
    assert not state.problems
    assert "Patel substituted for her." in page.read_text()


def test_the_quick_pass_writes_the_pages_showing_the_saved_file_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a large archive a structural save reloads the open page as soon as the pages showing
    the file are written from the newly linked archive, then again when the pass has written the
    rest; every page ends as a full build writes it."""
    monkeypatch.setattr(minutebook_build, "FIRST_PAGES_FROM", 1)
    site = copy_fixture(tmp_path / "site")
    said: list[str] = []
    seen_at_reload: list[str] = []
    page = site / "_site/bodies/planning-committee/meetings/2023-06-14/index.html"

    class Watching(serve.Preview):
        def succeeded(self) -> None:
            seen_at_reload.append(page.read_text())
            super().succeeded()

    rebuilder = Rebuilder(preview_options(site), Watching(), report=lambda problems: None, say=said.append)
    rebuilder.first_build()
    rel = "content/meetings/planning-committee/2023-06-14.yaml"
    meeting = site / rel
    meeting.write_text(
        meeting.read_text().replace("Patel substituted.", "Patel substituted, see minute 6/22.", 1)
    )
    seen_at_reload.clear()
    assert rebuilder.update({rel})
    first, last = said[-2:]
    assert "pages updated in" in first and first.endswith("updating the others."), said
    assert last.startswith("Pages updated in"), said
    assert len(seen_at_reload) == 2 and all("substituted, see minute" in text for text in seen_at_reload)

    fresh_site = copy_fixture(tmp_path / "fresh")
    (fresh_site / rel).write_text(meeting.read_text())
    fresh = build_site(fresh_site, search=False)
    written = site / "_site"
    for path in sorted(fresh.out.rglob("*.html")):
        assert (written / path.relative_to(fresh.out)).read_bytes() == path.read_bytes(), path


def test_pages_written_first_are_not_taken_for_the_last_builds_if_the_pass_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass that ends after writing the first pages leaves them unmarked: undoing the save
    brings the old page back rather than leaving the undone words on it."""
    monkeypatch.setattr(minutebook_build, "FIRST_PAGES_FROM", 1)
    site = copy_fixture(tmp_path / "site")
    rebuilder = Rebuilder(
        preview_options(site), serve.Preview(), report=lambda problems: None, say=lambda _: None
    )
    rebuilder.first_build()
    page = site / "_site/bodies/planning-committee/meetings/2023-06-14/index.html"
    rel = "content/meetings/planning-committee/2023-06-14.yaml"
    meeting = site / rel
    original = meeting.read_text()
    meeting.write_text(original.replace("Patel substituted.", "Patel substituted, see minute 6/22.", 1))

    def stopped(started: float, count: int) -> None:
        raise KeyError("the pass ends here")

    monkeypatch.setattr(rebuilder, "_first_written", stopped)
    rebuilder.update({rel})
    assert "substituted, see minute" in page.read_text(), "the first pages were written"
    monkeypatch.undo()
    meeting.write_text(original)
    assert rebuilder.update({rel})
    assert "substituted, see minute" not in page.read_text()
