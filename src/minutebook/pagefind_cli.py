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
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple

from minutebook import pagefind_service
from minutebook.pagefind_service import PagefindError


class SearchPage(NamedTuple):
    """One search document: its address on the site and the HTML Pagefind reads (which names the
    address again, as metadata)."""

    url: str
    html: str


@dataclass(frozen=True)
class Documents:
    """Search documents written for Pagefind: the folder they are in, and how many."""

    source: Path
    count: int


def write_documents(pages: Iterable[SearchPage], source: Path) -> Documents:
    """Write `pages` as numbered files under `source`, which must not exist yet."""
    source.mkdir(parents=True)
    count = 0
    try:
        for count, page in enumerate(pages, start=1):
            (source / f"{count:06d}.html").write_text(page.html, encoding="utf-8")
    except BaseException:
        shutil.rmtree(source, ignore_errors=True)
        raise
    return Documents(source, count)


@dataclass
class Indexing:
    """Pagefind indexing written documents into a bundle; `wait` for it to finish."""

    documents: Documents
    output: Path
    process: subprocess.Popen[bytes] | None  # None: there was nothing to index, and it is written
    said: IO[bytes] | None = None

    def wait(self) -> int:
        """Wait until the bundle is written, remove the documents; how many there were."""
        try:
            if self.process is not None:
                self.process.wait()
                if self.process.returncode != 0:
                    raise PagefindError(
                        f"Pagefind failed (exit status {self.process.returncode}): {self._last_words()}"
                    )
        finally:
            shutil.rmtree(self.documents.source, ignore_errors=True)
            if self.said is not None:
                self.said.close()
        if not (self.output / "pagefind-entry.json").is_file():
            raise PagefindError("Pagefind stopped before it finished writing the search index")
        return self.documents.count

    def _last_words(self) -> str:
        assert self.said is not None
        self.said.seek(0)
        return " ".join(self.said.read().decode("utf-8", "replace").strip().splitlines()[-3:])


def start(
    documents: Documents, output: Path, started: Callable[[subprocess.Popen[bytes]], None] = lambda _: None
) -> Indexing:
    """Start Pagefind indexing `documents` into a bundle at `output`; the documents are removed once
    it is done (or fails to start). `started` receives the process, so a caller can stop it."""
    try:
        if documents.count == 0:
            # The command line refuses to write an index of nothing; the service writes an empty one,
            # so a site with nothing to search yet still has a search page that answers.
            pagefind_service.build_index([], output, started=started)
            return Indexing(documents, output, None)
        # What Pagefind says goes to a file, not a pipe: nobody reads a pipe while it runs, and a
        # full one would stop it.
        said = tempfile.TemporaryFile()  # noqa: SIM115 (closed by Indexing.wait)
        try:
            process = _start(documents.source, output, said)
        except BaseException:
            said.close()
            raise
    except BaseException:
        shutil.rmtree(documents.source, ignore_errors=True)
        raise
    started(process)
    return Indexing(documents, output, process, said)


def _start(source: Path, output: Path, said: IO[bytes]) -> subprocess.Popen[bytes]:
    executable = str(pagefind_service.executable())
    return subprocess.Popen(
        [executable, "--site", str(source.resolve()), "--output-path", str(output.resolve())],
        # Pagefind also reads pagefind.yml (and the like) from where it runs and PAGEFIND_* settings
        # from the environment: run it where there are none, so every build indexes the same way.
        cwd=source,
        env={k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")},
        stdin=subprocess.DEVNULL,
        stdout=said,
        stderr=subprocess.STDOUT,
    )
