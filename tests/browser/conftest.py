"""Browser-test fixtures: Debian's Chromium driven by Playwright (sync API), a loopback-only
static file server, and axe-core.

Fixtures
--------
browser                 session  playwright Browser (Chromium at $MINUTEBOOK_CHROMIUM or on PATH)
page_factory            function ``page_factory(**context_kwargs) -> Page``; each call opens a
                                 new context + page (e.g. ``viewport={"width": 320, ...}``,
                                 ``reduced_motion="reduce"``). Any request to a host other than
                                 127.0.0.1/localhost/::1 is aborted and FAILS the test at teardown.
page                    function ``page_factory()`` with default options (1280x800).
page_log                function what the pages of this test did: ``.requests``, ``.external``,
                                 ``.console_errors``, ``.page_errors``, ``.failed`` (responses
                                 with status >= 400 and failed local requests) (lists of str).
serve_directory         function ``serve_directory(path) -> "http://127.0.0.1:PORT"`` (no trailing
                                 slash); the server stops at the end of the test.
                                 ``serve_directory(path, prefix="/minutebook")`` serves the folder
                                 under that sub-path, as GitHub Pages serves a project site: the
                                 result is then ``"http://127.0.0.1:PORT/minutebook"``, addresses
                                 outside the prefix are 404, and a missing file answers 404 with
                                 the site's own 404.html when there is one.
session_serve_directory session  the same, but the servers live for the whole session (serve a
                                 site built once per session).
axe                     session  ``axe(page, context=None, tags=WCAG_TAGS) -> list[violation]``
                                 and ``axe.assert_clean(page, ...)`` which fails with a readable
                                 list of violations.
example_site            session  the example site built with search, served under /minutebook;
                                 a ``BuiltSite`` with ``.out`` (folder), ``.base`` and ``.url(path)``.
fixture_site            session  the same for tests/fixtures/archive, served under /minutes.
fixture_parts_site      session  the fixture archive again, its search index in three parts.
built_sites             session  ``{"example": example_site, "fixture": fixture_site}``.

Every test under tests/browser gets the ``browser`` marker.

When Chromium, Playwright or axe-core is missing the browser tests are skipped with the reason,
unless CI is set (CI=true), where they fail instead. ``bash scripts/test.sh`` installs all three.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Schemes that never leave the browser.
NON_NETWORK_SCHEMES = {"data", "blob", "about", "chrome-error", "javascript"}
DEFAULT_TIMEOUT_MS = 10_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> NoReturn:
    """Skip locally, fail on CI: a CI run must never pass by skipping the browser tests."""
    if _in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure; run `bash scripts/test.sh`)")
    pytest.skip(f"{reason}; `bash scripts/test.sh` installs it")


def chromium_path() -> str | None:
    return os.environ.get("MINUTEBOOK_CHROMIUM") or shutil.which("chromium")


def is_local_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in NON_NETWORK_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


# ----------------------------------------------------------------------------- markers


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# ----------------------------------------------------------------------------- server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".webmanifest": "application/manifest+json",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _PrefixHandler(_QuietHandler):
    """Serves the folder under ``prefix`` (e.g. /minutebook) and answers 404 with 404.html."""

    prefix = ""

    def translate_path(self, path: str) -> str:
        bare = path.split("?", 1)[0].split("#", 1)[0]
        if bare != self.prefix and not bare.startswith(self.prefix + "/"):
            return str(Path(self.directory) / ".not-under-the-prefix" / "missing")
        return super().translate_path(path[len(self.prefix) :] or "/")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class StaticServer:
    """A ThreadingHTTPServer on 127.0.0.1 (free port) serving one directory.

    With a ``prefix`` ("/minutebook") the directory is served under that sub-path only."""

    def __init__(self, directory: Path | str, prefix: str = "") -> None:
        directory = Path(directory).resolve()
        if not directory.is_dir():
            raise FileNotFoundError(f"cannot serve {directory}: not a directory")
        prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        handler_class: type[_QuietHandler] = _QuietHandler
        if prefix:
            handler_class = type("_SiteHandler", (_PrefixHandler,), {"prefix": prefix})
        handler = functools.partial(handler_class, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}{prefix}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, name=f"serve {directory}", daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def serve_directory() -> Iterator[Callable[..., str]]:
    servers: list[StaticServer] = []

    def serve(path: Path | str, prefix: str = "") -> str:
        server = StaticServer(path, prefix)
        servers.append(server)
        return server.base_url

    yield serve
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def session_serve_directory() -> Iterator[Callable[..., str]]:
    servers: dict[tuple[Path, str], StaticServer] = {}

    def serve(path: Path | str, prefix: str = "") -> str:
        key = (Path(path).resolve(), prefix)
        if key not in servers:
            servers[key] = StaticServer(*key)
        return servers[key].base_url

    yield serve
    for server in servers.values():
        server.stop()


# ----------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if not executable or not os.access(executable, os.X_OK):
        _unavailable("Chromium not found (set MINUTEBOOK_CHROMIUM or apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class PageLog:
    """What the pages opened in one test did."""

    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page_factory(browser: Browser, page_log: PageLog) -> Iterator[Callable[..., Page]]:
    contexts = []

    def on_request(request: Any) -> None:
        page_log.requests.append(request.url)
        if not is_local_url(request.url):
            page_log.external.append(request.url)

    def on_response(response: Any) -> None:
        if response.status >= 400:
            page_log.failed.append(f"{response.status} {response.url}")

    def on_request_failed(request: Any) -> None:
        # ERR_ABORTED: the page moved on (a click, a goto) before the request finished.
        if is_local_url(request.url) and request.failure != "net::ERR_ABORTED":
            page_log.failed.append(f"{request.failure} {request.url}")

    def block_external(route: Route) -> None:
        route.abort("blockedbyclient")

    def make_page(**context_kwargs: Any) -> Page:
        context_kwargs.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(**context_kwargs)
        contexts.append(context)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.route(lambda url: not is_local_url(url), block_external)
        new_page = context.new_page()
        new_page.on("request", on_request)
        new_page.on("response", on_response)
        new_page.on("requestfailed", on_request_failed)
        new_page.on(
            "console",
            lambda msg: page_log.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        new_page.on("pageerror", lambda exc: page_log.page_errors.append(str(exc)))
        return new_page

    yield make_page
    for context in contexts:
        context.close()
    if page_log.external:
        pytest.fail(
            "the page requested URLs off this machine (only 127.0.0.1/localhost allowed):\n  "
            + "\n  ".join(sorted(set(page_log.external)))
        )


@pytest.fixture
def page(page_factory: Callable[..., Page]) -> Page:
    return page_factory()


# ----------------------------------------------------------------------------- axe


class Axe:
    """Runs axe-core (node_modules/axe-core) in a page; WCAG 2.0/2.1/2.2 A and AA rules."""

    def __init__(self, source: str) -> None:
        self.source = source

    def __call__(
        self,
        page: Page,
        context: str | dict[str, Any] | None = None,
        tags: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(self.source)
        options = {"runOnly": {"type": "tag", "values": tags or WCAG_TAGS}}
        result: list[dict[str, Any]] = page.evaluate(
            """async ([context, options]) => {
                const results = await axe.run(context ?? document, options);
                return results.violations;
            }""",
            [context, options],
        )
        return result

    @staticmethod
    def format(violations: list[dict[str, Any]]) -> str:
        lines = []
        for v in violations:
            lines.append(f"[{v.get('impact')}] {v['id']}: {v['help']} ({v.get('helpUrl')})")
            for node in v.get("nodes", [])[:5]:
                lines.append(f"    {' '.join(map(str, node.get('target', [])))}")
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                if summary:
                    lines.append(f"      {summary[:300]}")
        return "\n".join(lines)

    def assert_clean(
        self,
        page: Page,
        context: str | dict[str, Any] | None = None,
        tags: list[str] | None = None,
    ) -> None:
        violations = self(page, context=context, tags=tags)
        assert not violations, f"axe found violations on {page.url}:\n{self.format(violations)}"


@pytest.fixture(scope="session")
def axe() -> Axe:
    if not AXE_JS.is_file():
        _unavailable(f"axe-core not found at {AXE_JS} (npm ci)")
    return Axe(AXE_JS.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- built sites


@dataclass
class BuiltSite:
    """A site built once per session (with search) and served under its base path."""

    name: str
    out: Path
    #: ``http://127.0.0.1:PORT/minutebook`` (the base path of the site's base_url, no trailing slash)
    base: str

    @property
    def prefix(self) -> str:
        return urlsplit(self.base).path

    def url(self, path: str = "") -> str:
        """The served address of a site path such as ``"bodies/"`` or ``"search/?q=x"``."""
        return f"{self.base}/{path.lstrip('/')}"


def _build_and_serve(
    name: str,
    tmp_path_factory: pytest.TempPathFactory,
    serve: Callable[..., str],
    search_part_documents: int | None = None,
) -> BuiltSite:
    import yaml

    from sitekit import build_site, copy_example, copy_fixture

    root = tmp_path_factory.mktemp(f"{name}-site")
    (copy_example if name == "example" else copy_fixture)(root)
    result = build_site(root, search=True, search_part_documents=search_part_documents)
    config = yaml.safe_load((root / "site_config.yaml").read_text(encoding="utf-8"))
    prefix = urlsplit(config["base_url"]).path.rstrip("/")
    return BuiltSite(name, Path(result.out), serve(result.out, prefix))


@pytest.fixture(scope="session")
def example_site(
    tmp_path_factory: pytest.TempPathFactory, session_serve_directory: Callable[..., str]
) -> BuiltSite:
    """The repository's example site (base /minutebook/), built with search and served."""
    return _build_and_serve("example", tmp_path_factory, session_serve_directory)


