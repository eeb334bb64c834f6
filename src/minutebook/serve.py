"""The preview server: build, serve on 127.0.0.1 under the site's base path, rebuild on change."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

#: What a change to rebuilds from: the content, the templates and the config.
WATCHED = ("content", "templates", "site_config.yaml")


def snapshot(root: Path) -> dict[str, float]:
    """Modification times of every watched file: cheap enough to poll twice a second."""
    stamps: dict[str, float] = {}
    for name in WATCHED:
        path = root / name
        if path.is_file():
            stamps[name] = path.stat().st_mtime
        elif path.is_dir():
            for child in path.rglob("*"):
                if child.is_file():
                    stamps[str(child)] = child.stat().st_mtime
    return stamps


def watch(root: Path, rebuild: Callable[[], None], stop: threading.Event, interval: float = 0.5) -> None:
    last = snapshot(root)
    while not stop.wait(interval):
        current = snapshot(root)
        if current != last:
            last = current
            rebuild()


class _Handler(http.server.SimpleHTTPRequestHandler):
    base_path = "/"

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        if clean.startswith(self.base_path):
            clean = "/" + clean[len(self.base_path) :]
        return super().translate_path(clean)

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        if not urlsplit(self.path).path.startswith(self.base_path):
            self.send_response(302)
            self.send_header("Location", self.base_path)
            self.end_headers()
            return
        super().do_GET()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
        pass


def make_server(out: Path, base_url: str, port: int) -> http.server.ThreadingHTTPServer:
    """A server bound to loopback only, serving the built site at its base path."""
    base_path = urlsplit(base_url).path or "/"
    handler = type("Handler", (_Handler,), {"base_path": base_path})
    return http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(out))
    )


def serve_forever(server: http.server.ThreadingHTTPServer, root: Path, rebuild: Callable[[], None]) -> None:
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(root, rebuild, stop), daemon=True)
    watcher.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        time.sleep(0)
