"""Golden tests: whole pages of the example site and of the fixture, byte for byte.

Each site is built once per session (without search: the index is not part of a page) and
each page below is compared with its committed copy in tests/golden/<site>/<path>.

After an intended change to templates, rendering or content, regenerate the goldens and
review the diff before committing it:

    MINUTEBOOK_REGENERATE_GOLDENS=1 .venv/bin/python -m pytest tests/test_golden.py

See tests/golden/README.md.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from sitekit import REPO, build_site, copy_example, copy_fixture

GOLDEN = REPO / "tests" / "golden"
REGENERATE = os.environ.get("MINUTEBOOK_REGENERATE_GOLDENS", "") not in ("", "0")
REGENERATE_COMMAND = "MINUTEBOOK_REGENERATE_GOLDENS=1 .venv/bin/python -m pytest tests/test_golden.py"
DIFF_LINES = 60

PAGES: dict[str, list[str]] = {
    "example": [
        "index.html",  # home
        "bodies/ecs-scrutiny-board-2/index.html",  # body page
        "bodies/ecs-scrutiny-board-2/meetings/2018-11-29/index.html",  # meeting with minutes
        "bodies/ecs-scrutiny-board-2/meetings/2019-04-04/index.html",  # agenda only
        "bodies/ecs-scrutiny-board-2/meetings/2019-01-10/index.html",  # rescheduled (held 14 Feb 2019)
        "decisions/2018-19/index.html",  # decisions register, one municipal year
        "actions/ecs-scrutiny-board-2-39-18-a1/index.html",  # action page
        "bodies/ecs-scrutiny-board-2/work-programme/2018-19/index.html",  # work programme
        "people/m-mutton/index.html",  # person page (the chair)
        "topics/libraries/index.html",  # topic page
        "about/index.html",  # a free page
        "404.html",
    ],
    "fixture": [
        "bodies/planning-committee/meetings/2022-06-15/index.html",  # named vote, sub-items, documents
        "bodies/planning-committee/meetings/2022-11-16/index.html",  # exempt item, rescheduled
        "bodies/planning-committee/meetings/2023-03-15/index.html",  # vote by counts
        "actions/index.html",  # action tracker
        "actions/outstanding/index.html",  # outstanding actions (overdue and open)
        "history/planning-committee/4-22/index.html",  # a thread across bodies and years
    ],
}
COPIES: dict[str, Callable[[Path], Path]] = {"example": copy_example, "fixture": copy_fixture}
CASES = [(site, page) for site, pages in PAGES.items() for page in pages]


@pytest.fixture(scope="session")
def golden_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each site built once per session; maps the site's name to its output folder."""
    outs = {}
    for site, copy in COPIES.items():
        root = copy(tmp_path_factory.mktemp(f"golden-{site}"))
        outs[site] = build_site(root, search=False).out
    return outs


def unified_diff(expected: bytes, actual: bytes, name: str) -> str:
    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(keepends=True),
        actual.decode("utf-8", "replace").splitlines(keepends=True),
        fromfile=f"golden/{name}",
        tofile=f"built/{name}",
    )
    shown = list(lines)
    more = f"\n… {len(shown) - DIFF_LINES} more diff lines\n" if len(shown) > DIFF_LINES else ""
    return "".join(shown[:DIFF_LINES]) + more


@pytest.mark.parametrize(("site", "page"), CASES, ids=[f"{s}:{p}" for s, p in CASES])
def test_page_matches_golden(site: str, page: str, golden_builds: dict[str, Path]) -> None:
    built = golden_builds[site] / page
    assert built.is_file(), f"the build no longer writes {page}"
    actual = built.read_bytes()
    golden = GOLDEN / site / page
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
        return
    assert golden.is_file(), f"no golden for {site}/{page}; create it with:\n  {REGENERATE_COMMAND}"
    expected = golden.read_bytes()
    if actual != expected:
        pytest.fail(
            f"{site}/{page} differs from its golden. If the change is intended, regenerate with\n"
            f"  {REGENERATE_COMMAND}\nand review the diff before committing.\n\n"
            + unified_diff(expected, actual, f"{site}/{page}"),
            pytrace=False,
        )


def test_no_stale_goldens() -> None:
    """Every committed golden is one of the pages above (a removed page leaves no orphan)."""
    listed = {f"{site}/{page}" for site, page in CASES}
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.html")}
    stale = sorted(on_disk - listed)
    if REGENERATE:
        for rel in stale:
            (GOLDEN / rel).unlink()
        return
    assert not stale, f"goldens for pages no longer tested: {stale}; delete them or run {REGENERATE_COMMAND}"
