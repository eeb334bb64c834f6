"""Sub-path hosting, as on GitHub Pages project sites: each site is built, served under its base
path on 127.0.0.1 by a plain static server, and every internal address it names — href and src
in every page, and the site's addresses in feeds, calendars, sitemaps and JSON — is fetched over
HTTP. All must answer 200."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from sitekit import build_site, copy_example, copy_fixture

SITES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "example": (copy_example, "https://example.github.io/minutebook/"),
    "fixture": (copy_fixture, "https://example.org/minutes/"),
}
TEXT_FILES = (".xml", ".ics", ".json", ".txt")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under `base` only, as GitHub Pages serves a project site."""

    base = "/"

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.base):
            return str(Path(self.directory) / "__outside_the_base_path__")
        return super().translate_path("/" + path.removeprefix(self.base))

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v for k, v in attrs if k in ("href", "src") and v]


@pytest.fixture(scope="module", params=sorted(SITES))
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str, str]]:
    copy, public = SITES[request.param]
    out = build_site(copy(tmp_path_factory.mktemp(request.param)), search=True).out
    base = urlsplit(public).path
    handler = type("Handler", (_Handler,), {"base": base})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield out, public, f"http://127.0.0.1:{server.server_port}{base}"
    finally:
        server.shutdown()
        server.server_close()


def internal_addresses(out: Path, public: str, local: str) -> set[str]:
    """Every address inside the site that its files name, as a local http:// address."""
    found: set[str] = set()
    absolute = re.compile(re.escape(public) + r"[^\s\"'<>)\]]*")
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if not path.is_file() or rel.startswith("pagefind/"):
            continue
        if path.suffix == ".html":
            page = local + rel.removesuffix("index.html")
            parser = _Links()
            text = path.read_text(encoding="utf-8")
            parser.feed(text)
            for link in parser.found:
                target = urljoin(page, link.replace(public, local, 1) if link.startswith(public) else link)
                if target.startswith(local):
                    found.add(urldefrag(target).url)
        if path.suffix in (".html", *TEXT_FILES):
            text = path.read_text(encoding="utf-8").replace("\\/", "/")
            if path.suffix == ".ics":
                text = re.sub(r"\r?\n[ \t]", "", text)  # iCalendar folds lines at 75 octets
            found |= {urldefrag(m.group().replace(public, local, 1)).url for m in absolute.finditer(text)}
    return found


def fetch(address: str) -> int:
    try:
        with urllib.request.urlopen(address, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_every_internal_address_answers_200_under_the_sub_path(served: tuple[Path, str, str]) -> None:
    out, public, local = served
    addresses = internal_addresses(out, public, local)
    kinds = {Path(unquote(urlsplit(a).path)).suffix or "/" for a in addresses}
    assert {"/", ".json", ".css"} <= kinds, kinds  # and the feeds (.xml) and calendars (.ics) linked
    failed = sorted((a, code) for a in addresses if (code := fetch(a)) != 200)
    assert not failed, f"{len(failed)} of {len(addresses)} addresses failed: {failed[:20]}"
    print(f"{public}: {len(addresses)} internal addresses fetched over HTTP, all 200")


def test_the_server_really_serves_under_the_sub_path_only(served: tuple[Path, str, str]) -> None:
    _, _, local = served
    assert fetch(local) == 200
    root = urlsplit(local)
    assert fetch(f"{root.scheme}://{root.netloc}/index.html") == 404
