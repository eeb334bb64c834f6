"""`minutebook new`: files a clerk starts from pass the checker and never overwrite anything."""

from __future__ import annotations

from pathlib import Path

from sitekit import copy_example, run_cli


def test_new_meeting_has_opening_items_members_and_next_minute_numbers(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    args = ["new", "meeting", "--site", site, "--body", "ecs-scrutiny-board-2", "--date", "2019-01-24"]
    run = run_cli(*args, "--time", "10:30", "--venue", "Diamond Room 1")
    assert run.code == 0, run.err
    text = (site / "content/meetings/ecs-scrutiny-board-2/2019-01-24.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../../schema/meeting.json\n")
    for title in ("Apologies and Substitutions", "Declarations of Interests", "Matters Arising"):
        assert title in text
    assert "To agree the minutes of the meeting held on 29 November 2018" in text
    assert 'time: "10:30"' in text and 'venue: "Diamond Room 1"' in text
    assert "#   chair: m-mutton" in text  # the chair of 2018/19, from the body's membership
    assert '#     - number: "44/18"' in text  # 37/18–43/18 are taken by 29 November 2018
    assert run_cli("check", "--site", site, "--today", "2019-01-01").code == 0


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    path = site / "content/meetings/ecs-scrutiny-board-2/2018-11-29.yaml"
    before = path.read_bytes()
    run = run_cli("new", "meeting", "--site", site, "--body", "ecs-scrutiny-board-2", "--date", "2018-11-29")
    assert run.code == 1
    assert "already exists; nothing was written" in run.err
    assert path.read_bytes() == before


def test_new_meeting_for_unknown_body_names_the_bodies(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    run = run_cli("new", "meeting", "--site", site, "--body", "cabinet", "--date", "2019-01-24")
    assert run.code == 1
    assert "there is no body 'cabinet' — bodies: ecs-scrutiny-board-2" in run.err
    assert "Traceback" not in run.err


def test_new_body_person_and_programme_pass_the_checker(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    for args in (
        ["body", "--id", "cabinet", "--name", "Cabinet"],
        ["person", "--name", "Z Zed", "--honorific", "Councillor"],
        ["person", "--name", "Ann Officer", "--kind", "officer"],
        ["work-programme", "--body", "ecs-scrutiny-board-2", "--year", "2019/20"],
    ):
        run = run_cli("new", *args, "--site", site, "--today", "2019-06-01")
        assert run.code == 0, run.err
    assert (site / "content/people/z-zed.yaml").read_text().splitlines()[1:4] == [
        "id: z-zed",
        'name: "Z Zed"',
        'honorific: "Councillor"',
    ]
    assert (site / "content/people/ann-officer.yaml").exists()
    assert (site / "content/work-programmes/ecs-scrutiny-board-2/2019-20.yaml").exists()
    assert run_cli("check", "--site", site, "--today", "2019-06-01").code == 0
