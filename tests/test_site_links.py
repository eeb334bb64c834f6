"""Every internal link and #anchor of the built sites resolves; no page links outside the site
except to addresses given in the content; every page has the landmarks a reader relies on.

Both sites are built WITH search, so the Pagefind bundle is in place. The checker is a small
standard-library one: it resolves each href/src/action against the page's public address,
maps addresses under the site's base path to files (a trailing slash means index.html) and
looks for each fragment among the ids of the target page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from minutebook.build import BuildResult
from sitekit import build_site, copy_example, copy_fixture

SITES = {
    "example": (copy_example, "https://example.github.io/minutebook/"),
    "fixture": (copy_fixture, "https://example.org/minutes/"),
}
#: Attributes that point somewhere, on any element.
LINK_ATTRIBUTES = ("href", "src", "action", "poster", "data")
#: Addresses in content and config: the only places a page may link outside the site.
URL_IN_TEXT = re.compile(r"(?:https?://|mailto:)[^\s)\"'<>\]]+")


@dataclass
class Built:
    name: str
    root: Path
    result: BuildResult
    base_url: str

    @property
    def out(self) -> Path:
        return self.result.out

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path


@pytest.fixture(scope="module", params=sorted(SITES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    copy, base_url = SITES[request.param]
    root = copy(tmp_path_factory.mktemp(request.param))
    return Built(request.param, root, build_site(root, search=True), base_url)


# ---------------------------------------------------------------- a small checker


@dataclass
class Page:
    """What the checker needs of one HTML file."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag.attribute, value)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.page.links.append((f"{tag}.{name}", value))
            elif name == "srcset":
                self.page.links += [(f"{tag}.srcset", part.split()[0]) for part in value.split(",") if part]


def parse(path: Path) -> Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector.page


def html_files(out: Path) -> Iterator[Path]:
    """Every page of the site; Pagefind's bundle is the search engine's, not ours."""
    for path in sorted(out.rglob("*.html")):
        if path.relative_to(out).parts[0] != "pagefind":
            yield path


def public_url(out: Path, path: Path, base_url: str) -> str:
    rel = path.relative_to(out).as_posix()
    return base_url + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


@dataclass
class Report:
    pages: int = 0
    links: int = 0
    anchors: int = 0
    external: int = 0
    broken: list[str] = field(default_factory=list)

    def figures(self) -> str:
        return (
            f"{self.pages} pages, {self.links} internal links, {self.anchors} anchors, "
            f"{self.external} external links checked"
        )


def check_site(out: Path, base_url: str, allowed_external: set[str]) -> Report:
    base_path, host = urlsplit(base_url).path, urlsplit(base_url).netloc
    pages = {path: parse(path) for path in html_files(out)}
    report = Report(pages=len(pages))
    for path, page in pages.items():
        here = public_url(out, path, base_url)
        where = path.relative_to(out).as_posix()
        for what, value in page.links:
            absolute = urljoin(here, value.strip())
            parts = urlsplit(absolute)
            if (
                parts.scheme in ("http", "https")
                and parts.netloc == host
                and parts.path.startswith(base_path)
            ):
                report.links += 1
                problem = _check_internal(out, pages, absolute, base_path, report)
                if problem:
                    report.broken.append(f"{where}: {what}={value!r}: {problem}")
            else:
                report.external += 1
                if urldefrag(absolute).url not in allowed_external and absolute not in allowed_external:
                    report.broken.append(
                        f"{where}: {what}={value!r} leaves the site to an address not in content"
                    )
    return report


def _check_internal(
    out: Path, pages: dict[Path, Page], absolute: str, base_path: str, report: Report
) -> str | None:
    address, fragment = urldefrag(absolute)
    rel = unquote(urlsplit(address).path)[len(base_path) :]
    target = out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
    if not target.is_file():
        return f"no file {target.relative_to(out).as_posix()}"
    if fragment:
        report.anchors += 1
        if target not in pages:
            return f"#{fragment} points into {target.name}, which is not a page"
        if unquote(fragment) not in pages[target].ids:
            return f"no id '{unquote(fragment)}' on {target.relative_to(out).as_posix()}"
    return None


def addresses_in_content(root: Path) -> set[str]:
    """Every http(s) and mailto address written in the site's content and config."""
    found: set[str] = set()
    sources = [root / "site_config.yaml", *sorted((root / "content").rglob("*"))]
    for source in sources:
        if source.is_file() and source.suffix in (".yaml", ".yml", ".md"):
            text = source.read_text(encoding="utf-8")
            found |= {m.rstrip(".,;:") for m in URL_IN_TEXT.findall(text)}
            found |= {f"mailto:{m}" for m in re.findall(r"contact_email:\s*(\S+@\S+)", text)}
    return found


# ---------------------------------------------------------------- the tests


def test_every_internal_link_and_anchor_resolves(built: Built) -> None:
    report = check_site(built.out, built.base_url, addresses_in_content(built.root))
    assert report.pages > 50 and report.links > 1000 and report.anchors > 50, report.figures()
    assert not report.broken, f"{built.name}: {report.figures()}; {len(report.broken)} broken:\n" + "\n".join(
        report.broken[:60]
    )


def test_internal_links_start_with_the_base_path(built: Built) -> None:
    """Root-relative hrefs carry the base path, so the site works from a sub-folder."""
    wrong = []
    for path in html_files(built.out):
        for what, value in parse(path).links:
            if value.startswith("/") and not value.startswith(built.base_path):
                wrong.append(f"{path.relative_to(built.out)}: {what}={value}")
    assert not wrong, "\n".join(wrong[:40])


def test_checker_catches_a_broken_link_and_a_broken_anchor(tmp_path: Path) -> None:
    """The checker itself: a missing page, a missing id and a stray external link are reported."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="/m/a/">ok</a><a href="/m/a/#there">ok</a><a href="/m/b/">missing</a>'
        '<a href="a/#nowhere">bad anchor</a><a href="https://elsewhere.example/">out</a>'
        '<a href="https://given.example/x">given</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<p id="there">x</p>', encoding="utf-8")
    report = check_site(tmp_path, "https://h.example/m/", {"https://given.example/x"})
    assert (report.pages, report.links, report.anchors, report.external) == (2, 4, 2, 2)
    assert len(report.broken) == 3, report.broken
    assert "no file b/index.html" in report.broken[0]
    assert "no id 'nowhere'" in report.broken[1]
    assert "leaves the site" in report.broken[2]


def test_search_bundle_is_in_place(built: Built) -> None:
    bundle = built.out / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert any(bundle.rglob("*.pf_fragment")), "the index has no fragments"


def test_every_page_has_one_h1_a_title_a_language_and_a_skip_link(built: Built) -> None:
    problems = []
    count = 0
    for path in html_files(built.out):
        count += 1
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        where = path.relative_to(built.out).as_posix()
        h1s = soup.find_all("h1")
        if len(h1s) != 1:
            problems.append(f"{where}: {len(h1s)} <h1> elements")
        title = soup.title.get_text(strip=True) if soup.title else ""
        if not title:
            problems.append(f"{where}: no <title>")
        if not (soup.html and soup.html.get("lang")):
            problems.append(f"{where}: no lang on <html>")
        first_link = soup.body.find("a") if soup.body else None
        if first_link is None or first_link.get("href") != "#main":
            problems.append(f"{where}: the first link is not a skip link to #main")
        if soup.find(id="main") is None or soup.find(id="main").name != "main":
            problems.append(f"{where}: no <main id=main>")
    assert count > 50
    assert not problems, f"{built.name}: {count} pages; problems:\n" + "\n".join(problems[:60])
