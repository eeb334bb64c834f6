"""Where a cold Minutebook build spends its time: one build under cProfile, top functions.

    python benchmarks/profile_build.py --meetings 1000 [--top 15] [--search] [--site DIR]

Generates the archive (unless --site names one), runs one cold build in a single process
(--jobs 1, so rendering happens where the profiler sees it; without search unless --search)
and prints the top functions by cumulative time as a Markdown table, plus the stage laps.
"""

from __future__ import annotations

import argparse
import json
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


def _where(key: tuple[str, int, str]) -> str:
    file, line, name = key
    if file == "~":
        return name
    parts = Path(file).parts
    short = "/".join(parts[parts.index("site-packages") + 1 :]) if "site-packages" in parts else None
    if short is None:
        short = "/".join(parts[parts.index("minutebook") :]) if "minutebook" in parts else Path(file).name
    return f"{name} ({short}:{line})"


def table(stats_file: Path, top: int, by: str = "cumulative") -> str:
    stats = pstats.Stats(str(stats_file))
    total = stats.total_tt  # type: ignore[attr-defined]
    column = 3 if by == "cumulative" else 2
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][column], reverse=True)  # type: ignore[attr-defined]
    lines = [
        "| # | function | calls | own s | cumulative s | % of build |",
        "|---|---|---:|---:|---:|---:|",
    ]
    shown = 0
    for key, (_cc, calls, own, cumulative, _callers) in rows:
        name = _where(key)
        if name.startswith("<") or "_minutebook_build" in name or "runcall" in name:
            continue  # the profiler's own frames
        shown += 1
        share = 100 * cumulative / total
        lines.append(f"| {shown} | `{name}` | {calls:,} | {own:.2f} | {cumulative:.2f} | {share:.0f} % |")
        if shown == top:
            break
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--site", type=Path, help="an existing Minutebook site to build instead")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--search", action="store_true", help="include the search index")
    parser.add_argument("--stats", type=Path, help="keep the cProfile statistics here")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="minutebook-profile-") as temp:
        work = Path(temp)
        site = args.site
        if site is None:
            generate.generate(work / "archive", args.meetings, args.seed, ("minutebook",))
            site = work / "archive" / "minutebook"
        stats = args.stats or work / "build.prof"
        command = [args.python, str(HERE / "_minutebook_build.py"), "--site", str(site)]
        command += ["--out", str(work / "out"), "--today", generate.TODAY.isoformat(), "--jobs", "1"]
        command += ["--profile", str(stats)] + ([] if args.search else ["--no-search"])
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"Cold build of {result['pages']} pages, one process, under cProfile: {result['build_s']} s")
        print("Stages: " + ", ".join(f"{k} {v} s" for k, v in result["seconds"].items()) + "\n")
        print("Top functions by cumulative time:\n")
        print(table(stats, args.top))
        print("\nTop functions by own time:\n")
        print(table(stats, args.top, by="own"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
