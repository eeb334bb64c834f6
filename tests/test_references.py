"""Minute references as written in prose: the forms the seeds use, lists, and other bodies."""

from __future__ import annotations

from pathlib import Path

import pytest

from minutebook import references
from minutebook.build import _load_and_link
from minutebook.load import ParseCache
from minutebook.records import MunicipalYear
from sitekit import TODAY, build_site, copy_fixture

NAMES = references.body_names([("cabinet", "Cabinet", None), ("pc", "Planning Committee", "Planning")])


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Further to minute 27/17 the board", [(None, 27, "17")]),
        ("further to Minute 43/15 'Serious Case Review'", [(None, 43, "15")]),
        ("as minute 33/18 records", [(None, 33, "18")]),
        ("minutes 41/18, 42/18 and 43/18", [(None, 41, "18"), (None, 42, "18"), (None, 43, "18")]),
        ("Further to Cabinet minute 5/23", [("cabinet", 5, "23")]),
        ("the Planning Committee's minute 12/22", [("pc", 12, "22")]),
        ("Further to minute cabinet:5/23", [("cabinet", 5, "23")]),
        ("the Cabinet Member minute 5/23", [(None, 5, "23")]),
        ("39/18 alone is not a reference", []),
    ],
)
def test_prose_forms(text: str, found: list[tuple[str | None, int, str]]) -> None:
    assert [(f.body, f.number, f.suffix) for f in references.in_prose(text, NAMES)] == found


def test_a_two_digit_year_means_the_nearest_year_not_after_the_reference() -> None:
    assert references.year_for_suffix("17", MunicipalYear(2018)) == MunicipalYear(2017)
    assert references.year_for_suffix("99", MunicipalYear(2018)) == MunicipalYear(1999)
    assert references.year_for_suffix("18", MunicipalYear(2018)) == MunicipalYear(2018)


def test_a_body_named_in_the_text_links_to_that_bodys_minute(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    meeting = site / "content/meetings/planning-committee/2023-06-14.yaml"
    text = meeting.read_text()
    sentence = "Councillor Patel substituted."
    assert sentence in text
    meeting.write_text(
        text.replace(sentence, f"{sentence} Further to Cabinet minute 5/23, members noted it.", 1)
    )
    result = build_site(site, search=False)
    page = (result.out / "bodies/planning-committee/meetings/2023-06-14/index.html").read_text()
    assert (
        'Cabinet minute <a href="/minutes/bodies/cabinet/meetings/2023-06-06/#minute-5-23">5/23</a>' in page
    )


def test_found_references_are_kept_between_builds_only_for_the_same_body_names(tmp_path: Path) -> None:
    """The preview keeps the minute numbers found in texts from one build to the next; once a body
    is renamed, 'Cabinet minute 5/23' may mean another body, so they are found afresh."""
    root = copy_fixture(tmp_path)
    cache = ParseCache()
    first, _ = _load_and_link(root, TODAY, cache)
    memo = first.prose_references
    assert cache.prose_references is memo and any(memo.found.values())
    second, _ = _load_and_link(root, TODAY, cache)
    assert second.prose_references is memo
    body = root / "content/bodies/cabinet.yaml"
    body.write_text(body.read_text().replace("name: Cabinet\n", "name: The Executive\n", 1))
    third, _ = _load_and_link(root, TODAY, cache)
    assert third.prose_references is not memo and "the executive" in third.prose_references.names
    assert cache.prose_references is third.prose_references
