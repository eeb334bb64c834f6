"""Seconds from a save until a browser showing the page has reloaded it with the new words.

    .venv/bin/python benchmarks/measure_preview_browser.py WORK [--saves 5] [--mid-build 3]

WORK is a site folder built before (e.g. by measure_rebuilds.py). Runs `minutebook serve` on it,
opens the first meeting with draft minutes in Debian's Chromium (Playwright, as the browser tests
do), saves prose edits to that meeting's file and waits each time for the open page to show the
new words: the whole path a clerk waits for (watcher, fast path, the page's long poll, reload).
Waits for each full build to finish, and PAUSE seconds more, before the next save. With
--mid-build N, then N times: a save, and another MID_BUILD seconds into the full build it starts
(timed). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from measure_rebuilds import draft_meeting
from playwright.sync_api import sync_playwright

TODAY = "2026-11-29"
#: Seconds between the end of a full build and the next save: the preview then frees the last
#: build's memory (a second or two on a large archive), which a clerk's next save seldom meets.
PAUSE = 3.0
#: The preview waits this long after a save before its full build starts (preview.SETTLE_SECONDS);
#: a mid-build save comes MID_BUILD seconds into that build.
SETTLE = 1.0
MID_BUILD = 3.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("work", type=Path)
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--mid-build", type=int, default=0, help="saves made while a full build runs")
    args = parser.parse_args()
    work = args.work.resolve()
    meeting = draft_meeting(work)
    port = free_port()
    command = [sys.executable, "-u", "-m", "minutebook.cli", "serve", "--site", str(work)]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--today", TODAY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    built = threading.Event()
    said: list[str] = []

    def read_messages() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            said.append(line.strip())
            if line.startswith("Built in"):
                built.set()

    threading.Thread(target=read_messages, daemon=True).start()
    seconds: list[float] = []
    mid_build: list[float] = []
    try:
        assert server.stdout is not None
        address = server.stdout.readline().split(" at ")[1].split(" ")[0]
        url = f"{address}bodies/{meeting.parent.name}/meetings/{meeting.stem}/"
        time.sleep(1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
            page = browser.new_page()
            page.goto(url)
            run = time.strftime("%H%M%S")  # words no earlier run left in the file

            def save_and_see(words: str) -> float:
                edited = meeting.read_text().replace("text: ", f"text: {words} ", 1)
                started = time.perf_counter()
                meeting.write_text(edited)
                page.get_by_text(words).first.wait_for(timeout=600_000)
                return round(time.perf_counter() - started, 3)

            for number in range(args.saves):
                built.clear()
                seconds.append(save_and_see(f"Browser edit {run}-{number}."))
                built.wait(3600)
                time.sleep(PAUSE)
            for number in range(args.mid_build):  # the next save comes while the last one's full build runs
                built.clear()
                save_and_see(f"Before {run}-{number}.")
                time.sleep(SETTLE + MID_BUILD)
                mid_build.append(save_and_see(f"Mid-build {run}-{number}."))
                built.wait(3600)
                time.sleep(PAUSE)
            browser.close()
    finally:
        server.terminate()
        server.wait(30)
    print(
        json.dumps(
            {
                "site": str(work),
                "edited": str(meeting.relative_to(work)),
                "save_to_browser_s": statistics.median(seconds),
                "save_to_browser_runs_s": seconds,
                "mid_build_save_to_browser_s": statistics.median(mid_build) if mid_build else None,
                "mid_build_save_to_browser_runs_s": mid_build,
                "messages": said[-6:],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
