"""The import report: what was written and kept, who was proposed, and every line not placed."""

from __future__ import annotations

from dataclasses import dataclass, field

from minutebook.importer.draft import PackDraft
from minutebook.importer.people import Known
from minutebook.importer.write import Written


@dataclass
class PackReport:
    pack: PackDraft
    body: str
    body_new: bool
    notes: list[str] = field(default_factory=list)


def render_report(packs: list[PackReport], proposed: list[Known], written: Written) -> str:
    out = ["# Import report", "", "Everything below is a draft for a clerk to review before publishing.", ""]
    out += _files(written)
    out += _people(proposed)
    for report in packs:
        out += _pack(report)
    return "\n".join(out).rstrip() + "\n"


def _files(written: Written) -> list[str]:
    out = ["## Files", ""]
    out += [f"- written: `{p}`" for p in written.written]
    out += [f"- replaced (--force): `{p}`" for p in written.replaced]
    out += [
        f"- **kept, not overwritten** (it exists; --force replaces it after a diff): `{p}`"
        for p in written.kept
    ]
    return out + [""]


def _people(proposed: list[Known]) -> list[str]:
    out = [
        "## People proposed",
        "",
        "Check each is not someone already in content/people/ under another name.",
        "",
    ]
    out += [f"- `{p.id}`: {p.name} ({p.kind})" for p in proposed] or ["- none"]
    return out + [""]


def _pack(report: PackReport) -> list[str]:
    pack = report.pack
    front, minutes = pack.front, pack.minutes
    out = [f"## {pack.source}", ""]
    out.append(f"- body: {report.body}" + (" (new: check its name and id)" if report.body_new else ""))
    out.append(f"- meeting: {front.date} {front.time or ''}, {len(front.agenda)} agenda items")
    if minutes:
        out.append(f"- minutes of {minutes.date}: {len(minutes.items)} items, closed at {minutes.closed_at}")
    if pack.programme:
        out.append(f"- work programme {pack.programme.year}: {len(pack.programme.rows)} rows")
    out += [f"- {note}" for note in report.notes]
    out += ["", f"### Source lines not placed ({len(pack.unplaced)})", ""]
    out += [f"- line {n}: {_quote(text)}" for n, text in pack.unplaced] or ["- none"]
    if pack.unattached_documents:
        out += ["", "### Papers not attached to an agenda item", ""]
        out += [f"- from line {n}: {_quote(text[:80])}…" for n, text in pack.unattached_documents]
    out += ["", f"### Artefacts removed ({len(pack.removed)})", ""]
    out += [f"- line {n}: {what}" for n, what in pack.removed] or ["- none"]
    return out + [""]


def _quote(text: str) -> str:
    return "`" + text.replace("`", "'").replace("\t", " ⇥ ") + "`"
