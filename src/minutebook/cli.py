"""The `minutebook` command: the only module that prints or exits."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from minutebook import __version__
from minutebook.build import BuildOptions, build, check
from minutebook.graph import Site
from minutebook.problems import BuildFailed, Problem, Severity
from minutebook.records import MunicipalYear


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except BuildFailed as failed:
        _report(failed.problems, getattr(args, "format", "text"))
        print(
            f"\n{sum(p.severity is Severity.error for p in failed.problems)} error(s): "
            "nothing was published; the previous site is unchanged.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130


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
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes for rendering"
    )
    build_cmd.add_argument("--no-search", action="store_true", help="skip the search index")
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
    check_cmd.set_defaults(run=_check)

    serve_cmd = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on change")
    _site_options(serve_cmd)
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve_cmd.add_argument("--out", type=Path, help="output folder (default: _site)")
    serve_cmd.set_defaults(run=_serve)

    schema_cmd = commands.add_parser("schema", help="write the content model as JSON Schema")
    schema_cmd.add_argument(
        "--out", type=Path, help="folder to write one schema per record kind (default: print all)"
    )
    schema_cmd.set_defaults(run=_schema)
    return parser


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
    options = BuildOptions(
        root=args.site, out=args.out, today=args.today, jobs=args.jobs, search=not args.no_search
    )
    result = build(options, progress=lambda message: print(f"  {message}…", file=sys.stderr))
    _report(result.warnings, "text")
    _report_outside(result.site)
    timing = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.seconds.items())
    print(
        f"Built {result.pages} pages ({result.records_indexed} search records) into {result.out} — {timing}."
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    site, warnings = check(args.site.resolve(), args.today)
    _report(warnings, args.format)
    if args.format == "text":
        _report_outside(site)
    meetings = len(site.meetings)
    print(
        f"Checked {meetings} meetings, {len(site.people)} people, {len(site.bodies)} bodies: "
        f"no errors, {len(warnings)} warning(s).",
        file=sys.stderr,
    )
    return 1 if (args.strict and warnings) else 0


def _serve(args: argparse.Namespace) -> int:
    from minutebook import serve

    root = args.site.resolve()
    options = BuildOptions(root=root, out=args.out, today=args.today)
    result = build(options)
    _report(result.warnings, "text")

    def rebuild() -> None:
        try:
            again = build(options)
            print(f"Rebuilt {again.pages} pages.", file=sys.stderr)
        except BuildFailed as failed:
            _report(failed.problems, "text")
            print("The preview still shows the last good build.", file=sys.stderr)

    server = serve.make_server(result.out, result.site.config.base_url, args.port)
    base = result.site.config.base_url.split("/", 3)[-1] if result.site.config.base_url.count("/") > 3 else ""
    print(f"Serving {result.out} at http://127.0.0.1:{server.server_port}/{base} — press Ctrl+C to stop.")
    serve.serve_forever(server, root, rebuild)
    return 0


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
    sys.exit(main())
