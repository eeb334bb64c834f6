"""One Minutebook build in its own process, for run.py: prints one JSON line with its figures.

    python benchmarks/_minutebook_build.py --site DIR --out DIR --today 2026-11-29
        [--no-search] [--cache DIR] [--jobs N] [--profile FILE]

It calls minutebook.build.build(BuildOptions(...)), the function `minutebook build` runs,
so the process is what a clerk's build is, and run.py can watch its memory and its workers.
A cache directory is passed only when the engine's BuildOptions has a `cache` field.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--today", type=date.fromisoformat, required=True)
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--profile", type=Path, help="write cProfile statistics of the build here")
    args = parser.parse_args()

    from minutebook.build import BuildOptions, build

    imported = time.perf_counter()
    fields = {f.name: f for f in dataclasses.fields(BuildOptions)}
    options: dict[str, Any] = {
        "root": args.site,
        "out": args.out,
        "today": args.today,
        "search": not args.no_search,
    }
    if args.jobs:
        options["jobs"] = args.jobs
    if args.cache is not None and "cache" in fields:
        options["cache"] = True if "bool" in str(fields["cache"].type) else args.cache
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        result = profiler.runcall(build, BuildOptions(**options))
        profiler.dump_stats(str(args.profile))
    else:
        result = build(BuildOptions(**options))
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "pages": result.pages,
                "seconds": result.seconds,
                "figures": result.figures,
                "warnings": len(result.warnings),
                "import_s": round(imported - STARTED, 3),
                "build_s": round(done - imported, 3),
                "cache_supported": "cache" in fields,
                "cache_used": "cache" in options,
            }
        )
    )
    # As the minutebook command does (cli.run): leave the build's objects to the operating system
    # rather than to the interpreter's last collections.
    gc.freeze()
    return 0


if __name__ == "__main__":
    sys.exit(main())
