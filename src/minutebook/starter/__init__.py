"""`minutebook init DIR`: a new site repository that checks, builds and publishes as it stands.

It holds site_config.yaml, a content skeleton (one body, one person, an about page),
templates/ with a README on overrides, schema/ for editors, the two GitHub workflows
pinned to this Minutebook release, a .gitignore and a README. The files that carry
words live in `starter/files/`; dotted names (.gitignore, .github/) are stored without
their dot so that every packaging tool keeps them.
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path

from minutebook import __version__, scaffold
from minutebook.records import MunicipalYear
from minutebook.schema import schemas

#: Files copied from starter/files/, with the placeholders filled in: source → where it goes.
COPIED = {
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "templates/README.md": "templates/README.md",
    "about.md": "content/pages/about.md",
    "github/workflows/ci.yml": ".github/workflows/ci.yml",
    "github/workflows/publish.yml": ".github/workflows/publish.yml",
}
BODY_ID = "full-council"
PERSON_ID = "a-member"


def create(target: Path, *, council: str, base_url: str, today: date | None = None) -> list[str]:
    """Write the new site into `target` (which the caller has checked is empty); the paths written."""
    files = {**_copied(council), **_generated(council, base_url, today or date.today())}
    for rel, text in sorted(files.items()):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(files)


def _copied(council: str) -> dict[str, str]:
    root = resources.files("minutebook") / "starter" / "files"
    out = {}
    for source, rel in COPIED.items():
        text = root.joinpath(*source.split("/")).read_text(encoding="utf-8")
        out[rel] = text.replace("{{VERSION}}", __version__).replace("{{COUNCIL}}", council)
    return out


def _generated(council: str, base_url: str, today: date) -> dict[str, str]:
    year = MunicipalYear.containing(today)
    body = scaffold.body_file(BODY_ID, "Full Council", year).replace(
        f'  "{year.label}": []', f'  "{year.label}":\n    - {{person: {PERSON_ID}, role: chair}}'
    )
    files = {
        "site_config.yaml": _site_config(council, base_url),
        f"content/bodies/{BODY_ID}.yaml": body,
        f"content/people/{PERSON_ID}.yaml": scaffold.person_file(
            PERSON_ID, "A Member", "Councillor", "councillor"
        ),
        f"content/meetings/{BODY_ID}/.keep": "",
    }
    for name, schema in schemas().items():
        files[f"schema/{name}.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return files


def _site_config(council: str, base_url: str) -> str:
    return "\n".join(
        [
            scaffold.schema_comment("site_config", 0),
            f"council: {json.dumps(council, ensure_ascii=False)}",
            f"base_url: {json.dumps(base_url)}",
            "timezone: Europe/London",
            "language: en-GB",
            "# contact_email: democratic.services@example.org",
            "licence: Open Government Licence v3.0",
            "licence_url: https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "page_size: 50",
            "search: true",
            "",
        ]
    )
