"""Exempt business never leaks: not into a page, a stylesheet, a data file or the search index.

The checker (`validate._check_exempt`) refuses exempt text in the content. These tests check
the layer behind it: with the checker switched off, text planted in every free-text field of
the fixture's exempt item (agenda item 4 of the meeting of 23 November 2022, file 2022-11-16,
and its minute 10/22) must still appear nowhere in the built site, including the Pagefind
index, whose files are gzip-compressed.

What may be published of an exempt item: its title, the Schedule 12A paragraph, the public
summary, and (as the checker allows) the kind and author of its report.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

import minutebook.validate
from minutebook.build import BuildResult
from sitekit import build_site, copy_fixture
from test_site_links import addresses_in_content, check_site

MEETING = "content/meetings/planning-committee/2022-11-16.yaml"
EARLIER = "content/meetings/planning-committee/2022-06-15.yaml"
PAGE = "bodies/planning-committee/meetings/2022-11-16/index.html"
#: Pagefind lower-cases and stems the words it indexes, so search for a stem, ignoring case.
LEAK = re.compile(rb"leakmark", re.IGNORECASE)
PUBLIC = re.compile(rb"publicsummarymark", re.IGNORECASE)


#: The fields planted, each with its own marker.
PLANTED = [
    "agenda-description",
    "report-title",
    "report-summary",
    "report-file",
    "document-title-text",
    "document-text",
    "document-title-file",
    "document-file",
    "document-title-url",
    "document-url",
    "subitem-description",
    "subitem-report-summary",
    "minute-text",
    "resolved",
    "resolution-text",
    "resolution-2-text",
    "action-text",
    "action-2-text",
    "action-owner-note",
    "closes-note",
]


def marker(field: str) -> str:
    return f"LEAKMARKER-{field}"


def plant_agenda_item(item: dict[str, Any]) -> None:
    """Every free-text field of the exempt agenda item, its report, documents and sub-item."""
    item["description"] = f"{marker('agenda-description')} Further to minute 4/22."
    item["public_summary"] = (
        "The Committee noted a confidential update on negotiations to buy land at the Canal Basin "
        "(publicsummarymarker)."
    )
    item["reports"] = [
        {
            "kind": "Report",
            "author": "Director of Finance",
            "title": marker("report-title"),
            "summary": marker("report-summary"),
            "file": "2022-11-16/exempt-report.md",
            "documents": [
                {"title": marker("document-title-text"), "text": marker("document-text")},
                {"title": marker("document-title-file"), "file": "2022-11-16/exempt-appendix.md"},
                {
                    "title": marker("document-title-url"),
                    "url": f"https://example.org/{marker('document-url')}",
                },
            ],
        }
    ]
    item["items"] = [
        {
            "number": "a",
            "title": "Heads of terms",
            "topics": ["canal-basin"],
            "description": marker("subitem-description"),
            "reports": [{"kind": "Report", "summary": marker("subitem-report-summary")}],
        }
    ]


def plant_minute(minute: dict[str, Any]) -> None:
    """Every free-text field of the exempt minute: text, resolutions, actions, closures."""
    minute["text"] = f"{marker('minute-text')} Further to minute 4/22, members discussed the price."
    minute["resolved"] = marker("resolved")
    minute["resolutions"] = [
        {"number": 1, "text": marker("resolution-text"), "vote": {"for": 3, "against": 0, "abstained": 1}},
        {"number": 2, "text": marker("resolution-2-text")},
    ]
    minute["actions"] = [
        {
            "number": 1,
            "text": marker("action-text"),
            "owner": "j-reed",
            "due": "2023-01-31",
            "resolution": 2,
        },
        {"number": 2, "text": marker("action-2-text"), "owner_note": marker("action-owner-note")},
    ]
    minute["closes"] = [{"action": "4/22-a3", "note": marker("closes-note")}]
    minute["public_summary"] = (
        "The Committee noted a confidential update on negotiations to buy land at the Canal Basin "
        "(publicsummarymarker)."
    )


def plant(root: Path) -> None:
    path = root / MEETING
    meeting = yaml.safe_load(path.read_text(encoding="utf-8"))
    item = next(i for i in meeting["agenda"] if i.get("exempt"))
    minute = next(m for m in meeting["minutes"]["items"] if m.get("exempt"))
    assert (item["title"], minute["number"]) == ("Land at the Canal Basin", "10/22")
    plant_agenda_item(item)
    plant_minute(minute)
    path.write_text(yaml.safe_dump(meeting, sort_keys=False, allow_unicode=True), encoding="utf-8")
    folder = root / "content/meetings/planning-committee/2022-11-16"
    folder.mkdir(exist_ok=True)
    (folder / "exempt-report.md").write_text(f"# Valuation\n\n{marker('report-file')}\n", encoding="utf-8")
    (folder / "exempt-appendix.md").write_text(f"{marker('document-file')}\n", encoding="utf-8")
    # An earlier action for the exempt minute to close, so its closure note has somewhere to go.
    earlier_path = root / EARLIER
    earlier = yaml.safe_load(earlier_path.read_text(encoding="utf-8"))
    four = next(m for m in earlier["minutes"]["items"] if m["number"] == "4/22")
    four["actions"].append({"number": 3, "text": "Value the land at the Canal Basin.", "owner": "j-reed"})
    earlier_path.write_text(yaml.safe_dump(earlier, sort_keys=False, allow_unicode=True), encoding="utf-8")


def output_files(out: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as searchable bytes; Pagefind's gzip files decompressed."""
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        yield path.relative_to(out).as_posix(), data


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = copy_fixture(tmp_path_factory.mktemp("exempt"))
    plant(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(minutebook.validate, "_check_exempt", lambda source, problems: None)
        return build_site(root, search=True)


def test_the_planted_markers_are_in_the_content(tmp_path: Path) -> None:
    """The test's own premise: every marker really is in the content the build reads."""
    root = copy_fixture(tmp_path)
    plant(root)
    content = root / "content/meetings/planning-committee"
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(content.rglob("*")) if p.is_file())
    assert set(re.findall(r"LEAKMARKER-[a-z0-9-]+", text)) == {marker(f) for f in PLANTED}


