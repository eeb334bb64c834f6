"""Writing the drafts: YAML with the editor's schema hint, never over an existing file unless forced."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_SCHEMAS = {"meetings": ("meeting", 3), "people": ("person", 2), "bodies": ("body", 2)}
_SCHEMAS["work-programmes"] = ("work_programme", 3)


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so a clerk edits paragraphs, not escaped strings."""

    def ignore_aliases(self, data: Any) -> bool:  # no &id001 anchors in a clerk's file
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def yaml_text(path: str, data: dict[str, Any], source: str) -> str:
    """The file as it will be written: schema comment, a draft notice, then the data."""
    folder = Path(path).parts[1] if len(Path(path).parts) > 1 else ""
    kind, depth = _SCHEMAS.get(folder, ("meeting", 3))
    head = [
        f"# yaml-language-server: $schema={'../' * depth}schema/{kind}.json",
        f"# DRAFT imported by `minutebook import` from {source}: check it against the pack.",
    ]
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(head) + "\n" + body


@dataclass
class Written:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


def write_files(
    root: Path, files: dict[str, str], force: bool, show: Callable[[str], None] = print
) -> Written:
    """Write each file; an existing one is kept, or with `force` replaced after its diff is shown."""
    outcome = Written()
    for rel, text in sorted(files.items()):
        target = root / rel
        if target.exists():
            old = target.read_text(encoding="utf-8")
            if old == text:
                outcome.kept.append(rel)
                continue
            if not force:
                outcome.kept.append(rel)
                continue
            show(diff(rel, old, text))
            outcome.replaced.append(rel)
        else:
            outcome.written.append(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return outcome


def diff(rel: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{rel}", f"b/{rel}"
    )
    return "".join(lines)
