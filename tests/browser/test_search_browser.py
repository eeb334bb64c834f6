"""Search in a real browser: Pagefind's index of the built sites, through the search page's own
form, filters and result list.

Queries use words from the seed documents. Besides what is found, the tests check that a result
leads to the record (its #anchor exists on the page it opens), that statuses are shown, that
newest-first ordering holds, and they measure one search: the time from submitting the form to
the first result on screen, and the bytes fetched from /pagefind/. Those figures are printed in
pytest's summary and written to test-artifacts/search-figures.json.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import pytest
from site_pages import ARTIFACTS, assert_quiet

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

    from .conftest import BuiltSite, PageLog

BOARD = "Education and Children's Services Scrutiny Board (2)"
MEETING_2018 = "bodies/ecs-scrutiny-board-2/meetings/2018-11-29/"
DATE = re.compile(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b")

#: Results are settled when no search is running and they are on screen (or there are none).
SETTLED = """() => {
  const status = document.getElementById('search-status').textContent;
  if (!status || /Searching/.test(status)) return false;
  return /^No results/.test(status) || document.querySelectorAll('#search-results > li').length > 0;
}"""

READ_RESULTS = """() => [...document.querySelectorAll('#search-results > li')].map((li) => ({
  title: li.querySelector('.search-result-title').textContent.trim(),
  href: li.querySelector('.search-result-title a').getAttribute('href'),
  meta: li.querySelector('.register-meta').textContent.trim(),
  status: li.querySelector('.register-meta .tag')?.textContent.trim() ?? null,
  excerpt: li.querySelector('.search-excerpt').textContent.trim(),
  marks: li.querySelectorAll('.search-excerpt mark').length,
  sections: [...li.querySelectorAll('.search-section')].map((section) => ({
    title: section.querySelector('a').textContent.trim(),
    href: section.querySelector('a').getAttribute('href'),
    excerpt: section.querySelector('.search-excerpt').textContent.trim(),
  })),
}))"""


def wait_for_results(page: Page) -> list[dict[str, Any]]:
    page.wait_for_function(SETTLED)
    results: list[dict[str, Any]] = page.evaluate(READ_RESULTS)
    return results


def open_search(page: Page, site: BuiltSite, query: str = "", **params: str) -> list[dict[str, Any]]:
    """Open the search page with a query (and filters) in its address; returns the results."""
    address = site.url("search/")
    if query or params:
        address += "?" + urlencode({"q": query, **params})
    page.goto(address)
    # Pagefind's WebAssembly starts first: allow for a busy machine.
    page.wait_for_selector(".search-filters:not([hidden])", timeout=30_000)
    return wait_for_results(page) if query else []


def choose(page: Page, select: str, value: str) -> list[dict[str, Any]]:
    """Pick a filter or order in the form (as a reader does); returns the new results."""
    page.select_option(select, value)
    return wait_for_results(page)


def show_all(page: Page) -> list[dict[str, Any]]:
    """Press 'Show n more results' until every result is listed; returns them all."""
    results = wait_for_results(page)
    while page.locator("#search-more button").count():
        before = len(results)
        page.locator("#search-more button").click()
        page.wait_for_function(f"document.querySelectorAll('#search-results > li').length > {before}")
        results = wait_for_results(page)
    total = int(page.locator("#search-status").inner_text().split()[0])
    assert len(results) == total, "the status line counts every result"
    return results


def titles(results: list[dict[str, Any]]) -> list[str]:
    return [r["title"] for r in results]


def section_titles(results: list[dict[str, Any]]) -> list[str]:
    """The matched sections (agenda items, minutes, resolutions) listed under every result."""
    return [section["title"] for r in results for section in r["sections"]]


def shows(result: dict[str, Any], title: str) -> bool:
    """The result is this page, or lists a section of it with this title."""
    return result["title"] == title or any(s["title"] == title for s in result["sections"])


def result_date(result: dict[str, Any]) -> datetime | None:
    """The date in a result's line ("Minute · Cabinet · 6 June 2023 Approved minutes")."""
    found = DATE.search(result["meta"])
    return datetime.strptime(found.group(0), "%d %B %Y") if found else None


# ----------------------------------------------------------------------------- filters


