"""The GitHub workflows: actionlint passes them, they say what CI and publishing need, and the
publish job's build steps, run here in a fresh copy of the repository, build the site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitekit import REPO, run_cli

WORKFLOWS = REPO / ".github" / "workflows"
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def workflow(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def actionlint(files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT.is_file(), "actionlint is missing: pip install -e '.[test]'"
    command = [str(ACTIONLINT), "-no-color", *(str(f) for f in files)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("starter") / "site"
    assert run_cli("init", site).code == 0
    return site


def test_actionlint_passes_the_workflows(starter: Path) -> None:
    ours = actionlint(sorted(WORKFLOWS.glob("*.yml")), REPO)
    assert ours.returncode == 0, ours.stdout + ours.stderr
    theirs = actionlint(sorted((starter / ".github/workflows").glob("*.yml")), starter)
    assert theirs.returncode == 0, theirs.stdout + theirs.stderr


def test_actions_are_pinned_to_major_versions(starter: Path) -> None:
    for path in [*WORKFLOWS.glob("*.yml"), *(starter / ".github/workflows").glob("*.yml")]:
        uses = re.findall(r"uses:\s*(\S+)", path.read_text(encoding="utf-8"))
        assert uses, path
        for action in uses:
            assert re.fullmatch(r"actions/[a-z-]+@v[0-9]+", action), f"{path.name}: {action}"


def test_ci_runs_the_readme_test_command_and_annotates_content_mistakes() -> None:
    ci = workflow(WORKFLOWS / "ci.yml")
    assert set(ci["on"]) == {"push", "pull_request"}
    (job,) = ci["jobs"].values()
    assert job["container"] == "python:3.11-bookworm"
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = [s.get("run", "") for s in job["steps"]]
    assert "bash scripts/test.sh" in runs
    assert "bash scripts/test.sh" in (REPO / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/minutebook check --format github" in runs


def test_publish_builds_caches_and_deploys_to_pages() -> None:
    publish = workflow(WORKFLOWS / "publish.yml")
    assert publish["on"]["push"] == {"branches": ["main"]}
    assert publish["on"]["schedule"] and "workflow_dispatch" in publish["on"]
    # contents: write to commit the published record back (the fresh-copy test below runs that step)
    assert publish["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    assert publish["concurrency"]["group"] == "pages"
    build, deploy = publish["jobs"]["build"], publish["jobs"]["deploy"]
    assert build["container"] == "python:3.11-bookworm"
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert {"~/.cache/pip", ".minutebook-cache"} <= set(cache["with"]["path"].split())
    uses = [s.get("uses", "").split("@")[0] for s in [*build["steps"], *deploy["steps"]]]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"


def repository_copy(target: Path) -> Path:
    """What a fresh clone holds: the tracked files and new ones not ignored (no .venv, no _site)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        source = REPO / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    return target


def _git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_the_publish_build_steps_build_the_site_in_a_fresh_copy(tmp_path: Path) -> None:
    copy = repository_copy(tmp_path / "repo")
    # A published record that lacks this build's pages, as after a clerk's first push of new
    # minutes: the workflow must commit the updated one back to the branch it built.
    (copy / "published-manifest.json").unlink()
    env = {
        **os.environ,
        "GITHUB_WORKSPACE": str(copy),
        "GITHUB_REF_NAME": "main",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),  # the trust step must not touch ~/.gitconfig
        "PATH": os.defpath + os.pathsep + os.environ.get("PATH", ""),
    }
    env.pop("VIRTUAL_ENV", None)
    origin = tmp_path / "origin.git"
    _git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(origin), env=env)
    _git(copy, "init", "--quiet", "--initial-branch=main", env=env)
    _git(copy, "add", "--all", env=env)
    clerk = ["-c", "user.name=Clerk", "-c", "user.email=clerk@example.org"]
    _git(copy, *clerk, "commit", "-qm", "Minutes", env=env)
    _git(copy, "remote", "add", "origin", str(origin), env=env)
    _git(copy, "push", "--quiet", "origin", "main", env=env)
    steps = [s for s in workflow(WORKFLOWS / "publish.yml")["jobs"]["build"]["steps"] if "run" in s]
    assert [s["name"] for s in steps][-3:] == ["Install Minutebook", "Build", "Keep the published record"]
    for step in steps:
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=copy, env=env, capture_output=True, text=True, timeout=900
        )
        assert done.returncode == 0, f"step {step['name']!r} failed:\n{done.stdout}\n{done.stderr}"
    upload = next(
        s
        for s in workflow(WORKFLOWS / "publish.yml")["jobs"]["build"]["steps"]
        if "upload" in s.get("uses", "")
    )
    out = copy / upload["with"]["path"]
    for page in ("index.html", "data/minutebook.json", "data/ocd-events.json", "pagefind/pagefind.js"):
        assert (out / page).is_file(), page
    check = subprocess.run(
        [".venv/bin/minutebook", "check", "--format", "github"], cwd=copy, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    recorded = _git(origin, "show", "main:published-manifest.json", env=env)
    assert recorded == (copy / "published-manifest.json").read_text(encoding="utf-8")
    assert '"approved_minutes"' in recorded
    last_commit = _git(origin, "log", "-1", "--format=%an %s", "main", env=env)
    assert last_commit.startswith("github-actions[bot] Record the published site"), last_commit
