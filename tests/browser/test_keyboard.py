"""Keyboard use of the built sites: the skip link, a visible focus on every control, every link,
button and form control reachable with Tab in the order of the page, and a whole search done
without a mouse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from site_pages import EXAMPLE_PAGES, FIXTURE_PAGES, assert_quiet, wait_until_ready

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .conftest import BuiltSite, PageLog

#: Everything a keyboard user can reach, in DOM order; marks each with data-kb="index" and records
#: its look when not focused.
MARK_FOCUSABLE = """() => {
  const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' iframe, [contenteditable=""], [contenteditable=true], [tabindex]';
  const items = [...document.querySelectorAll(selector)].filter((el) =>
    !el.disabled && el.tabIndex >= 0 && el.checkVisibility({ visibilityProperty: true })
    && !el.closest('[inert]'));
  window.__look = (el) => {
    const s = getComputedStyle(el);
    return {
      outline: s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0
        ? 'none' : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
      boxShadow: s.boxShadow,
      background: s.backgroundColor,
      color: s.color,
    };
  };
  window.__unfocused = new Map();
  items.forEach((el, i) => {
    el.dataset.kb = String(i);
    window.__unfocused.set(el, window.__look(el));
  });
  window.__stops = [];
  document.addEventListener('focusin', (event) => {
    const el = event.target;
    window.__stops.push({
      kb: el.dataset ? el.dataset.kb ?? null : null,
      what: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
        + ` ${(el.textContent || '').trim().slice(0, 40)}`,
      before: window.__unfocused.get(el) ?? null,
      after: window.__look(el),
      focusVisible: el.matches(':focus-visible'),
    });
  });
  return items.map((el) => `${el.tagName.toLowerCase()} ${(el.textContent || el.id).trim().slice(0, 40)}`);
}"""

KEYBOARD_PAGES = [
    ("example", "meeting-minutes"),
    ("example", "search-results"),
    ("example", "work-programme"),
    ("example", "home"),
    ("fixture", "meeting-votes"),
    ("fixture", "meeting-full-attendance"),
    ("fixture", "decisions-page-2"),
]
SKIP_LINK_PAGES = [
    ("example", "home"),
    ("example", "meeting-minutes"),
    ("example", "search-results"),
    ("example", "not-found"),
    ("fixture", "meeting-cancelled"),
]


def path_of(site_name: str, name: str) -> str:
    return (EXAMPLE_PAGES if site_name == "example" else FIXTURE_PAGES)[name]


def open_page(page: Page, site: BuiltSite, path: str) -> None:
    page.goto(site.url(path))
    wait_until_ready(page, path)


def tab_through(page: Page, count: int) -> list[dict[str, Any]]:
    """Press Tab ``count`` times from the top of the page; returns the focus stops (see MARK_FOCUSABLE)."""
    for _ in range(count):
        page.keyboard.press("Tab")
    stops: list[dict[str, Any]] = page.evaluate("window.__stops")
    return stops


@pytest.mark.parametrize(("site_name", "name"), SKIP_LINK_PAGES, ids=[f"{s}-{n}" for s, n in SKIP_LINK_PAGES])
def test_skip_link_is_the_first_tab_stop(
    site_name: str,
    name: str,
    built_sites: dict[str, BuiltSite],
    page_factory: Callable[..., Page],
    page_log: PageLog,
) -> None:
    page = page_factory(viewport={"width": 320, "height": 640})
    site = built_sites[site_name]
    open_page(page, site, path_of(site_name, name))
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const el = document.activeElement; const box = el.getBoundingClientRect();
          return { cls: el.className, text: el.textContent.trim(), href: el.getAttribute('href'),
                   top: box.top, bottom: box.bottom, left: box.left, right: box.right,
                   width: innerWidth, height: innerHeight }; }"""
    )
    assert focused["cls"] == "skip-link"
    assert focused["text"] == "Skip to main content"
    assert focused["href"] == "#main"
    assert focused["top"] >= 0 and focused["bottom"] <= focused["height"], (
        "the focused skip link is on screen"
    )
    assert focused["left"] >= 0 and focused["right"] <= focused["width"]

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), (
        "after the skip link, Tab goes on inside the main content"
    )
    assert_quiet(page_log, allowed_404=(site.url(path_of(site_name, name)),) if name == "not-found" else ())


