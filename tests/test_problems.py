"""A catalogue of bad input: each case is a real site, and the clerk must read one exact line.

Every case writes a small site to a temporary folder, runs `minutebook check` as a clerk
would, and asserts the full problem line — `file:LINE:COL: message — hint` — the exit
code, and that no traceback reaches the clerk. The cases here are about files and fields:
YAML mistakes, wrong types and values, misplaced files, pages and the site's settings.
Minutes, references, actions and exempt business are in test_problems_links.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitekit import CliRun, run_cli, write_site

TODAY = "2026-11-29"
MEETING = "content/meetings/board/2018-11-29.yaml"
#: A person whose id a clerk might misspell.
MUTTON = {"content/people/m-mutton.yaml": "id: m-mutton\nname: M Mutton\nhonorific: Councillor\n"}

Files = dict[str, str | bytes | None]


def make_site(root: Path, files: Files) -> Path:
    """The minimal site with these files over it: text, raw bytes, or None to delete one."""
    write_site(root, {**MUTTON, **{rel: text for rel, text in files.items() if isinstance(text, str)}})
    for rel, content in files.items():
        path = root / rel
        if isinstance(content, bytes):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        elif content is None:
            path.unlink()
    return root


def check(root: Path, *extra: str) -> CliRun:
    return run_cli("check", "--site", root, "--today", TODAY, *extra)


def assert_reported(run: CliRun, line: str, code: int = 1) -> None:
    """The exact problem line is printed, the exit code is right, and nothing else went wrong."""
    assert "Traceback" not in run.err + run.out
    assert line in run.err.splitlines(), f"expected:\n{line}\ngot:\n{run.err}"
    assert run.code == code, run.err


def meeting(text: str) -> Files:
    return {MEETING: text}


# ---------------------------------------------------------------- YAML as typed

YAML_MISTAKES = [
    pytest.param(
        meeting("date: 2018-11-29\nvenue: [Diamond Room\n"),
        f"{MEETING}:2:8: the '[' here is never closed — close it with ']' on the same line, "
        "or put text that starts with '[' in quotes",
        id="malformed-yaml-unclosed-bracket",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nattendance:\n\tchair: a-chair\n"),
        f"{MEETING}:3:1: this line is indented with a tab — "
        "indent with spaces, not tabs (most editors can be set to insert spaces)",
        id="tab-for-indentation",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nattendance:\n  chair: a-chair\n    present: [b-member]\n"),
        f"{MEETING}:4:5: this line is indented further than the line above — "
        "line it up with the field above it, using the same number of spaces",
        id="indented-too-far",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nattendance:\n    chair: a-chair\n  present: [b-member]\n"),
        f"{MEETING}:4:3: this line does not line up with the fields around it — "
        "give fields of the same record the same number of spaces before them",
        id="indentation-does-not-line-up",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nattendance:\n  present:\n    - a-chair\n   - b-member\n"),
        f"{MEETING}:5:4: this list item does not line up with the one above — "
        "line up the '-' of each item of a list",
        id="list-items-not-lined-up",
    ),
    pytest.param(
        meeting('date: 2018-11-29\nvenue: "Diamond Room\ntime: "14:00"\n'),
        f'{MEETING}:2:8: this quote is not closed on its line — add the closing " at the end of the text',
        id="unclosed-quote-mid-file",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nvenue: 'Diamond Room\n"),
        f"{MEETING}:2:8: this quote is never closed — add the closing ' at the end of the text",
        id="unclosed-quote-at-end",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nvenue: 'Member's Room'\n"),
        f"{MEETING}:2:15: this quote ends the text early — "
        "write a ' inside the text twice (''), or put the whole text in double quotes",
        id="apostrophe-inside-single-quotes",
    ),
    pytest.param(
        meeting("date: 2018-11-29\ntitle: [Draft] Extraordinary meeting\n"),
        f"{MEETING}:2:8: text that starts with '[' is read as a list — put the whole text in quotes",
        id="text-starting-with-a-bracket",
    ),
    pytest.param(
        {"content/topics.yaml": "housing: [\n"},
        "content/topics.yaml:1:10: the '[' here is never closed — "
        "close it with ']' on the same line, or put text that starts with '[' in quotes",
        id="bracket-open-at-end-of-file",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nvenue: Room 2: Council House\n"),
        f"{MEETING}:2:14: a colon in an unexpected place — put text that contains ': ' in quotes",
        id="colon-in-unquoted-text",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nvenue Room 1\ntime: '14:00'\n"),
        f"{MEETING}:2:1: this line is not 'field: value' — "
        "add the missing colon and a space after it, or indent the line if it continues the text above",
        id="line-without-colon",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nvenue: Room A\nvenue: Room B\n"),
        f"{MEETING}:3:1: 'venue' appears twice; it is first on line 2 — "
        "remove one of them: YAML would silently keep only the last",
        id="duplicate-key",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nvenue: '@ the Council House'\ntitle: @home\n"),
        f"{MEETING}:3:8: a value cannot start with '@' — put the text in quotes",
        id="value-starting-with-at-sign",
    ),
    pytest.param(
        meeting("date: 2018-11-29\n---\nvenue: Room\n"),
        f"{MEETING}:2:1: a line '---' splits this file in two — "
        "remove the '---' line: only pages use '---', around their title",
        id="document-separator-in-yaml",
    ),
    pytest.param(
        meeting("  date: 2018-11-29\nvenue: Room\n"),
        f"{MEETING}:1:3: the fields at the top of the file do not line up — "
        "start each top-level field at the very beginning of its line, with no spaces before it",
        id="first-line-indented",
    ),
    pytest.param(
        {"content/topics.yaml": "housing\n  title: Housing\n"},
        "content/topics.yaml:1:8: this line needs a colon: the line below is indented as one of its fields — "
        "write 'housing:', or line the next line up with this one",
        id="missing-colon-before-nested-fields",
    ),
    pytest.param(
        meeting(""),
        f"{MEETING}:1:1: this file must be a set of 'field: value' lines — "
        "write one field per line, with a space after the colon, e.g. 'name: M Mutton'",
        id="empty-file",
    ),
]


@pytest.mark.parametrize(("files", "line"), YAML_MISTAKES)
def test_yaml_mistakes(tmp_path: Path, files: Files, line: str) -> None:
    assert_reported(check(make_site(tmp_path, files)), line)


# ---------------------------------------------------------------- fields and values

FIELD_MISTAKES = [
    pytest.param(
        meeting("date: 2018-11-29\nvenu: Diamond Room\n"),
        f"{MEETING}:2:1: unknown field 'venu' — did you mean 'venue'?",
        id="unknown-field-did-you-mean",
    ),
    pytest.param(
        meeting(
            """\
            date: 2018-11-29
            minutes:
              items:
                - number: 1/18
                  title: Apologies
                  resolutoins:
                    - text: Noted.
            """
        ),
        f"{MEETING}:6:7: unknown field 'resolutoins' — did you mean 'resolutions'?",
        id="unknown-field-deep-in-minute-item",
    ),
    pytest.param(
        {
            "content/bodies/board.yaml": "id: board\nname: Board\nmembership:\n"
            "  2018/19:\n    - persn: a-chair\n"
        },
        "content/bodies/board.yaml:5:7: unknown field 'persn' — did you mean 'person'?",
        id="unknown-field-in-membership",
    ),
    pytest.param(
        meeting("time: '14:00'\nvenue: Diamond Room\n"),
        f"{MEETING}:1:1: the field 'date' is required here — add a line 'date: …'",
        id="missing-required-field",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nvenue:\n  - Room 1\n  - Room 2\n"),
        f"{MEETING}:3:3: venue must be text, not a list — write the text on the line 'venue: …'",
        id="list-where-text-expected",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nattendance:\n  present: b-member\n"),
        f"{MEETING}:3:12: present must be a list — "
        "write it as present: [b-member], or put each entry on its own line starting '- '",
        id="text-where-list-expected",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nvenue: 42\n"),
        f'{MEETING}:2:8: venue must be text — put it in quotes: venue: "42"',
        id="number-where-text-expected",
    ),
    pytest.param(
        meeting("date: 2019-02-30\n"),
        f"{MEETING}:1:7: '2019-02-30' is not a real date — "
        "February 2019 has 28 days; check the day and the month",
        id="impossible-date",
    ),
    pytest.param(
        meeting("date: 14/02/2019\n"),
        f"{MEETING}:1:7: '14/02/2019' is not written as YYYY-MM-DD — write it as 2019-02-14",
        id="date-day-month-year",
    ),
    pytest.param(
        meeting("date: 2018-13-01\n"),
        f"{MEETING}:1:7: '2018-13-01' is not a real date — "
        "there is no month 13: dates are YYYY-MM-DD, year first, then month, then day",
        id="date-month-13",
    ),
    pytest.param(
        meeting("date: 2018-11-29\ntime: '25:00'\n"),
        f"{MEETING}:2:7: '25:00' is not a time — "
        'write times as 24-hour HH:MM, hours 00 to 23, in quotes, e.g. "14:00"',
        id="time-out-of-range",
    ),
    pytest.param(
        meeting("date: 2018-11-29\ntime: 14.00\n"),
        f"{MEETING}:2:7: '14.00' is read as a number, not a time — write time: \"14:00\"",
        id="time-with-a-dot-read-as-number",
    ),
    pytest.param(
        meeting("date: 2018-11-29\ntime: 2pm\n"),
        f"{MEETING}:2:7: '2pm' is not a time — write time: \"14:00\"",
        id="time-am-pm",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nstatus: canceled\n"),
        f"{MEETING}:2:9: 'canceled' is not allowed for status — "
        "use one of: 'scheduled', 'held', 'cancelled' or 'postponed'",
        id="bad-enum",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nagenda:\n  - number: '1'\n    title: ''\n"),
        f"{MEETING}:4:12: title is empty — write the text",
        id="empty-required-text",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nagenda:\n  - number: '1'\n    title:\n"),
        f"{MEETING}:4:11: title has no value — write a value after 'title:'",
        id="required-field-left-blank",
    ),
    pytest.param(
        {"content/people/c-clerk.yaml": "id: c-clerk\nname: C Clerk\nkind:\n"},
        "content/people/c-clerk.yaml:3:6: kind has no value — "
        "write one of: 'councillor', 'co-opted', 'officer' or 'guest'",
        id="choice-left-blank",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nwebcast: youtube.com/council\n"),
        f"{MEETING}:2:10: 'youtube.com/council' is not a web address — start it with https://",
        id="web-address-without-https",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nattendance:\n  invited:\n    - note: A resident\n"),
        f"{MEETING}:4:7: a guest needs a person id or a name — "
        "add 'person: <id>' for someone in content/people/, or 'name: …'",
        id="guest-without-a-name",
    ),
    pytest.param(
        {
            "content/bodies/board.yaml": "id: board\nname: Board\nmembership:\n"
            "  2018/20:\n    - person: a-chair\n"
        },
        "content/bodies/board.yaml:4:3: '2018/20' is not a municipal year such as 2018/19 — "
        "write years as 2018/19: the year the council year starts, a slash, the next year",
        id="membership-year-not-a-municipal-year",
    ),
    pytest.param(
        {"content/people/c-clerk.yaml": "id: c-clerck\nname: C Clerk\n"},
        "content/people/c-clerk.yaml:1:5: the id 'c-clerck' does not match the file name 'c-clerk.yaml' — "
        "use id: c-clerk, or rename the file to c-clerck.yaml",
        id="id-not-matching-file-name",
    ),
]


PROGRAMME = "content/work-programmes/board/2018-19.yaml"

RECORD_MISTAKES = [
    pytest.param(
        {
            PROGRAMME: "revisions:\n  - date: 2018-06-01\n    items:\n"
            "      - title: Libraries\n        planned: soon\n"
        },
        f"{PROGRAMME}:5:18: 'soon' is not a date — write dates as YYYY-MM-DD, e.g. 2019-02-14, or 'tbd'",
        id="work-programme-planned-neither-date-nor-tbd",
    ),
    pytest.param(
        {PROGRAMME: "year: 2017/18\nrevisions:\n  - date: 2018-06-01\n    items: []\n"},
        f"{PROGRAMME}:1:7: year 2017/18 does not match the file name 2018-19.yaml — write year: 2018/19",
        id="work-programme-year-not-its-file-name",
    ),
    pytest.param(
        {PROGRAMME: "revisions: []\n"},
        f"{PROGRAMME}:1:12: revisions needs at least 1 entry — add an entry under 'revisions:'",
        id="work-programme-without-revisions",
    ),
    pytest.param(
        {
            PROGRAMME: "revisions:\n  - date: 2018-06-01\n    items:\n      - title: Libraries\n"
            "        taken_at: 2018-11-29/4\n",
            MEETING: "date: 2018-11-29\nagenda:\n  - number: '1'\n    title: Apologies\n",
        },
        f"{PROGRAMME}:5:19: the meeting of 2018-11-29 has no agenda item 4 — use one of: 1",
        id="work-programme-taken-at-missing-item",
    ),
    pytest.param(
        meeting(
            "date: 2018-11-29\nminutes:\n  items:\n    - number: 1/18\n      title: Libraries\n"
            "      resolutions:\n        - text: Agreed.\n          vote:\n            for: most\n"
        ),
        f"{MEETING}:9:18: for must be a list or a whole number, not 'most' — "
        "list who voted, e.g. [a-chair, b-member], or give the count, e.g. 5",
        id="vote-neither-names-nor-count",
    ),
    pytest.param(
        meeting("body: cabinet\ndate: 2018-11-29\n"),
        f"{MEETING}:1:7: the meeting says body 'cabinet' but sits in the folder of 'board' — "
        "move the file to content/meetings/cabinet/, or remove the body line",
        id="meeting-body-not-its-folder",
    ),
]


@pytest.mark.parametrize(("files", "line"), RECORD_MISTAKES)
def test_record_mistakes(tmp_path: Path, files: Files, line: str) -> None:
    assert_reported(check(make_site(tmp_path, files)), line)


def test_a_hash_after_text_is_a_warning(tmp_path: Path) -> None:
    """`venue: Room #3` loses '#3' to a YAML comment; '# note' comments and Markdown headings do not warn."""
    text = (
        "date: 2018-11-29\nvenue: Room #3\ntitle: Extra meeting # a comment\n"
        "minutes:\n  items:\n    - number: 1/18\n      title: Libraries\n      text: |\n"
        "        ## Opening hours #1\n"
    )
    run = check(make_site(tmp_path, meeting(text)))
    warnings = [line for line in run.err.splitlines() if "warning:" in line]
    assert warnings == [
        f"{MEETING}:2:13: warning: the text from this '#' is left out: "
        "YAML reads ' #' as the start of a comment — put the whole text in quotes"
    ]
    assert run.code == 0


@pytest.mark.parametrize(("files", "line"), FIELD_MISTAKES)
def test_field_mistakes(tmp_path: Path, files: Files, line: str) -> None:
    assert_reported(check(make_site(tmp_path, files)), line)


def test_an_unquoted_time_is_a_time(tmp_path: Path) -> None:
    """YAML 1.1 would read 14:00 as the number 840; the loader reads it as the clerk meant."""
    run = check(make_site(tmp_path, meeting("date: 2018-11-29\ntime: 14:00\n")))
    assert (run.code, "Traceback" in run.err) == (0, False), run.err


# ---------------------------------------------------------------- ids that name other records

NAME_MISTAKES = [
    pytest.param(
        meeting("date: 2018-11-29\nattendance:\n  chair: m-muton\n"),
        f"{MEETING}:3:10: unknown person 'm-muton' — did you mean 'm-mutton'?",
        id="misspelt-person-id",
    ),
    pytest.param(
        meeting("date: 2018-11-29\nattendance:\n  present: [a-chair, zz-nobody]\n"),
        f"{MEETING}:3:22: unknown person 'zz-nobody' — add content/people/zz-nobody.yaml, or correct the id",
        id="unknown-person-no-suggestion",
    ),
    pytest.param(
        {
            "content/topics.yaml": "housing:\n  title: Housing\n",
            MEETING: "date: 2018-11-29\ntopics: [housng]\n",
        },
        f"{MEETING}:2:10: unknown topic 'housng' — did you mean 'housing'?",
        id="misspelt-topic",
    ),
    pytest.param(
        meeting("date: 2018-11-29\ntopics: [libraries]\n"),
        f"{MEETING}:2:10: unknown topic 'libraries' — add it to content/topics.yaml",
        id="unknown-topic",
    ),
    pytest.param(
        {"content/meetings/bord/2018-11-29.yaml": "date: 2018-11-29\n"},
        "content/meetings/bord/2018-11-29.yaml:1:1: unknown body 'bord' — did you mean 'board'?",
        id="misspelt-body-folder",
    ),
    pytest.param(
        {"content/meetings/planning/2018-11-29.yaml": "date: 2018-11-29\n"},
        "content/meetings/planning/2018-11-29.yaml:1:1: unknown body 'planning' — "
        "the folder content/meetings/planning/ must be named after a body in content/bodies/",
        id="unknown-body-folder",
    ),
    pytest.param(
        {"content/work-programmes/bord/2018-19.yaml": "revisions:\n  - date: 2018-06-01\n    items: []\n"},
        "content/work-programmes/bord/2018-19.yaml:1:1: unknown body 'bord' — did you mean 'board'?",
        id="work-programme-of-unknown-body",
    ),
    pytest.param(
        {"content/topics.yaml": "Housing:\n  title: Housing\n"},
        "content/topics.yaml:1:1: 'Housing' is not a usable topic id — "
        "use lower-case letters, digits and hyphens, e.g. housing",
        id="topic-id-with-capitals",
    ),
    pytest.param(
        {"content/topics.yaml": "housing: Housing\n"},
        "content/topics.yaml:1:10: the topic 'housing' needs its title on a line of its own — "
        "write 'housing:' and below it, indented, 'title: Housing'",
        id="topic-without-title-field",
    ),
]


@pytest.mark.parametrize(("files", "line"), NAME_MISTAKES)
def test_names_of_other_records(tmp_path: Path, files: Files, line: str) -> None:
    assert_reported(check(make_site(tmp_path, files)), line)


# ---------------------------------------------------------------- files: names, folders, encodings

FILE_MISTAKES = [
    pytest.param(
        {"content/meetings/board/november.yaml": "date: 2018-11-29\n"},
        "content/meetings/board/november.yaml:1:1: a meeting file is named after its date, YYYY-MM-DD.yaml — "
        "rename it to 2018-11-29.yaml",
        id="meeting-file-not-named-by-date",
    ),
    pytest.param(
        {"content/work-programmes/board/2018.yaml": "revisions:\n  - date: 2018-06-01\n    items: []\n"},
        "content/work-programmes/board/2018.yaml:1:1: "
        "a work programme file is named after its municipal year, e.g. 2018-19.yaml — rename the file",
        id="work-programme-file-name",
    ),
    pytest.param(
        {MEETING: "date: 2018-11-29\nvenue: Caf\xe9 Room\n".encode("latin-1")},
        f"{MEETING}:2:11: the file is not UTF-8 text — "
        "save it as UTF-8 in your editor ('Save with encoding')",
        id="not-utf-8",
    ),
    pytest.param(
        {"content/people/board/x-person.yaml": "id: x-person\nname: X Person\n"},
        "content/people/board/x-person.yaml:1:1: this file is in the wrong folder — "
        "move it to content/people/x-person.yaml",
        id="person-in-a-subfolder",
    ),
    pytest.param(
        {"content/meetings/2018-11-29.yaml": "date: 2018-11-29\n"},
        "content/meetings/2018-11-29.yaml:1:1: this file is in the wrong folder — "
        "move it into the folder named after its body: content/meetings/<body-id>/2018-11-29.yaml",
        id="meeting-outside-a-body-folder",
    ),
    pytest.param(
        {"content/people/c-clerk.yml": "id: c-clerk\nname: C Clerk\n"},
        "content/people/c-clerk.yml:1:1: content files end in .yaml, not .yml — rename it to c-clerk.yaml",
        id="yml-extension",
    ),
    pytest.param(
        {"content/notes.txt": "remember the agenda\n"},
        "content/notes.txt:1:1: Minutebook does not know what this file is — content/ holds the folders "
        "bodies, meetings, pages, people, work-programmes and topics.yaml; move or remove it",
        id="unknown-file-under-content",
    ),
    pytest.param(
        {"content/minutes/2018-11-29.yaml": "date: 2018-11-29\n"},
        "content/minutes/2018-11-29.yaml:1:1: Minutebook does not read a folder named 'minutes' — "
        "did you mean content/meetings/?",
        id="unknown-folder-did-you-mean",
    ),
    pytest.param(
        {"content/pages/big.md": "---\ntitle: Big\n---\n" + "x" * 2_100_000},
        "content/pages/big.md:1:1: the file is 2.1 MB; a content file may be at most 2 MB — "
        "split it into smaller files, e.g. one Markdown file per appendix",
        id="huge-file",
    ),
]


@pytest.mark.parametrize(("files", "line"), FILE_MISTAKES)
def test_file_mistakes(tmp_path: Path, files: Files, line: str) -> None:
    assert_reported(check(make_site(tmp_path, files)), line)


# ---------------------------------------------------------------- pages

PAGE_MISTAKES = [
    pytest.param(
        {"content/pages/about.md": "# About\n\nWho we are.\n"},
        "content/pages/about.md:1:1: a page starts with its title between two '---' lines — "
        "make the first three lines '---', 'title: Your title', '---'",
        id="page-without-front-matter",
    ),
    pytest.param(
        {"content/pages/about.md": "---\ntitle: About\n# About\n"},
        "content/pages/about.md:1:1: the front matter has no closing '---' line — "
        "add a line '---' after the title",
        id="page-front-matter-not-closed",
    ),
    pytest.param(
        {"content/pages/about.md": "---\ntitle: About\nnav: yes\n---\nWho we are.\n"},
        "content/pages/about.md:3:6: nav must be a whole number, not 'yes' — write digits only, e.g. 3",
        id="page-field-located-in-front-matter",
    ),
    pytest.param(
        {"content/pages/about.md": "---\ntitle: About: who we are\n---\nText.\n"},
        "content/pages/about.md:2:13: a colon in an unexpected place — put text that contains ': ' in quotes",
        id="page-front-matter-yaml-error",
    ),
]


@pytest.mark.parametrize(("files", "line"), PAGE_MISTAKES)
def test_page_mistakes(tmp_path: Path, files: Files, line: str) -> None:
    assert_reported(check(make_site(tmp_path, files)), line)


# ---------------------------------------------------------------- site_config.yaml

CONFIG_MISTAKES = [
    pytest.param(
        {"site_config.yaml": "council: Test Council\nbase_url: example.org\n"},
        "site_config.yaml:2:11: 'example.org' is not a web address — start it with https://",
        id="config-bad-base-url",
    ),
    pytest.param(
        {
            "site_config.yaml": "council: Test Council\nbase_url: https://example.org/\n"
            "timezone: Europe/Londn\n"
        },
        "site_config.yaml:3:11: unknown time zone 'Europe/Londn' — did you mean 'Europe/London'?",
        id="config-unknown-timezone",
    ),
    pytest.param(
        {"site_config.yaml": "council: Test Council\nbase_url: https://example.org/\ntimezone: Europe\n"},
        "site_config.yaml:3:11: unknown time zone 'Europe' — "
        "write the region and a city, such as Europe/London",
        id="config-timezone-that-is-a-region",
    ),
    pytest.param(
        {"site_config.yaml": "council: Test Council\nbase_url: https://example.org/\npage_size: 2\n"},
        "site_config.yaml:3:12: page_size must be at least 5, not 2 — check the value",
        id="config-number-out-of-range",
    ),
    pytest.param(
        {"site_config.yaml": "council: Test Council\nbase_url: https://example.org/\ntitel: Meetings\n"},
        "site_config.yaml:3:1: unknown field 'titel' — did you mean 'title'?",
        id="config-unknown-field",
    ),
]


@pytest.mark.parametrize(("files", "line"), CONFIG_MISTAKES)
def test_config_mistakes(tmp_path: Path, files: Files, line: str) -> None:
    assert_reported(check(make_site(tmp_path, files)), line)


def test_config_missing(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"site_config.yaml": None})
    assert_reported(
        check(root),
        f"site_config.yaml: there is no site_config.yaml in {root.resolve()} — "
        "run minutebook in the site's folder or name it with --site; "
        "a new site needs one (see 'Getting started' in the clerk's guide)",
    )


def test_every_problem_of_a_file_is_reported_together(tmp_path: Path) -> None:
    """A clerk fixes all mistakes in one pass: the check does not stop at the first."""
    run = check(make_site(tmp_path, meeting("date: 2018-11-29\nvenu: Room\nstatus: canceled\n")))
    lines = [line for line in run.err.splitlines() if line.startswith(MEETING)]
    assert lines == [
        f"{MEETING}:2:1: unknown field 'venu' — did you mean 'venue'?",
        f"{MEETING}:3:9: 'canceled' is not allowed for status — "
        "use one of: 'scheduled', 'held', 'cancelled' or 'postponed'",
    ]
    assert run.code == 1


@pytest.mark.parametrize(
    ("files", "line"),
    [
        pytest.param(
            {
                "content/people/b-member.yaml": "id: b-member\nname: B Member\nhonorific: [Councillor\n",
                MEETING: "date: 2018-11-29\nattendance:\n  present: [b-member]\n",
            },
            "content/people/b-member.yaml:3:12: the '[' here is never closed — "
            "close it with ']' on the same line, or put text that starts with '[' in quotes",
            id="broken-person-file",
        ),
        pytest.param(
            {"content/bodies/board.yaml": "id: board\nnme: Board\n", MEETING: "date: 2018-11-29\n"},
            "content/bodies/board.yaml:2:1: unknown field 'nme' — did you mean 'name'?",
            id="broken-body-file",
        ),
        pytest.param(
            {"content/topics.yaml": "housing: [\n", MEETING: "date: 2018-11-29\ntopics: [housing]\n"},
            "content/topics.yaml:1:10: the '[' here is never closed — "
            "close it with ']' on the same line, or put text that starts with '[' in quotes",
            id="broken-topics-file",
        ),
    ],
)
def test_a_broken_file_is_reported_once_not_at_every_reference(
    tmp_path: Path, files: Files, line: str
) -> None:
    """A person, body or topics file that fails is the one error: its id is not 'unknown' everywhere."""
    run = check(make_site(tmp_path, files))
    assert_reported(run, line)
    assert "unknown" not in run.err.replace("unknown field", ""), run.err


def test_agenda_item_numbers_may_be_written_without_quotes(tmp_path: Path) -> None:
    root = write_site(tmp_path, {MEETING: "date: 2018-11-29\nagenda:\n  - number: 1\n    title: Apologies\n"})
    run = run_cli("check", "--site", root, "--today", "2026-11-29")
    assert run.code == 0, run.err


def test_text_under_an_exempt_items_sub_item_is_refused(tmp_path: Path) -> None:
    agenda = (
        'date: 2018-11-29\nagenda:\n  - number: "4"\n    title: Land sale\n    exempt: {paragraph: 3}\n'
        "    items:\n      - number: a\n        title: Valuation\n        description: The price is secret.\n"
    )
    root = write_site(tmp_path, {MEETING: agenda})
    run = run_cli("check", "--site", root, "--today", "2026-11-29")
    assert run.code == 1
    assert (
        f"{MEETING}:9:9: agenda item 'Land sale' is exempt, so its sub-item a description "
        "must not be published or committed"
    ) in run.err


def test_the_command_ends_with_the_status_main_returns(tmp_path: Path) -> None:
    """`minutebook` runs cli.run, which leaves the build's objects to the operating system at exit:
    the exit status and the messages are still main's."""
    root = write_site(tmp_path / "broken", {"content/people/x-y.yaml": "name: [never closed\n"})
    command = [sys.executable, "-m", "minutebook.cli", "build", "--site", str(root), "--no-search"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "content/people/x-y.yaml:" in done.stderr and "Traceback" not in done.stderr
    fixed = write_site(tmp_path / "fine", {})
    command = [sys.executable, "-m", "minutebook.cli", "build", "--site", str(fixed), "--no-search"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (fixed / "_site" / "index.html").is_file()
