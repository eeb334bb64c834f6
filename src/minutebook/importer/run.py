"""`minutebook import`: read packs, match bodies and people, write drafts and the report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from minutebook.importer.assemble import Data, assemble, membership
from minutebook.importer.bodies import BodyChoice, choose_body
from minutebook.importer.dates import municipal_start
from minutebook.importer.pack import read_pack
from minutebook.importer.patterns import DEFAULT, Patterns
from minutebook.importer.people import Known, People
from minutebook.importer.report import PackReport, render_report
from minutebook.importer.write import Written, write_files, yaml_text


@dataclass
class ImportOptions:
    site: Path
    packs: list[Path]
    body: str | None = None
    force: bool = False
    report: Path | None = None
    patterns: Patterns = DEFAULT


@dataclass
class ImportOutcome:
    written: Written
    report_path: Path
    proposed: list[Known] = field(default_factory=list)
    reports: list[PackReport] = field(default_factory=list)


def run_import(options: ImportOptions, show: Callable[[str], None] = print) -> ImportOutcome:
    site = options.site
    bodies = _read_dir(site / "content" / "bodies")
    people = People(
        [_known(d) for d in _read_dir(site / "content" / "people") if d.get("id") and d.get("name")]
    )
    files: dict[str, Data] = {}
    sources: dict[str, str] = {}
    markdown: dict[str, str] = {}
    reports = []
    for path in options.packs:
        draft = read_pack(path.read_text(encoding="utf-8", errors="replace"), path.name, options.patterns)
        printed = [draft.front.body, draft.minutes.body if draft.minutes else None]
        choice = choose_body(printed, bodies, options.body)
        report = PackReport(draft, f"{choice.name} (`{choice.id}`)", choice.new)
        _membership(membership(draft, people), choice, draft, bodies, files, report)
        assembled = assemble(draft, choice, people)
        for rel, data in assembled.yaml.items():
            _merge(files.setdefault(rel, {}), data)
            named = [n for n in sources.get(rel, "").split(", ") if n]
            sources[rel] = ", ".join(dict.fromkeys([*named, path.name]))
        markdown.update(assembled.markdown)
        reports.append(report)
    for person in people.proposed():
        rel = f"content/people/{person.id}.yaml"
        files[rel], sources[rel] = _person(person), "the packs imported"
    texts = {rel: yaml_text(rel, data, sources.get(rel, "")) for rel, data in files.items()} | markdown
    written = write_files(site, texts, options.force, show)
    report_path = options.report or site / "import-report.md"
    report_path.write_text(render_report(reports, people.proposed(), written), encoding="utf-8")
    return ImportOutcome(written, report_path, people.proposed(), reports)


def _merge(into: Data, data: Data) -> None:
    """Two packs give one file: a meeting's agenda and later its minutes, or two programme versions."""
    revisions = into.get("revisions", []) + data.get("revisions", [])
    into.update(data)
    if revisions:
        into["revisions"] = sorted(revisions, key=lambda r: r["date"])


def _membership(
    entries: list[Data],
    choice: BodyChoice,
    draft: Any,
    bodies: list[dict[str, Any]],
    files: dict[str, Data],
    report: PackReport,
) -> None:
    rel = f"content/bodies/{choice.id}.yaml"
    if choice.new:
        body = files.setdefault(rel, _new_body(choice))
        if all(b.get("id") != choice.id for b in bodies):
            bodies.append(body)
    if not entries or draft.front.date is None:
        return
    start = municipal_start(draft.front.date, choice.start_month)
    label = f"{start}/{(start + 1) % 100:02d}"
    if choice.new:
        files[rel]["membership"].setdefault(label, entries)
    elif label not in (next((b for b in bodies if b.get("id") == choice.id), {}).get("membership") or {}):
        names = ", ".join(f"{e['person']} ({e['role']})" for e in entries)
        report.notes.append(f"membership {label} as printed, not written to the existing body file: {names}")


def _new_body(choice: BodyChoice) -> Data:
    lowered = choice.name.lower()
    kind = "cabinet" if "cabinet" in lowered else "scrutiny board" if "scrutiny" in lowered else "committee"
    return {"id": choice.id, "name": choice.name, "kind": kind, "membership": {}}


def _person(person: Known) -> Data:
    data = {"id": person.id, "name": person.name, "honorific": person.honorific, "kind": person.kind}
    data |= {"directorate": person.directorate, "job_title": person.job_title}
    return {k: v for k, v in data.items() if v}


def _known(data: dict[str, Any]) -> Known:
    former = [str(n) for n in data.get("former_names") or []]
    return Known(
        str(data["id"]),
        str(data["name"]),
        str(data.get("kind") or "councillor"),
        data.get("honorific"),
        data.get("directorate"),
        data.get("job_title"),
        former,
    )


def _read_dir(folder: Path) -> list[dict[str, Any]]:
    found = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue
        if isinstance(data, dict):
            found.append(data | {"id": data.get("id") or path.stem})
    return found
