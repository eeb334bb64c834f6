"""Rebuild figures of a generated archive with the current engine: cold, no-change, one edit, preview.

    .venv/bin/python benchmarks/generate.py --meetings 1000 --out /tmp/g1k --formats minutebook
    .venv/bin/python benchmarks/measure_rebuilds.py /tmp/g1k/minutebook /tmp/m1k
    .venv/bin/python benchmarks/measure_rebuilds.py /tmp/g10k/minutebook /tmp/m10k --preview-only

Prints one JSON object. The edited meeting is the first with draft minutes, so the
published-record guard lets the edit through without a correction entry. The preview figure
is what `minutebook serve` does on a save: parsed files kept in memory, only the changed
pages rendered and written into the served folder (median of `--edits` saves).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from minutebook.build import BuildOptions, build
from minutebook.load import ParseCache

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


def preview_edits(work: Path, meeting: Path, edits: int) -> dict[str, Any]:
    options = BuildOptions(root=work, today=TODAY, cache=work / ".minutebook-cache", parse_cache=ParseCache())
    quick = replace(options, steps=[], in_place=True)
    build(quick)  # the server's first pass: files parsed and kept
    seconds, laps = [], []
    for number in range(edits):
        meeting.write_text(meeting.read_text().replace("text: ", f"text: Preview edit {number}. ", 1))
        started = time.perf_counter()
        result = build(quick)
        seconds.append(round(time.perf_counter() - started, 3))
        laps.append(result.seconds)
    return {
        "preview_edit_pages_s": statistics.median(seconds),
        "preview_edit_runs_s": seconds,
        "preview_laps": laps[len(laps) // 2],
        "preview_pages_rendered": result.figures.get("pages rendered"),
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
    out.update(preview_edits(args.work, meeting, args.edits))
    out["children_maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
