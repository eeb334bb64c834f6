"""The pages the browser tests visit, one of each kind, and small helpers shared by those tests.

Paths are relative to a site's base path (``BuiltSite.url(path)``): the example site is served
under /minutebook/ and the fixture archive under /minutes/, as they would be on GitHub Pages.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .conftest import PageLog

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = REPO_ROOT / "test-artifacts"

BOARD = "bodies/ecs-scrutiny-board-2/"
PC = "bodies/planning-committee/"

#: One page of each kind in the example site.
EXAMPLE_PAGES: dict[str, str] = {
    "home": "",
    "bodies": "bodies/",
    "body": BOARD,
    "body-year": BOARD + "2018-19/",
    "body-decisions-year": BOARD + "decisions/2018-19/",
    "meeting-agenda-only": BOARD + "meetings/2019-04-04/",
    "meeting-minutes": BOARD + "meetings/2018-11-29/",
    "meeting-rescheduled": BOARD + "meetings/2019-01-10/",
    "document": BOARD + "meetings/2019-04-04/documents/parenting-strategy/",
    "decisions": "decisions/",
    "decisions-year": "decisions/2018-19/",
    "actions": "actions/",
    "actions-outstanding": "actions/outstanding/",
    "actions-year": "actions/2018-19/",
    "action": "actions/ecs-scrutiny-board-2-39-18-a1/",
    "work-programmes": "work-programmes/",
    "work-programme": BOARD + "work-programme/2018-19/",
    "topics": "topics/",
    "topic": "topics/libraries/",
    "people": "people/",
    "person": "people/m-mutton/",
    "search-results": "search/?q=libraries",
    "whats-new": "whats-new/",
    "about": "about/",
    "accessibility": "accessibility/",
    "not-found": "no-such-page/",
}

#: Kinds of page, or states of a meeting, that only the fixture archive has.
FIXTURE_PAGES: dict[str, str] = {
    "home": "",
    "meeting-votes": PC + "meetings/2022-06-15/",
    "meeting-exempt-rescheduled": PC + "meetings/2022-11-16/",
    "meeting-cancelled": PC + "meetings/2022-09-14/",
    "meeting-postponed": PC + "meetings/2023-10-11/",
    "meeting-vote-counts": PC + "meetings/2023-03-15/",
    "meeting-full-attendance": PC + "meetings/2023-06-14/",
    "meeting-draft-minutes": PC + "meetings/2024-07-10/",
    "meeting-scheduled": PC + "meetings/2027-01-20/",
    "meeting-cabinet-draft": "bodies/cabinet/meetings/2023-09-12/",
    "document-appendix": PC + "meetings/2022-06-15/documents/appendix-1-consultation-questions/",
    "history": "history/planning-committee/4-22/",
    "decisions-page-2": "decisions/2022-23/page-2/",
    "people-page-2": "people/page-2/",
    "person-cabinet-member": "people/f-reyes/",
    "person-officer": "people/s-haddad/",
    "action-no-owner": "actions/cabinet-8-23-a1/",
    "work-programme": PC + "work-programme/2023-24/",
    "topic": "topics/local-plan/",
    "colophon": "colophon/",
    "search-results": "search/?q=housing",
    "not-found": "no/such/page/",
}

ALL_PAGES: list[tuple[str, str, str]] = [
    *(("example", name, path) for name, path in EXAMPLE_PAGES.items()),
    *(("fixture", name, path) for name, path in FIXTURE_PAGES.items()),
]
WIDTHS = (320, 1280)
SCHEMES = ("light", "dark")


def is_search(path: str) -> bool:
    return path.startswith("search/")


def expected_status(name: str) -> int:
    return 404 if name == "not-found" else 200


def wait_until_ready(page: Page, path: str) -> None:
    """Wait until the page is complete: on the search page, until its results are shown."""
    page.wait_for_load_state("load")
    if is_search(path) and "q=" in path:
        page.wait_for_selector("#search-results > li", state="attached", timeout=30_000)
        page.wait_for_function("!/Searching/.test(document.getElementById('search-status').textContent)")


def screenshots_dir() -> Path:
    folder = Path(os.environ.get("MINUTEBOOK_SCREENSHOTS") or ARTIFACTS / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def assert_quiet(page_log: PageLog, *, allowed_404: tuple[str, ...] = ()) -> None:
    """No console errors, no uncaught exceptions, no failed or 4xx/5xx requests.

    ``allowed_404``: addresses that are meant to answer 404 (the not-found page itself). Chromium
    logs a console error for every 404, so the matching console messages are allowed too.
    """
    allowed = [f for f in page_log.failed if f.startswith("404 ") and f[4:] in allowed_404]
    failed = [f for f in page_log.failed if f not in allowed]
    console = list(page_log.console_errors)
    for _ in allowed:
        logged = next((c for c in console if "status of 404" in c), None)
        if logged is not None:
            console.remove(logged)
    problems = (
        [f"failed request: {f}" for f in failed]
        + [f"console error: {c}" for c in console]
        + [f"page error: {e}" for e in page_log.page_errors]
    )
    assert not problems, "the pages reported problems:\n  " + "\n  ".join(problems)
