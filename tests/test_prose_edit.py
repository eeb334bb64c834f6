"""The preview's fastest path: a save of words only (prose, titles) writes what a full build would."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from minutebook import prose_edit
from minutebook.build import BuildOptions, build
from minutebook.load import ParseCache
from minutebook.outputs import StepContext, default_steps
from minutebook.problems import BuildCancelled
from sitekit import TODAY, copy_fixture, preview_options

MEETING = "content/meetings/planning-committee/2023-06-14.yaml"
EARLIER = "content/meetings/planning-committee/2022-06-15.yaml"
FUTURE = "content/meetings/planning-committee/2027-01-20.yaml"
EXTRAORDINARY = "content/meetings/planning-committee/2023-03-15.yaml"
#: Its agenda item 4 is the work-programme item planned for it, matched by title (no taken_at).
MATCHED = "content/meetings/planning-committee/2024-07-10.yaml"
CABINET = "content/meetings/cabinet/2023-09-12.yaml"


def pages(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.html"))}


def cold_build(site: Path, out: Path) -> dict[str, bytes]:
    build(BuildOptions(root=site, out=out, today=TODAY, jobs=1, search=False))
    return pages(out)


@pytest.fixture()
def kept(tmp_path: Path) -> tuple[Path, BuildOptions, ParseCache, prose_edit.LastBuild]:
    site = copy_fixture(tmp_path / "site")
    cache = ParseCache()
    options = preview_options(site, parse_cache=cache)
    result = build(replace(options, keep=True))
    assert result.kept is not None
    return site, options, cache, result.kept


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


PROSE_EDITS = [
    ("minute text", MEETING, "Councillor Patel substituted.", "Councillor Patel substituted for her."),
    ("resolution text", MEETING, "Asks for the viability evidence", "Asks to see the viability evidence"),
    ("action text", MEETING, "Report the viability evidence", "Report the full viability evidence"),
    (
        "agenda description",
        MEETING,
        "To agree the minutes of the meetings",
        "To agree the minutes of both meetings",
    ),
    ("report summary", MEETING, "A draft guide on how developers", "A draft guide on how house builders"),
    (
        "words before resolutions",
        MEETING,
        "RESOLVED that the Committee:",
        "RESOLVED that the Planning Committee:",
    ),
    (
        "text naming the same minute",
        EARLIER,
        "in item 5b (minute 6/22).",
        "in item 5b, recorded at minute 6/22.",
    ),
    ("Markdown", EARLIER, "Approves the Issues and Options paper", "Approves the *Issues and Options* paper"),
    ("an agenda item title", MEETING, "title: Apologies and substitutions", "title: Apologies for absence"),
    (
        "a minute title cited by another, in a thread and a topic",
        MEETING,
        'title: "Local Plan: Cabinet decision"\n      agenda_item',
        'title: "Local Plan: the Cabinet\'s decision"\n      agenda_item',
    ),
    (
        "a minute title shown with its actions and resolutions",
        MEETING,
        "title: Affordable Housing Supplementary Planning Document\n      agenda_item",
        "title: Affordable housing guidance\n      agenda_item",
    ),
    (
        "an agenda item title in a topic, not minuted",
        FUTURE,
        'title: "Local Plan: Inspector\'s report and adoption"',
        'title: "Local Plan: the Inspector\'s report"',
    ),
    ("a document title", FUTURE, "title: Inspector's report", "title: The Inspector's final report"),
    ("a meeting's title", EXTRAORDINARY, "title: Extraordinary meeting", "title: Special meeting"),
    (
        "an agenda item title a work programme matches, in other words",
        MATCHED,
        'title: "Local Plan: examination update"',
        'title: "Local plan - examination update"',
    ),
    ("a venue", MEETING, "venue: Committee Room 1, Civic Centre", "venue: Council Chamber, Civic Centre"),
    ("a start time, shown in lists of meetings", EARLIER, 'time: "14:00"', 'time: "10:30"'),
    ("an end time removed", EARLIER, 'end_time: "17:00"\n', ""),
    (
        "a recording's link added",
        MEETING,
        "venue: Committee Room 1, Civic Centre\n",
        "venue: Committee Room 1, Civic Centre\nrecording: https://example.org/recordings/p-2023-06-14\n",
    ),
    ("who published the agenda", MEETING, "published_by: P Kaur", "published_by: Q Kaur"),
    ("when the meeting closed", EARLIER, 'closed_at: "16:05"', 'closed_at: "16:25"'),
    ("the pages of an agenda item", EARLIER, "pages: 7 - 24", "pages: 7 - 26"),
    ("a report's author", MEETING, "author: Head of Planning", "author: Director of Planning"),
    ("an interest declared", EARLIER, "interest: A close relative", "interest: A relative"),
    (
        "an action's owner, not a person",
        CABINET,
        "owner_note: Director of Housing",
        "owner_note: Head of Housing Strategy",
    ),
    ("a member no longer present", MEETING, "present: [b-okafor, c-lindqvist]", "present: [b-okafor]"),
    (
        "someone present for the first time",
        MEETING,
        "present: [b-okafor, c-lindqvist]",
        "present: [b-okafor, c-lindqvist, g-whitmore]",
    ),
    (
        "a member's apologies instead",
        MEETING,
        "present: [b-okafor, c-lindqvist]\n",
        "present: [c-lindqvist]\n  absent: [b-okafor]\n",
    ),
    (
        "attendance recorded where there was none",
        FUTURE,
        "agenda:\n",
        "attendance:\n  chair: a-hartley\n  apologies: [d-marsh]\nagenda:\n",
    ),
]


@pytest.mark.parametrize(("what", "rel", "old", "new"), PROSE_EDITS, ids=[e[0] for e in PROSE_EDITS])
def test_a_prose_edit_writes_what_a_full_build_would(
    kept: tuple[Path, BuildOptions, ParseCache, prose_edit.LastBuild],
    tmp_path: Path,
    what: str,
    rel: str,
    old: str,
    new: str,
) -> None:
    site, options, cache, last = kept
    before = pages(site / "_site")
    edit(site, rel, old, new)
    written = prose_edit.apply(last, {rel}, cache)
    assert written is not None, f"a {what} edit should take the fast path"
    after = pages(site / "_site")
    assert after == cold_build(site, tmp_path / "cold"), "every page must be what a full build writes"
    changed = {path for path in after if after[path] != before[path]}
    assert changed and changed <= set(written)
    assert len(written) < len(after) / 2, "only the pages that show the file are written"


def test_a_new_attendee_is_recorded_as_showing_the_meeting(
    kept: tuple[Path, BuildOptions, ParseCache, prose_edit.LastBuild],
) -> None:
    """After an attendance save, the kept dependency record says what a fresh build would: the
    new attendee's page lists the meeting, so a later save of what lists show rewrites it."""
    site, options, cache, last = kept
    edit(site, MEETING, "present: [b-okafor, c-lindqvist]", "present: [b-okafor, c-lindqvist, g-whitmore]")
    assert prose_edit.apply(last, {MEETING}, cache) is not None
    fresh = build(replace(options, keep=True, parse_cache=ParseCache())).kept
    assert fresh is not None
    listed = f"{MEETING}#listed meeting"
    assert [s.path for s in fresh.specs] == [s.path for s in last.specs]
    assert set(last.dependents[listed]) == set(fresh.dependents[listed])
    assert any(last.specs[i].path == "people/g-whitmore/index.html" for i in last.dependents[listed])