MEETING_2018_TITLE = f"{BOARD}, 29 November 2018"
FILTER_CASES = [
    # (query, filters chosen in the form, shown by the first result, a result the filters remove)
    ("libraries", {"type": "meeting"}, "Minute 41/18: Libraries Update", "Action 41/18-a1: Libraries Update"),
    ("libraries", {"year": "2018/19"}, None, f"{BOARD}, 17 March 2016"),
    ("libraries", {"year": "2015/16"}, None, MEETING_2018_TITLE),
    (
        "libraries",
        {"body": BOARD, "type": "meeting", "year": "2018/19"},
        "Minute 41/18: Libraries Update",
        None,
    ),
    (
        "Signs of Safety",
        {"type": "meeting", "year": "2015/16"},
        "Minute 56/15: Children's Services Workforce Development Strategy",
        None,
    ),
    (
        "travel",
        {"type": "meeting"},
        "Minute 39/18: Implementation Update - Home to School/College Travel Assistance",
        "Action 39/18-a1: Implementation Update - Home to School/College Travel Assistance",
    ),
    (
        "travel",
        {"type": "action"},
        "Action 39/18-a1: Implementation Update - Home to School/College Travel Assistance",
        MEETING_2018_TITLE,
    ),
    ("libraries", {"type": "work programme"}, "Review of Libraries", MEETING_2018_TITLE),
    ("travel", {"body": BOARD}, None, None),
]
TYPE_NAMES = {
    "meeting": "Meeting",
    "action": "Action",
    "work programme": "Work programme",
    "person": "Person",
}


@pytest.mark.parametrize(
    ("query", "filters", "first", "absent"),
    FILTER_CASES,
    ids=[f"{q}-{'-'.join(f'{k}={v}' for k, v in f.items())}" for q, f, _, _ in FILTER_CASES],
)
def test_filters_narrow_the_results(
    query: str,
    filters: dict[str, str],
    first: str | None,
    absent: str | None,
    example_site: BuiltSite,
    page: Page,
    page_log: PageLog,
) -> None:
    open_search(page, example_site, query)
    unfiltered = show_all(page)
    assert unfiltered, f"no results for {query!r}"
    for name, value in filters.items():
        choose(page, f"#filter-{name}", value)
    results = show_all(page)
    assert results, f"no results for {query!r} with {filters}"
    address = page.evaluate("Object.fromEntries(new URLSearchParams(location.search))")
    assert address == {"q": query, **filters}, "the address keeps the query and the filters"

    for result in results:
        if "type" in filters:
            assert result["meta"].startswith(TYPE_NAMES[filters["type"]] + " · "), result
        if "body" in filters:
            assert f" · {filters['body']} · " in result["meta"], result
        if "year" in filters:
            start_year = int(filters["year"][:4])
            when = result_date(result)
            assert when is not None, result
            # Municipal years start in May.
            assert datetime(start_year, 5, 1) <= when < datetime(start_year + 1, 5, 1), result
    if first:
        assert shows(results[0], first), results[0]
    if absent:
        assert absent in titles(unfiltered)
        assert absent not in titles(results)
    assert len(results) <= len(unfiltered)
    assert_quiet(page_log)


def test_filters_in_the_address_are_applied(example_site: BuiltSite, page: Page, page_log: PageLog) -> None:
    results = open_search(page, example_site, "travel", type="meeting", year="2018/19")
    assert page.eval_on_selector("#filter-type", "s => s.value") == "meeting"
    assert page.eval_on_selector("#filter-year", "s => s.value") == "2018/19"
    assert titles(results) == [MEETING_2018_TITLE]
    assert "Resolution 39/18 (1): Implementation Update - Home to School/College Travel Assistance" in (
        section_titles(results)
    )
    assert_quiet(page_log)


def test_body_filter_separates_two_bodies(fixture_site: BuiltSite, page: Page, page_log: PageLog) -> None:
    open_search(page, fixture_site, "housing")
    everything = show_all(page)
    choose(page, "#filter-body", "Cabinet")
    cabinet = show_all(page)
    choose(page, "#filter-body", "Planning Committee")
    planning = show_all(page)
    assert cabinet and planning
    assert all(" · Cabinet · " in r["meta"] for r in cabinet)
    assert all(" · Planning Committee · " in r["meta"] for r in planning)
    assert len(cabinet) + len(planning) <= len(everything)
    assert "Minute 4/23: Housing Delivery Programme 2023–2026" in section_titles(cabinet)
    assert_quiet(page_log)


# ----------------------------------------------------------------------------- minute numbers


