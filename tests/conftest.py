"""Fixtures shared by the whole suite. Keep it small: put fixtures near the tests using them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (the folder holding pyproject.toml)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The shared seed documents (../shared/seeds, or $MINUTEBOOK_SEEDS_DIR); skips when absent."""
    override = os.environ.get("MINUTEBOOK_SEEDS_DIR")
    path = Path(override) if override else REPO_ROOT.parent / "shared" / "seeds"
    path = path.resolve()
    if not path.is_dir():
        pytest.skip(f"seed documents not found at {path}")
    return path
