"""The one reference date a build measures 'upcoming', 'overdue' and 'latest' against.

By default it is the date of the last commit of the content, so the same commit
always builds the same bytes; outside a git checkout it is today's date.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path


def reference_date(root: Path) -> date:
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", "content", "site_config.yaml"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return date.today()
    stamp = result.stdout.strip()
    if result.returncode != 0 or not stamp:
        return date.today()
    return date.fromisoformat(stamp)
