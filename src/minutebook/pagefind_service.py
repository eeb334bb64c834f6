"""A streaming client for the Pagefind binary's service mode.

Pagefind's own Python wrapper waits a tenth of a second between responses, which
caps it at ten records a second — hours for a large archive. The protocol is
simple (base64 JSON messages separated by commas), so this client writes every
request from one thread while another reads the answers as fast as they come.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import time
from collections.abc import Callable
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
    records: list[dict[str, Any]],
    output: Path,
    config: dict[str, Any] | None = None,
    started: Callable[[subprocess.Popen[bytes]], None] = lambda _: None,
) -> int:
    """Index records and write the bundle into `output`; returns how many were indexed.

    A record is a custom record (AddRecord) unless it names another request type, such as
    {"type": "AddFile", "url": …, "file_contents": "<html>…"} for a page whose headings make sections.

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
        failures: list[BaseException] = []
        writer = threading.Thread(
            target=_write_records, args=(stdin, index_id, records, failures), daemon=True
        )
        writer.start()
        reader.answers_to(set(range(1, len(records) + 1)))  # read while the writer is still writing
        writer.join()
        if failures:
            raise PagefindError(f"could not send records to Pagefind: {failures[0]}")
        _send(
            stdin, len(records) + 1, {"type": "WriteFiles", "index_id": index_id, "output_path": str(output)}
        )
        stdin.flush()
        reader.answer_to(len(records) + 1)
        # Pagefind may answer before its last file is on disk, and stops writing when its input
        # closes: keep the service open until the entry file, written last, has its bytes.
        _await_entry_file(output / "pagefind-entry.json", process)
    finally:
        stdin.close()
        process.wait(timeout=60)
    if not (output / "pagefind-entry.json").stat().st_size:
        raise PagefindError("Pagefind stopped before it finished writing the search index")
    return len(records)


def _write_records(
    stdin: Any, index_id: int, records: list[dict[str, Any]], failures: list[BaseException]
) -> None:
    try:
        for message_id, record in enumerate(records, start=1):
            _send(stdin, message_id, {"type": "AddRecord", **record, "index_id": index_id})
        stdin.flush()
    except OSError as exc:  # the service died; the reader reports it too
        failures.append(exc)


def _await_entry_file(entry: Path, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if entry.is_file() and entry.stat().st_size:
            return
        time.sleep(0.02)


def _send(stream: Any, message_id: int, payload: dict[str, Any]) -> None:
    stream.write(base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode()) + b",")


class AnswerReader:
    """Reads comma-separated base64 JSON answers; raises on an error answer."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.buffer = b""

    def answer_to(self, message_id: int) -> dict[str, Any]:
        """The answer to one request; answers may come in any order, so others are read past."""
        while True:
            answered, payload = self._next()
            if answered == message_id:
                return payload

    def answers_to(self, message_ids: set[int]) -> None:
        waiting = set(message_ids)
        while waiting:
            answered, _ = self._next()
            waiting.discard(answered)

    def _next(self) -> tuple[int | None, dict[str, Any]]:
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
