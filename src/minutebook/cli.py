"""The `minutebook` command: the only module that prints or exits."""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import yaml

from minutebook import __version__, yamlfile
from minutebook.build import BuildOptions, build, check
from minutebook.graph import Site
from minutebook.outputs.manifest import MANIFEST_FILE, RecordMode, guard
from minutebook.priority import usable_cores
from minutebook.problems import BuildFailed, Problem, Severity
from minutebook.records import MunicipalYear

#: Fingerprints of the last build, so an edit renders only the pages it touches (git-ignored).
CACHE_DIR = ".minutebook-cache"


_FROZEN_HELP = f"fail if {MANIFEST_FILE} would change (for CI); by default build updates it"


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The `minutebook` command (and build.py): main(), then end the process.

    A build's objects live until the process ends, and the interpreter's last collections would
    walk every one of them: ~7 s after a 10,000-meeting build (benchmarks/RESULTS.md). Frozen,
    they are left to the operating system, which frees the memory at once.
    """
    code = main(argv)
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except BuildFailed as failed:
        _report(failed.problems, getattr(args, "format", "text"))
        errors = sum(p.severity is Severity.error for p in failed.problems)
        after = {
            "build": "nothing was published; the previous site is unchanged",
            "new": "nothing was written",
        }
        print(
            f"\n{errors} error(s): {after.get(args.command, 'fix them and run the command again')}.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours, not the clerk's: say so plainly, keep the details
        if os.environ.get("MINUTEBOOK_DEBUG"):
            raise
        print(
            f"minutebook stopped on an internal error ({type(exc).__name__}: {exc}). Nothing was published. "
            "Please report it with the command you ran; MINUTEBOOK_DEBUG=1 shows the details.",
            file=sys.stderr,
        )
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minutebook", description="Publish a council's meeting records as a static website."
    )
    parser.add_argument("--version", action="version", version=f"minutebook {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    build_cmd = commands.add_parser("build", help="build the site into _site/")
    _site_options(build_cmd)
    build_cmd.add_argument("--out", type=Path, help="output folder (default: _site in the site folder)")
    build_cmd.add_argument(
        "--jobs",
        type=int,
        default=usable_cores(),
        help="processes that parse, convert and render (1: this one only)",
    )
    build_cmd.add_argument("--no-search", action="store_true", help="skip the search index")
    build_cmd.add_argument("--frozen", action="store_true", help=_FROZEN_HELP)
    build_cmd.add_argument(
        "--no-cache", action="store_true", help="render every page, ignoring what the last build wrote"
    )
    build_cmd.set_defaults(run=_build)

    check_cmd = commands.add_parser("check", help="check the content without building")
    _site_options(check_cmd)
    check_cmd.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="'github' prints GitHub Actions annotations",
    )
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check_cmd.add_argument("--frozen", action="store_true", help=_FROZEN_HELP)
    check_cmd.set_defaults(run=_check)

    serve_cmd = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on change")
    _site_options(serve_cmd)
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve_cmd.add_argument("--out", type=Path, help="output folder (default: _site)")
    serve_cmd.set_defaults(run=_serve)

    _new_commands(commands.add_parser("new", help="start a new meeting, body, person or work programme file"))

    init_cmd = commands.add_parser("init", help="start a new site repository in an empty folder")
    init_cmd.add_argument("dir", type=Path, help="the folder to create (it must be empty or missing)")
    init_cmd.add_argument("--council", default="Example Council", help="the council's name")
    init_cmd.add_argument(
        "--base-url", default="https://example.github.io/minutes/", help="where the site will be published"
    )
    init_cmd.set_defaults(run=_init)

    schema_cmd = commands.add_parser("schema", help="write the content model as JSON Schema")
    schema_cmd.add_argument(
        "--out", type=Path, help="folder to write one schema per record kind (default: print all)"
    )
    schema_cmd.set_defaults(run=_schema)

    _import_command(commands.add_parser("import", help="draft content files from the text of agenda packs"))
    return parser


def _import_command(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("packs", nargs="+", type=Path, metavar="PACK_FILE", help="text of an agenda pack")
    parser.add_argument("--site", type=Path, default=Path.cwd(), help="the site folder (default: here)")
    parser.add_argument(
        "--body", help="body id the packs belong to (default: matched from each pack's heading)"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace existing files, after printing each one's diff"
    )
    parser.add_argument("--report", type=Path, help="where to write the report (default: import-report.md)")
    parser.add_argument(
        "--patterns",
        type=Path,
        help="YAML file of patterns that replace the defaults for this council's layout",
    )
    parser.set_defaults(run=_import)


def _import(args: argparse.Namespace) -> int:
    from minutebook.importer.patterns import DEFAULT, PatternError, load_patterns
    from minutebook.importer.run import ImportOptions, run_import

    missing = [p for p in [*args.packs, *([args.patterns] if args.patterns else [])] if not p.is_file()]
    if missing or not (args.site / "site_config.yaml").is_file():
        what = f"no such file: {missing[0]}" if missing else f"no site_config.yaml in {args.site}"
        print(f"minutebook import: {what}; nothing was written.", file=sys.stderr)
        return 1
    try:
        patterns = (
            load_patterns(yaml.safe_load(args.patterns.read_text("utf-8"))) if args.patterns else DEFAULT
        )
    except (PatternError, yaml.YAMLError) as exc:
        print(f"{args.patterns}: {exc}; nothing was written.", file=sys.stderr)
        return 1
    options = ImportOptions(args.site, args.packs, args.body, args.force, args.report, patterns)
    outcome = run_import(options, show=print)
    for rel in outcome.written.written + outcome.written.replaced:
        print(f"wrote {rel}")
    for rel in outcome.written.kept:
        print(f"kept {rel}: it exists (--force replaces it after showing the diff)")
    unplaced = sum(len(r.pack.unplaced) for r in outcome.reports)
    print(
        f"{len(outcome.proposed)} new people proposed, {unplaced} source line(s) not placed: "
        f"see {outcome.report_path}"
    )
    print("These are drafts: review them against the packs, then run `minutebook check`.")
    return 0


def _new_commands(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="what", required=True)
    meeting = kinds.add_parser("meeting", help="a meeting file with the standard opening items")
    meeting.add_argument("--body", required=True, help="body id, e.g. ecs-scrutiny-board-2")
    meeting.add_argument("--date", required=True, type=_date, help="meeting date, YYYY-MM-DD")
    meeting.add_argument("--time", type=_time, help="start time, HH:MM (default 14:00)")
    meeting.add_argument("--venue", help="where the meeting is held")
    body = kinds.add_parser("body", help="a committee, board or cabinet")
    body.add_argument("--id", required=True, type=_slug, help="stable id, e.g. planning-committee")
    body.add_argument("--name", required=True, help="full name")
    person = kinds.add_parser("person", help="a councillor, officer or guest")
    person.add_argument("--name", required=True, help="name as printed, e.g. 'M Mutton'")
    person.add_argument("--id", type=_slug, help="stable id (default: from the name, e.g. m-mutton)")
    person.add_argument("--honorific", help="'Councillor', 'Mrs', 'Mr'…")
    person.add_argument(
        "--kind",
        dest="person_kind",
        default="councillor",
        choices=["councillor", "co-opted", "officer", "guest"],
    )
    programme = kinds.add_parser("work-programme", help="a body's work programme for a municipal year")
    programme.add_argument("--body", required=True, help="body id")
    programme.add_argument("--year", required=True, help="municipal year, e.g. 2026/27")
    for sub in (meeting, body, person, programme):
        _site_options(sub)
        sub.set_defaults(run=_new)


def _time(text: str) -> str:
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a time: write 24-hour HH:MM, e.g. 14:00")
    return text


def _slug(text: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a usable id: use lower-case letters, digits and hyphens"
        )
    return text


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site",
        type=Path,
        default=Path.cwd(),
        help="the site folder, holding site_config.yaml (default: here)",
    )
    parser.add_argument(
        "--today",
        type=_date,
        help="reference date for 'upcoming' and 'overdue' (default: date of the last commit of the content)",
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write YYYY-MM-DD") from None


def _build(args: argparse.Namespace) -> int:
    cache = None if args.no_cache else args.site.resolve() / CACHE_DIR
    options = BuildOptions(
        root=args.site,
        out=args.out,
        today=args.today,
        jobs=args.jobs,
        search=not args.no_search,
        cache=cache,
        record=RecordMode.frozen if args.frozen else RecordMode.update,
    )
    with _progress() as progress:
        result = build(options, progress=progress)
    if result.site is None:
        print(f"Nothing has changed since the last build; {result.out} is up to date.")
        return 0
    _report(result.warnings, "text")
    _report_outside(result.site)
    timing = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.seconds.items())
    figures = "".join(f", {count} {name}" for name, count in result.figures.items())
    print(f"Built {result.pages} pages{figures} into {result.out} — {timing}.")
    return 0


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[str], None]]:
    """A live status line on a terminal; silence in CI logs and pipes, where the summary says it all."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield lambda _message: None
        return
    from rich.console import Console

    with Console(stderr=True).status("building…") as status:
        yield lambda message: status.update(f"{message}…")


