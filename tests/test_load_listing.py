"""Which files a build reads from content/: every file but hidden ones, in the order of sorted paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from minutebook.load import _content_files


def _rglob_listing(root: Path) -> list[str]:
    """What the build listed before: sorted(rglob), files only, no part starting with a dot."""
    content = root / "content"
    return [
        path.relative_to(root).as_posix()
        for path in sorted(content.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    ]


def test_content_files_are_listed_as_sorted_paths_would_be(tmp_path: Path) -> None:
    root = tmp_path
    for rel in [
        "content/meetings/a-b/2024-01-01.yaml",  # "a-b" sorts after "a" as a path, before it as a string
        "content/meetings/a/2024-01-01.yaml",
        "content/meetings/a/2024-01-01/report.pdf",
        "content/people/Zed.yaml",
        "content/people/adam.yaml",
        "content/.drafts/x.yaml",
        "content/people/.hidden.yaml",
        "content/meetings/a/.git/config",
    ]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    listed = _content_files(root, root / "content")
    assert listed == _rglob_listing(root)
    assert listed.index("content/meetings/a/2024-01-01.yaml") < listed.index(
        "content/meetings/a-b/2024-01-01.yaml"
    )
    assert not [rel for rel in listed if "/." in rel]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_linked_folders_are_not_entered_and_linked_files_are_read(tmp_path: Path) -> None:
    root = tmp_path
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "x.yaml").write_text("x")
    (root / "content" / "people").mkdir(parents=True)
    (root / "content" / "people" / "real.yaml").write_text("x")
    (root / "content" / "linked").symlink_to(root / "elsewhere", target_is_directory=True)
    (root / "content" / "people" / "link.yaml").symlink_to(root / "elsewhere" / "x.yaml")
    (root / "content" / "people" / "broken.yaml").symlink_to(root / "missing.yaml")
    listed = _content_files(root, root / "content")
    assert listed == _rglob_listing(root) == ["content/people/link.yaml", "content/people/real.yaml"]
