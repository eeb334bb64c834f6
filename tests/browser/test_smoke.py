"""Smoke test of the browser tooling itself: Chromium, the loopback server, and axe-core."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .conftest import Axe, PageLog

Serve = Callable[[Path | str], str]

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
</head>
<body>
<header><a href="#main">Skip to content</a></header>
<main id="main">
<h1>{title}</h1>
<p>{body}</p>
</main>
</body>
</html>
"""


def test_click_through_and_axe(tmp_path: Path, serve_directory: Serve, page: Page, axe: Axe) -> None:
    (tmp_path / "index.html").write_text(
        PAGE.format(
            title="Council meetings",
            body='See the <a href="minutes.html">minutes of 17 March 2016</a>.',
        ),
        encoding="utf-8",
    )
    (tmp_path / "minutes.html").write_text(
        PAGE.format(title="Minutes of 17 March 2016", body="Present: the chair."),
        encoding="utf-8",
    )
    base_url = serve_directory(tmp_path)
    assert base_url.startswith("http://127.0.0.1:")

    page.goto(f"{base_url}/index.html")
    assert page.title() == "Council meetings"
    axe.assert_clean(page)

    page.get_by_role("link", name="minutes of 17 March 2016").click()
    page.wait_for_url(f"{base_url}/minutes.html")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Minutes of 17 March 2016"
    assert axe(page) == []


def test_axe_reports_violations(tmp_path: Path, serve_directory: Serve, page: Page, axe: Axe) -> None:
    """Guard against a silently broken axe: a page with known faults must be reported."""
    (tmp_path / "bad.html").write_text(
        "<!doctype html><html><head><title>x</title></head>"
        '<body><img src="data:,"><a href="#"></a></body></html>',
        encoding="utf-8",
    )
    page.goto(f"{serve_directory(tmp_path)}/bad.html")
    ids = {v["id"] for v in axe(page)}
    assert {"html-has-lang", "image-alt", "link-name"} <= ids


def test_external_requests_are_blocked_and_recorded(
    tmp_path: Path, serve_directory: Serve, page: Page, page_log: PageLog
) -> None:
    """The page fixture aborts requests that leave the machine and fails the test for them."""
    (tmp_path / "ext.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title>'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css"></head>'
        "<body><h1>x</h1></body></html>",
        encoding="utf-8",
    )
    page.goto(f"{serve_directory(tmp_path)}/ext.html")
    assert page_log.external == ["https://cdn.example.com/x.css"]
    assert any(url.endswith("/ext.html") for url in page_log.requests)
    page_log.external.clear()  # this test wants the request; don't fail it at teardown
