"""The preview server: build, serve on 127.0.0.1 under the site's base path, rebuild on change.

Pages it serves carry a small script that asks the server whether a newer build exists;
the server holds that request until one does (a long poll), so the page reloads as soon as
the changed pages are written. While the content has errors, every page shows the list of
problems instead, and the server keeps running.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import watchfiles

from minutebook.load import file_stamp
from minutebook.problems import Problem

#: What a change triggers a rebuild for: the content, the templates and the config.
WATCHED = ("content", "templates", "site_config.yaml")
STATE_PATH = "/__minutebook/state"

_RELOAD_SCRIPT = """<script>
(() => {
  let seen = null;
  async function poll() {
    try {
      const query = seen === null ? "" : "?seen=" + seen;
      const state = await (await fetch("%s" + query, {cache: "no-store"})).json();
      if (seen !== null && state.generation !== seen) return location.reload();
      seen = state.generation;
      poll();
    } catch (error) {
      setTimeout(poll, 1000);
    }
  }
  poll();
})();
</script>"""

#: How long the server holds a state request with nothing new, in seconds (the page then asks again).
HOLD_SECONDS = 20.0


@dataclass
class Preview:
    """What the server shows: the generation of the last build and, if it failed, why."""

    generation: int = 0
    problems: list[Problem] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=threading.Condition)

    def succeeded(self) -> None:
        with self.lock:
            self.generation += 1
            self.problems = []
            self.lock.notify_all()

    def failed(self, problems: list[Problem]) -> None:
        with self.lock:
            self.generation += 1
            self.problems = problems
            self.lock.notify_all()

    def state_after(self, seen: int | None, hold: float) -> dict[str, object]:
        """The state once its generation differs from `seen`, or after `hold` seconds."""
        with self.lock:
            if seen is not None:
                self.lock.wait_for(lambda: self.generation != seen, timeout=hold)
            return {"generation": self.generation, "failed": bool(self.problems)}


def changes(root: Path, stop: threading.Event, watching: threading.Event | None = None) -> Iterator[set[str]]:
    """The files saved, added or removed, relative to `root`, a batch at a time, until `stop` is set.

    The operating system reports changes (inotify on Linux), so a save is seen within tens of
    milliseconds however large the archive, at no cost while nothing changes. site_config.yaml
    is checked beside them by its time stamp: editors that save by renaming a new file into
    place would leave a watch on the file itself looking at the old one. `watching` is set once
    saves are seen: a save before that is missed.
    """
    config = root / "site_config.yaml"
    watching = watching or threading.Event()
    while not stop.is_set():
        folders = _folders_now(root)
        config_stamp = file_stamp(config)
        if not folders:  # no content/ yet: look for it, and at site_config.yaml, now and then
            watching.set()
            if not stop.wait(CHECK_MS / 1000) and (_folders_now(root) or file_stamp(config) != config_stamp):
                yield {"content", "site_config.yaml"}
            continue
        for batch in watchfiles.watch(
            *folders,
            watch_filter=_content_file,
            stop_event=stop,
            step=STEP_MS,
            rust_timeout=CHECK_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            watching.set()  # the first batch (or timeout) comes once the folders are watched
            changed = {_relative(root, path) for _, path in batch}
            if file_stamp(config) != config_stamp:
                config_stamp = file_stamp(config)
                changed.add("site_config.yaml")
            if changed:
                yield changed
            if _folders_now(root) != folders:
                yield {"templates"}  # a folder appeared or went: watch again, and rebuild
                break


#: How long after a change the watcher waits for more before reporting a batch (ms), and how often
#: it looks at site_config.yaml and for a new templates/ folder when nothing else changes.
STEP_MS = 30
CHECK_MS = 500


def _folders_now(root: Path) -> list[Path]:
    """The watched folders that exist (content/, templates/)."""
    return [root / name for name in WATCHED if (root / name).is_dir()]


_EDITOR_FILES = watchfiles.DefaultFilter()


def _content_file(change: watchfiles.Change, path: str) -> bool:
    """Leave out what the build never reads: hidden files (an editor's temporary copies among them)."""
    return _EDITOR_FILES(change, path) and not Path(path).name.startswith(".")


def _relative(root: Path, path: str) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def error_page(problems: list[Problem]) -> bytes:
    items = "\n".join(f"<li><code>{html.escape(p.format())}</code></li>" for p in problems)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The content has errors – Minutebook preview</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
body{{line-height:1.5}} li{{margin:.5rem 0}}code{{white-space:pre-wrap}}</style></head>
<body><main><h1>The content has {len(problems)} problem{"s" if len(problems) != 1 else ""}</h1>
<p>Fix these in your editor and save: this page reloads by itself.
Nothing is published until they are fixed.</p>
<ol>{items}</ol></main>{_RELOAD_SCRIPT % STATE_PATH}</body></html>""".encode()


class _Handler(http.server.SimpleHTTPRequestHandler):
    base_path = "/"
    preview = Preview()

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        if clean.startswith(self.base_path):
            clean = "/" + clean[len(self.base_path) :]
        return super().translate_path(clean)

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        path = urlsplit(self.path).path
        if path == STATE_PATH:
            state = self.preview.state_after(_seen(self.path), HOLD_SECONDS)
            self._send(200, "application/json", json.dumps(state).encode())
        elif not path.startswith(self.base_path):
            self.send_response(302)
            self.send_header("Location", self.base_path)
            self.end_headers()
        elif self.preview.problems and self._wants_html(path):
            self._send(500, "text/html; charset=utf-8", error_page(self.preview.problems))
        elif self._wants_html(path) and self._page_file(path).is_file():
            self._send(200, "text/html; charset=utf-8", _with_reload(self._page_file(path).read_bytes()))
        else:
            super().do_GET()

    def _page_file(self, path: str) -> Path:
        file = Path(self.translate_path(path))
        return file / "index.html" if file.is_dir() else file

    def _wants_html(self, path: str) -> bool:
        return path.endswith(("/", ".html"))

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            self._send(404, "text/html; charset=utf-8", _with_reload(page.read_bytes()))
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
        pass


def _seen(request_path: str) -> int | None:
    """The generation the page already shows, from '?seen=N'; None when it has none yet."""
    values = parse_qs(urlsplit(request_path).query).get("seen", [])
    return int(values[0]) if values and values[0].isdigit() else None


def _with_reload(page: bytes) -> bytes:
    script = (_RELOAD_SCRIPT % STATE_PATH).encode()
    return page.replace(b"</body>", script + b"</body>", 1) if b"</body>" in page else page + script


def make_server(out: Path, base_url: str, port: int, preview: Preview) -> http.server.ThreadingHTTPServer:
    """A server bound to loopback only, serving the built site at its base path."""
    base_path = urlsplit(base_url).path or "/"
    handler = type("Handler", (_Handler,), {"base_path": base_path, "preview": preview})
    return http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(out))
    )


def serve_forever(
    server: http.server.ThreadingHTTPServer,
    background: Callable[[threading.Event], None],
    watching: threading.Event | None = None,
    announce: Callable[[], None] = lambda: None,
) -> None:
    """Serve until Ctrl+C, with `background` (the watcher and the builds) running in a thread of its own.

    `announce` is called once `watching` is set (or after WATCH_START_SECONDS): a clerk told the
    preview is running may save at once, and a save made before the watch is in place is missed.
    """
    stop = threading.Event()
    worker = threading.Thread(target=background, args=(stop,), daemon=True)
    worker.start()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` or a closed terminal: stop as for Ctrl+C
    try:
        if watching is not None:
            watching.wait(WATCH_START_SECONDS)
        announce()
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        worker.join(STOP_SECONDS)  # it stops the build process, if one runs
        server.server_close()


#: How long the preview waits for its watch on the content to be in place before saying it runs.
WATCH_START_SECONDS = 10.0

#: How long stopping the preview waits for its builder to stop the build process, in seconds.
STOP_SECONDS = 10.0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
