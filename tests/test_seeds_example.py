"""The example site is built from the seed documents (Coventry's published agenda packs).

Facts taken from the seeds must be in the built pages; the prose must be our own words:
no sentence of twelve words or more from the seeds appears verbatim in content/. Titles and
names are short and may be copied. Tests that read the seeds use the `seeds_dir` fixture,
which skips when the seeds are not on this machine (../shared/seeds or $MINUTEBOOK_SEEDS_DIR).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from sitekit import REPO, build_site, copy_example

MEETINGS = "bodies/ecs-scrutiny-board-2/meetings"
#: Seed pack → the meeting whose minutes it carries (a pack holds the minutes of the meeting before).
MINUTES_IN_PACK = {
    "coventry-sb2-2016-03-17-agenda-pack.txt": "2016-02-25",
    "coventry-sb2-2019-02-14-agenda-pack.txt": "2018-11-29",
}
MIN_WORDS = 12


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(copy_example(tmp_path_factory.mktemp("seeds-example")), search=False).out


def soup_of(out: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((out / url / "index.html").read_text(encoding="utf-8"), "lxml")


def words(node: Tag | BeautifulSoup) -> str:
    return " ".join(node.get_text(" ").split())


# ---------------------------------------------------------------- facts in the built pages


@pytest.mark.parametrize(
    ("slug", "numbers", "year", "closed"),
    [("2018-11-29", range(37, 44), "18", "4pm"), ("2016-02-25", range(54, 61), "15", "2:50pm")],
)
def test_minutes_numbers_and_closing_time(
    example_out: Path, slug: str, numbers: range, year: str, closed: str
) -> None:
    """Minutes 37/18–43/18 (closed at 4pm) and 54/15–60/15 (municipal year 2015/16, closed at 2:50pm)."""
    soup = soup_of(example_out, f"{MEETINGS}/{slug}")
    articles = soup.select("#minutes article.minute")
    assert [a["id"] for a in articles] == [f"minute-{n}-{year}" for n in numbers]
    shown = [words(a.select_one(".minute-number")) for a in articles]
    assert shown == [f"{n}/{year}" for n in numbers]
    assert f"The meeting closed at {closed}." in words(soup.select_one("#minutes"))


@pytest.mark.parametrize("slug", ["2018-11-29", "2016-02-25"])
def test_the_chair_is_m_mutton(example_out: Path, slug: str) -> None:
    attendance = soup_of(example_out, f"{MEETINGS}/{slug}").select_one("#attendance")
    assert attendance is not None
    assert "Councillor M Mutton (Chair)" in words(attendance)


def test_the_february_2019_meeting_was_moved_from_january(example_out: Path) -> None:
    soup = soup_of(example_out, f"{MEETINGS}/2019-01-10")
    h1 = soup.find("h1")
    assert isinstance(h1, Tag) and "Thursday 14 February 2019" in words(h1)
    assert "moved from Thursday 10 January 2019 to Thursday 14 February 2019" in words(soup.find("main"))
    body = soup_of(example_out, "bodies/ecs-scrutiny-board-2")
    assert "Thursday 14 February 2019 Moved from 10 Jan 2019" in words(body)


def test_the_body_and_its_chair(example_out: Path) -> None:
    body = words(soup_of(example_out, "bodies/ecs-scrutiny-board-2").find("main"))
    assert "Education and Children's Services Scrutiny Board (2)" in body
    assert "Councillor M Mutton (Chair)" in body


# ---------------------------------------------------------------- facts checked against the seeds


def _pack_minutes(text: str) -> tuple[list[int], str]:
    """The minute numbers of the minutes a pack carries, and the time the meeting closed.

    Minutes are numbered paragraphs in sequence ('54. Declarations of Interests'); numbered
    lists inside a minute ('1. That the Board…') break the sequence and are skipped.
    """
    start = text.index("Present:")
    end = re.search(r"\(Meeting closed at ([0-9.]+ [ap]m)\)", text[start:])
    assert end, "no closing time in the pack"
    numbers: list[int] = []
    for found in re.findall(r"^\s*(\d{1,3})\.\s", text[start : start + end.start()], re.MULTILINE):
        if not numbers or int(found) == numbers[-1] + 1:
            numbers.append(int(found))
    return numbers, end[1]


@pytest.mark.parametrize("pack", sorted(MINUTES_IN_PACK))
def test_the_content_has_the_minute_numbers_and_closing_time_of_the_seed(seeds_dir: Path, pack: str) -> None:
    numbers, closed = _pack_minutes((seeds_dir / pack).read_text(encoding="utf-8"))
    content = (REPO / "content/meetings/ecs-scrutiny-board-2" / f"{MINUTES_IN_PACK[pack]}.yaml").read_text(
        encoding="utf-8"
    )
    written = [int(n) for n in re.findall(r"^\s*- number: (\d+)/\d\d\s*$", content, re.MULTILINE)]
    assert written == numbers
    hours, minutes = closed.removesuffix(" pm").removesuffix(" am").split(".")
    twenty_four = f"{int(hours) + (12 if closed.endswith('pm') and hours != '12' else 0):02d}:{minutes}"
    assert f'closed_at: "{twenty_four}"' in content


# ---------------------------------------------------------------- our own words


#: Fields that hold titles and names as printed, which may be copied; everything else is prose.
TITLE_FIELDS = {"title", "name", "former_names", "job_title", "author", "published_by", "venue", "kind"}


def normalise(text: str) -> str:
    """Lower case, one space, Markdown emphasis and typographic quotes and dashes made plain."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    text = re.sub(r"[*_`#>]+", "", text)
    return " ".join(text.lower().split())


def word_count(text: str) -> int:
    return sum(1 for token in text.split() if re.search(r"[a-z0-9]", token))


def seed_sentences(text: str) -> list[str]:
    """Sentences of the seeds with at least MIN_WORDS words (lines and sentence ends split them)."""
    found = []
    for line in text.splitlines():
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            plain = normalise(sentence)
            if word_count(plain) >= MIN_WORDS:
                found.append(plain)
    return found


def prose_of(data: Any, key: str = "") -> Iterator[str]:
    """Every string of a YAML document except titles and names."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from prose_of(value, str(name))
    elif isinstance(data, list):
        for value in data:
            yield from prose_of(value, key)
    elif isinstance(data, str) and key not in TITLE_FIELDS:
        yield data


def content_prose(root: Path) -> str:
    texts = []
    for path in sorted(p for p in (root / "content").rglob("*") if p.is_file()):
        if path.suffix == ".md":
            texts.append(path.read_text(encoding="utf-8"))
        elif path.suffix in (".yaml", ".yml"):
            texts += prose_of(yaml.safe_load(path.read_text(encoding="utf-8")))
    return " | ".join(normalise(t) for t in texts)


def test_the_sentence_checker_finds_copied_prose_but_not_a_title() -> None:
    seed = (
        "Members noted the report.\n"
        "The Board asked that the briefing note be circulated to all members of the Board.\n"
        "Free Early Year Education or Childcare Funding for 2 Year Olds - Briefing Note Update"
    )
    sentences = seed_sentences(seed)
    assert len(sentences) == 2, sentences  # 'Members noted the report.' is too short to count
    data = {
        "title": "Free Early Year Education or Childcare Funding for 2 Year Olds - Briefing Note Update",
        "text": "The board asked that the briefing note be\ncirculated to all members of the Board.",
    }
    prose = " | ".join(normalise(t) for t in prose_of(data))
    assert [s for s in sentences if s in prose] == [sentences[0]]


def test_no_sentence_of_the_seeds_is_copied_into_the_content(seeds_dir: Path) -> None:
    content = content_prose(REPO)
    checked, copied = 0, []
    for pack in sorted(seeds_dir.glob("*.txt")):
        for sentence in seed_sentences(pack.read_text(encoding="utf-8")):
            checked += 1
            if sentence in content:
                copied.append(f"{pack.name}: {sentence}")
    assert checked > 500, f"only {checked} seed sentences of {MIN_WORDS}+ words: is the seed folder right?"
    assert not copied, (
        f"{len(copied)} of {checked} seed sentences appear verbatim in content/:\n" + "\n".join(copied[:40])
    )
