"""Pagefind's command line over a folder of search documents written for it.

Pagefind's service mode (pagefind_service) takes documents over a pipe, so nothing touches the
disk, but spends ~30 % more CPU on the same documents than its command line does: at 10,000
meetings, 112 s of CPU against 87 s for the whole index (benchmarks/RESULTS.md). So each document is
written as a small HTML file for the command line to read. Pagefind would make a page's address
from its file's path, which would cost a folder per document (`bodies/x/meetings/…/index.html`:
slow to make and remove on many disks), so the files are numbered in one folder instead and each
document carries its address as metadata (`data-pagefind-meta="url"`, see index.as_html), which
the search page links to.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from minutebook import pagefind_service
from minutebook.pagefind_service import PagefindError


class SearchPage(NamedTuple):
    """One search document: its address on the site and the HTML Pagefind reads (which names the
    address again, as metadata)."""

    url: str
    html: str


def build_index(
    pages: Iterable[SearchPage],
    output: Path,
    source: Path,
    started: Callable[[subprocess.Popen[bytes]], None] = lambda _: None,
) -> int:
    """Index `pages` into a bundle at `output`; returns how many pages were given.

    The pages are written under `source` (which must not exist yet) and it is removed afterwards.
    `started` receives the Pagefind process, so a caller running this in a thread can stop it.
    """
    try:
        count = _write_pages(pages, source)
        if count == 0:
            # The command line refuses to write an index of nothing; the service writes an empty one,
            # so a site with nothing to search yet still has a search page that answers.
            return pagefind_service.build_index([], output, started=started)
        _run(source, output, started)
    finally:
        shutil.rmtree(source, ignore_errors=True)
    if not (output / "pagefind-entry.json").is_file():
        raise PagefindError("Pagefind stopped before it finished writing the search index")
    return count


def _write_pages(pages: Iterable[SearchPage], source: Path) -> int:
    source.mkdir(parents=True)
    count = 0
    for count, page in enumerate(pages, start=1):
        (source / f"{count:06d}.html").write_text(page.html, encoding="utf-8")
    return count


def _run(source: Path, output: Path, started: Callable[[subprocess.Popen[bytes]], None]) -> None:
    executable = str(pagefind_service.executable())
    process = subprocess.Popen(
        [executable, "--site", str(source.resolve()), "--output-path", str(output.resolve())],
        # Pagefind also reads pagefind.yml (and the like) from where it runs and PAGEFIND_* settings
        # from the environment: run it where there are none, so every build indexes the same way.
        cwd=source,
        env={k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    started(process)
    said, _ = process.communicate()
    if process.returncode != 0:
        last = said.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise PagefindError(f"Pagefind failed (exit status {process.returncode}): {' '.join(last)}")
