"""Open data: every JSON file valid against the schema its header names; the bulk file holds exactly
the records the site shows; exempt business gives only its title, paragraph and public summary;
the Open Civic Data events use the OCD field names; the bytes are the same build after build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from minutebook.build import BuildResult, check
from minutebook.outputs import opendata
from minutebook.outputs.opendata import BULK_FILE, _Exporter, export, public_actions, public_resolutions
from minutebook.outputs.opendata_shapes import ActionFile, BodyFile, PersonFile, WorkProgrammeFile, dump
from minutebook.render import Renderer
from sitekit import build_site, copy_example, copy_fixture

SITES = {"example": copy_example, "fixture": copy_fixture}
EXEMPT_MEETING = "bodies/planning-committee/meetings/2022-11-16/index.json"


@pytest.fixture(scope="module", params=sorted(SITES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = SITES[request.param](tmp_path_factory.mktemp(request.param))
    return build_site(root, search=False)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_site(copy_fixture(tmp_path_factory.mktemp("fixture-data")), search=False)


def json_files(out: Path) -> dict[str, Any]:
    return {
        p.relative_to(out).as_posix(): json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(out.rglob("*.json"))
        if not {"schema", "pagefind"} & set(p.relative_to(out).parts)
    }


def local(out: Path, base_url: str, url: str) -> Path:
    assert url.startswith(base_url), url
    path = url.removeprefix(base_url).split("#")[0]
    return out / (f"{path}index.html" if path.endswith("/") or not path else path)


def test_every_json_file_is_valid_against_the_schema_its_header_names(built: BuildResult) -> None:
    base = built.site.config.base_url
    files = json_files(built.out)
    validated = 0
    for rel, data in files.items():
        header = data["header"]
        assert header["licence"] == built.site.config.licence, rel
        assert header["licence_url"] == built.site.config.licence_url, rel
        schema = json.loads(local(built.out, base, header["schema_url"]).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
        assert not errors, f"{rel}: {errors[0].message} at {list(errors[0].absolute_path)}"
        validated += 1
    site = built.site
    expected = len(site.meetings) + len(public_actions(site)) + len(site.people) + len(site.bodies)
    expected += len(site.programmes) + 2  # the bulk file and the OCD events
    assert validated == expected
    print(f"{validated} JSON files validated")


def test_each_record_file_sits_beside_its_page(built: BuildResult) -> None:
    for rel, data in json_files(built.out).items():
        if rel.startswith("data/"):
            continue
        (record,) = (v for k, v in data.items() if k not in ("header", "minutes", "resolutions"))
        assert rel == record["json_url"].removeprefix(built.site.config.base_url)
        assert (built.out / rel).with_name("index.html").is_file(), rel


def test_the_bulk_file_holds_exactly_what_the_site_shows(built: BuildResult) -> None:
    site = built.site
    bulk = json.loads((built.out / BULK_FILE).read_text(encoding="utf-8"))
    assert len(bulk["meetings"]) == len(site.meetings)
    assert len(bulk["minutes"]) == sum(len(m.minutes) for m in site.meetings)
    assert len(bulk["resolutions"]) == len(public_resolutions(site))
    assert [a["id"] for a in bulk["actions"]] == [a.id for a in public_actions(site)]
    assert {p["id"] for p in bulk["people"]} == set(site.people)
    assert {b["id"] for b in bulk["bodies"]} == set(site.bodies)
    assert len(bulk["work_programmes"]) == len(site.programmes)
    records = [
        r
        for kind in ("meetings", "minutes", "resolutions", "actions", "people", "bodies")
        for r in bulk[kind]
    ]
    for record in records:  # every permalink is a page of the site with that anchor
        page = local(built.out, site.config.base_url, record["url"])
        assert page.is_file(), record["url"]
        anchor = record["url"].partition("#")[2]
        assert not anchor or f'id="{anchor}"' in page.read_text(encoding="utf-8"), record["url"]


def test_linked_ids_resolve_within_the_bulk_file(built: BuildResult) -> None:
    bulk = json.loads((built.out / BULK_FILE).read_text(encoding="utf-8"))
    ids = {kind: {r["id"] for r in bulk[kind]} for kind in bulk if kind != "header"}
    for minute in bulk["minutes"]:
        assert minute["meeting"] in ids["meetings"]
        assert set(minute["resolutions"]) <= ids["resolutions"]
        assert set(minute["actions"]) <= ids["actions"]
        assert {r["minute"] for r in minute["further_to"] if r["minute"]} <= ids["minutes"]
    for action in bulk["actions"]:
        assert action["minute"] in ids["minutes"] and action["status"] in ("open", "overdue", "done")
    for meeting in bulk["meetings"]:
        assert meeting["body"] in ids["bodies"]
        assert {meeting["previous"], meeting["next"]} - {None} <= ids["meetings"]


def test_exempt_business_gives_only_title_paragraph_and_public_summary(fixture_site: BuildResult) -> None:
    data = json.loads((fixture_site.out / EXEMPT_MEETING).read_text(encoding="utf-8"))
    item = next(i for i in data["meeting"]["agenda"] if i["exempt"])
    assert (item["title"], item["exempt"]) == ("Land at the Canal Basin", {"paragraph": 3})
    assert item["public_summary"] and not item["description"] and not item["reports"] and not item["topics"]
    minute = next(m for m in data["minutes"] if m["exempt"])
    assert (minute["number"], minute["exempt"]) == ("10/22", {"paragraph": 3})
    assert minute["public_summary"] and minute["text"] is None and minute["resolutions"] == []
    assert minute["actions"] == [] and minute["topics"] == [] and minute["further_to"] == []
    meetings = fixture_site.site.meetings  # the exemption's own note is not published either
    exempt_note = next(a.record.exempt.note for m in meetings for a in m.agenda if a.record.exempt)
    assert exempt_note
    for path in fixture_site.out.rglob("*.json"):
        assert exempt_note not in path.read_text(encoding="utf-8"), path


def test_the_export_is_deterministic(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    first_site, _ = check(root)
    second_site, _ = check(root)
    first, second = export(first_site, Renderer(first_site)), export(second_site, Renderer(second_site))
    assert first == second
    text = first[BULK_FILE].decode("utf-8")
    canonical = json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical + "\n" == text


# ---------------------------------------------------------------- Open Civic Data


OCD_EVENT_FIELDS = {
    "_type", "id", "name", "description", "classification", "start_date", "end_date", "timezone", "all_day",
    "status", "location", "media", "links", "participants", "documents", "agenda", "sources", "extras",
}  # fmt: skip


def test_ocd_events_follow_the_ocd_event_schema(fixture_site: BuildResult) -> None:
    data = json.loads((fixture_site.out / "data/ocd-events.json").read_text(encoding="utf-8"))
    events = data["events"]
    assert len(events) == len(fixture_site.site.meetings)
    assert len({e["id"] for e in events}) == len(events)
    for event in events:
        assert set(event) == OCD_EVENT_FIELDS
        assert event["id"].startswith("ocd-event/") and event["classification"] == "committee-meeting"
        assert event["status"] in ("cancelled", "tentative", "confirmed", "passed")
        assert set(event["location"]) == {"name", "note", "url", "coordinates"}
        assert event["participants"][0]["entity_type"] == "organization"
        for participant in event["participants"]:
            assert set(participant) == {"name", "entity_type", "note", "id"}
        for entry in event["agenda"]:
            assert {"description", "order", "subjects", "related_entities", "notes"} <= set(entry)
        for document in event["documents"]:
            assert {"note", "url", "media_type", "links"} <= set(document)
    held = next(e for e in events if e["extras"]["minutebook_id"] == "planning-committee/2022-11-16")
    assert held["start_date"].startswith("2022-11-23T") and held["status"] == "passed"
    exempt = next(a for a in held["agenda"] if a["description"] == "Land at the Canal Basin")
    assert exempt["related_entities"] == [] and exempt["classification"] == ["private"]
    meeting = next(m for m in fixture_site.site.meetings if m.slug == "2022-11-16")
    summary = next(a.record.public_summary for a in meeting.agenda if a.record.exempt)
    assert exempt["notes"] == [summary]
    people = {p["note"] for e in events for p in e["participants"]}
    assert {"host", "chair", "present"} <= people


def test_ocd_media_carry_webcasts_and_recordings(fixture_site: BuildResult) -> None:
    events = json.loads((fixture_site.out / "data/ocd-events.json").read_text(encoding="utf-8"))["events"]
    media = [m for e in events for m in e["media"]]
    with_links = [m for m in fixture_site.site.meetings if m.record.webcast or m.record.recording]
    assert with_links, "the fixture has a meeting with a webcast or recording"
    assert {m["type"] for m in media} <= {"webcast", "recording"}
    assert len(media) == sum(bool(m.record.webcast) + bool(m.record.recording) for m in with_links)


@pytest.mark.parametrize(
    "spool_bytes",
    [opendata.SPOOL_BYTES, 1, 2000],
    ids=["in-memory", "spilled-record-by-record", "spilled-in-batches-and-in-memory"],
)
@pytest.mark.parametrize("site", sorted(SITES))
def test_the_files_are_their_shapes_dumped_whole(
    site: str, spool_bytes: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each record is dumped once and its bytes put into its own file and the bulk file's list of
    its kind (written in batches to a temporary file once it outgrows memory): every file must be what dumping
    its whole shape gives, record for record and in the same order."""
    monkeypatch.setattr(opendata, "SPOOL_BYTES", spool_bytes)
    linked, _ = check(SITES[site](tmp_path))
    exporter = _Exporter(linked, Renderer(linked))
    files = export(linked, Renderer(linked))
    assert files[BULK_FILE] == dump(exporter.bulk())
    for meeting in linked.meetings:
        assert files[f"{meeting.url}index.json"] == dump(exporter.meeting_file(meeting)), meeting.url
    action = public_actions(linked)[0]
    header = exporter.header
    assert files[f"{action.url}index.json"] == dump(
        ActionFile(header=header("action"), action=exporter.action(action))
    )
    person = next(iter(linked.people.values()))
    assert files[f"{person.url}index.json"] == dump(
        PersonFile(header=header("person"), person=exporter.person(person))
    )
    body = next(iter(linked.bodies.values()))
    assert files[f"{body.url}index.json"] == dump(BodyFile(header=header("body"), body=exporter.body(body)))
    programme = linked.programmes[0]
    assert files[f"{programme.url}index.json"] == dump(
        WorkProgrammeFile(header=header("work-programme"), work_programme=exporter.programme(programme))
    )
    bulk = json.loads(files[BULK_FILE])
    assert bulk["meetings"] and bulk["minutes"] and bulk["resolutions"] and bulk["actions"]
    assert bulk["header"]["schema_url"].endswith("data/schema/minutebook.json")
    assert not [rel for rel in files if not rel.endswith((".json", ".txt"))], "no temporary file is left"
