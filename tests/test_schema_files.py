"""Editors validate content files against schema/*.json: those files must match the model."""

from __future__ import annotations

import json

from minutebook.schema import schemas
from sitekit import REPO


def test_committed_schemas_match_the_content_model() -> None:
    for name, schema in schemas().items():
        committed = REPO / "schema" / f"{name}.json"
        assert committed.exists(), f"schema/{name}.json is missing: run `minutebook schema --out schema`"
        assert json.loads(committed.read_text()) == schema, (
            f"schema/{name}.json is out of date: run `minutebook schema --out schema`"
        )


def test_every_example_content_file_names_its_schema() -> None:
    kinds = {"bodies": "body", "people": "person", "meetings": "meeting", "work-programmes": "work_programme"}
    for path in sorted((REPO / "content").rglob("*.yaml")):
        rel = path.relative_to(REPO)
        kind = kinds.get(rel.parts[1])
        if kind is None:
            continue
        first = path.read_text().splitlines()[0]
        target = (path.parent / first.split("$schema=", 1)[-1]).resolve()
        assert first.startswith("# yaml-language-server: $schema="), f"{rel} does not name its schema"
        assert target == (REPO / "schema" / f"{kind}.json").resolve(), f"{rel} names {target}"
        assert target.exists()
