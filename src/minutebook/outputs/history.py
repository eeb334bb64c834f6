"""When content files were added or changed, from git: one `git log` over content/.

Dates are commit dates (`%cs`), so the same commit always gives the same answer; outside a
git checkout, or where git is missing, there is simply no history and nothing fails.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: Separates one commit from the next in the log output: a NUL cannot occur in a date or path.
_MARK = "\x00"


@dataclass(frozen=True)
class FileChange:
    path: str
    date: dt.date
    #: True when the commit added the file.
    added: bool


def content_changes(root: Path, since: dt.date, until: dt.date) -> list[FileChange]:
    """Changes to files under content/ committed between the two dates (inclusive), newest first."""
    output = _git_log(root, since - dt.timedelta(days=2))
    found = [c for c in parse_log(output) if since <= c.date <= until]
    return found


def parse_log(output: str) -> list[FileChange]:
    """`git log --name-status --format=<NUL>%cs` output → one FileChange per file per commit."""
    found: list[FileChange] = []
    for block in output.split(_MARK)[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        day = dt.date.fromisoformat(lines[0].strip())
        for line in lines[1:]:
            status, _, path = line.partition("\t")
            if status[:1] in ("A", "M", "T") and path:
                found.append(FileChange(path, day, status.startswith("A")))
    return found


def _git_log(root: Path, since: dt.date) -> str:
    command = [
        "git",
        "log",
        "--no-renames",
        "--name-status",
        "--relative",
        "--format=%x00%cs",
        f"--since={since.isoformat()}",
        "--",
        "content",
    ]
    try:
        result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout if result.returncode == 0 else ""