def _check(args: argparse.Namespace) -> int:
    root = args.site.resolve()
    site, warnings = check(root, args.today)
    _report(warnings, args.format)
    if args.format == "text":
        _report_outside(site)
    guard(root, site, RecordMode.frozen if args.frozen else RecordMode.check)
    meetings = len(site.meetings)
    print(
        f"Checked {meetings} meetings, {len(site.people)} people, {len(site.bodies)} bodies: "
        f"no errors, {len(warnings)} warning(s).",
        file=sys.stderr,
    )
    return 1 if (args.strict and warnings) else 0


def _serve(args: argparse.Namespace) -> int:
    from minutebook import preview, serve

    root = args.site.resolve()
    options = BuildOptions(
        root=root,
        out=args.out,
        today=args.today,
        cache=root / CACHE_DIR,
        record=RecordMode.check,
        remove_old=preview.remove_in_background,
    )
    out = (args.out or root / "_site").resolve()
    state = serve.Preview()
    rebuilder = preview.Rebuilder(
        options,
        state,
        report=lambda problems: _report(problems, "text"),
        say=lambda line: print(line, file=sys.stderr),
        debug=bool(os.environ.get("MINUTEBOOK_DEBUG")),
    )
    rebuilder.first_build()
    out.mkdir(parents=True, exist_ok=True)
    base_url = _base_url_of(root)
    server = serve.make_server(out, base_url, args.port, state)
    address = f"http://127.0.0.1:{server.server_port}{urlsplit(base_url).path or '/'}"
    watching = threading.Event()
    watched = functools.partial(serve.changes, root, watching=watching)
    serve.serve_forever(
        server,
        functools.partial(preview.watch_and_build, rebuilder, watched),
        watching,
        lambda: print(f"Serving the preview at {address} — it rebuilds when you save. Press Ctrl+C to stop."),
    )
    return 0