def test_pages_showing_only_an_action_are_left_alone_by_other_prose_edits(
    kept: tuple[Path, BuildOptions, ParseCache, prose_edit.LastBuild],
) -> None:
    site, _, cache, last = kept
    edit(site, MEETING, "Councillor Patel substituted.", "Councillor Patel substituted for her.")
    minute_text = prose_edit.apply(last, {MEETING}, cache)
    edit(site, MEETING, "Report the viability evidence", "Report the full viability evidence")
    action_text = prose_edit.apply(last, {MEETING}, cache)
    assert minute_text is not None and action_text is not None
    only_for_the_action = set(action_text) - set(minute_text)
    assert any(path.startswith("actions/") for path in only_for_the_action), sorted(only_for_the_action)
    assert set(minute_text) <= set(action_text), "the meeting's own pages are written for both"


STRUCTURAL_EDITS = [
    (
        "an agenda item title a work programme no longer matches",
        MATCHED,
        'title: "Local Plan: examination update"',
        'title: "Local Plan: hearings"',
    ),
    ("an emptied title", MEETING, "title: Apologies and substitutions", "title: ''"),
    (
        "a new minute reference",
        MEETING,
        "Councillor Patel substituted.",
        "Councillor Patel substituted (minute 6/22).",
    ),
    (
        "emptied text",
        MEETING,
        "text: Apologies were received from Councillor Marsh. Councillor Patel substituted.",
        "text: ''",
    ),
    ("an action's owner", MEETING, "owner: j-reed", "owner: f-reyes"),
    (
        "someone with no person file",
        MEETING,
        "present: [b-okafor, c-lindqvist]",
        "present: [b-okafor, z-nobody]",
    ),
    ("a date", MEETING, "date: 2023-06-14", "date: 2023-06-15"),
    ("a time that is not one", MEETING, 'time: "14:00"', 'time: "teatime"'),
    ("a YAML error", MEETING, "title: Apologies and substitutions", "title: [Apologies"),
    (
        "an invalid field",
        MEETING,
        "title: Apologies and substitutions",
        "title: Apologies\n      colour: red",
    ),
]


