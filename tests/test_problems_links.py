"""Bad input in minutes and the links between records, and what a failed build leaves behind.

Like test_problems.py, each case is a real site checked as a clerk would check it, with
the exact `file:LINE:COL: message — hint` line asserted. These cases are about minute
numbers, references between minutes, actions and their closures, the approval of minutes,
exempt business, documents, and the build: addresses claimed twice, template errors, and
the rule that a failed build leaves the published site as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from sitekit import CliRun, run_cli, write_site

TODAY = "2026-11-29"
NOV = "content/meetings/board/2018-11-29.yaml"
JAN = "content/meetings/board/2019-01-10.yaml"
OCT = "content/meetings/board/2018-10-04.yaml"

Files = dict[str, str]


def check(root: Path, *extra: str) -> CliRun:
    return run_cli("check", "--site", root, "--today", TODAY, *extra)


def build(root: Path) -> CliRun:
    return run_cli("build", "--site", root, "--today", TODAY, "--no-search", "--jobs", "1")


def assert_reported(run: CliRun, line: str, code: int = 1) -> None:
    assert "Traceback" not in run.err + run.out
    assert line in run.err.splitlines(), f"expected:\n{line}\ngot:\n{run.err}"
    assert run.code == code, run.err


def minutes(date: str, items: str, head: str = "") -> str:
    """A meeting file: its date, any fields in `head`, then minutes whose items are `items`."""
    indented = "".join(f"    {line}\n" if line else "\n" for line in items.strip("\n").split("\n"))
    return f"date: {date}\n{head}minutes:\n  items:\n{indented}"


APOLOGIES = "- number: 1/18\n  title: Apologies\n"
WITH_ACTION = (
    "- number: 1/18\n  title: Library hours\n  actions:\n    - text: Report back on opening hours.\n"
)

# ---------------------------------------------------------------- minute numbers

NUMBER_MISTAKES = [
    pytest.param(
        {NOV: minutes("2018-11-29", "- number: 1/17\n  title: Apologies\n")},
        f"{NOV}:4:15: minute 1/17 carries the year 17, "
        "but a meeting on 2018-11-29 is in 2018/19 — number it 1/18",
        id="minute-number-wrong-year-suffix",
    ),
    pytest.param(
        {NOV: minutes("2018-11-29", "- number: one\n  title: Apologies\n")},
        f"{NOV}:4:15: 'one' is not a minute number — write it as number/year, e.g. 39/18",
        id="minute-number-not-a-number",
    ),
    pytest.param(
        {NOV: minutes("2018-11-29", "- number: 1.18\n  title: Apologies\n")},
        f"{NOV}:4:15: '1.18' is not a minute number — write it as 1/18",
        id="minute-number-with-a-dot",
    ),
    pytest.param(
        {NOV: minutes("2018-11-29", APOLOGIES + "- number: 1/18\n  title: Minutes\n")},
        f"{NOV}:6:15: minute 1/18 is numbered twice in this meeting; minute 'Apologies' has it too — "
        "give each minute the next number of the municipal year",
        id="minute-numbered-twice-in-one-meeting",
    ),
    pytest.param(
        {
            NOV: minutes("2018-11-29", APOLOGIES),
            JAN: minutes("2019-01-10", "- number: 1/18\n  title: Minutes\n"),
        },
        f"{JAN}:4:15: minute 1/18 is numbered twice in 2018/19; minute 'Apologies' in {NOV} has it too — "
        "give each minute the next number of the municipal year",
        id="minute-numbered-twice-across-files",
    ),
]


@pytest.mark.parametrize(("files", "line"), NUMBER_MISTAKES)
def test_minute_numbers(tmp_path: Path, files: Files, line: str) -> None:
    assert_reported(check(write_site(tmp_path, files)), line)


def test_a_number_used_twice_is_not_also_out_of_sequence(tmp_path: Path) -> None:
    root = write_site(
        tmp_path, {NOV: minutes("2018-11-29", APOLOGIES + "- number: 1/18\n  title: Minutes\n")}
    )
    assert "warning" not in check(root).err


SEQUENCE = minutes("2018-11-29", APOLOGIES + "- number: 3/18\n  title: Minutes\n")
SKIPPED = (
    f"{NOV}:6:15: warning: minute 3/18 follows 1/18; the numbers between are missing — "
    "number the minutes of a meeting one after another"
)


def test_out_of_sequence_is_a_warning(tmp_path: Path) -> None:
    assert_reported(check(write_site(tmp_path, {NOV: SEQUENCE})), SKIPPED, code=0)


def test_strict_check_fails_on_a_warning(tmp_path: Path) -> None:
    assert_reported(check(write_site(tmp_path, {NOV: SEQUENCE}), "--strict"), SKIPPED, code=1)


def test_numbers_running_backwards_between_meetings(tmp_path: Path) -> None:
    files = {
        NOV: minutes("2018-11-29", "- number: 5/18\n  title: Apologies\n"),
        JAN: minutes("2019-01-10", "- number: 2/18\n  title: Apologies\n"),
    }
    line = (
        f"{JAN}:4:15: warning: minute 2/18 comes after minute 5/18 — "
        "minute numbers run upwards through the municipal year"
    )
    assert_reported(check(write_site(tmp_path, files)), line, code=0)


# ---------------------------------------------------------------- references between minutes

#: Minutes 1/18, 2/18 and 4/18 (3/18 skipped), so 3/18 falls inside minutes the archive holds.
HELD = minutes("2018-11-29", APOLOGIES + "- number: 2/18\n  title: B\n- number: 4/18\n  title: D\n")

REFERENCE_MISTAKES = [
    pytest.param(
        {
            NOV: HELD,
            JAN: minutes(
                "2019-01-10",
                """\