def _base_url_of(root: Path) -> str:
    """The base URL from site_config.yaml, read leniently: the preview runs even while it is broken."""
    try:
        config = yamlfile.parse((root / "site_config.yaml").read_text(encoding="utf-8"))
        return str(config.get("base_url") or "/") if isinstance(config, dict) else "/"
    except (OSError, ValueError, yaml.YAMLError):
        return "/"


def _new(args: argparse.Namespace) -> int:
    root = args.site.resolve()
    site, _ = check(root, args.today)
    target, text = _new_file(args, site, root)
    if target.exists():
        print(f"{target.relative_to(root)} already exists; nothing was written.", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"Wrote {target.relative_to(root)}. Fill it in, then run: minutebook check")
    return 0


def _new_file(args: argparse.Namespace, site: Site, root: Path) -> tuple[Path, str]:
    from minutebook import scaffold

    content = root / "content"
    if args.what in ("meeting", "work-programme") and args.body not in site.bodies:
        known = ", ".join(site.bodies) or "none yet: run 'minutebook new body' first"
        raise BuildFailed([Problem("content/bodies", f"there is no body '{args.body}'", f"bodies: {known}")])
    if args.what == "meeting":
        body = site.bodies[args.body]
        path = content / "meetings" / args.body / f"{args.date.isoformat()}.yaml"
        return path, scaffold.meeting_file(site, body, args.date, args.time, args.venue)
    if args.what == "body":
        year = MunicipalYear.containing(site.today)
        return content / "bodies" / f"{args.id}.yaml", scaffold.body_file(args.id, args.name, year)
    if args.what == "person":
        person_id = args.id or _slug_of(args.name)
        return content / "people" / f"{person_id}.yaml", scaffold.person_file(
            person_id, args.name, args.honorific, args.person_kind
        )
    try:
        year = MunicipalYear.parse(args.year)
    except ValueError as exc:
        raise BuildFailed([Problem("--year", str(exc), "write it as 2026/27")]) from None
    path = content / "work-programmes" / args.body / f"{year.slug}.yaml"
    return path, scaffold.work_programme_file(site.bodies[args.body], year, site.today)


def _slug_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _schema(args: argparse.Namespace) -> int:
    from minutebook.schema import schemas

    all_schemas = schemas()
    if args.out is None:
        print(json.dumps(all_schemas, indent=2, sort_keys=True))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, schema in all_schemas.items():
        (args.out / f"{name}.json").write_text(
            json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
    print(f"Wrote {len(all_schemas)} schemas into {args.out}.")
    return 0


def _init(args: argparse.Namespace) -> int:
    from minutebook.starter import create

    target = args.dir.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"{args.dir} is not empty; nothing was written. Choose a new or empty folder.", file=sys.stderr)
        return 1
    written = create(target, council=args.council, base_url=args.base_url)
    print(f"Created a Minutebook site in {args.dir} ({len(written)} files). Next:")
    print(f"  cd {args.dir} && minutebook check && minutebook serve")
    return 0


def _report_outside(site: Site) -> None:
    """The references outside the archive: minutes cited that no loaded meeting holds."""
    if not site.outside:
        return
    cited: dict[tuple[str, MunicipalYear, int], list[str]] = {}
    for minute, ref in site.outside:
        where = f"{minute.label} ({minute.meeting.date.isoformat()})"
        cited.setdefault((ref.body_id, ref.number.year, ref.number.number), []).append(where)
    print(f"\nReferences outside the archive ({len(cited)}):", file=sys.stderr)
    for (body_id, year, number), places in sorted(cited.items()):
        label = f"{number}/{year.suffix}"
        print(f"  {body_id} minute {label} — cited by minute {', '.join(places)}", file=sys.stderr)


def _report(problems: list[Problem], style: str) -> None:
    for problem in problems:
        if style == "github":
            level = "error" if problem.severity is Severity.error else "warning"
            hint = f" — {problem.hint}" if problem.hint else ""
            print(
                f"::{level} file={problem.file},line={problem.line or 1},col={problem.col or 1}"
                f"::{problem.message}{hint}"
            )
        else:
            print(problem.format(), file=sys.stderr)


if __name__ == "__main__":
    run()
