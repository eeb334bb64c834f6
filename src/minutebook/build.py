"""The build, top to bottom: load → validate → link → render → write → index → publish."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from minutebook import incremental, write
from minutebook.graph import Site
from minutebook.link import link
from minutebook.load import Loaded, ParseCache, load
from minutebook.locate import locate_all
from minutebook.markdown_text import ConvertingAhead
from minutebook.outputs import PostBuildStep, StepContext, default_steps
from minutebook.outputs.manifest import RecordMode
from minutebook.priority import usable_cores
from minutebook.problems import BuildCancelled, BuildFailed, Problem, Problems, relative_to
from minutebook.prose_edit import LastBuild
from minutebook.render import PageSpec, Renderer, plan, published_attachments
from minutebook.today import reference_date
from minutebook.validate import validate


@dataclass
class BuildOptions:
    root: Path
    out: Path | None = None
    today: date | None = None
    jobs: int = field(default_factory=usable_cores)
    search: bool = True
    #: Where fingerprints of the last build are kept; None renders every page every time.
    cache: Path | None = None
    #: Post-build steps in the order they run; None for the built-in ones.
    steps: list[PostBuildStep] | None = None
    #: The preview's quick pass: write the changed pages into the existing output, each file in one
    #: rename, and run no post-build steps (`steps` must be []); the full build that follows
    #: publishes the whole site atomically as usual. Without an output yet, the build is staged.
    in_place: bool = False
    #: How the previous output is removed after the swap; None removes it at once.
    remove_old: Callable[[Path], None] | None = None
    #: Parsed files kept between builds in one process (the preview server); None parses every file.
    parse_cache: ParseCache | None = None
    #: Guard the published record (published-manifest.json); the `build` command updates it.
    record: RecordMode = RecordMode.off
    #: Keep what the preview needs to apply a words-only edit without building (needs `cache`).
    keep: bool = False
    #: Set by another thread to stop the build at its next step (the preview, on a newer save);
    #: the build then raises BuildCancelled and publishes nothing.
    cancel: threading.Event | None = None
    #: Called just before the finished site is swapped into place (the preview's build process
    #: takes its publishing lock there, so it is never stopped half-way through the swap).
    before_publish: Callable[[], None] | None = None
    #: Search documents per part of the index; None for minutebook.index.DOCUMENTS_PER_PART
    #: (tests make parts of a small archive).
    search_part_documents: int | None = None
    #: The preview's quick pass: the pages (by path) that showed the saved files, written as soon as
    #: the archive is linked, before every page is fingerprinted (the clerk's open page is among
    #: them), and what to call with how many were written (the preview reloads the open page).
    first_pages: frozenset[str] = frozenset()
    first_written: Callable[[int], None] | None = None


def _go_on(options: BuildOptions) -> None:
    """Raise BuildCancelled once `options.cancel` is set: long loops call it at every item."""
    if options.cancel is not None and options.cancel.is_set():
        raise BuildCancelled


@dataclass
class BuildResult:
    out: Path
    pages: int
    figures: dict[str, int]
    warnings: list[Problem]
    seconds: dict[str, float]
    #: None when nothing changed since the last build and nothing was done.
    site: Site | None
    #: With `keep`: the linked archive, pages and dependency records, for prose_edit.apply.
    kept: LastBuild | None = None


def build(options: BuildOptions, progress: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Build the site, or raise BuildFailed with every problem located; the old output stays."""
    with no_cycle_collection():
        return _build(options, progress)


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector for the build.

    A build makes millions of long-lived objects (the linked archive, every parsed file), which
    the collector would scan again and again: 40 % of the preview's time at 10,000 meetings.
    Reference counting still frees what a build drops; cycles wait for the next collection
    after it (the preview runs one after each full build). What the build made joins the oldest
    generation, so the first allocations after it do not set off a scan of every one of them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()  # everything tracked now belongs to the oldest generation
        if enabled:
            gc.enable()