- number: 5/18
  title: Libraries
  text: |
    The board considered progress.

    Further to minute 3/18, the Chair
    reported on opening hours.
""",
            ),
        },
        f"{JAN}:9:27: there is no minute 3/18 in the minutes the archive holds for that meeting — "
        "check the number: it may be a typo",
        id="prose-reference-to-missing-minute",
    ),
    pytest.param(
        {
            NOV: minutes(
                "2018-11-29",
                """\
- number: 1/18
  title: Libraries
  text: >
    The board heard how the plan had gone
    since the spring. Further to minute 3/18, the Chair
    reported.
""",
                head="",
            ),
            JAN: minutes("2019-01-10", "- number: 2/18\n  title: B\n- number: 4/18\n  title: D\n"),
        },
        f"{NOV}:8:45: there is no minute 3/18 in the minutes the archive holds for that meeting — "
        "check the number: it may be a typo",
        id="prose-reference-in-folded-text-located-exactly",
    ),
    pytest.param(
        {NOV: minutes("2018-11-29", APOLOGIES + "  further_to: [minute 3]\n")},
        f"{NOV}:6:20: 'minute 3' is not a minute number — "
        "write it as number/year, e.g. 27/17, or body-id:27/17",
        id="further-to-malformed",
    ),
    pytest.param(
        {NOV: minutes("2018-11-29", APOLOGIES + '  further_to: ["cabinet:3/18"]\n')},
        f"{NOV}:6:20: minute 3/18 names the body 'cabinet', which does not exist — "
        "use the id of a body in content/bodies/",
        id="cross-body-reference-to-unknown-body",
    ),
]


@pytest.mark.parametrize(("files", "line"), REFERENCE_MISTAKES)
def test_references(tmp_path: Path, files: Files, line: str) -> None:
    assert_reported(check(write_site(tmp_path, files)), line)


def test_reference_outside_the_archive_is_a_warning(tmp_path: Path) -> None:
    text = (
        "- number: 1/18\n  title: Libraries\n  text: |\n"
        "    Noted.\n    Further to minute 40/17, the board noted.\n"
    )
    root = write_site(tmp_path, {NOV: minutes("2018-11-29", text)})
    line = (
        f"{NOV}:8:27: warning: minute 40/17 is not in the archive; it is shown without a link — "
        "add that meeting's minutes to link it"
    )
    assert_reported(check(root), line, code=0)


# ---------------------------------------------------------------- resolutions, actions, closures

ACTION_MISTAKES = [
    pytest.param(
        {NOV: minutes("2018-11-29", WITH_ACTION + "      due: 2018-10-01\n")},
        f"{NOV}:8:16: the action is due on 2018-10-01, before the meeting that set it (2018-11-29) — "
        "check the due date",
        id="action-due-before-its-meeting",
    ),
    pytest.param(
        {
            NOV: minutes(
                "2018-11-29",
                "- number: 1/18\n  title: Libraries\n  resolutions:\n    - text: Agreed.\n"
                "  actions:\n    - text: Do it.\n      resolution: 2\n",
            )
        },
        f"{NOV}:10:23: the action follows resolution 2, which minute 'Libraries' does not have — "
        "use the number of one of its resolutions",
        id="action-names-missing-resolution",
    ),
    pytest.param(
        {
            NOV: minutes(
                "2018-11-29",
                "- number: 1/18\n  title: Libraries\n  resolutions:\n"
                "    - number: 1\n      text: Agreed.\n    - number: 1\n      text: Also agreed.\n",
            )
        },
        f"{NOV}:9:19: two resolutions of minute 'Libraries' share number 1 — number them 1, 2, 3 …",
        id="two-resolutions-same-number",
    ),
    pytest.param(
        {NOV: minutes("2018-11-29", APOLOGIES + "  closes:\n    - action: 40/17-a1\n")},
        f"{NOV}:7:19: there is no action 40/17-a1 — check the minute number and the action's number",
        id="closes-missing-action",
    ),
    pytest.param(
        {
            NOV: minutes("2018-11-29", WITH_ACTION),
            JAN: minutes(
                "2019-01-10",
                "- number: 2/18\n  title: Done\n  closes:\n    - action: 1/18-a1\n"
                "- number: 3/18\n  title: Done again\n  closes:\n    - action: 1/18-a1\n",
            ),
        },
        f"{JAN}:11:19: action 1/18-a1 was already closed by minute 2/18 — remove one of the two closures",
        id="closes-action-already-closed",
    ),
    pytest.param(
        {
            OCT: minutes("2018-10-04", "- number: 1/18\n  title: Done\n  closes:\n    - action: 2/18-a1\n"),
            NOV: minutes("2018-11-29", WITH_ACTION.replace("1/18", "2/18")),
        },
        f"{OCT}:7:19: action 2/18-a1 was set on 2018-11-29; this meeting (2018-10-04) is not later — "
        "record an action as done at a meeting after the one that set it",
        id="closes-action-set-at-a-later-meeting",
    ),
]


@pytest.mark.parametrize(("files", "line"), ACTION_MISTAKES)
def test_actions(tmp_path: Path, files: Files, line: str) -> None:
    assert_reported(check(write_site(tmp_path, files)), line)


# ---------------------------------------------------------------- approval of minutes and meeting status

APPROVAL_MISTAKES = [
    pytest.param(
        {
            NOV: "date: 2018-11-29\nminutes:\n  status: draft\n  approved_by: 2/18\n"
            "  items:\n    - number: 1/18\n      title: A\n"
        },
        f"{NOV}:3:11: the minutes name the minute that approved them but are marked draft — "
        "set status: approved",
        id="approved-by-on-draft-minutes",
    ),
    pytest.param(
        {
            NOV: "date: 2018-11-29\nminutes:\n  status: approved\n  approved_by: 3/18\n  items:\n"
            "    - number: 1/18\n      title: A\n",
            JAN: minutes("2019-01-10", "- number: 2/18\n  title: B\n- number: 4/18\n  title: D\n"),
        },
        f"{NOV}:4:16: there is no minute 3/18 to approve these minutes — check the number",
        id="approved-by-minute-that-does-not-exist",
    ),
    pytest.param(
        {
            OCT: minutes("2018-10-04", APOLOGIES),
            NOV: "date: 2018-11-29\nminutes:\n  status: approved\n  approved_by: 1/18\n  items:\n"
            "    - number: 2/18\n      title: A\n",
        },
        f"{NOV}:4:16: minute 1/18 is from 2018-10-04, not after this meeting — "
        "minutes are approved at a later meeting",
        id="approved-by-minute-not-later",
    ),
    pytest.param(
        {NOV: minutes("2018-11-29", APOLOGIES, head="status: cancelled\n")},
        f"{NOV}:2:9: a cancelled meeting has minutes — set status: held, or remove the minutes",
        id="minutes-on-cancelled-meeting",
    ),
]


@pytest.mark.parametrize(("files", "line"), APPROVAL_MISTAKES)
def test_approval_and_status(tmp_path: Path, files: Files, line: str) -> None:
    assert_reported(check(write_site(tmp_path, files)), line)


# ---------------------------------------------------------------- exempt business

EXEMPT_ITEM = """\
agenda:
  - number: "4"
    title: Land at the Canal Basin
    exempt: {paragraph: 3}
