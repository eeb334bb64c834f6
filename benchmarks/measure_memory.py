"""What a cold build's processes cost in memory: summed RSS, largest process, and PSS.

    python benchmarks/measure_memory.py SITE WORK [--no-search] [--src DIR] [--out FILE.json]
        [--interval 0.5]

Summed RSS (what run.py reports, polled every 20 ms) counts a page shared by the build and
its forked workers once per process. PSS (proportional set size, from /proc/PID/smaps_rollup)
divides each shared page among the processes that share it, so summed PSS is what the processes
take from the machine. Reading smaps_rollup costs ~25 ms per 1.5 GB process, so it is sampled
here, in an untimed build of its own, every --interval seconds, never during run.py's timed
builds. Peaks are split by owner: Minutebook's processes and Pagefind's. Linux only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import TODAY, _tree  # noqa: E402


def _memory(pid: int) -> tuple[str, dict[str, int]] | None:
    """The process's name and its Rss and Pss in KiB, or None once it has ended."""
    try:
        with open(f"/proc/{pid}/comm") as handle:
            name = handle.read().strip()
        figures = {}
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                key, _, rest = line.partition(":")
                if key in ("Rss", "Pss"):
                    figures[key] = int(rest.split()[0])
        return name, figures
    except (OSError, ValueError, IndexError):
        return None


def watch(command: list[str], env: dict[str, str], interval: float) -> dict[str, Any]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks: dict[str, float] = {}
    samples = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal samples
        while not stop.is_set():
            sums: dict[str, float] = {}
            for pid in _tree(process.pid):
                found = _memory(pid)
                if found is None:
                    continue
                name, figures = found
                owner = "pagefind" if name.startswith("pagefind") else "minutebook"
                for key, kib in figures.items():
                    sums[f"{owner}_{key.lower()}_mb"] = sums.get(f"{owner}_{key.lower()}_mb", 0) + kib / 1024
                    largest = f"{owner}_largest_process_{key.lower()}_mb"
                    sums[largest] = max(sums.get(largest, 0), kib / 1024)
            for key, value in sums.items():
                peaks[key] = max(peaks.get(key, 0), value)
            samples += 1
            stop.wait(interval)

    started = time.perf_counter()
    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    stdout, stderr = process.communicate()
    stop.set()
    poller.join()
    if process.returncode != 0:
        raise SystemExit(f"the build failed:\n{stdout}\n{stderr}")
    return {
        "wall_s": round(time.perf_counter() - started, 1),
        "samples": samples,
        **{key: round(value) for key, value in sorted(peaks.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("site", type=Path, help="the archive's Minutebook site (holding site_config.yaml)")
    parser.add_argument("work", type=Path, help="a folder for the built site (emptied first)")
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--src", type=Path, help="the engine's source folder to measure (a frozen worktree)")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()

    out = args.work / "site"
    subprocess.run(["rm", "-rf", str(args.work)], check=True)
    args.work.mkdir(parents=True)
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = str(args.src.resolve())
    command = [sys.executable, str(HERE / "_minutebook_build.py"), "--site", str(args.site)]
    command += ["--out", str(out), "--today", TODAY] + (["--no-search"] if args.no_search else [])
    figures = {"search": not args.no_search, "interval_s": args.interval}
    figures.update(watch(command, env, args.interval))
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
