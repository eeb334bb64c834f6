"""Stage 5 — write: render every page into a staging folder, then swap it into place.

Nothing is written where the site is published until every page has rendered and
every post-build step has run; the swap itself is one atomic rename where the
system allows it, so a reader never sees half a site.

The preview's quick pass is the one exception: it replaces only the changed pages in the
folder being served, each file in one rename, and the staged build that follows publishes
the whole site as usual.
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

_RenderRange = Callable[[Renderer, list[PageSpec], Path, Iterable[int]], None]

#: Below this many pages, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400

#: How pages are written (new files or replacements) and from what, set only in the parent just
#: before forking workers, so they inherit the renderer without pickling the whole record graph;
#: cleared straight after.
_FORKED: tuple[_RenderRange, Renderer, list[PageSpec], Path] | None = None


def staging_dir(out: Path) -> Path:
    for kind in ("old", "staging"):  # left by an interrupted earlier build, unless still in use
        for leftover in out.parent.glob(f".{out.name}.{kind}-*"):
            if not _in_use(leftover, out, kind):
                shutil.rmtree(leftover, ignore_errors=True)
    staging = staging_path(out, os.getpid())
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def staging_path(out: Path, pid: int) -> Path:
    """Where the build process `pid` stages the site that replaces `out`."""
    return out.parent / f".{out.name}.staging-{pid}"


def _in_use(folder: Path, out: Path, kind: str) -> bool:
    """True if the process named in a staging or retired folder's name is running.

    It is then building in it, or deleting it: this process (the preview deletes retired folders
    aside), the preview's build process (it deletes the site it replaced after reporting), or
    another build of the same site.
    """
    pid = folder.name.removeprefix(f".{out.name}.{kind}-").split("-")[0]
    if not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return kind == "old"  # our own staging folder is a leftover of our own last build
    if sys.platform == "win32":  # os.kill would end the process there
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process, with our old pid: not ours to wait for
        return False
    return True


def reuse_pages(
    specs: list[PageSpec],
    indexes: list[int],
    previous: Path,
    staging: Path,
    go_on: Callable[[], None] = lambda: None,
) -> None:
    """Carry unchanged pages over from the last build: hard links where the file system allows.

    `go_on` is called for each page and may stop the build (it raises).
    """
    made: set[Path] = set()
    for index in indexes:
        go_on()
        path = specs[index].path
        target = staging / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        carry_over(previous / path, target)


def carry_over(source: Path, target: Path) -> None:
    """A file of the last build into the new one: a hard link where the file system allows."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def render_pages(
    renderer: Renderer,
    specs: list[PageSpec],
    folder: Path,
    jobs: int,
    todo: list[int],
    *,
    in_place: bool = False,
) -> None:
    """Render the pages at the given indexes of `specs` into `folder`, in worker processes when many.

    `in_place` replaces each page's old file in one rename, for a folder that is being served.
    """
    render = _replace_range if in_place else _render_range
    if jobs <= 1 or len(todo) < PARALLEL_THRESHOLD or sys.platform == "win32":
        render(renderer, specs, folder, todo)
        return
    global _FORKED
    _FORKED = (render, renderer, specs, folder)
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
    render, renderer, specs, folder = _FORKED
    try:
        render(renderer, specs, folder, chunk)
    except BuildFailed as failed:
        return failed.problems
    return []


def _render_range(renderer: Renderer, specs: list[PageSpec], staging: Path, indexes: Iterable[int]) -> None:
    _render_each(renderer, specs, staging, indexes, _write_new)


def _replace_range(renderer: Renderer, specs: list[PageSpec], served: Path, indexes: Iterable[int]) -> None:
    _render_each(renderer, specs, served, indexes, replace_file)


def _write_new(target: Path, html: str) -> None:
    target.write_text(html, encoding="utf-8")


def _render_each(
    renderer: Renderer,
    specs: list[PageSpec],
    folder: Path,
    indexes: Iterable[int],
    save: Callable[[Path, str], None],
) -> None:
    made: set[Path] = set()
    for index in indexes:
        spec = specs[index]
        try:
            html = renderer.render(spec)
        except jinja2.TemplateError as exc:
            raise BuildFailed([_template_problem(exc, spec)]) from exc
        target = folder / spec.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        save(target, html)


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


def static_files() -> dict[str, bytes]:
    """The default theme's stylesheet, scripts and icon, by their path in the site."""
    files: dict[str, bytes] = {}
    _collect(resources.files("minutebook") / "static", "", files)
    return files


def _collect(node: resources.abc.Traversable, prefix: str, files: dict[str, bytes]) -> None:
    for child in node.iterdir():
        if child.is_dir():
            _collect(child, f"{prefix}{child.name}/", files)
        else:
            files[f"{prefix}{child.name}"] = child.read_bytes()


def write_files(staging: Path, files: dict[str, bytes]) -> None:
    for rel, data in sorted(files.items()):
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def update_files(folder: Path, files: dict[str, bytes]) -> None:
    """Replace, one rename each, the files whose bytes differ from what `folder` holds."""
    for rel, data in sorted(files.items()):
        target = folder / rel
        if not _holds(target, data):
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_file(target, data)


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def replace_file(target: Path, data: str | bytes) -> None:
    """Write beside the target, then rename over it: a reader gets the old file or the new, never half.

    The temporary file is not made by mkstemp, whose files only their owner may read: later
    builds hard-link pages into the published site, which the web server must be able to read.
    """
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if isinstance(data, str):
            temporary.write_text(data, encoding="utf-8")
        else:
            temporary.write_bytes(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def publish(staging: Path, out: Path, remove_old: Callable[[Path], None] | None = None) -> None:
    """Swap the finished staging folder into place; the old site is removed only afterwards.

    `remove_old` may take the retired folder away later (the preview server does it in the
    background: deleting tens of thousands of files is slower than building the few that changed).
    """
    if not out.exists():
        staging.rename(out)
        return
    retired = _retired(out, staging)
    if _exchange(staging, out):
        staging.rename(retired)
    else:
        out.rename(retired)
        staging.rename(out)
    (remove_old or shutil.rmtree)(retired)


def discard(staging: Path, out: Path, remove: Callable[[Path], None] | None = None) -> None:
    """Throw away an unfinished staging folder; `remove` may do it later, as for `publish`."""
    if remove is None or not staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
        return
    retired = _retired(out, staging)
    staging.rename(retired)
    remove(retired)


def _retired(out: Path, folder: Path) -> Path:
    """A name for a folder on its way out, beside `out`; staging_dir clears those an earlier run left."""
    return out.parent / f".{out.name}.old-{os.getpid()}-{folder.stat().st_ino}"


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
