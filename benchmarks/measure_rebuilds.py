"""Rebuild figures of a generated archive with the current engine: cold, no-change, one edit, preview.

    .venv/bin/python benchmarks/generate.py --meetings 1000 --out /tmp/g1k --formats minutebook
    .venv/bin/python benchmarks/measure_rebuilds.py /tmp/g1k/minutebook /tmp/m1k

Prints one JSON object. The edited meeting has draft minutes, so the published-record guard lets
the edit through without a correction entry.
"""

import json
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from minutebook.build import BuildOptions, build
from minutebook.load import ParseCache

REPO = Path(__file__).resolve().parent.parent


src = Path(sys.argv[1])
work = Path(sys.argv[2])
shutil.rmtree(work, ignore_errors=True)
shutil.copytree(src, work)
MB = str(REPO / ".venv" / "bin" / "minutebook")


def cli(*args):
    t = time.perf_counter()
    r = subprocess.run(
        [MB, "build", "--site", str(work), "--today", "2026-11-29", *args], capture_output=True, text=True
    )
    return round(time.perf_counter() - t, 2), r.stdout.strip()[-400:]


out = {}
out["cold_build_with_search_s"], out["cold_summary"] = cli("--no-cache")
out["cold_build_cached_with_search_s"], _ = cli()  # fills the cache
out["noop_rebuild_s"], out["noop_summary"] = cli()
f = (
    work / "content/meetings/employment-committee/2026-03-09.yaml"
)  # draft minutes: editable without a correction
f.write_text(f.read_text().replace("text: ", "text: Edited. ", 1))
out["edit_rebuild_cli_s"], out["edit_summary"] = cli()
# the preview: parsed files kept in memory, changed pages first, written into the served folder
opts = BuildOptions(
    root=work, today=date(2026, 11, 29), cache=work / ".minutebook-cache", parse_cache=ParseCache()
)
build(replace(opts, steps=[], in_place=True))
f.write_text(f.read_text().replace("Edited. ", "Edited twice. ", 1))
t = time.perf_counter()
r = build(replace(opts, steps=[], in_place=True))
out["preview_edit_pages_s"] = round(time.perf_counter() - t, 2)
out["preview_laps"] = r.seconds
out["preview_pages_rendered"] = r.figures.get("pages rendered")
out["children_maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
print(json.dumps(out, indent=1))
