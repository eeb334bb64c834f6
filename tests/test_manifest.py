"""The record never silently changes: published-manifest.json guards every published address and
the text of approved minutes. Each case builds the fixture with the CLI (which keeps the manifest),
edits it, and builds again."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from minutebook.outputs.manifest import MANIFEST_FILE
from sitekit import copy_fixture, run_cli

PC = "content/meetings/planning-committee"
APPROVED = f"{PC}/2023-06-14.yaml"  # approved minutes 1/23–5/23, with one correction already
APPROVED_PAGE = "bodies/planning-committee/meetings/2023-06-14/index.html"
MOVED = f"{PC}/2022-06-15.yaml"  # approved minutes and two documents beside it
TODAY = "2026-11-29"


def build(root: Path, *extra: str) -> tuple[int, str]:
    result = run_cli("build", "--site", root, "--today", TODAY, "--no-search", "--jobs", "1", *extra)
    return result.code, result.out + result.err


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = copy_fixture(tmp_path / "site")
    code, output = build(root)
    assert code == 0, output
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_first_build_writes_the_manifest(site: Path) -> None:
    manifest = json.loads((site / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert "bodies/planning-committee/meetings/2022-06-15/" in manifest["urls"]
    assert manifest["urls"]["people/e-patel/"] == "content/people/e-patel.yaml"
    assert not any("/page-" in url for url in manifest["urls"])
    approved = manifest["approved_minutes"]["bodies/planning-committee/meetings/2023-06-14/"]
    assert approved["file"] == APPROVED and approved["corrections"] == ["2023-08-01"]
    assert sorted(approved["minutes"]) == ["1/23", "2/23", "3/23", "4/23", "5/23"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in approved["minutes"].values())


def test_an_unchanged_build_leaves_the_manifest_alone(site: Path) -> None:
    before = (site / MANIFEST_FILE).stat().st_mtime_ns
    assert build(site)[0] == 0
    assert (site / MANIFEST_FILE).stat().st_mtime_ns == before


def test_changed_approved_minutes_fail_the_build_naming_file_and_minute(site: Path) -> None:
    manifest = (site / MANIFEST_FILE).read_bytes()
    page = (site / "_site" / APPROVED_PAGE).read_bytes()
    edit(site / APPROVED, "Councillor Patel substituted.", "Councillor Patel stood in.")
    code, output = build(site)
    assert code == 1
    line = next(ln for ln in output.splitlines() if "has changed" in ln)
    assert re.match(
        rf"{APPROVED}:\d+:\d+: approved minute 1/23 \('[^']+'\) has changed since it was published", line
    )
    assert "minutes.corrections has no new entry — add one under minutes.corrections" in line
    assert "nothing was published" in output
    assert (site / MANIFEST_FILE).read_bytes() == manifest
    assert (site / "_site" / APPROVED_PAGE).read_bytes() == page


def test_a_correction_lets_the_change_through_and_the_page_shows_it(site: Path) -> None:
    edit(site / APPROVED, "Councillor Patel substituted.", "Councillor Patel stood in.")
    edit(
        site / APPROVED,
        "  corrections:\n",
        "  corrections:\n    - date: 2026-11-20\n      note: Minute 1/23 now says who stood in for whom.\n",
    )
    code, output = build(site)
    assert code == 0, output
    soup = BeautifulSoup((site / "_site" / APPROVED_PAGE).read_text(encoding="utf-8"), "lxml")
    notices = [" ".join(n.get_text(" ").split()) for n in soup.select("#minutes .notice")]
    assert "Corrected on Friday 20 November 2026: Minute 1/23 now says who stood in for whom." in notices
    manifest = json.loads((site / MANIFEST_FILE).read_text(encoding="utf-8"))
    entry = manifest["approved_minutes"]["bodies/planning-committee/meetings/2023-06-14/"]
    assert entry["corrections"] == ["2023-08-01", "2026-11-20"]


def test_removing_a_correction_fails(site: Path) -> None:
    correction = "    - date: 2023-08-01\n      note: Corrected the title of the Civic Society's Chair"
    edit(site / APPROVED, f"  corrections:\n{correction} in minute 5/23.\n", "  corrections: []\n")
    code, output = build(site)
    assert code == 1
    assert (
        f"{APPROVED}:" in output and "a correction recorded in these approved minutes was removed" in output
    )


def test_a_deleted_meeting_fails_the_build(site: Path) -> None:
    (site / PC / "2027-01-20.yaml").unlink()
    code, output = build(site)
    assert code == 1
    assert (
        f"{PC}/2027-01-20.yaml: /bodies/planning-committee/meetings/2027-01-20/ was published "
        "and this build would remove it — if the record moved, list its old address under moved_from"
    ) in output
    assert (site / "_site/bodies/planning-committee/meetings/2027-01-20/index.html").is_file()


def test_a_moved_meeting_with_moved_from_redirects(site: Path) -> None:
    old, new = "2022-06-15", "2022-06-16"
    shutil.move(site / PC / old, site / PC / new)
    text = (site / MOVED).read_text(encoding="utf-8").replace(f"file: {old}/", f"file: {new}/")
    (site / MOVED).unlink()
    (site / PC / f"{new}.yaml").write_text(text, encoding="utf-8")
    code, output = build(site)
    assert code == 1 and "/bodies/planning-committee/meetings/2022-06-15/" in output  # moved, not said

    with (site / PC / f"{new}.yaml").open("a", encoding="utf-8") as file:
        file.write(f"moved_from:\n  - bodies/planning-committee/meetings/{old}/\n")
    code, output = build(site)
    assert code == 0, output
    out = site / "_site"
    redirect = BeautifulSoup(
        (out / f"bodies/planning-committee/meetings/{old}/index.html").read_text(), "lxml"
    )
    refresh = redirect.find("meta", attrs={"http-equiv": "refresh"})
    assert (
        refresh is not None
        and refresh["content"] == f"0; url=/minutes/bodies/planning-committee/meetings/{new}/"
    )
    canonical = redirect.find("link", rel="canonical")
    assert canonical is not None
    assert canonical["href"] == f"https://example.org/minutes/bodies/planning-committee/meetings/{new}/"
    assert redirect.find("a", href=f"/minutes/bodies/planning-committee/meetings/{new}/")
    document = (
        out / f"bodies/planning-committee/meetings/{old}/documents/local-plan-issues-and-options/index.html"
    )
    assert "local-plan-issues-and-options/" in document.read_text(encoding="utf-8")
    manifest = json.loads((site / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert f"bodies/planning-committee/meetings/{old}/" in manifest["urls"]
    assert f"bodies/planning-committee/meetings/{new}/" in manifest["approved_minutes"]


def test_a_moved_meeting_keeps_its_approved_minutes_guarded(site: Path) -> None:
    old, new = "2023-06-14", "2023-06-21"
    text = (site / APPROVED).read_text(encoding="utf-8")
    (site / APPROVED).unlink()
    text = text.replace("Councillor Patel substituted.", "Councillor Patel stood in.")
    text += f"moved_from: [bodies/planning-committee/meetings/{old}/]\n"
    (site / PC / f"{new}.yaml").write_text(text, encoding="utf-8")
    code, output = build(site)
    assert code == 1 and "approved minute 1/23" in output and f"{PC}/{new}.yaml:" in output


def test_moved_from_cannot_name_a_page_still_published(site: Path) -> None:
    edit(site / MOVED, "date: 2022-06-15\n", "date: 2022-06-15\nmoved_from: [bodies/planning-committee/]\n")
    code, output = build(site)
    assert code == 1
    assert "moved_from names /bodies/planning-committee/, which this site still publishes" in output


def test_frozen_fails_when_the_manifest_would_change(site: Path) -> None:
    assert build(site, "--frozen")[0] == 0
    (site / PC / "2027-02-17.yaml").write_text("date: 2027-02-17\n", encoding="utf-8")
    code, output = build(site, "--frozen")
    assert code == 1
    assert f"{MANIFEST_FILE}: is not up to date with the content (1 new address(es)" in output
    assert run_cli("check", "--site", site, "--today", TODAY, "--frozen").code == 1
    assert build(site)[0] == 0 and build(site, "--frozen")[0] == 0


def test_check_reports_the_guard_as_github_annotations(site: Path) -> None:
    edit(site / APPROVED, "Councillor Patel substituted.", "Councillor Patel stood in.")
    result = run_cli("check", "--site", site, "--today", TODAY, "--format", "github")
    assert result.code == 1
    assert re.search(rf"^::error file={APPROVED},line=\d+,col=\d+::approved minute 1/23", result.out, re.M)


def test_a_library_build_leaves_no_manifest(tmp_path: Path) -> None:
    from sitekit import build_site

    root = copy_fixture(tmp_path)
    build_site(root, search=False)
    assert not (root / MANIFEST_FILE).exists()
