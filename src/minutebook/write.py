"""Stage 5 — write: render every page into a staging folder, then swap it into place.

Nothing is written where the site is published until every page has rendered and
every post-build step has run; the swap itself is one atomic rename where the
system allows it, so a reader never sees half a site.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

import jinja2

from minutebook.problems import BuildFailed, Problem
from minutebook.render import PageSpec, Renderer

#: Below this many pages, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400

#: Set only in the parent just before forking workers, so they inherit the renderer
#: without pickling the whole record graph; cleared straight after.
_FORKED: tuple[Renderer, list[PageSpec], Path] | None = None


def staging_dir(out: Path) -> Path:
    for leftover in out.parent.glob(f".{out.name}.old-*"):  # from an interrupted earlier build
        shutil.rmtree(leftover, ignore_errors=True)
    staging = out.parent / f".{out.name}.staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def reuse_pages(specs: list[PageSpec], indexes: list[int], previous: Path, staging: Path) -> None:
    """Carry unchanged pages over from the last build: hard links where the file system allows."""
    made: set[Path] = set()
    for index in indexes:
        path = specs[index].path
        target = staging / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(previous / path, target)
        except OSError:
            shutil.copyfile(previous / path, target)


def carry_over(previous: Path, staging: Path) -> None:
    """Link into staging every file of the previous output that staging does not have yet."""
    if not previous.is_dir():
        return
    for path in previous.rglob("*"):
        target = staging / path.relative_to(previous)
        if path.is_dir() or target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)


def render_pages(
    renderer: Renderer, specs: list[PageSpec], staging: Path, jobs: int, todo: list[int]
) -> None:
    """Render the pages at the given indexes of `specs` into staging, in worker processes when many."""
    if jobs <= 1 or len(todo) < PARALLEL_THRESHOLD or sys.platform == "win32":
        _render_range(renderer, specs, staging, todo)
        return
    global _FORKED
    _FORKED = (renderer, specs, staging)
    try:
        step = max(1, len(todo) // (jobs * 8))
        chunks = [todo[start : start + step] for start in range(0, len(todo), step)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            failures = [f for f in pool.map(_render_forked, chunks) if f]
    finally:
        _FORKED = None
    if failures:
        raise BuildFailed(failures[0])


def _render_forked(chunk: list[int]) -> list[Problem]:
    assert _FORKED is not None
    renderer, specs, staging = _FORKED
    try:
        _render_range(renderer, specs, staging, chunk)
    except BuildFailed as failed:
        return failed.problems
    return []


def _render_range(renderer: Renderer, specs: list[PageSpec], staging: Path, indexes: Iterable[int]) -> None:
    made: set[Path] = set()
    for index in indexes:
        spec = specs[index]
        try:
            html = renderer.render(spec)
        except jinja2.TemplateError as exc:
            raise BuildFailed([_template_problem(exc, spec)]) from exc
        target = staging / spec.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(html, encoding="utf-8")


def _template_problem(exc: jinja2.TemplateError, spec: PageSpec) -> Problem:
    """Point at the template line, found in the traceback Jinja2 rewrites to template frames."""
    name, line = getattr(exc, "filename", None) or getattr(exc, "name", None), getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith((".html", ".xml", ".txt")):
            name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return Problem(
        str(name or spec.template),
        f"template error while writing {spec.path}: {exc}",
        "fix the template (a site's own templates/ override the defaults)",
        line=line or 1,
        col=1,
    )


def copy_static(staging: Path) -> None:
    """The default theme's stylesheet and icon."""
    root = resources.files("minutebook") / "static"
    _copy_tree(root, staging)


def _copy_tree(node: resources.abc.Traversable, target: Path) -> None:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.is_dir():
            (target / child.name).mkdir(exist_ok=True)
            _copy_tree(child, target / child.name)
        else:
            (target / child.name).write_bytes(child.read_bytes())


def write_files(staging: Path, files: dict[str, bytes]) -> None:
    for rel, data in sorted(files.items()):
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def publish(staging: Path, out: Path, remove_old: Callable[[Path], None] | None = None) -> None:
    """Swap the finished staging folder into place; the old site is removed only afterwards.

    `remove_old` may take the retired folder away later (the preview server does it in the
    background: deleting tens of thousands of files is slower than building the few that changed).
    """
    if not out.exists():
        staging.rename(out)
        return
    retired = out.parent / f".{out.name}.old-{os.getpid()}-{staging.stat().st_ino}"
    if _exchange(staging, out):
        staging.rename(retired)
    else:
        out.rename(retired)
        staging.rename(out)
    (remove_old or shutil.rmtree)(retired)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux renameat2(RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(result == 0)


def write_site_files(root: Path, files: dict[str, bytes]) -> None:
    """Files for the site's own folder, such as published-manifest.json: only after publishing."""
    for rel, data in sorted(files.items()):
        target = root / rel
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