"""
EXEMPT_MINUTE = '- number: 1/18\n  title: Land at the Canal Basin\n  agenda_item: "4"\n'
REMOVE_MINUTE = "remove it; give a public_summary of the decision instead"
REMOVE_ITEM = "remove it; publish only the title, the exemption paragraph and a public_summary"

EXEMPT_MISTAKES = [
    pytest.param(
        minutes("2018-11-29", EXEMPT_MINUTE + "  text: The board discussed the price.\n", head=EXEMPT_ITEM),
        f"{NOV}:11:7: minute 'Land at the Canal Basin' is exempt business, "
        f"so its text must not be published or committed — {REMOVE_MINUTE}",
        id="exempt-minute-text",
    ),
    pytest.param(
        minutes("2018-11-29", EXEMPT_MINUTE + "  resolutions:\n    - text: Buy it.\n", head=EXEMPT_ITEM),
        f"{NOV}:11:7: minute 'Land at the Canal Basin' is exempt business, "
        f"so its resolutions must not be published or committed — {REMOVE_MINUTE}",
        id="exempt-minute-resolutions",
    ),
    pytest.param(
        minutes("2018-11-29", EXEMPT_MINUTE + "  actions:\n    - text: Make an offer.\n", head=EXEMPT_ITEM),
        f"{NOV}:11:7: minute 'Land at the Canal Basin' is exempt business, "
        f"so its actions must not be published or committed — {REMOVE_MINUTE}",
        id="exempt-minute-actions",
    ),
    pytest.param(
        "date: 2018-11-29\n"
        + EXEMPT_ITEM
        + "    reports:\n      - kind: Report\n        summary: The price.\n",
        f"{NOV}:8:9: agenda item 'Land at the Canal Basin' is exempt, "
        f"so its report summary must not be published or committed — {REMOVE_ITEM}",
        id="exempt-report-summary",
    ),
    pytest.param(
        "date: 2018-11-29\n" + EXEMPT_ITEM + "    description: The council may buy the land.\n",
        f"{NOV}:6:5: agenda item 'Land at the Canal Basin' is exempt, "
        f"so its description must not be published or committed — {REMOVE_ITEM}",
        id="exempt-agenda-description",
    ),
]


@pytest.mark.parametrize(("text", "line"), EXEMPT_MISTAKES)
def test_exempt_business_carries_no_text(tmp_path: Path, text: str, line: str) -> None:
    assert_reported(check(write_site(tmp_path, {NOV: text})), line)


# ---------------------------------------------------------------- documents and agenda items

AGENDA = (
    'date: 2018-11-29\nagenda:\n  - number: "1"\n    title: Apologies\n'
    '  - number: "2"\n    title: Libraries\n'
)

AGENDA_MISTAKES = [
    pytest.param(
        AGENDA + "    reports:\n      - file: 2018-11-29/report.md\n",
        f"{NOV}:8:15: the document '2018-11-29/report.md' does not exist — "
        "add it as content/meetings/board/2018-11-29/report.md, or correct the name",
        id="document-file-missing",
    ),
    pytest.param(
        AGENDA + "    reports:\n      - documents:\n"
        "          - title: Appendix\n            file: ../../secret.md\n",
        f"{NOV}:10:19: the document path '../../secret.md' leaves the body's folder — "
        "put the file in content/meetings/board/2018-11-29/",
        id="document-file-with-dot-dot",
    ),
    pytest.param(
        AGENDA + 'minutes:\n  items:\n    - number: 1/18\n      title: Libraries\n      agenda_item: "3"\n',
        f"{NOV}:11:20: minute 'Libraries' names agenda item 3, which the agenda does not have — "
        "use one of: 1, 2",
        id="agenda-item-that-does-not-exist",
    ),
    pytest.param(
        'date: 2018-11-29\nagenda:\n  - number: "1"\n    title: Apologies\n'
        '  - number: "1"\n    title: Minutes\n',
        f"{NOV}:5:13: agenda item 1 appears twice — number the items in order",
        id="agenda-item-numbered-twice",
    ),
]


@pytest.mark.parametrize(("text", "line"), AGENDA_MISTAKES)
def test_agenda_and_documents(tmp_path: Path, text: str, line: str) -> None:
    assert_reported(check(write_site(tmp_path, {NOV: text})), line)


# ---------------------------------------------------------------- the build: addresses, templates

PAGE = "---\ntitle: {title}\n---\nText.\n"


@pytest.mark.parametrize(
    ("slug", "template"),
    [
        pytest.param("bodies", "bodies.html", id="page-named-bodies"),
        pytest.param("decisions", "decisions_index.html", id="page-named-decisions"),
        pytest.param("search", "search.html", id="page-named-search"),
    ],
)
@pytest.mark.parametrize("command", [build, check])
def test_a_page_cannot_take_a_built_in_address(
    tmp_path: Path, slug: str, template: str, command: Callable[[Path], CliRun]
) -> None:
    """Both claimants are named: the clerk's page and the built-in page (by its template).

    `check` refuses it too, so a clerk's check does not pass a site that `build` would refuse.
    """
    root = write_site(tmp_path, {f"content/pages/{slug}.md": PAGE.format(title=slug.title())})
    line = (
        f"content/pages/{slug}.md:1:1: this would be published at /{slug}/, "
        f"the address of Minutebook's own page made from {template} — "
        f"rename content/pages/{slug}.md: every page needs an address of its own"
    )
    assert_reported(command(root), line)


def test_template_error_names_the_site_template_and_line(tmp_path: Path) -> None:
    template = (
        '{% extends "base.html" %}\n{% block main %}\n'
        "<h1>{{ page.title }}</h1>\n{{ page.no_such_field }}\n{% endblock %}\n"
    )
    root = write_site(
        tmp_path, {"templates/page.html": template, "content/pages/about.md": PAGE.format(title="About")}
    )
    line = (
        "templates/page.html:4:1: template error while writing about/index.html: "
        "'minutebook.records.page.Page object' has no attribute 'no_such_field' — "
        "fix the template (a site's own templates/ override the defaults)"
    )
    assert_reported(build(root), line)


def test_template_syntax_error(tmp_path: Path) -> None:
    template = '{% extends "base.html" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock %}\n'
    root = write_site(
        tmp_path, {"templates/page.html": template, "content/pages/about.md": PAGE.format(title="About")}
    )
    line = (
        "templates/page.html:3:1: template error while writing about/index.html: unexpected '}' — "
        "fix the template (a site's own templates/ override the defaults)"
    )
    assert_reported(build(root), line)


# ---------------------------------------------------------------- a failed build leaves the site alone


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize(
    ("rel", "broken"),
    [
        pytest.param(NOV, "date: 2018-11-29\nvenu: Room\n", id="content-error"),
        pytest.param("content/pages/bodies.md", PAGE.format(title="Bodies"), id="address-collision"),
        pytest.param(
            "templates/page.html",
            "{% extends 'base.html' %}{% block main %}{{ nope.nope }}{% endblock %}",
            id="template-error",
        ),
    ],
)
def test_a_failed_build_leaves_the_published_site_untouched(tmp_path: Path, rel: str, broken: str) -> None:
    root = write_site(
        tmp_path,
        {NOV: minutes("2018-11-29", APOLOGIES), "content/pages/about.md": PAGE.format(title="About")},
    )
    assert build(root).code == 0
    before = fingerprint(root / "_site")
    assert before, "the good build wrote nothing"
    write_site(root, {rel: broken})
    run = build(root)
    assert run.code == 1 and "Traceback" not in run.err
    assert "1 error(s)" in run.err
    assert fingerprint(root / "_site") == before
    assert sorted(p.name for p in root.iterdir() if ".staging-" in p.name or ".old-" in p.name) == []


def test_approval_by_a_minute_outside_the_archive_is_a_warning(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            NOV: minutes("2018-11-29", "- number: 1/18\n  title: Done\n").replace(
                "minutes:\n", "minutes:\n  status: approved\n  approved_by: 9/18\n", 1
            )
        },
    )
    run = run_cli("check", "--site", root, "--today", "2026-11-29")
    assert run.code == 0, run.err
    assert "warning: minute 9/18, which approved these minutes, is not in the archive" in run.err
