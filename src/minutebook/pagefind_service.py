"""A streaming client for the Pagefind binary's service mode.

Pagefind's own Python wrapper waits a tenth of a second between responses, which
caps it at ten records a second — hours for a large archive. The protocol is
simple (base64 JSON messages separated by commas), so this client writes every
request from one thread while another reads the answers as fast as they come.

The build indexes its documents with Pagefind's command line (pagefind_cli), which spends less
CPU on them; it uses the service only to write the empty index of a site with nothing to search.
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


class PagefindError(RuntimeError):
    """The Pagefind service refused a request or stopped early."""


def executable() -> Path:
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise PagefindError("the Pagefind binary is missing: install the package 'pagefind[bin]'")
    return Path(found)


def build_index(
    records: Iterable[dict[str, Any]],
    output: Path,
    config: dict[str, Any] | None = None,
    started: Callable[[subprocess.Popen[bytes]], None] = lambda _: None,
) -> int:
    """Index records and write the bundle into `output`; returns how many were indexed.

    A record is a custom record (AddRecord) unless it names another request type, such as
    {"type": "AddFile", "url": …, "file_contents": "<html>…"} for a page whose headings make sections.
    Records are sent as the iterable makes them, so Pagefind starts on the first while the rest
    are still being made, and the whole list is never held in memory.
    `started` receives the Pagefind process, so a caller running this in a thread can stop it.
    """
    process = subprocess.Popen(
        [str(executable()), "--service"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    started(process)
    assert process.stdin is not None and process.stdout is not None
    stdin, reader = process.stdin, AnswerReader(process.stdout)
    try:
        _send(stdin, 0, {"type": "NewIndex", "config": config or {}})
        stdin.flush()
        index_id = reader.answer_to(0)["index_id"]
        answers = Answers(reader)  # read while this thread writes: neither pipe may fill up
        answers.start()
        count = _send_records(stdin, index_id, records, answers)
        answers.wait_until(lambda seen: len(seen) >= count, "indexing the records")
        written = count + 1
        _send(stdin, written, {"type": "WriteFiles", "index_id": index_id, "output_path": str(output)})
        stdin.flush()
        answers.wait_until(lambda seen: written in seen, "writing the index")
        # Pagefind may answer before its last file is on disk, and stops writing when its input
        # closes: keep the service open until the entry file, written last, has its bytes.
        _await_entry_file(output / "pagefind-entry.json", process)
    finally:
        with contextlib.suppress(OSError):
            stdin.close()
        process.wait(timeout=60)
    if not (output / "pagefind-entry.json").stat().st_size:
        raise PagefindError("Pagefind stopped before it finished writing the search index")
    return count


def _send_records(stdin: Any, index_id: int, records: Iterable[dict[str, Any]], answers: Answers) -> int:
    count = 0
    try:
        for count, record in enumerate(records, start=1):
            _send(stdin, count, {"type": "AddRecord", **record, "index_id": index_id})
        stdin.flush()
    except OSError as exc:  # the service died; its reader knows why
        answers.wait_until(lambda _: False, "sending the records")
        raise PagefindError(f"could not send records to Pagefind: {exc}") from exc
    return count


def _await_entry_file(entry: Path, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if entry.is_file() and entry.stat().st_size:
            return
        time.sleep(0.02)


def _send(stream: Any, message_id: int, payload: dict[str, Any]) -> None:
    stream.write(base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode()) + b",")


class Answers(threading.Thread):
    """Reads every answer in the background; the sending thread waits for the ones it needs."""

    def __init__(self, reader: AnswerReader) -> None:
        super().__init__(daemon=True)
        self.reader = reader
        self.seen: set[int | None] = set()
        self.failure: PagefindError | None = None
        self.changed = threading.Condition()

    def run(self) -> None:
        try:
            while True:
                answered, _ = self.reader.next_answer()
                with self.changed:
                    self.seen.add(answered)
                    self.changed.notify_all()
        except PagefindError as failure:  # an error answer, or the service stopped
            with self.changed:
                self.failure = failure
                self.changed.notify_all()

    def wait_until(self, done: Callable[[set[int | None]], bool], doing: str) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.failure is not None or done(self.seen))
            if not done(self.seen):
                raise PagefindError(f"Pagefind failed while {doing}: {self.failure}")


class AnswerReader:
    """Reads comma-separated base64 JSON answers; raises on an error answer."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.buffer = b""

    def answer_to(self, message_id: int) -> dict[str, Any]:
        """The answer to one request; answers may come in any order, so others are read past."""
        while True:
            answered, payload = self.next_answer()
            if answered == message_id:
                return payload

    def next_answer(self) -> tuple[int | None, dict[str, Any]]:
        while b"," not in self.buffer:
            chunk = self.stream.read1(1 << 16)
            if not chunk:
                raise PagefindError("the Pagefind service stopped unexpectedly")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b",")
        answer = json.loads(base64.b64decode(message))
        payload: dict[str, Any] = answer.get("payload", {})
        if payload.get("type") == "Error":
            raise PagefindError(f"Pagefind refused a request: {payload.get('message')}")
        return answer.get("message_id"), payload
