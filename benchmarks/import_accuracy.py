"""How accurately `minutebook import` reads agenda packs, scored against hand-written answer keys.

    .venv/bin/python benchmarks/import_accuracy.py --out benchmarks/IMPORT_RESULTS.json

Imports every seed pack in ../shared/seeds/ (skipped when absent; $MINUTEBOOK_SEEDS_DIR overrides)
into a copy of the example site's bodies and people, and every variant pack under
benchmarks/import_variants/ into an empty site; reads back the files written and compares their
facts with benchmarks/import_keys/*.yaml and import_variants/*.yaml. Precision and recall per
field, seeds and variants apart; also writes a Markdown table beside the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from minutebook.importer.pack import read_pack
from minutebook.importer.people import name_key
from minutebook.importer.run import ImportOptions, run_import

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
Fact = tuple[Any, ...]
FIELDS = [
    "body",
    "meeting",
    "agenda_items",
    "agenda_pages",
    "agenda_reports",
    "agenda_subitems",
    "agenda_private",
    "membership",
    "minutes_meeting",
    "attendance",
    "declarations",
    "minute_items",
    "resolutions",
    "references",
    "work_programme",
]


def norm(text: object) -> str:
    text = str(text).lower().replace("’", "'").replace("–", "-").replace("—", "-")
    text = re.sub(r"\b(\d{1,2})(st|nd|rd|th)\b", r"\1", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def person(name: str) -> str:
    initial, surname = name_key(name)
    return f"{initial} {surname}"


# ---- facts in an answer key -------------------------------------------------------------------


def key_facts(key: dict[str, Any]) -> dict[str, list[Fact]]:
    facts: dict[str, list[Fact]] = {f: [] for f in FIELDS}
    facts["body"] = [(norm(key["body"]),)]
    facts["meeting"] = [(k, _value(k, v)) for k, v in key["meeting"].items()]
    for item in key.get("agenda", []):
        _agenda_facts(facts, item)
    for role, names in (key.get("membership") or {}).items():
        facts["membership"] += [(role, person(n)) for n in names]
    minutes = key.get("minutes")
    if minutes:
        facts["minutes_meeting"] = [("date", str(minutes["date"])), ("closed_at", minutes["closed_at"])]
        for category, names in minutes["attendance"].items():
            facts["attendance"] += [(category, _attendee(n)) for n in names]
        facts["declarations"] = [(person(n),) for n in minutes.get("declarations", [])]
        for item in minutes["items"]:
            facts["minute_items"].append((item["number"], norm(item["title"])))
            facts["resolutions"].append((item["number"], tuple(item.get("resolutions", []))))
            facts["references"] += [(item["number"], r) for r in item.get("further_to", [])]
    for planned, title in (key.get("work_programme") or {}).get("rows", []):
        facts["work_programme"].append((str(planned), norm(title)))
    return facts


def _value(field: str, value: object) -> str:
    return (
        person(str(value)) if field == "contact_officer" else norm(value) if field == "venue" else str(value)
    )


def _attendee(name: str) -> str:
    return ">".join(person(n) for n in name.split(">"))


def _agenda_facts(facts: dict[str, list[Fact]], item: dict[str, Any]) -> None:
    number = str(item["number"])
    facts["agenda_items"].append((number, norm(item["title"])))
    if item.get("pages"):
        facts["agenda_pages"].append((number, item["pages"]))
    if item.get("kind"):
        facts["agenda_reports"].append((number, norm(item["kind"]), norm(item.get("author") or "")))
    if item.get("subitems"):
        facts["agenda_subitems"].append((number, item["subitems"]))
    if item.get("private"):
        facts["agenda_private"].append((number,))


# ---- facts in what the importer wrote ---------------------------------------------------------


class Site:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.names = {p.stem: _load(p).get("name", p.stem) for p in (root / "content/people").glob("*.yaml")}
        self.bodies = {p.stem: _load(p) for p in (root / "content/bodies").glob("*.yaml")}

    def who(self, person_id: str) -> str:
        return person(self.names.get(person_id, person_id))


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def imported_facts(site: Site, pack: Path, key: dict[str, Any]) -> dict[str, list[Fact]]:
    facts: dict[str, list[Fact]] = {f: [] for f in FIELDS}
    draft = read_pack(pack.read_text(encoding="utf-8"), pack.name)
    facts["membership"] = [(role, person(n.name)) for n, role in draft.front.membership]
    folders = [p for p in (site.root / "content/meetings").glob("*") if p.is_dir()]
    for folder in folders:
        facts["body"].append((norm(site.bodies.get(folder.name, {}).get("name", folder.name)),))
        front = folder / f"{key['meeting']['date']}.yaml"
        for path in sorted(folder.glob("*.yaml")):
            data = _load(path)
            if path == front:
                _front_facts(site, data, facts)
            if data.get("minutes"):
                _minutes_facts(site, data, facts)
    for path in (site.root / "content/work-programmes").glob("*/*.yaml"):
        for row in _load(path)["revisions"][-1]["items"]:
            facts["work_programme"].append((str(row.get("planned")), norm(row["title"])))
    return facts


def _front_facts(site: Site, data: dict[str, Any], facts: dict[str, list[Fact]]) -> None:
    for field in ("date", "time", "venue", "remote_link", "agenda_published", "contact_officer"):
        if data.get(field) is not None:
            value = site.who(data[field]) if field == "contact_officer" else _value(field, data[field])
            facts["meeting"].append((field, value))
    for item in data.get("agenda", []):
        number = str(item["number"])
        facts["agenda_items"].append((number, norm(item["title"])))
        if item.get("pages"):
            facts["agenda_pages"].append((number, item["pages"]))
        for report in item.get("reports", [])[:1]:
            facts["agenda_reports"].append((number, norm(report["kind"]), norm(report.get("author") or "")))
        if item.get("items"):
            facts["agenda_subitems"].append((number, len(item["items"])))
        if item.get("private"):
            facts["agenda_private"].append((number,))


def _minutes_facts(site: Site, data: dict[str, Any], facts: dict[str, list[Fact]]) -> None:
    minutes = data["minutes"]
    facts["minutes_meeting"] = [("date", str(data["date"])), ("closed_at", minutes.get("closed_at"))]
    attendance = data.get("attendance", {})
    for category, value in attendance.items():
        if category == "chair":
            facts["attendance"].append(("chair", site.who(value)))
        elif category == "substitutes":
            facts["attendance"] += [
                (category, f"{site.who(s['person'])}>{site.who(s['for'])}") for s in value
            ]
        elif category == "invited":
            facts["attendance"] += [
                (category, site.who(g["person"]) if g.get("person") else person(g["name"])) for g in value
            ]
        else:
            facts["attendance"] += [(category, site.who(p)) for p in value]
    facts["declarations"] = [(site.who(d["person"]),) for d in data.get("declarations", [])]
    for item in minutes["items"]:
        number = int(str(item["number"]).split("/")[0])
        facts["minute_items"].append((number, norm(item["title"])))
        facts["resolutions"].append((number, tuple(r.get("number") for r in item.get("resolutions", []))))
        facts["references"] += [(number, ref) for ref in item.get("further_to", [])]


# ---- scoring ----------------------------------------------------------------------------------


def _align_references(got: list[Fact], want: list[Fact]) -> list[Fact]:
    """A key that gives 'Minute 198' without its year is matched on the number alone."""
    bare = {(m, r) for m, r in want if "/" not in str(r)}
    return [(m, r.split("/")[0]) if (m, r.split("/")[0]) in bare else (m, r) for m, r in got]


def score(got: dict[str, list[Fact]], want: dict[str, list[Fact]], totals: dict[str, Counter[str]]) -> None:
    got["references"] = _align_references(got["references"], want["references"])
    for field in FIELDS:
        g, w = Counter(got[field]), Counter(want[field])
        hit = sum((g & w).values())
        totals[field].update(tp=hit, fp=sum(g.values()) - hit, fn=sum(w.values()) - hit)


def summary(totals: dict[str, Counter[str]]) -> dict[str, dict[str, float | int | None]]:
    out: dict[str, dict[str, float | int | None]] = {}
    for field in FIELDS:
        tp, fp, fn = totals[field]["tp"], totals[field]["fp"], totals[field]["fn"]
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        out[field] = {"tp": tp, "fp": fp, "fn": fn, "precision": _round(precision), "recall": _round(recall)}
    return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def run_one(
    pack: Path, key_path: Path, with_example: bool, totals: dict[str, Counter[str]]
) -> dict[str, Any]:
    key = yaml.safe_load(key_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content/people").mkdir(parents=True)
        (root / "content/bodies").mkdir(parents=True)
        shutil.copy(REPO / "site_config.yaml", root / "site_config.yaml")
        if with_example:
            shutil.copytree(REPO / "content/people", root / "content/people", dirs_exist_ok=True)
            shutil.copytree(REPO / "content/bodies", root / "content/bodies", dirs_exist_ok=True)
        outcome = run_import(ImportOptions(root, [pack], report=root / "report.md"), show=lambda _: None)
        got = imported_facts(Site(root), pack, key)
    mine: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    score(got, key_facts(key), mine)
    for field in FIELDS:
        totals[field].update(mine[field])
    unplaced = sum(len(r.pack.unplaced) for r in outcome.reports)
    return {"pack": pack.name, "unplaced_lines": unplaced, "fields": summary(mine)}


def seeds_dir() -> Path:
    return Path(os.environ.get("MINUTEBOOK_SEEDS_DIR") or REPO.parent / "shared" / "seeds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=HERE / "IMPORT_RESULTS.json")
    args = parser.parse_args(argv)
    sets: dict[str, list[tuple[Path, Path, bool]]] = {"seeds": [], "variants": [], "held_out": []}
    if seeds_dir().is_dir():
        for key in sorted((HERE / "import_keys").glob("*.yaml")):
            pack = seeds_dir() / f"{key.stem}.txt"
            if pack.is_file():
                sets["seeds"].append((pack, key, True))
    else:
        print(f"no seed packs at {seeds_dir()}: scoring the variants only", file=sys.stderr)
    for pack in sorted((HERE / "import_variants").glob("*.txt")):
        sets["variants"].append((pack, pack.with_suffix(".yaml"), False))
    for pack in sorted((HERE / "import_heldout").glob("*.txt")):
        sets["held_out"].append((pack, pack.with_suffix(".yaml"), False))
    result: dict[str, Any] = {}
    for name, packs in sets.items():
        totals: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
        per_pack = [run_one(pack, key, example, totals) for pack, key, example in packs]
        result[name] = {"packs": per_pack, "fields": summary(totals)}
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return 0


def markdown(result: dict[str, Any]) -> str:
    before = _first_run()
    sets = [name for name in ("seeds", "variants", "held_out") if result[name]["packs"]]
    lines = [
        "# Import accuracy",
        "",
        "`benchmarks/import_accuracy.py`: facts read by `minutebook import` against hand-written keys.",
        "P = precision, R = recall; n = facts in the keys; – = nothing to score.",
        "",
    ]
    lines += [f"- {name}: " + ", ".join(p["pack"] for p in result[name]["packs"]) for name in sets]
    if before:
        lines.append(
            "- first run: the held-out packs, each scored on its first run before the importer was changed "
            "for it (IMPORT_HELDOUT_BEFORE.json); the held-out packs were written after the importer"
        )
    header = [f"{name} {x}" for name in sets for x in ("P", "R", "n")] + (
        ["first run P", "first run R"] * bool(before)
    )
    lines += ["", "| field | " + " | ".join(header) + " |", "|---" * (len(header) + 1) + "|"]
    for field in FIELDS:
        cells = [field]
        for name in sets:
            f = result[name]["fields"][field]
            cells += [_cell(f["precision"]), _cell(f["recall"]), str(f["tp"] + f["fn"])]
        if before:
            f = before["held_out"]["fields"][field]
            cells += [_cell(f["precision"]), _cell(f["recall"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _first_run() -> dict[str, Any] | None:
    path = HERE / "IMPORT_HELDOUT_BEFORE.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    sys.exit(main())