def _build(options: BuildOptions, progress: Callable[[str], None]) -> BuildResult:
    if options.in_place and options.steps != []:
        raise ValueError("an in-place build writes pages only: give it steps=[]")
    root, clock = options.root.resolve(), _Stopwatch()
    out = (options.out or root / "_site").resolve()
    today = options.today or reference_date(root)
    state = incremental.input_state(root, _settings(options, out, today)) if options.cache else ""
    if options.cache and incremental.unchanged_since_last_build(options.cache, out, state):
        kept = None
        if options.parse_cache is not None and not options.parse_cache.entries:
            # The preview starting on an unchanged archive: read it once all the same, so the
            # first save re-reads one file rather than every file (and can be a words-only edit).
            kept = _kept_without_building(options, root, out, today)
        return BuildResult(out, 0, {"pages rendered": 0}, [], clock.laps, None, kept)
    markdown_cache = options.cache / "markdown.sqlite" if options.cache else None
    ahead = _TextsAhead(_worth_converting_ahead(options, markdown_cache))
    try:
        return _build_site(options, progress, root, out, today, state, clock, markdown_cache, ahead)
    finally:
        ahead.close()


def _build_site(
    options: BuildOptions,
    progress: Callable[[str], None],
    root: Path,
    out: Path,
    today: date,
    state: str,
    clock: _Stopwatch,
    markdown_cache: Path | None,
    ahead: _TextsAhead,
) -> BuildResult:
    go_on = functools.partial(_go_on, options)
    site, warnings = _load_and_link(root, today, options.parse_cache, options.jobs, go_on, ahead.start)
    reads = options.parse_cache.reads if options.parse_cache is not None else -1
    clock.lap("load, validate, link")
    go_on()
    specs = plan(site)
    try:
        _refuse_collisions(specs)
    except BuildFailed as failed:
        raise BuildFailed(_located(root, failed.problems)) from None
    renderer = Renderer(site, root / "templates", markdown_cache, _compiled_templates(options.cache))
    if options.in_place and options.first_pages and len(specs) >= FIRST_PAGES_FROM and out.is_dir():
        _write_first(options, renderer, specs, out)
        go_on()
    # Fingerprints serve only the next build: without a cache there is none to compare or keep.
    dependents: dict[str, list[int]] | None = {} if options.keep and options.cache else None
    fingerprints = _fingerprints(site, renderer, specs, root, dependents, go_on) if options.cache else {}
    previous = incremental.load_fingerprints(options.cache, out) if options.cache else {}
    go_on()
    pages = _split_by_last_build(specs, fingerprints, previous, out)
    progress(f"rendering {len(pages.todo)} of {len(specs)} pages")
    if options.in_place and out.is_dir():
        figures = _update_in_place(options, site, renderer, pages, previous, out, ahead.converting)
        clock.lap("render and write")
    else:
        figures = _publish_staged(options, site, renderer, pages, out, clock, progress, ahead.converting)
    kept = None
    if options.cache is not None:
        incremental.save_fingerprints(options.cache, out, {p: f for p, f in fingerprints.items() if f})
        incremental.save_input_state(options.cache, out, state)
        if dependents is not None:
            kept = _last_build(options, out, site, renderer, specs, dependents, fingerprints, reads)
    figures["pages rendered"] = len(pages.todo)
    return BuildResult(out, len(specs), figures, warnings, clock.laps, site, kept)


def _kept_without_building(options: BuildOptions, root: Path, out: Path, today: date) -> LastBuild | None:
    """Read and link the archive into the parse cache; with `keep`, what prose_edit needs too.

    That is kept only if the fingerprints come out as the last build saved them: then every
    page in `out` is what this archive renders.
    """
    assert options.cache is not None and options.parse_cache is not None
    site, _ = _load_and_link(root, today, options.parse_cache, options.jobs)
    if not options.keep:
        return None
    specs = plan(site)
    renderer = Renderer(site, root / "templates", None, _compiled_templates(options.cache))
    dependents: dict[str, list[int]] = {}
    fingerprints = _fingerprints(site, renderer, specs, root, dependents, lambda: None)
    kept = _last_build(
        options, out, site, renderer, specs, dependents, fingerprints, options.parse_cache.reads
    )
    return kept if kept.fingerprints == incremental.load_fingerprints(options.cache, out) else None