def test_minute_number_finds_the_minute_first(example_site: BuiltSite, page: Page, page_log: PageLog) -> None:
    results = open_search(page, example_site, "39/18")
    assert results[0]["title"] == MEETING_2018_TITLE
    minute, *resolutions = results[0]["sections"]
    assert minute["title"] == "Minute 39/18: Implementation Update - Home to School/College Travel Assistance"
    assert minute["href"] == f"{example_site.prefix}/{MEETING_2018}#minute-39-18"
    assert "minuteno" not in minute["excerpt"], "the word that indexes the number is not shown"
    # Under the minute, its resolutions; then its action.
    assert [r["title"][:20] for r in resolutions] == ["Resolution 39/18 (1)", "Resolution 39/18 (2)"]
    assert results[1]["title"].startswith("Action 39/18-a1"), titles(results)
    assert_quiet(page_log)


@pytest.mark.parametrize(
    ("query", "site_name", "order"),
    [
        ("6/23", "fixture_site", ""),
        ("minute 6/23", "fixture_site", ""),
        (" 06 / 23 ", "fixture_site", ""),
        ("6/23", "fixture_parts_site", ""),
        ("6/23", "fixture_parts_site", "newest"),
    ],
)
def test_minute_number_written_loosely(
    query: str, site_name: str, order: str, request: pytest.FixtureRequest, page: Page, page_log: PageLog
) -> None:
    """Two bodies have a minute 6/23: both come first, however the number is typed, in whatever
    order, from one index or from an index in parts."""
    site: BuiltSite = request.getfixturevalue(site_name)
    results = open_search(page, site, query, **({"sort": order} if order else {}))
    assert sorted(r["sections"][0]["title"] for r in results[:2]) == [
        "Minute 6/23: Apologies",
        "Minute 6/23: Apologies and substitutions",
    ]
    assert_quiet(page_log)


# ----------------------------------------------------------------------------- following a result


def follow_first_result(page: Page, section: str | None = None) -> dict[str, Any]:
    """Click the first result's title, or the first result's section whose title starts so."""
    first: dict[str, Any] = page.evaluate(READ_RESULTS)[0]
    item = page.locator("#search-results > li").first
    link = item.locator(".search-result-title a")
    if section is not None:
        link = item.locator(".search-section a", has_text=section).first
    with page.expect_navigation():
        link.click()
    page.wait_for_load_state("load")
    return first


def test_minute_result_opens_at_the_minute(example_site: BuiltSite, page: Page, page_log: PageLog) -> None:
    open_search(page, example_site, "39/18")
    first = follow_first_result(page, section="Minute 39/18")
    assert page.url == example_site.url(MEETING_2018) + "#minute-39-18"
    assert urlsplit(page.url).path == urlsplit(first["href"]).path
    target = page.locator(":target")
    assert target.count() == 1
    assert target.get_attribute("id") == "minute-39-18"
    assert target.get_attribute("class") == "minute"
    assert target.locator("h3").inner_text().startswith("39/18")
    assert target.is_visible()
    assert page.evaluate("document.querySelector(':target').getBoundingClientRect().top") < 200, (
        "the browser scrolled to the minute"
    )
    assert_quiet(page_log)


def test_resolution_result_opens_at_the_resolution(
    example_site: BuiltSite, page: Page, page_log: PageLog
) -> None:
    results = open_search(page, example_site, "travel", type="meeting")
    assert results[0]["status"] == "Approved minutes"
    follow_first_result(page, section="Resolution 39/18 (1)")
    assert page.url.endswith("#resolution-39-18-1")
    target = page.locator(":target")
    assert target.count() == 1
    assert target.evaluate("el => el.closest('article.minute').id") == "minute-39-18"
    assert "congratulates the team" in target.inner_text()
    assert_quiet(page_log)


