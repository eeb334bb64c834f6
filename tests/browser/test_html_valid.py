"""Every HTML page of the built example and fixture sites is valid HTML, as the Nu Html Checker
(npm vnu-jar, run with the machine's Java) sees it: no errors. Pagefind's own files are left out.

It needs Java rather than a browser, but it is slow and needs tools outside Python, so it runs
with the browser tests (marker ``browser``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from site_pages import REPO_ROOT

if TYPE_CHECKING:
    from .conftest import BuiltSite

VNU_JAR = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI is set, so this is a failure; run `bash scripts/test.sh`)")
    pytest.skip(f"{reason}; `bash scripts/test.sh` installs it")


def run_vnu(pages: list[str]) -> list[dict[str, Any]]:
    java = shutil.which("java")
    if not java:
        _missing("Java not found (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        _missing(f"the Nu Html Checker is not at {VNU_JAR} (npm ci)")
    done = subprocess.run(
        [str(java), "-jar", str(VNU_JAR), "--skip-non-html", "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(done.stderr or done.stdout or '{"messages": []}')
    messages: list[dict[str, Any]] = report["messages"]
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert done.returncode == 0 or messages, "vnu failed without saying why"
    return messages


@pytest.mark.parametrize("site_name", ["example", "fixture"])
def test_every_page_is_valid_html(
    site_name: str,
    built_sites: dict[str, BuiltSite],
    record_property: Callable[[str, object], None],
) -> None:
    out = built_sites[site_name].out
    pages = sorted(str(p) for p in out.rglob("*.html") if "pagefind" not in p.relative_to(out).parts)
    assert len(pages) > 20
    messages = run_vnu(pages)
    errors = [m for m in messages if m.get("type") in {"error", "non-document-error"}]
    record_property("summary", f"vnu: {site_name} site, {len(pages)} pages checked, {len(errors)} errors")
    lines = [
        f"{m.get('url', '').replace('file:' + str(out), '')}:{m.get('lastLine', '?')}: {m.get('message')}"
        f"\n    {m.get('extract', '').strip()[:160]}"
        for m in errors[:30]
    ]
    assert not errors, f"{len(errors)} HTML errors in the {site_name} site:\n" + "\n".join(lines)