def _last_build(
    options: BuildOptions,
    out: Path,
    site: Site,
    renderer: Renderer,
    specs: list[PageSpec],
    dependents: dict[str, list[int]],
    fingerprints: dict[str, str | None],
    reads: int,
) -> LastBuild:
    assert options.cache is not None
    return LastBuild(
        root=options.root.resolve(),
        out=out,
        cache=options.cache,
        site=site,
        renderer=renderer,
        specs=specs,
        dependents=dependents,
        summaries=[i for i, spec in enumerate(specs) if fingerprints.get(spec.path) is None],
        fingerprints={p: f for p, f in fingerprints.items() if f},
        reads=reads,
        jobs=options.jobs,
    )


@dataclass
class _Pages:
    """Every page of the site, by index: those to render and those unchanged since the last build."""

    specs: list[PageSpec]
    todo: list[int]
    reused: list[int]


def _publish_staged(
    options: BuildOptions,
    site: Site,
    renderer: Renderer,
    pages: _Pages,
    out: Path,
    clock: _Stopwatch,
    progress: Callable[[str], None],
    ahead: ConvertingAhead | None,
) -> dict[str, int]:
    """Write the whole site into a staging folder, run the post-build steps, then swap it into place."""
    root, steps = options.root.resolve(), options.steps if options.steps is not None else default_steps()
    staging, go_on = write.staging_dir(out), functools.partial(_go_on, options)
    try:
        converted = _convert_texts_first(renderer, len(pages.todo), options.jobs, ahead)
        context = StepContext(
            site,
            renderer,
            staging,
            root,
            search=options.search,
            record=options.record,
            cancel=options.cancel,
            search_part_documents=options.search_part_documents,
            published=out if out.is_dir() else None,
        )
        for step in steps:  # steps that can start early (the search index) overlap with rendering
            getattr(step, "begin", lambda _: None)(context)
        write.reuse_pages(pages.specs, pages.reused, out, staging, go_on)
        write.render_pages(renderer, pages.specs, staging, options.jobs, pages.todo)
        write.write_files(staging, write.static_files())
        write.write_files(staging, published_attachments(site))
        clock.lap("render and write")
        for step in steps:
            go_on()
            progress(step.name)
            step.run(context)
            clock.lap(step.name)
        go_on()
        if options.before_publish is not None:
            options.before_publish()
        write.publish(staging, out, options.remove_old)
    except BuildFailed as failed:
        _abandon(steps, staging, out)
        raise BuildFailed(relative_to(root, failed.problems)) from failed
    except BuildCancelled:
        _abandon(steps, staging, out, options.remove_old)
        raise
    except BaseException:
        _abandon(steps, staging, out)
        raise
    write.write_site_files(root, context.site_files)
    return {**context.figures, "texts converted": converted}


def _update_in_place(
    options: BuildOptions,
    site: Site,
    renderer: Renderer,
    pages: _Pages,
    previous: dict[str, str],
    out: Path,
    ahead: ConvertingAhead | None,
) -> dict[str, int]:
    """Replace the changed pages, static files and attachments in the output that is being served."""
    if options.cache is not None:  # a pass that stops half-way must leave no rewritten page marked current
        _unmark(options.cache, out, previous, {pages.specs[index].path for index in pages.todo})
    converted = _convert_texts_first(renderer, len(pages.todo), options.jobs, ahead)
    try:
        write.render_pages(renderer, pages.specs, out, options.jobs, pages.todo, in_place=True)
    except BuildFailed as failed:
        raise BuildFailed(relative_to(options.root.resolve(), failed.problems)) from failed
    write.update_files(out, {**write.static_files(), **published_attachments(site)})
    return {"texts converted": converted}


