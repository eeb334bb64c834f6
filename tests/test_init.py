"""`minutebook init` makes a site that checks and builds; Minutebook builds as a wheel that carries
its templates, theme and starter files, and that wheel, installed in a fresh venv, runs init, check
and build on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from minutebook import __version__
from sitekit import REPO, run_cli

STARTER_FILES = {
    ".github/workflows/ci.yml",
    ".github/workflows/publish.yml",
    ".gitignore",
    "README.md",
    "site_config.yaml",
    "content/bodies/full-council.yaml",
    "content/people/a-member.yaml",
    "content/pages/about.md",
    "templates/README.md",
    "schema/meeting.json",
}


def test_init_writes_a_site_repository(tmp_path: Path) -> None:
    result = run_cli("init", tmp_path / "site", "--council", "Testshire County Council")
    assert result.code == 0, result.err
    written = {
        p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*") if p.is_file()
    }
    assert written >= STARTER_FILES
    site = tmp_path / "site"
    assert 'council: "Testshire County Council"' in (site / "site_config.yaml").read_text()
    for workflow in ("ci.yml", "publish.yml"):
        text = (site / ".github/workflows" / workflow).read_text()
        assert (
            f'"minutebook=={__version__}"' in text
            and "-e ." not in text
            and "{{" not in text.replace("${{", "")
        )
    assert "_site/" in (site / ".gitignore").read_text()
    assert "copy that template" in (site / "templates/README.md").read_text()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = run_cli("init", tmp_path)
    assert result.code == 1
    assert "is not empty; nothing was written" in result.err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_accepts_an_empty_folder(tmp_path: Path) -> None:
    assert run_cli("init", tmp_path).code == 0
    assert (tmp_path / "site_config.yaml").is_file()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, str(REPO), "-w", str(out)], check=True, capture_output=True, timeout=300)
    (found,) = out.glob("minutebook-*.whl")
    return found


def test_the_wheel_carries_templates_theme_and_starter_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"minutebook/templates/meeting.html", "minutebook/templates/redirect.html"} <= names
    assert {"minutebook/static/assets/style.css", "minutebook/static/favicon.svg"} <= names
    assert "minutebook/starter/files/github/workflows/publish.yml" in names
    assert "minutebook/starter/files/gitignore" in names
    templates = REPO / "src/minutebook/templates"
    assert {f"minutebook/templates/{p.name}" for p in templates.glob("*.html")} <= names


def test_the_installed_wheel_inits_checks_and_builds_a_site(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120, env=env)
    install = [
        str(venv / "bin/python"),
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        str(wheel),
    ]
    subprocess.run(install, check=True, capture_output=True, timeout=600, env=env)
    minutebook = str(venv / "bin/minutebook")
    site = tmp_path / "site"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [minutebook, *args], cwd=site, capture_output=True, text=True, timeout=300, env=env
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    site.mkdir()
    run("init", ".", "--council", "Wheelton Town Council", "--base-url", "https://example.org/records/")
    assert "no errors" in run("check").stderr
    assert "Built " in run("build", "--no-search").stdout
    assert (site / "_site/bodies/full-council/index.html").is_file()
    assert (site / "_site/data/minutebook.json").is_file()
    assert (site / "published-manifest.json").is_file()
