"""Helpers shared by the tests: make small sites, build them, run the CLI."""

from __future__ import annotations

import contextlib
import io
import shutil
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from minutebook.build import BuildOptions, BuildResult, build
from minutebook.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "archive"
#: The reference date the tests build with, so 'overdue' and 'upcoming' never drift.
TODAY = date(2026, 11, 29)

MINIMAL_CONFIG = """\
council: Test Council
base_url: https://example.org/
"""
MINIMAL_BODY = """\
id: board
name: Test Board
membership:
  "2018/19":
    - {person: a-chair, role: chair}
    - {person: b-member}
"""


@dataclass
class CliRun:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path) -> CliRun:
    """Run `minutebook ARGS` in-process, capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return CliRun(code, out.getvalue(), err.getvalue())


def write_site(root: Path, files: dict[str, str], *, minimal: bool = True) -> Path:
    """Write a site: the given files (path → text, dedented) over a minimal valid one."""
    base = (
        {
            "site_config.yaml": MINIMAL_CONFIG,
            "content/bodies/board.yaml": MINIMAL_BODY,
            "content/people/a-chair.yaml": "id: a-chair\nname: A Chair\nhonorific: Councillor\n",
            "content/people/b-member.yaml": "id: b-member\nname: B Member\nhonorific: Councillor\n",
        }
        if minimal
        else {}
    )
    for rel, text in {**base, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def copy_fixture(root: Path) -> Path:
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    return root


def copy_example(root: Path) -> Path:
    """The example site of the repository (site_config.yaml, content/, templates/ if any)."""
    shutil.copy(REPO / "site_config.yaml", root / "site_config.yaml")
    shutil.copytree(REPO / "content", root / "content")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", root / "templates")
    return root


def preview_options(site: Path, **more: Any) -> BuildOptions:
    """Options as the preview tests build `site`: into site/_site, one process, no search, with a
    fingerprint cache (which the preview's fast path needs); `more` sets other options."""
    return BuildOptions(
        root=site, out=site / "_site", today=TODAY, jobs=1, search=False, cache=site / ".cache", **more
    )


def build_site(
    root: Path,
    out: Path | None = None,
    *,
    search: bool = True,
    jobs: int = 1,
    search_part_documents: int | None = None,
) -> BuildResult:
    options = BuildOptions(
        root=root,
        out=out or root / "_site",
        today=TODAY,
        jobs=jobs,
        search=search,
        search_part_documents=search_part_documents,
    )
    return build(options)
