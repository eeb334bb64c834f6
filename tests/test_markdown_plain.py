"""The plain-paragraph fast path gives exactly what Python-Markdown and the sanitiser give.

Most texts in minutes are plain paragraphs, and they skip Python-Markdown. The tests compare
both paths on every text of the example and fixture archives, on tricky cases, and on
thousands of seeded random texts made of the characters that matter to Markdown.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from minutebook.build import _load_and_link
from minutebook.markdown_text import MarkdownRenderer, plain_paragraphs
from minutebook.render import Renderer
from sitekit import FIXTURE, REPO


@pytest.fixture(scope="module")
def markdown() -> MarkdownRenderer:
    return MarkdownRenderer()


def texts_of(root: Path) -> list[str]:
    site, _ = _load_and_link(root, date(2030, 1, 1), None)
    return sorted({text for text in Renderer(site, root / "templates", None).markdown_sources() if text})


@pytest.mark.parametrize("archive", ["example", "fixture"])
def test_every_plain_text_of_an_archive_converts_as_python_markdown_would(
    archive: str, markdown: MarkdownRenderer
) -> None:
    texts = texts_of(REPO if archive == "example" else FIXTURE)
    plain = [text for text in texts if plain_paragraphs(text) is not None]
    assert len(plain) > len(texts) / 2, "most texts of an archive are plain paragraphs"
    assert len(plain) < len(texts), "some texts use Markdown"
    for text in plain:
        assert plain_paragraphs(text) == markdown.convert_with_markdown(text), text


PLAIN = [
    "The board noted the report.",
    "The board noted the report.\nIt asked for figures in March.",
    "First paragraph.\n\nSecond paragraph, with 'quotes', \"double quotes\" and 45% of £2.5m.\n",
    "\n\nLeading and trailing blank lines.\n\n\n",
    "2019/20 budget: 1,240 responses (see page 4).",
    "Minute 39/18 - further to minute 27/17 – the officer’s “update”.",
    "Résumé of the café’s evidence? Yes! Contact: clerk@example.org or 024 7683 3333.",
    "Paragraph one.\n\n\n\nParagraph two after several blank lines.",
]

NOT_PLAIN = [
    "1. A numbered list",
    "First line\n2. a list can follow",
    "- a bullet",
    "* a bullet",
    "+ a bullet",
    "# A heading",
    "Title\n=====",
    "Title\n-----",
    "> a quotation",
    "    indented code",
    "\tindented code",
    "Line ending in two spaces  \nnext",
    "Trailing space ",
    "Some *emphasis*",
    "Some __strong__ text",
    "A `code` span",
    "A [link](https://example.org)",
    "Tom & Jerry",
    "Less < more",
    "Term\n: definition",
    "| a | b |",
    "Heading {: #id }",
    "Back\\slash",
    "Line\n\n   \n\nwith a line of spaces",
    "",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_cases_take_the_fast_path_with_the_same_output(text: str, markdown: MarkdownRenderer) -> None:
    fast = plain_paragraphs(text)
    assert fast is not None
    assert fast == markdown.convert_with_markdown(text)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_markdown_cases_are_left_to_python_markdown(text: str) -> None:
    assert plain_paragraphs(text) is None


def test_random_texts_agree_wherever_the_fast_path_applies(markdown: MarkdownRenderer) -> None:
    """Seeded random texts from words, digits, punctuation, Markdown characters and line breaks."""
    rng = random.Random(20261129)
    words = ["the", "board", "Noted", "2019", "39/18", "£5", "45%", "–", "“quoted”", "café", "(a)", "it's"]
    words += ["=", "+", "-", "!", "?", ".", ",", ":", "'", '"', "1.", "2)", " ", "\n", "\n\n"]
    special = ["*", "_", "#", ">", "&", "<b>", "`", "[", "]", "|", "{", "~", "\\", "  ", "\t", "    ", "\n- "]
    taken = 0
    for _ in range(4000):
        count = rng.randint(1, 14)
        chosen = [rng.choice(special if rng.random() < 0.04 else words) for _ in range(count)]
        text = " ".join(chosen) if rng.random() < 0.5 else "".join(chosen)
        fast = plain_paragraphs(text)
        if fast is not None:
            taken += 1
            assert fast == markdown.convert_with_markdown(text), repr(text)
    assert 200 < taken < 3800, f"the random texts should exercise both paths (fast path took {taken})"
