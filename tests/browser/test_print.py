"""Printing a meeting: the minutes, resolutions and attendance are on paper, the site's navigation
is not. Chromium prints the page to PDF (kept in test-artifacts/print/ for people to look at);
its text is read with `pdftotext` (poppler-utils) when the machine has it, and the print styles
are always checked with print media emulation.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING

from site_pages import ARTIFACTS, EXAMPLE_PAGES, FIXTURE_PAGES, assert_quiet

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .conftest import BuiltSite, PageLog

MEETING = EXAMPLE_PAGES["meeting-minutes"]

#: Parts of every page that have no place on paper.
NOT_PRINTED = [
    ".skip-link",
    ".site-header",
    ".site-nav",
    "form[role=search]",
    ".breadcrumbs",
    "nav.contents",
    ".prev-next",
    ".permalink",
    ".site-footer",
]
#: What a printed meeting record must keep.
PRINTED = [
    "main h1",
    "#attendance",
    "#attendance li",
    "#minutes",
    "article.minute",
    ".resolutions > li",
    ".resolved",
]

#: Text that must be on the printed 2018-11-29 meeting, and text that must not.
KEPT = [
    "Education and Children's Services Scrutiny Board (2)",
    "29 November 2018",
    "Attendance",
    "Members present",
    "Councillor M Mutton (Chair)",
    "Minutes",
    "39/18 Implementation Update - Home to School/College Travel Assistance",
    "RESOLVED that:",
    "The board congratulates the team on its commitment",
    "41/18 Libraries Update",
    "Pass on the board's thanks to the library volunteers",
    "43/18 Any Other Business",
    # Each printed page says where it came from: council, site and address.
    "https://example.github.io/minutebook/bodies/ecs-scrutiny-board-2/meetings/2018-11-29/",
]
DROPPED = [
    "Skip to main content",
    "Search the records",
    "Accessibility statement",  # a footer link
    "Work programmes",  # the main navigation
    "On this page",
    "Previous meeting",
    "Link to resolution",
    "Meeting records of",  # the footer
]


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    text = done.stdout.decode("utf-8").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text)


def check_print_media(page: Page) -> None:
    page.emulate_media(media="print")
    for selector in NOT_PRINTED:
        for i in range(page.locator(selector).count()):
            element = page.locator(selector).nth(i)
            assert element.is_hidden(), f"{selector} is printed"
    for selector in PRINTED:
        elements = page.locator(selector)
        assert elements.count() > 0, selector
        for i in range(elements.count()):
            assert elements.nth(i).is_visible(), f"{selector} is not printed"


def test_printed_meeting_keeps_the_record_and_drops_the_navigation(
    example_site: BuiltSite,
    page: Page,
    page_log: PageLog,
    record_property: Callable[[str, object], None],
) -> None:
    page.goto(example_site.url(MEETING))
    check_print_media(page)

    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF-")
    folder = ARTIFACTS / "print"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meeting-2018-11-29.pdf").write_bytes(pdf)

    if shutil.which("pdftotext"):
        text = pdf_text(pdf)
        missing = [phrase for phrase in KEPT if phrase not in text]
        assert not missing, f"the printed meeting lacks {missing}"
        printed = [phrase for phrase in DROPPED if phrase in text]
        assert not printed, f"the printed meeting has navigation in it: {printed}"
        how = "PDF text read with pdftotext"
    else:
        how = "pdftotext not installed: print styles checked with print media emulation only"
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    record_property("summary", f"print: 2018-11-29 meeting -> {pages} A4 pages, {len(pdf):,} bytes ({how})")
    assert_quiet(page_log)


def test_printed_meeting_with_votes_and_exempt_items(
    fixture_site: BuiltSite, page: Page, page_log: PageLog
) -> None:
    """A recorded vote and an exempt item print too (fixture archive)."""
    page.goto(fixture_site.url(FIXTURE_PAGES["meeting-votes"]))
    check_print_media(page)
    assert page.locator("table.vote").first.is_visible()
    page.goto(fixture_site.url(FIXTURE_PAGES["meeting-exempt-rescheduled"]))
    check_print_media(page)
    assert page.locator(".exempt").first.is_visible()
    assert page.locator(".notice").first.is_visible(), "the note that the meeting was moved is printed"
    if shutil.which("pdftotext"):
        text = pdf_text(page.pdf(format="A4"))
        assert "Exempt information" in text
        assert "This meeting was moved" in text
        assert "Skip to main content" not in text
    assert_quiet(page_log)
