"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on every kind of page of the built sites, at 320 px and
1280 px wide, in the light and the dark colour scheme: no violations, no console errors, no
failed requests. A full-page screenshot of each (light scheme; a few in the dark one too) is
written for people to look at ($MINUTEBOOK_SCREENSHOTS, default test-artifacts/screenshots/).

The pytest summary prints how many pages × widths × schemes were checked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from site_pages import (
    ALL_PAGES,
    SCHEMES,
    WIDTHS,
    assert_quiet,
    expected_status,
    screenshots_dir,
    wait_until_ready,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .conftest import Axe, BuiltSite, PageLog


#: Every page is photographed in the light scheme; these also in the dark one.
DARK_SCREENSHOTS = {"home", "meeting-minutes", "search-results", "meeting-votes", "work-programme"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize(("site_name", "name", "path"), ALL_PAGES, ids=[f"{s}-{n}" for s, n, _ in ALL_PAGES])
def test_page_has_no_axe_violations(
    site_name: str,
    name: str,
    path: str,
    width: int,
    scheme: str,
    built_sites: dict[str, BuiltSite],
    page_factory: Callable[..., Page],
    page_log: PageLog,
    axe: Axe,
    record_property: Callable[[str, object], None],
) -> None:
    site = built_sites[site_name]
    page = page_factory(viewport={"width": width, "height": 800}, color_scheme=scheme)
    address = site.url(path)
    response = page.goto(address)
    assert response is not None
    assert response.status == expected_status(name), f"{address} answered {response.status}"
    wait_until_ready(page, path)

    violations = axe(page)
    record_property(
        "axe",
        {
            "page": f"{site_name}/{name}",
            "width": width,
            "scheme": scheme,
            "violations": sorted({v["id"] for v in violations}),
        },
    )
    if scheme == "light" or name in DARK_SCREENSHOTS:
        shot = screenshots_dir() / f"{site_name}-{name}-{width}-{scheme}.png"
        page.screenshot(path=str(shot), full_page=True)
        record_property("screenshot", str(shot))

    assert not violations, f"axe found violations on {address} ({width} px, {scheme}):\n" + axe.format(
        violations
    )
    assert_quiet(page_log, allowed_404=(address,) if expected_status(name) == 404 else ())


def test_the_checks_catch_missing_files_and_console_errors(
    tmp_path: Path, serve_directory: Callable[..., str], page: Page, page_log: PageLog
) -> None:
    """Guard for the checks above: a missing file and a console error are reported, and the
    server answers like GitHub Pages (only under the base path; 404.html for a missing page)."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>Home</title><link rel="icon" href="data:,"></head>'
        '<body><img src="/minutebook/missing.png" alt="">'
        '<script>console.error("something broke")</script></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "404.html").write_text(
        '<!doctype html><html lang="en"><head><title>Not found</title></head><body></body></html>',
        encoding="utf-8",
    )
    base = serve_directory(tmp_path, prefix="/minutebook")
    assert base.startswith("http://127.0.0.1:") and base.endswith("/minutebook")
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    with pytest.raises(AssertionError) as caught:
        assert_quiet(page_log)
    assert f"404 {base}/missing.png" in str(caught.value)
    assert "something broke" in str(caught.value)

    outside = page.goto(base.removesuffix("/minutebook") + "/index.html")
    assert outside is not None and outside.status == 404 and page.title() == "Not found"
    missing = page.goto(base + "/no/such/page/")
    assert missing is not None and missing.status == 404 and page.title() == "Not found"
    page_log.failed.clear()
    page_log.console_errors.clear()