def test_action_result_shows_its_status_and_opens_its_page(
    example_site: BuiltSite, page: Page, page_log: PageLog
) -> None:
    results = open_search(page, example_site, "travel", type="action")
    assert results[0]["status"] == "Open"
    follow_first_result(page)
    assert page.url == example_site.url("actions/ecs-scrutiny-board-2-39-18-a1/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("Action 39/18-a1")
    assert page.locator("main .tag").first.inner_text() == "Open"
    assert_quiet(page_log)


def test_every_status_is_shown(fixture_site: BuiltSite, page: Page, page_log: PageLog) -> None:
    actions = open_search(page, fixture_site, "housing", type="action")
    statuses = {r["title"].split(":")[0]: r["status"] for r in actions}
    assert statuses == {"Action 5/23-a1": "Done", "Action 5/23-a2": "Overdue", "Action 8/23-a1": "Open"}
    meetings = choose(page, "#filter-type", "meeting")
    by_title = {r["title"]: r["status"] for r in meetings}
    assert by_title["Cabinet, 12 September 2023"] == "Draft minutes"
    assert by_title["Cabinet, 6 June 2023"] == "Approved minutes"
    assert_quiet(page_log)


def test_every_result_link_leads_to_an_existing_anchor(
    example_site: BuiltSite, page: Page, page_factory: Callable[..., Page], page_log: PageLog
) -> None:
    """All results of a broad query: each address opens and its #anchor is on that page."""
    open_search(page, example_site, "board")
    results = show_all(page)
    pages = [r["href"] for r in results]
    assert len(set(pages)) == len(pages), "no result is listed twice"
    hrefs = pages + [s["href"] for r in results for s in r["sections"]]
    assert len(hrefs) > 20
    by_page: dict[str, list[str]] = {}
    for href in hrefs:
        assert href.startswith(example_site.prefix + "/"), href
        path, _, fragment = href.partition("#")
        by_page.setdefault(path, []).append(fragment)
    checker = page_factory()
    origin = example_site.base.removesuffix(example_site.prefix)
    for path, fragments in by_page.items():
        response = checker.goto(origin + path)
        assert response is not None and response.status == 200, path
        ids = set(checker.eval_on_selector_all("[id]", "els => els.map((el) => el.id)"))
        missing = [f for f in fragments if f and f not in ids]
        assert not missing, f"{path} has no element with the ids {missing}"
    assert_quiet(page_log)


# ----------------------------------------------------------------------------- order


@pytest.mark.parametrize("site_name", ["fixture_site", "fixture_parts_site"])
def test_newest_first(site_name: str, request: pytest.FixtureRequest, page: Page, page_log: PageLog) -> None:
    """Newest first, from one index and from an index in parts (whose sorted results Pagefind
    would interleave part by part)."""
    site: BuiltSite = request.getfixturevalue(site_name)
    open_search(page, site, "housing")
    best = show_all(page)
    choose(page, "#filter-sort", "newest")
    newest = show_all(page)
    assert sorted(titles(best)) == sorted(titles(newest)), "the same results, in another order"
    assert titles(best) != titles(newest), "the order changed"
    dates = [result_date(r) for r in newest]
    dated = [d for d in dates if d is not None]
    assert len(dated) >= 5
    assert dates[: len(dated)] == dated, "records without a date (people) come after the dated ones"
    assert dated == sorted(dated, reverse=True), [d.date().isoformat() for d in dated]
    assert "Councillor F Reyes" in titles(newest)[len(dated) :]
    assert "sort=newest" in page.url
    assert_quiet(page_log)


# ----------------------------------------------------------------------------- an index in parts

PARTS_QUERIES = ["housing", "planning", "report", "Reyes", "Local Plan"]


@pytest.mark.parametrize("query", PARTS_QUERIES)
def test_an_index_in_parts_finds_what_one_index_finds(
    query: str, fixture_site: BuiltSite, fixture_parts_site: BuiltSite, page: Page, page_log: PageLog
) -> None:
    open_search(page, fixture_site, query)
    whole = show_all(page)
    open_search(page, fixture_parts_site, query)
    in_parts = show_all(page)
    assert whole, f"'{query}' finds something"
    assert sorted(titles(in_parts)) == sorted(titles(whole))
    assert sorted(section_titles(in_parts)) == sorted(section_titles(whole))
    assert_quiet(page_log)


def test_an_index_in_parts_loads_one_engine(
    fixture_parts_site: BuiltSite, page: Page, page_log: PageLog
) -> None:
    fetched: list[str] = []
    page.on("response", lambda r: fetched.append(urlsplit(r.url).path))
    found = open_search(page, fixture_parts_site, "housing")
    years = {result_date(r).year for r in found if result_date(r)}  # type: ignore[union-attr]
    assert len(years) >= 2, "results come from more than one part"
    prefix = fixture_parts_site.prefix
    assert fetched.count(f"{prefix}/pagefind/parts.json") == 1
    assert [p for p in fetched if p.endswith(".pagefind")] == [f"{prefix}/pagefind/wasm.en.pagefind"]
    entries = sorted(p for p in fetched if p.endswith("pagefind-entry.json"))
    assert entries == [
        f"{prefix}/pagefind/pagefind-entry.json",
        f"{prefix}/pagefind/part-2/pagefind-entry.json",
        f"{prefix}/pagefind/part-3/pagefind-entry.json",
    ]
    assert_quiet(page_log)


def test_an_index_in_parts_newest_first_within_a_year(
    fixture_parts_site: BuiltSite, page: Page, page_log: PageLog
) -> None:
    open_search(page, fixture_parts_site, "housing", year="2023/24", sort="newest")
    found = show_all(page)
    dates = [result_date(r) for r in found]
    assert len(dates) >= 3 and None not in dates
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert all(d is not None and (2023, 5) <= (d.year, d.month) < (2024, 5) for d in dates)
    assert_quiet(page_log)


# ----------------------------------------------------------------------------- from other pages


def test_header_search_leads_to_results(example_site: BuiltSite, page: Page, page_log: PageLog) -> None:
    page.goto(example_site.url(MEETING_2018))
    page.get_by_role("searchbox", name="Search the records").fill("Signs of Safety")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Signs+of+Safety")
    results = wait_for_results(page)
    assert page.input_value("#search-q") == "Signs of Safety"
    assert "Minute 56/15: Children's Services Workforce Development Strategy" in section_titles(results)
    assert all(r["marks"] > 0 for r in results), "every excerpt highlights the words found"
    assert_quiet(page_log)


def test_no_results_is_said_plainly(example_site: BuiltSite, page: Page, page_log: PageLog) -> None:
    assert open_search(page, example_site, "zyxwvut") == []
    assert page.locator("#search-status").inner_text() == "No results for “zyxwvut”."
    assert page.get_attribute("#search-status", "role") == "status"
    assert_quiet(page_log)


# ----------------------------------------------------------------------------- figures


def test_search_time_and_bytes(
    example_site: BuiltSite,
    page_factory: Callable[..., Page],
    page_log: PageLog,
    record_property: Callable[[str, object], None],
) -> None:
    """One search with a cold cache: time from submit to the first result on screen, and the bytes
    fetched from /pagefind/ (to get the page ready, and for the search itself)."""
    page = page_factory()
    responses: list[tuple[str, Response]] = []
    phase = ["load"]
    page.on(
        "response",
        lambda r: responses.append((phase[0], r)) if "/pagefind/" in urlsplit(r.url).path else None,
    )
    page.goto(example_site.url("search/"))
    page.wait_for_selector(".search-filters:not([hidden])")
    page.wait_for_load_state("networkidle")
    page.evaluate(
        """() => {
          window.__submitted = null; window.__firstResult = null;
          document.getElementById('search-form').addEventListener(
            'submit', () => { window.__submitted = performance.now(); }, { capture: true });
          new MutationObserver(() => {
            if (window.__firstResult === null && document.querySelector('#search-results > li'))
              window.__firstResult = performance.now();
          }).observe(document.getElementById('search-results'), { childList: true });
        }"""
    )
    phase[0] = "search"
    page.fill("#search-q", "libraries")
    started = time.perf_counter()
    page.press("#search-q", "Enter")
    page.wait_for_function("window.__firstResult !== null")
    wall_ms = (time.perf_counter() - started) * 1000
    results = wait_for_results(page)
    page.wait_for_load_state("networkidle")
    in_page_ms = page.evaluate("window.__firstResult - window.__submitted")

    sizes = {"load": 0, "search": 0}
    files = {"load": 0, "search": 0}
    for when, response in responses:
        sizes[when] += len(response.body())
        files[when] += 1
    found = int(page.locator("#search-status").inner_text().split()[0])
    figures = {
        "query": "libraries",
        "results_found": found,
        "results_shown": len(results),
        "submit_to_first_result_ms": round(in_page_ms, 1),
        "submit_to_first_result_wall_ms": round(wall_ms, 1),
        "pagefind_bytes_to_get_ready": sizes["load"],
        "pagefind_files_to_get_ready": files["load"],
        "pagefind_bytes_for_the_search": sizes["search"],
        "pagefind_files_for_the_search": files["search"],
        "pagefind_bytes_total": sizes["load"] + sizes["search"],
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "search-figures.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    line = (
        f"search: 'libraries' -> {found} results ({len(results)} shown);"
        f" submit to first result {in_page_ms:.0f} ms;"
        f" /pagefind/ bytes: {sizes['load']:,} to get ready ({files['load']} files)"
        f" + {sizes['search']:,} for the search ({files['search']} files)"
        f" = {sizes['load'] + sizes['search']:,}"
    )
    print(line)
    record_property("summary", line)

    assert results
    assert sizes["search"] > 0, "the search fetched index chunks and fragments"
    # Generous budgets: a regression (a whole-index download, a stall) fails, noise does not.
    assert in_page_ms < 3000
    assert sizes["load"] + sizes["search"] < 1_500_000
    assert_quiet(page_log)