@pytest.fixture(scope="session")
def fixture_site(
    tmp_path_factory: pytest.TempPathFactory, session_serve_directory: Callable[..., str]
) -> BuiltSite:
    """The fixture archive (tests/fixtures/archive, base /minutes/), built with search and served."""
    return _build_and_serve("fixture", tmp_path_factory, session_serve_directory)


@pytest.fixture(scope="session")
def fixture_parts_site(
    tmp_path_factory: pytest.TempPathFactory, session_serve_directory: Callable[..., str]
) -> BuiltSite:
    """The fixture archive with its search index in parts of ~10 documents (three parts), as a
    large archive's is: the search page merges them."""
    return _build_and_serve("fixture", tmp_path_factory, session_serve_directory, search_part_documents=10)


@pytest.fixture(scope="session")
def built_sites(example_site: BuiltSite, fixture_site: BuiltSite) -> dict[str, BuiltSite]:
    return {"example": example_site, "fixture": fixture_site}


# ----------------------------------------------------------------------------- summary


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Figures the browser tests recorded with ``record_property`` (works under xdist too):
    ("axe", {page, width, scheme, violations}), ("screenshot", path), ("summary", line)."""
    reports = [
        report
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if getattr(report, "when", "") == "call"
    ]
    props = [(key, value) for report in reports for key, value in getattr(report, "user_properties", [])]
    if not props:
        return
    terminalreporter.section("browser figures")
    runs = [value for key, value in props if key == "axe"]
    if runs:
        pages = {run["page"] for run in runs}
        widths = sorted({run["width"] for run in runs})
        schemes = sorted({run["scheme"] for run in runs})
        bad = [run for run in runs if run["violations"]]
        terminalreporter.write_line(
            f"axe-core: {len(pages)} pages x {len(widths)} widths ({', '.join(f'{w}px' for w in widths)})"
            f" x {len(schemes)} colour schemes ({', '.join(schemes)}) = {len(runs)} checks;"
            f" {len(bad)} with violations"
        )
        for run in bad:
            terminalreporter.write_line(
                f"  {run['page']} {run['width']}px {run['scheme']}: {', '.join(run['violations'])}"
            )
    shots = sorted({value for key, value in props if key == "screenshot"})
    if shots:
        terminalreporter.write_line(f"screenshots: {len(shots)} in {Path(shots[0]).parent}")
    for key, value in props:
        if key == "summary":
            terminalreporter.write_line(str(value))