def test_the_checker_refuses_the_planted_content(tmp_path: Path) -> None:
    """Without the bypass the build fails: the planted fields are exactly what the checker guards."""
    root = copy_fixture(tmp_path)
    plant(root)
    from minutebook.problems import BuildFailed

    with pytest.raises(BuildFailed) as failed:
        build_site(root, search=False)
    messages = " ".join(p.message for p in failed.value.problems)
    assert "is exempt" in messages


def test_exempt_text_appears_in_no_output_file(planted: BuildResult) -> None:
    files = dict(output_files(planted.out))
    assert any(name.startswith("pagefind/") for name in files), "the build has no search index"
    leaks = sorted({(name, m.group().decode()) for name, data in files.items() for m in _markers(data)})
    assert not leaks, f"exempt text published in {len({n for n, _ in leaks})} files:\n" + "\n".join(
        f"  {name}: {found}" for name, found in leaks[:80]
    )


def _markers(data: bytes) -> Iterator[re.Match[bytes]]:
    return re.finditer(rb"leakmark[a-z0-9-]*", data, re.IGNORECASE)


def test_search_of_the_index_would_find_a_planted_word(planted: BuildResult) -> None:
    """Control for the test above: the public summary's odd word IS found in the decompressed index."""
    index_hits = [name for name, data in output_files(planted.out) if name.startswith("pagefind/")]
    found = [name for name, data in output_files(planted.out) if name in index_hits and PUBLIC.search(data)]
    assert found, "the public summary is not in the search index, so the leak search proves nothing"


def test_what_may_be_published_is_published(planted: BuildResult) -> None:
    soup = BeautifulSoup((planted.out / PAGE).read_text(encoding="utf-8"), "lxml")
    item = soup.find(id="item-4")
    minute = soup.find(id="minute-10-22")
    assert item is not None and minute is not None
    for node in (item, minute):
        text = " ".join(node.get_text(" ").split())
        assert "Land at the Canal Basin" in text
        assert "paragraph 3 of Schedule 12A to the Local Government Act 1972" in text
        assert "negotiations to buy land at the Canal Basin (publicsummarymarker)" in text


def test_the_unplanted_fixture_publishes_the_public_summary(tmp_path: Path) -> None:
    """Without planting: the exempt item shows its title, paragraph and public summary, and no more."""
    out = build_site(copy_fixture(tmp_path), search=False).out
    soup = BeautifulSoup((out / PAGE).read_text(encoding="utf-8"), "lxml")
    minute = " ".join(soup.find(id="minute-10-22").get_text(" ").split())
    assert "10/22 Land at the Canal Basin" in minute
    assert "paragraph 3 of Schedule 12A" in minute and "The public and press were excluded." in minute
    assert "confidential update on negotiations to buy land at the Canal Basin" in minute
    assert LEAK.search((out / PAGE).read_bytes()) is None


def test_an_exempt_reports_file_is_not_published(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    path = root / MEETING
    meeting = yaml.safe_load(path.read_text(encoding="utf-8"))
    item = next(i for i in meeting["agenda"] if i.get("exempt"))
    item["reports"] = [{"kind": "Report", "file": "2022-11-16/valuation.pdf"}]
    path.write_text(yaml.safe_dump(meeting, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (root / "content/meetings/planning-committee/2022-11-16").mkdir()
    (root / "content/meetings/planning-committee/2022-11-16/valuation.pdf").write_bytes(
        b"%PDF-1.4 " + marker("pdf").encode()
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(minutebook.validate, "_check_exempt", lambda source, problems: None)
        out = build_site(root, search=False).out
    leaks = [name for name, data in output_files(out) if LEAK.search(data)]
    assert not leaks, leaks


def test_the_planted_site_has_no_broken_links(planted: BuildResult) -> None:
    """Hiding exempt business leaves no link pointing at what was hidden (a topic history, say)."""
    root = planted.out.parent
    report = check_site(planted.out, "https://example.org/minutes/", addresses_in_content(root))
    assert not report.broken, f"{report.figures()}:\n" + "\n".join(report.broken[:40])