#: From this many pages the quick pass writes the pages that showed the saved files first (and the
#: open page reloads twice); below it, fingerprinting every page takes well under half a second.
FIRST_PAGES_FROM = 5000


def _write_first(options: BuildOptions, renderer: Renderer, specs: list[PageSpec], out: Path) -> None:
    """Write the pages that showed the saved files, before the quick pass fingerprints every page.

    Fingerprinting takes as long as loading and linking on a large archive, and the clerk is
    looking at one of these pages. They are rendered from the newly linked archive, so each is
    what the rest of the pass would write; any the pass finds changed it writes again.
    """
    first = [index for index, spec in enumerate(specs) if spec.path in options.first_pages]
    if not first:
        return
    if options.cache is not None:  # none may stay marked as the last build's if the pass stops
        _unmark(options.cache, out, incremental.load_fingerprints(options.cache, out), options.first_pages)
    try:
        write.render_pages(renderer, specs, out, 1, first, in_place=True)
    except BuildFailed as failed:
        raise BuildFailed(relative_to(options.root.resolve(), failed.problems)) from failed
    if options.first_written is not None:
        options.first_written(len(first))


def _unmark(cache: Path, out: Path, previous: dict[str, str], rewriting: AbstractSet[str]) -> None:
    """Save the last build's fingerprints without the pages about to be rewritten in place."""
    kept = {path: fingerprint for path, fingerprint in previous.items() if path not in rewriting}
    incremental.save_fingerprints(cache, out, kept)
    incremental.forget_input_state(cache, out)


def _abandon(
    steps: list[PostBuildStep], staging: Path, out: Path, remove: Callable[[Path], None] | None = None
) -> None:
    for step in steps:
        getattr(step, "abandon", lambda: None)()
    write.discard(staging, out, remove)


#: Above this many pages to render, every Markdown text is converted first, in parallel.
PRIME_THRESHOLD = 200


def _convert_texts_first(renderer: Renderer, pages: int, jobs: int, ahead: ConvertingAhead | None) -> int:
    """Convert each distinct text once before rendering, so page workers share the results."""
    if pages <= PRIME_THRESHOLD:
        return 0
    return renderer.markdown.prime(renderer.markdown_sources(), jobs, ahead)


#: From this many content files (and with more than one core), Markdown is converted while the
#: archive is validated and linked (markdown_text.ConvertingAhead): about 1,000 meetings.
AHEAD_FILES = 1000


def _worth_converting_ahead(options: BuildOptions, markdown_cache: Path | None) -> bool:
    """Only a cold build: the preview (a parse cache) and a build with converted texts on disk
    have little left to convert, and forking a copy of a large archive is not free."""
    fresh = markdown_cache is None or not markdown_cache.exists()
    return fresh and options.parse_cache is None and options.jobs > 1 and sys.platform != "win32"


@dataclass
class _TextsAhead:
    """The Markdown conversions started as soon as the archive is read, if `wanted`."""

    wanted: bool
    converting: ConvertingAhead | None = None

    def start(self, loaded: Loaded) -> None:
        if self.wanted and len(loaded.files) >= AHEAD_FILES and not loaded.problems.errors:
            # Only a head start: where no worker can be forked or no temporary file made, the
            # texts are converted in the build as before.
            with contextlib.suppress(OSError):
                self.converting = ConvertingAhead(_likely_markdown(loaded))

    def close(self) -> None:
        if self.converting is not None:
            self.converting.close()


def _likely_markdown(loaded: Loaded) -> Iterator[str]:
    """The parsed files' texts. A text citing a minute is shown with the reference made a link, so
    its page converts it again, but the search documents read it as it is written."""
    return (text for text in loaded.texts() if len(text) > 2)


def _compiled_templates(cache: Path | None) -> jinja2.BytecodeCache | None:
    """Templates compiled by an earlier build, kept beside the other caches (Jinja2 checks the source)."""
    if cache is None:
        return None
    (cache / "templates").mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(cache / "templates"))