@pytest.mark.parametrize(
    ("what", "rel", "old", "new"), STRUCTURAL_EDITS, ids=[e[0] for e in STRUCTURAL_EDITS]
)
def test_anything_but_prose_is_left_to_the_build(
    kept: tuple[Path, BuildOptions, ParseCache, prose_edit.LastBuild], what: str, rel: str, old: str, new: str
) -> None:
    site, _, cache, last = kept
    before = pages(site / "_site")
    edit(site, rel, old, new)
    assert prose_edit.apply(last, {rel}, cache) is None, f"{what} is not a prose edit"
    assert pages(site / "_site") == before


def test_other_files_and_several_files_are_left_to_the_build(
    kept: tuple[Path, BuildOptions, ParseCache, prose_edit.LastBuild],
) -> None:
    site, _, cache, last = kept
    person = next((site / "content/people").glob("*.yaml")).relative_to(site).as_posix()
    assert prose_edit.apply(last, {person}, cache) is None
    edit(site, MEETING, "Councillor Patel substituted.", "Councillor Patel substituted for her.")
    assert prose_edit.apply(last, {MEETING, EARLIER}, cache) is None
    assert prose_edit.apply(last, {MEETING}, cache) is not None


class _SaveArrives:
    """A post-build step during which the clerk saves again."""

    name = "a save arrives"

    def __init__(self, cancel: threading.Event) -> None:
        self.cancel = cancel

    def run(self, context: StepContext) -> None:
        self.cancel.set()


def test_a_file_read_by_another_build_since_stops_the_fast_path(
    kept: tuple[Path, BuildOptions, ParseCache, prose_edit.LastBuild],
) -> None:
    """The kept archive must be what every file holds: a file parsed since means it is not."""
    site, options, cache, last = kept
    edit(site, EARLIER, "title: Minutes", "title: Minutes of earlier meetings")
    cancel = threading.Event()
    with pytest.raises(BuildCancelled):  # a build that read the new file, then stopped
        build(replace(options, cancel=cancel, steps=[_SaveArrives(cancel), *default_steps()]))
    edit(site, MEETING, "Councillor Patel substituted.", "Councillor Patel substituted for her.")
    assert prose_edit.apply(last, {MEETING}, cache) is None


def test_builds_after_a_prose_edit_match_a_cold_build(
    kept: tuple[Path, BuildOptions, ParseCache, prose_edit.LastBuild], tmp_path: Path
) -> None:
    """Incremental builds must not reuse a page the fast path wrote, even when the edit is undone."""
    site, options, cache, last = kept
    original = (site / MEETING).read_text()
    edit(site, MEETING, "Councillor Patel substituted.", "Councillor Patel substituted for her.")
    assert prose_edit.apply(last, {MEETING}, cache) is not None
    (site / MEETING).write_text(original)  # undone before the full build ran
    build(replace(options, parse_cache=ParseCache()))
    assert pages(site / "_site") == cold_build(site, tmp_path / "cold")


def test_a_build_stopped_half_way_publishes_nothing(
    kept: tuple[Path, BuildOptions, ParseCache, prose_edit.LastBuild],
) -> None:
    site, options, _, _ = kept
    before = pages(site / "_site")
    edit(site, MEETING, "Councillor Patel substituted.", "Councillor Patel substituted for her.")
    cancel = threading.Event()
    handed_over: list[Path] = []  # what the preview deletes in the background
    steps = [_SaveArrives(cancel), *default_steps()]
    with pytest.raises(BuildCancelled):
        build(replace(options, cancel=cancel, steps=steps, remove_old=handed_over.append))
    assert pages(site / "_site") == before
    assert not list(site.glob("._site.staging-*")), "the staging folder is moved out of the way"
    assert [p.name.startswith("._site.old-") and p.is_dir() for p in handed_over] == [True]


def test_a_preview_started_on_an_unchanged_archive_applies_the_first_save(
    kept: tuple[Path, BuildOptions, ParseCache, prose_edit.LastBuild], tmp_path: Path
) -> None:
    site, options, _, _ = kept
    restarted = ParseCache()  # `minutebook serve` started again: nothing parsed yet
    result = build(replace(options, parse_cache=restarted, keep=True))
    assert result.figures["pages rendered"] == 0, "nothing changed: nothing is built"
    assert result.kept is not None
    edit(site, MEETING, "Councillor Patel substituted.", "Councillor Patel substituted for her.")
    assert prose_edit.apply(result.kept, {MEETING}, restarted) is not None
    assert pages(site / "_site") == cold_build(site, tmp_path / "cold")


def test_nothing_is_kept_when_the_output_is_not_what_the_last_build_wrote(
    kept: tuple[Path, BuildOptions, ParseCache, prose_edit.LastBuild],
) -> None:
    site, options, _, _ = kept
    record = next((site / ".cache").glob("pages-*.json"))
    saved = json.loads(record.read_text())
    page = "bodies/planning-committee/meetings/2023-06-14/index.html"
    saved["pages"][page] = "0" * 32  # as if that page were from another build
    record.write_text(json.dumps(saved))
    result = build(replace(options, parse_cache=ParseCache(), keep=True))
    assert result.figures["pages rendered"] == 0 and result.kept is None
