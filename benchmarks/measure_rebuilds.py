"""Rebuild figures of a generated archive with the current engine: cold, no-change, one edit, preview.

    .venv/bin/python benchmarks/generate.py --meetings 1000 --out /tmp/g1k --formats minutebook
    .venv/bin/python benchmarks/measure_rebuilds.py /tmp/g1k/minutebook /tmp/m1k
    .venv/bin/python benchmarks/measure_rebuilds.py /tmp/g10k/minutebook /tmp/m10k --preview-only

Prints one JSON object. The edited meeting is the first with draft minutes, so the
published-record guard lets the edit through without a correction entry. The preview figures
are what `minutebook serve` does on a save, through its own watcher and builder threads: the
seconds from writing the file until the served page shows the new words (median of `--edits`
saves each) for a prose edit, for a new agenda-item title and a new venue (words only, like
prose), for the officers recorded as cabinet members (until the page changes), for a new
minute reference in a text (which links anew: the quick pass), and for a prose edit made 3 s
after the previous save, while that save's full build runs.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import shutil
import statistics
import subprocess
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from minutebook import serve
from minutebook.build import BuildOptions
from minutebook.preview import Rebuilder, remove_in_background, watch_and_build
from minutebook.serve import Preview

REPO = Path(__file__).resolve().parent.parent
MINUTEBOOK = str(REPO / ".venv" / "bin" / "minutebook")
TODAY = date(2026, 11, 29)


def cli(work: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [MINUTEBOOK, "build", "--site", str(work), "--today", TODAY.isoformat(), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return round(time.perf_counter() - started, 2), done.stdout.strip()[-400:]


def draft_meeting(work: Path) -> Path:
    for path in sorted((work / "content" / "meetings").rglob("*.yaml")):
        text = path.read_text()
        if "status: draft" in text and "text: " in text:
            return path
    raise SystemExit("no meeting with draft minutes to edit")


class PreviewRun:
    """`minutebook serve` without the HTTP server: its watcher and builder threads on the archive."""

    def __init__(self, work: Path, search: bool) -> None:
        options = BuildOptions(
            root=work,
            today=TODAY,
            search=search,
            cache=work / ".minutebook-cache",
            remove_old=remove_in_background,  # as `minutebook serve` does
        )
        self.built = threading.Event()
        self.said: list[str] = []
        self.rebuilder = Rebuilder(options, Preview(), report=lambda problems: None, say=self._say)
        started = time.perf_counter()
        self.rebuilder.first_build()
        self.first_build_s = round(time.perf_counter() - started, 2)
        self.stop = threading.Event()
        changes = functools.partial(serve.changes, work)
        self.thread = threading.Thread(
            target=watch_and_build, args=(self.rebuilder, changes, self.stop), daemon=True
        )
        self.thread.start()
        time.sleep(1)  # the watch is in place

    def _say(self, line: str) -> None:
        self.said.append(line)
        if line.startswith("Built in"):
            self.built.set()

    def save_and_wait(self, meeting: Path, old: str, words: str, page: Path) -> float:
        """Seconds from the save (`old` → `old` + `words`) until the served page shows the words."""
        self.built.clear()
        meeting.write_text(meeting.read_text().replace(old, f"{old}{words} ", 1))
        started = time.perf_counter()
        while words not in page.read_text(encoding="utf-8"):
            time.sleep(0.002)
        return round(time.perf_counter() - started, 3)

    def save_and_wait_for_change(self, meeting: Path, old: str, new: str, page: Path) -> float:
        """Seconds from the save (`old` → `new`) until the served page is not what it was."""
        self.built.clear()
        before = page.read_bytes()
        meeting.write_text(meeting.read_text().replace(old, new, 1))
        started = time.perf_counter()
        while page.read_bytes() == before:
            if time.perf_counter() - started > 600:
                raise SystemExit(f"{page} did not change in 10 minutes: {self.said[-3:]}")
            time.sleep(0.002)
        return round(time.perf_counter() - started, 3)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)


def preview_edits(work: Path, meeting: Path, edits: int, search: bool) -> dict[str, Any]:
    """Saves through the preview's own watcher: prose, title, venue, attendance, reference, mid-build."""
    run = PreviewRun(work, search)
    slug = meeting.stem
    page = work / "_site" / "bodies" / meeting.parent.name / "meetings" / slug / "index.html"
    prose, titles, venues, attendance, references, busy = [], [], [], [], [], []
    for number in range(edits):
        prose.append(run.save_and_wait(meeting, "text: ", f"Preview edit {number}.", page))
        assert run.built.wait(3600)
    for number in range(edits):
        titles.append(run.save_and_wait(meeting, "title: ", f"Retitled {number}", page))
        assert run.built.wait(3600)
    for number in range(edits):
        venues.append(run.save_and_wait(meeting, "venue: ", f"Moved {number}", page))
        assert run.built.wait(3600)
    for number in range(edits):  # the officers recorded as cabinet members, then as officers again
        roles = ("\n  officers: [", "\n  cabinet_members: [")
        old, new = roles if number % 2 == 0 else roles[::-1]
        attendance.append(run.save_and_wait_for_change(meeting, old, new, page))
        assert run.built.wait(3600)
    for number in range(edits):  # a minute of 1999, outside the archive: a warning, and a new link to make
        references.append(run.save_and_wait(meeting, "text: ", f"Noted under minute {number + 1}/99.", page))
        assert run.built.wait(3600)
    for number in range(edits):  # the next save comes while the full build of the last one runs
        run.save_and_wait(meeting, "text: ", f"Busy edit {number}.", page)
        time.sleep(3)
        busy.append(run.save_and_wait(meeting, "text: ", f"Mid-build edit {number}.", page))
        assert run.built.wait(3600)
    run.close()
    last = run.rebuilder.kept
    return {
        "preview_first_build_s": run.first_build_s,
        "preview_prose_edit_s": statistics.median(prose),
        "preview_prose_edit_runs_s": prose,
        "preview_prose_edit_pages": len(last.dependents.get(str(meeting.relative_to(work)), []))
        if last
        else None,
        "preview_title_edit_s": statistics.median(titles),
        "preview_title_edit_runs_s": titles,
        "preview_venue_edit_s": statistics.median(venues),
        "preview_venue_edit_runs_s": venues,
        "preview_attendance_edit_s": statistics.median(attendance),
        "preview_attendance_edit_runs_s": attendance,
        "preview_structural_edit_s": statistics.median(references),
        "preview_structural_edit_runs_s": references,
        "preview_edit_during_build_s": statistics.median(busy),
        "preview_edit_during_build_runs_s": busy,
        "preview_full_build_search": search,
        "preview_messages": run.said[-8:],
        "preview_process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("src", type=Path, help="a generated archive (its minutebook/ folder)")
    parser.add_argument("work", type=Path, help="a scratch folder (replaced)")
    parser.add_argument(
        "--preview-only", action="store_true", help="one build without search, then the preview"
    )
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument(
        "--preview-search",
        action="store_true",
        help="the preview's full builds index search too (slow at 10,000)",
    )
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    shutil.copytree(args.src, args.work)
    meeting = draft_meeting(args.work)
    out: dict[str, Any] = {"edited": str(meeting.relative_to(args.work))}
    if args.preview_only:
        out["first_build_without_search_s"], _ = cli(args.work, "--no-search")
    else:
        out["cold_build_with_search_s"], out["cold_summary"] = cli(args.work, "--no-cache")
        out["cold_build_cached_with_search_s"], _ = cli(args.work)  # fills the cache
        out["noop_rebuild_s"], out["noop_summary"] = cli(args.work)
        meeting.write_text(meeting.read_text().replace("text: ", "text: Edited. ", 1))
        out["edit_rebuild_cli_s"], out["edit_summary"] = cli(args.work)
    # The largest child so far; if the figure after the preview is higher, it is a build process's.
    out["children_maxrss_before_preview_mb"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    )
    out.update(preview_edits(args.work, meeting, args.edits, args.preview_search))
    out["children_maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
