"""Print the figures of one or more run.py results side by side, as a Markdown table.

python benchmarks/report.py results-1k.json results-10k.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROWS: list[tuple[str, str, str]] = [
    ("meetings", "meetings", "{:,}"),
    ("archive.minute_items", "minute items", "{:,}"),
    ("archive.words", "words of prose", "{:,}"),
    ("pages", "Minutebook pages", "{:,}"),
    ("cold_build_s", "cold build, no search (s)", "{:.1f}"),
    ("pagefind_s", "search index step (s)", "{:.1f}"),
    ("cold_build_with_search_s", "cold build + search (s)", "{:.1f}"),
    ("full_build_with_search_s", "full build with search, wall (s)", "{:.1f}"),
    ("pages_per_s", "pages per second (no search)", "{:.0f}"),
    ("noop_rebuild_s", "no-change rebuild (s)", "{:.1f}"),
    ("edit_rebuild_s", "one-meeting edit: page on disk (s)", "{:.1f}"),
    ("edit_rebuild_process_s", "one-meeting edit: rebuild done (s)", "{:.1f}"),
    ("rename_person_rebuild_s", "councillor renamed: rebuild done (s)", "{:.1f}"),
    ("incremental", "rebuilds used the build cache", "{}"),
    ("peak_rss_mb", "peak RSS, Minutebook processes (MB)", "{:,.0f}"),
    ("pagefind_peak_rss_mb", "peak RSS, Pagefind in Minutebook's build (MB)", "{:,.0f}"),
    ("output_mb", "output (MB)", "{:,.1f}"),
    ("search_index_mb", "search index (MB)", "{:,.1f}"),
    ("search_kb", "one search downloads (KB, median)", "{:,.0f}"),
    ("search_ms", "one search shows results (ms, median)", "{:,.0f}"),
    ("hugo_pages", "Hugo pages", "{:,}"),
    ("hugo_build_s", "Hugo build (s)", "{:.1f}"),
    ("hugo_pagefind_s", "Pagefind on Hugo's output (s)", "{:.1f}"),
    ("hugo_peak_rss_mb", "peak RSS, Hugo (MB)", "{:,.0f}"),
    ("hugo_pagefind_peak_rss_mb", "peak RSS, Pagefind on Hugo's output (MB)", "{:,.0f}"),
    ("hugo_search_index_mb", "Hugo's search index (MB)", "{:,.1f}"),
    ("ratio_vs_hugo", "ratio vs Hugo + Pagefind (cold + search)", "{:.2f}"),
    ("mkdocs_pages", "MkDocs pages", "{:,}"),
    ("mkdocs_build_s", "MkDocs + Material build (s)", "{:.1f}"),
    ("speedup_vs_mkdocs", "speed-up vs MkDocs + Material", "{:.2f}"),
    ("machine.load_average_at_start", "load average at start (1, 5, 15 min)", "{}"),
    ("machine.load_average_at_end", "load average at end", "{}"),
]


def _get(report: dict[str, Any], key: str) -> Any:
    value: Any = report
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def table(reports: list[dict[str, Any]]) -> str:
    head = "| figure | " + " | ".join(f"{r['meetings']:,} meetings" for r in reports) + " |"
    lines = [head, "|---|" + "---:|" * len(reports)]
    for key, label, style in ROWS:
        cells = []
        for report in reports:
            value = _get(report, key)
            cells.append("—" if value is None else style.format(value))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    reports = [json.loads(Path(name).read_text(encoding="utf-8")) for name in argv]
    print(table(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