def _settings(options: BuildOptions, out: Path, today: date) -> str:
    """The options that change what a build writes, for telling whether anything changed."""
    steps = [step.name for step in options.steps] if options.steps is not None else ["default"]
    return f"{out}|{today.isoformat()}|{options.search}|{options.record}|{steps}|{options.in_place}"


def _fingerprints(
    site: Site,
    renderer: Renderer,
    specs: list[PageSpec],
    root: Path,
    dependents: dict[str, list[int]] | None,
    go_on: Callable[[], None],
) -> dict[str, str | None]:
    key = incremental.build_key(site, site.digests, root / "templates")
    fingerprinter = incremental.Fingerprinter(site, renderer, dict(site.digests), key, dependents=dependents)
    fingerprints: dict[str, str | None] = {}
    for index, spec in enumerate(specs):
        go_on()
        fingerprints[spec.path] = fingerprinter.fingerprint(spec, index)
    return fingerprints


def _split_by_last_build(
    specs: list[PageSpec], fingerprints: dict[str, str | None], previous: dict[str, str], out: Path
) -> _Pages:
    """The pages to render, and those whose file from the last build is still right."""
    todo: list[int] = []
    reused: list[int] = []
    folder = str(out)  # os.path, not a Path per page: 52,201 of them at 10,000 meetings
    for index, spec in enumerate(specs):
        now = fingerprints.get(spec.path)
        same = now is not None and previous.get(spec.path) == now and os.path.isfile(f"{folder}/{spec.path}")
        (reused if same else todo).append(index)
    return _Pages(specs, todo, reused)


def check(root: Path, today: date | None = None) -> tuple[Site, list[Problem]]:
    """Load, validate and link without writing anything: what `minutebook check` runs."""
    site, warnings = _load_and_link(root, today or reference_date(root), None, usable_cores())
    try:
        _refuse_collisions(plan(site))  # so `check` finds what `build` would refuse
    except BuildFailed as failed:
        raise BuildFailed(_located(root, failed.problems)) from None
    return site, warnings


def _load_and_link(
    root: Path,
    today: date,
    cache: ParseCache | None,
    jobs: int = 1,
    go_on: Callable[[], None] = lambda: None,
    loaded_now: Callable[[Loaded], None] = lambda _: None,
) -> tuple[Site, list[Problem]]:
    """`loaded_now` hears of the archive as soon as it is read, before it is validated."""
    loaded = load(root, cache=cache, go_on=go_on, jobs=jobs)
    loaded_now(loaded)
    problems: Problems = loaded.problems
    try:
        archive = validate(loaded, cache, go_on)
        go_on()
        site = link(archive, today, problems, go_on, cache.prose_references if cache is not None else None)
        if cache is not None:
            cache.prose_references = site.prose_references
    except BuildFailed as failed:
        raise BuildFailed(_located(root, failed.problems)) from None
    return site, _located(root, problems.warnings)


def _located(root: Path, problems: list[Problem]) -> list[Problem]:
    def read(rel: str) -> str | None:
        try:
            return (root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    texts = {p.file: read(p.file) for p in problems if p.line is None}
    located = locate_all(problems, {k: v for k, v in texts.items() if v is not None})
    return sorted(located, key=lambda p: (p.file, p.line or 0, p.col or 0, p.message))


def _refuse_collisions(specs: list[PageSpec]) -> None:
    claimed: dict[str, PageSpec] = {}
    problems = []
    for spec in specs:
        first = claimed.setdefault(spec.path, spec)
        if first is not spec:
            who = spec.source or spec.template
            other = first.source or f"Minutebook's own page made from {first.template}"
            problems.append(
                Problem(
                    who,
                    f"this would be published at /{spec.path.removesuffix('index.html')}, "
                    f"the address of {other}",
                    f"rename {who}: every page needs an address of its own",
                    line=1,
                    col=1,
                )
            )
    if problems:
        raise BuildFailed(problems)


class _Stopwatch:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.last = now