@pytest.mark.parametrize("width", [320, 1280], ids=lambda w: f"{w}px")
@pytest.mark.parametrize(("site_name", "name"), KEYBOARD_PAGES, ids=[f"{s}-{n}" for s, n in KEYBOARD_PAGES])
def test_tab_reaches_every_control_in_order_with_visible_focus(
    site_name: str,
    name: str,
    width: int,
    built_sites: dict[str, BuiltSite],
    page_factory: Callable[..., Page],
    page_log: PageLog,
    record_property: Callable[[str, object], None],
) -> None:
    page = page_factory(viewport={"width": width, "height": 800})
    open_page(page, built_sites[site_name], path_of(site_name, name))
    focusable: list[str] = page.evaluate(MARK_FOCUSABLE)
    assert len(focusable) > 10
    stops = tab_through(page, len(focusable) + 3)

    reached = [stop["kb"] for stop in stops]
    unexpected = [stop["what"] for stop in stops if stop["kb"] is None]
    assert not unexpected, f"Tab stopped on things that are not controls: {unexpected}"
    assert reached[: len(focusable)] == [str(i) for i in range(len(focusable))], (
        "Tab visits every link, button and form control once, in the order of the page; missing: "
        + str([focusable[i] for i in range(len(focusable)) if str(i) not in reached][:10])
    )

    invisible = []
    for stop in stops[: len(focusable)]:
        before, after = stop["before"], stop["after"]
        ring = after["outline"] != "none" or after["boxShadow"] != "none"
        changed = after["outline"] != before["outline"] or after["boxShadow"] != before["boxShadow"]
        if not (stop["focusVisible"] and ring and changed):
            invisible.append(f"{stop['what']}: {before} -> {after}")
    assert not invisible, "focus is not visible on:\n  " + "\n  ".join(invisible[:10])
    record_property("keyboard", {"page": f"{site_name}/{name}", "width": width, "stops": len(focusable)})
    assert_quiet(page_log)


def test_details_open_with_the_keyboard(example_site: BuiltSite, page: Page, page_log: PageLog) -> None:
    """Older versions of a work programme are in <details>: Enter opens one and its text shows."""
    open_page(page, example_site, EXAMPLE_PAGES["work-programme"])
    index = page.eval_on_selector_all("details", "els => els.findIndex((el) => !el.open)")
    assert index >= 0, "the work programme has a closed older version"
    details = page.locator("details").nth(index)
    assert not details.locator("li").first.is_visible()
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    assert details.evaluate("el => el.open")
    assert details.locator("li").first.is_visible()
    page.keyboard.press("Enter")
    assert not details.evaluate("el => el.open")
    assert_quiet(page_log)


def focus_by_tab(page: Page, selector: str, limit: int = 60) -> int:
    """Press Tab until the element matching ``selector`` has focus; returns how many presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")


def results_text(page: Page) -> list[str]:
    page.wait_for_function(
        """() => { const s = document.getElementById('search-status').textContent;
          return s && !/Searching/.test(s) && (/^No results/.test(s)
            || document.querySelectorAll('#search-results > li').length > 0); }"""
    )
    metas: list[str] = page.eval_on_selector_all(
        "#search-results > li .register-meta", "els => els.map((el) => el.textContent.trim())"
    )
    return metas


def test_search_with_the_keyboard_only(example_site: BuiltSite, page: Page, page_log: PageLog) -> None:
    page.goto(example_site.url("search/"))
    page.wait_for_selector(".search-filters:not([hidden])", timeout=30_000)

    focus_by_tab(page, "#search-q")
    page.keyboard.type("libraries")
    page.keyboard.press("Enter")
    everything = results_text(page)
    assert len(everything) > 2
    assert {meta.split(" · ")[0] for meta in everything} > {"Meeting"}
    assert page.url.endswith("?q=libraries")

    presses = focus_by_tab(page, "#filter-type", limit=5)
    assert presses == 2, "the type filter comes right after the search box and its button"
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        if page.eval_on_selector("#filter-type", "s => s.value") == "meeting":
            break
    assert page.eval_on_selector("#filter-type", "s => s.value") == "meeting"
    page.wait_for_url("**/search/?q=libraries&type=meeting")
    meetings = results_text(page)
    assert meetings and all(meta.startswith("Meeting · ") for meta in meetings), meetings
    assert page.locator("#search-status").inner_text() == f"{len(meetings)} results for “libraries”."
    assert page.evaluate("document.activeElement.id") == "filter-type", "focus stays on the filter"

    # On into the results: the first result's first section is reachable and leads to the minute.
    focus_by_tab(page, "#search-results .search-section a", limit=10)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("#minute-41-18")
    assert_quiet(page_log)


def test_show_more_moves_focus_to_the_new_results(
    example_site: BuiltSite, page: Page, page_log: PageLog
) -> None:
    page.goto(example_site.url("search/?q=board"))
    page.wait_for_selector("#search-more button", timeout=30_000)
    shown = page.locator("#search-results > li").count()
    focus_by_tab(page, "#search-more button", limit=200)
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('#search-results > li').length > {shown}")
    first_new = f"document.querySelectorAll('#search-results > li')[{shown}].querySelector('a')"
    assert page.evaluate(f"document.activeElement === {first_new}"), (
        "focus moves to the first of the new results"
    )
    assert_quiet(page_log)
