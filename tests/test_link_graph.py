"""The linked record graph, through `minutebook.build.check(root, today)`, and how pages show it.

Facts come from the fixture's feature map (tests/fixtures/archive/README.md) and from the
example site's content. Graph tests read the sites in place (check writes nothing); page tests
build the fixture once into a temporary folder.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from minutebook.build import check
from minutebook.graph import ActionNode, ActionStatus, MeetingNode, MinuteNode, Site
from minutebook.problems import Problem
from minutebook.records import MeetingStatus, MinutesStatus, MunicipalYear
from sitekit import FIXTURE, REPO, TODAY, build_site, copy_fixture

PC, CAB, ECS = "planning-committee", "cabinet", "ecs-scrutiny-board-2"


@pytest.fixture(scope="module")
def fixture_site() -> tuple[Site, list[Problem]]:
    return check(FIXTURE, TODAY)


@pytest.fixture(scope="module")
def fx(fixture_site: tuple[Site, list[Problem]]) -> Site:
    return fixture_site[0]


@pytest.fixture(scope="module")
def example_site() -> tuple[Site, list[Problem]]:
    return check(REPO, TODAY)


@pytest.fixture(scope="module")
def ex(example_site: tuple[Site, list[Problem]]) -> Site:
    return example_site[0]


@pytest.fixture(scope="module")
def fixture_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(copy_fixture(tmp_path_factory.mktemp("graph")), search=False).out


def minute(site: Site, body: str, label: str) -> MinuteNode:
    found = [m for (b, n), m in site.minutes.items() if b == body and n.label == label]
    assert len(found) == 1, f"{body} {label}: {found}"
    return found[0]


def meeting(site: Site, body: str, slug: str) -> MeetingNode:
    return next(m for m in site.bodies[body].meetings if m.slug == slug)


def action(site: Site, action_id: str) -> ActionNode:
    return next(a for a in site.actions if a.id == action_id)


def labels(minutes: list[MinuteNode]) -> list[str]:
    return [f"{m.meeting.body.id}:{m.label}" for m in minutes]


def page(out: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((out / url / "index.html").read_text(encoding="utf-8"), "lxml")


def section(soup: BeautifulSoup, anchor: str) -> Tag:
    found = soup.find(id=anchor)
    assert isinstance(found, Tag), f"no #{anchor}"
    return found


def text_of(node: Tag) -> str:
    return " ".join(node.get_text(" ").split())


def hrefs(node: Tag) -> list[str]:
    return [str(a["href"]) for a in node.find_all("a", href=True)]


# ---------------------------------------------------------------- prose references


def test_prose_references_resolve_to_the_minute_named(fx: Site) -> None:
    """'Further to minute 9/22' → exactly PC 9/22; 'minute 4/23' in Cabinet's minutes → Cabinet's 4/23."""
    cases = {
        (PC, "12/22"): [(PC, "9/22"), (PC, "4/22")],  # "Further to minute 9/22" and "minute 4/22" in passing
        (PC, "9/23"): [(PC, "5/23")],
        (CAB, "8/23"): [(CAB, "4/23")],  # not the Planning Committee's 4/23
        (PC, "8/22"): [(PC, "4/22")],  # "amending minute 4/22" inside an approval minute
    }
    for (body, label), expected in cases.items():
        refs = minute(fx, body, label).references
        assert [(r.body_id, r.label) for r in refs] == [(b, n) for b, n in expected], (body, label)
        for ref, (target_body, target_label) in zip(refs, expected, strict=True):
            assert ref.target is minute(fx, target_body, target_label)


def test_explicit_further_to_and_prose_together(fx: Site) -> None:
    four_24 = minute(fx, PC, "4/24")
    assert {(r.body_id, r.label) for r in four_24.references} == {(PC, "4/23"), (PC, "12/22")}
    assert all(r.target is not None for r in four_24.references)


def test_a_forward_pointer_is_linked_but_is_not_a_follow_up(fx: Site, fixture_out: Path) -> None:
    """PC 2/22 mentions the later minute 6/22 of the same meeting: a link in the text, no thread."""
    two = minute(fx, PC, "2/22")
    assert two.references == [] and two.thread is None
    soup = page(fixture_out, "bodies/planning-committee/meetings/2022-06-15/")
    assert "#minute-6-22" in " ".join(hrefs(section(soup, "minute-2-22")))


def test_the_rendered_reference_points_at_the_exact_anchor(fixture_out: Path) -> None:
    soup = page(fixture_out, "bodies/planning-committee/meetings/2023-03-15/")
    twelve = section(soup, "minute-12-22")
    assert "/minutes/bodies/planning-committee/meetings/2022-11-16/#minute-9-22" in hrefs(twelve)
    assert "/minutes/bodies/planning-committee/meetings/2022-06-15/#minute-4-22" in hrefs(twelve)
    target = page(fixture_out, "bodies/planning-committee/meetings/2022-11-16/")
    assert section(target, "minute-9-22").name == "article"


def test_the_fixture_has_one_warning_for_the_reference_outside_the_archive(
    fixture_site: tuple[Site, list[Problem]], fixture_out: Path
) -> None:
    site, warnings = fixture_site
    assert [(w.file, w.message) for w in warnings] == [
        (
            "content/meetings/planning-committee/2022-06-15.yaml",
            "minute 99/21 is not in the archive; it is shown without a link",
        )
    ]
    four = minute(site, PC, "4/22")
    assert [(r.label, r.target) for r in four.references] == [("99/21", None)]
    article = section(page(fixture_out, "bodies/planning-committee/meetings/2022-06-15/"), "minute-4-22")
    assert "Further to minute 99/21" in text_of(article)
    assert not [a for a in article.find_all("a") if "99/21" in a.get_text()], "99/21 must not be a link"


def test_the_example_warns_about_references_outside_its_archive(
    example_site: tuple[Site, list[Problem]],
) -> None:
    site, warnings = example_site
    outside = {
        re.search(r"minute (\d+/\d+)", w.message)[1] for w in warnings if "not in the archive" in w.message
    }
    assert {"65/15", "27/17", "28/17", "33/18", "43/15"} <= outside
    assert all(w.severity.value == "warning" for w in warnings)
    # The references stay in the graph, unresolved, and are listed as outside the archive.
    assert {r.label for _, r in site.outside} >= {"65/15", "27/17", "28/17", "33/18"}
    assert {r.label for r in minute(site, ECS, "39/18").references} == {"27/17"}
    assert minute(site, ECS, "41/18").references[0].target is None


def test_the_example_shows_outside_references_as_plain_text(tmp_path: Path) -> None:
    from sitekit import copy_example

    out = build_site(copy_example(tmp_path), search=False).out
    soup = page(out, "bodies/ecs-scrutiny-board-2/meetings/2018-11-29/")
    for anchor, label in [("minute-39-18", "27/17"), ("minute-40-18", "28/17"), ("minute-41-18", "65/15")]:
        article = section(soup, anchor)
        assert f"Further to minute {label}" in text_of(article)
        assert not [a for a in article.find_all("a") if label in a.get_text()], f"{label} must not be a link"
    # …while the status note of the February 2019 meeting links minute 38/18, which is held.
    moved = page(out, "bodies/ecs-scrutiny-board-2/meetings/2019-01-10/")
    assert "/minutebook/bodies/ecs-scrutiny-board-2/meetings/2018-11-29/#minute-38-18" in hrefs(moved)


# ---------------------------------------------------------------- backlinks and other bodies


def test_backlinks(fx: Site, fixture_out: Path) -> None:
    assert labels(minute(fx, PC, "4/22").referred_by) == [f"{PC}:8/22", f"{PC}:9/22", f"{PC}:12/22"]
    assert labels(minute(fx, PC, "12/22").referred_by) == [f"{CAB}:5/23", f"{PC}:4/23", f"{PC}:4/24"]
    assert labels(minute(fx, CAB, "5/23").referred_by) == [f"{PC}:4/23"]
    assert labels(minute(fx, PC, "5/23").referred_by) == [f"{PC}:9/23"]
    assert minute(fx, PC, "4/24").referred_by == []
    article = section(page(fixture_out, "bodies/planning-committee/meetings/2022-06-15/"), "minute-4-22")
    followed = article.find(class_="referred-by")
    assert isinstance(followed, Tag)
    assert [h.rsplit("/", 2)[-2:] for h in hrefs(followed)] == [
        ["2022-11-16", "#minute-8-22"],
        ["2022-11-16", "#minute-9-22"],
        ["2023-03-15", "#minute-12-22"],
    ]


def test_a_backlink_from_another_body_names_that_body(fixture_out: Path) -> None:
    """PC 12/22 is followed up by Cabinet's 5/23; the Committee has a 5/23 of its own."""
    article = section(page(fixture_out, "bodies/planning-committee/meetings/2023-03-15/"), "minute-12-22")
    followed = article.find(class_="referred-by")
    assert isinstance(followed, Tag)
    assert "minute 5/23 (Cabinet, 6 Jun 2023)" in text_of(followed)
    assert "minute 4/23 (14 Jun 2023)" in text_of(followed)


def test_cross_body_references(fx: Site, fixture_out: Path) -> None:
    four_23 = minute(fx, PC, "4/23")
    assert [(r.body_id, r.label) for r in four_23.references] == [(PC, "12/22"), (CAB, "5/23")]
    assert four_23.references[1].target is minute(fx, CAB, "5/23")
    assert minute(fx, CAB, "5/23").references[0].target is minute(fx, PC, "12/22")
    article = section(page(fixture_out, "bodies/planning-committee/meetings/2023-06-14/"), "minute-4-23")
    assert "/minutes/bodies/cabinet/meetings/2023-06-06/#minute-5-23" in hrefs(article)
    assert "(Cabinet)" in text_of(article), "a reference to another body's minute names that body"


# ---------------------------------------------------------------- actions


@pytest.mark.parametrize(
    ("action_id", "status", "closed_by"),
    [
        ("planning-committee-4-22-a1", ActionStatus.done, (PC, "9/22")),
        ("planning-committee-4-22-a2", ActionStatus.done, (PC, "12/22")),
        ("planning-committee-9-22-a1", ActionStatus.done, (PC, "12/22")),
        ("planning-committee-12-22-a1", ActionStatus.done, (CAB, "5/23")),  # closed by another body
        ("planning-committee-5-23-a1", ActionStatus.done, (PC, "9/23")),
        ("planning-committee-5-23-a2", ActionStatus.overdue, None),
        ("planning-committee-4-24-a1", ActionStatus.open, None),  # due 2027-03-31
        ("cabinet-8-23-a1", ActionStatus.open, None),  # no due date: never overdue
    ],
)
def test_action_status_and_the_minute_that_closed_it(
    fx: Site, action_id: str, status: ActionStatus, closed_by: tuple[str, str] | None
) -> None:
    found = action(fx, action_id)
    assert found.status is status
    if closed_by is None:
        assert found.closed_by is None
    else:
        assert found.closed_by is minute(fx, *closed_by)
        assert found in found.closed_by.closes


def test_the_closure_note_is_kept(fx: Site) -> None:
    assert action(fx, "planning-committee-4-22-a1").closure_note == (
        "The consultation ran from 4 July to 29 August 2022."
    )
    assert action(fx, "planning-committee-9-22-a1").closure_note is None


def test_an_open_action_becomes_overdue_after_its_due_date() -> None:
    site, _ = check(FIXTURE, date(2027, 4, 1))
    assert action(site, "planning-committee-4-24-a1").status is ActionStatus.overdue
    assert action(site, "cabinet-8-23-a1").status is ActionStatus.open


def test_the_action_page_shows_status_and_closing_minute(fixture_out: Path) -> None:
    done = text_of(page(fixture_out, "actions/planning-committee-12-22-a1/").find("main"))
    assert "Done: recorded in minute 5/23 on Tuesday 6 June 2023" in done
    overdue = text_of(page(fixture_out, "actions/planning-committee-5-23-a2/").find("main"))
    assert "Overdue" in overdue and "Sunday 29 November 2026" in overdue
    link = page(fixture_out, "actions/planning-committee-12-22-a1/").find("a", string="minute 5/23")
    assert link is not None and link["href"] == "/minutes/bodies/cabinet/meetings/2023-06-06/#minute-5-23"


# ---------------------------------------------------------------- approval of minutes


def test_approval_links(fx: Site) -> None:
    approvals = {
        (PC, "2022-06-15"): (PC, "8/22"),
        (PC, "2022-11-16"): (PC, "3/23"),
        (PC, "2023-03-15"): (PC, "3/23"),
        (PC, "2023-06-14"): (PC, "8/23"),
        (PC, "2024-01-17"): (PC, "3/24"),
        (CAB, "2023-06-06"): (CAB, "7/23"),
    }
    for (body, slug), approver in approvals.items():
        held = meeting(fx, body, slug)
        assert held.record.minutes is not None and held.record.minutes.status is MinutesStatus.approved
        assert held.approved_by is minute(fx, *approver), (body, slug)
        assert held in held.approved_by.approves
    assert [m.slug for m in minute(fx, PC, "3/23").approves] == ["2022-11-16", "2023-03-15"]
    for body, slug in [(PC, "2024-07-10"), (CAB, "2023-09-12")]:
        draft = meeting(fx, body, slug)
        assert draft.record.minutes is not None and draft.record.minutes.status is MinutesStatus.draft
        assert draft.approved_by is None


def test_draft_minutes_show_the_draft_notice(fixture_out: Path) -> None:
    for url in ["bodies/planning-committee/meetings/2024-07-10/", "bodies/cabinet/meetings/2023-09-12/"]:
        minutes = section(page(fixture_out, url), "minutes")
        assert "Draft minutes. These minutes have not yet been approved" in text_of(minutes), url
    approved = section(page(fixture_out, "bodies/planning-committee/meetings/2023-06-14/"), "minutes")
    assert "Draft minutes" not in text_of(approved)


def test_approved_minutes_link_the_approving_minute(fixture_out: Path) -> None:
    minutes = section(page(fixture_out, "bodies/planning-committee/meetings/2022-06-15/"), "minutes")
    assert "/minutes/bodies/planning-committee/meetings/2022-11-16/#minute-8-22" in hrefs(minutes)
    assert "Approved as a correct record at the meeting of Wednesday 23 November 2022" in text_of(minutes)
    approver = section(page(fixture_out, "bodies/planning-committee/meetings/2023-06-14/"), "minute-3-23")
    assert {h.rsplit("/", 2)[-2] for h in hrefs(approver)} >= {"2022-11-16", "2023-03-15"}


# ---------------------------------------------------------------- meeting status and dates


def test_a_rescheduled_meeting_keeps_its_address_and_shows_the_new_date(
    fx: Site, ex: Site, fixture_out: Path
) -> None:
    moved = meeting(fx, PC, "2022-11-16")
    assert (moved.date, moved.rescheduled_from) == (date(2022, 11, 23), date(2022, 11, 16))
    assert moved.url == "bodies/planning-committee/meetings/2022-11-16/"
    soup = page(fixture_out, moved.url)
    assert "Wednesday 23 November 2022" in text_of(soup.find("h1"))
    assert "moved from Wednesday 16 November 2022 to Wednesday 23 November 2022" in text_of(soup.find("main"))
    february = meeting(ex, ECS, "2019-01-10")
    assert (february.date, february.rescheduled_from) == (date(2019, 2, 14), date(2019, 1, 10))
    assert february.url == "bodies/ecs-scrutiny-board-2/meetings/2019-01-10/"


def test_cancelled_and_postponed_meetings(fx: Site, fixture_out: Path) -> None:
    cancelled, postponed = meeting(fx, PC, "2022-09-14"), meeting(fx, PC, "2023-10-11")
    assert cancelled.status is MeetingStatus.cancelled and not cancelled.minutes
    assert postponed.status is MeetingStatus.postponed and len(postponed.agenda) == 3
    assert "This meeting was cancelled." in text_of(page(fixture_out, cancelled.url).find("main"))
    postponed_text = text_of(page(fixture_out, postponed.url).find("main"))
    assert "This meeting has been postponed." in postponed_text
    assert "Planning enforcement service review" in postponed_text
    year = text_of(page(fixture_out, "bodies/planning-committee/2022-23/").find("main"))
    assert "Cancelled" in year
    assert meeting(fx, PC, "2027-01-20").status is MeetingStatus.scheduled


# ---------------------------------------------------------------- work programmes


def test_work_programme_items_link_the_agenda_item_that_took_them(fx: Site, ex: Site) -> None:
    taken = {
        (p.year.label, i.title): (i.taken_at.meeting.slug, i.taken_at.label)
        for p in fx.programmes
        for i in p.items
        if i.taken_at
    }
    assert taken == {
        ("2023/24", "Affordable Housing Supplementary Planning Document"): ("2023-06-14", "5"),
        ("2023/24", "Affordable Housing Supplementary Planning Document: viability evidence"): (
            "2024-01-17",
            "4",
        ),
        ("2024/25", "Local Plan: examination update"): ("2024-07-10", "4"),  # by title, no taken_at
    }
    for programme in fx.programmes:
        for item in programme.items:
            if item.taken_at:
                assert item in item.taken_at.programme_items
    hubs = next(
        i
        for p in ex.programmes
        if p.year == MunicipalYear(2018)
        for i in p.items
        if i.title == "Early Help Hubs"
    )
    assert hubs.taken_at is not None and (hubs.taken_at.meeting.slug, hubs.taken_at.label) == (
        "2019-01-10",
        "4",
    )


def test_the_programme_page_links_the_agenda_item(fixture_out: Path) -> None:
    soup = page(fixture_out, "bodies/planning-committee/work-programme/2023-24/")
    assert "/minutes/bodies/planning-committee/meetings/2023-06-14/#item-5" in hrefs(soup.find("main"))
    assert "/minutes/bodies/planning-committee/meetings/2024-01-17/#item-4" in hrefs(soup.find("main"))


# ---------------------------------------------------------------- threads and topics


def test_threads_run_oldest_first_across_bodies_and_years(fx: Site) -> None:
    threads = {t.id: labels(t.minutes) for t in fx.threads}
    assert threads == {
        "planning-committee-4-22": [
            f"{PC}:4/22",
            f"{PC}:8/22",
            f"{PC}:9/22",
            f"{PC}:12/22",
            f"{CAB}:5/23",
            f"{PC}:4/23",
            f"{PC}:4/24",
        ],
        "planning-committee-5-23": [f"{PC}:5/23", f"{PC}:9/23"],
        "cabinet-4-23": [f"{CAB}:4/23", f"{CAB}:8/23"],
    }
    for thread in fx.threads:
        dates = [m.date for m in thread.minutes]
        assert dates == sorted(dates)
        assert all(m.thread is thread for m in thread.minutes)


def test_the_thread_page_lists_the_minutes_in_order(fixture_out: Path) -> None:
    soup = page(fixture_out, "history/planning-committee/4-22/")
    times = [t["datetime"] for t in soup.find("main").find_all("time")]
    assert times == sorted(times) and len(times) == 7


def test_topic_histories_are_in_date_order(fx: Site, ex: Site) -> None:
    for site in (fx, ex):
        for topic in site.topics.values():
            dates = [e.date for e in topic.entries]
            assert dates == sorted(dates), topic.id
    local_plan = {
        (e.kind, e.title.split(" ")[0]) for e in fx.topics["local-plan"].entries if e.kind == "minute"
    }
    assert local_plan == {("minute", n) for n in ["4/22", "8/22", "9/22", "12/22", "5/23", "4/23", "4/24"]}
    canal = [(e.kind, e.title) for e in fx.topics["canal-basin"].entries]
    assert canal[0] == ("minute", "10/22 Land at the Canal Basin")  # the exempt minute, by its title only
    assert ("work programme", "Canal Basin site briefing") in canal
    upcoming = [e for e in fx.topics["local-plan"].entries if e.kind == "agenda item"]
    assert [e.date for e in upcoming] == [date(2027, 1, 20)]


# ---------------------------------------------------------------- people


def test_attendance_records(fx: Site, ex: Site) -> None:
    def roles(site: Site, person: str) -> dict[str, str]:
        return {f"{a.meeting.body.id}/{a.meeting.slug}": a.role for a in site.people[person].attended}

    okafor, hartley, marsh = roles(fx, "b-okafor"), roles(fx, "a-hartley"), roles(fx, "d-marsh")
    assert okafor[f"{PC}/2022-11-16"] == "chair" and hartley[f"{PC}/2022-11-16"] == "apologies"
    assert hartley[f"{CAB}/2023-06-06"] == "invited"
    assert marsh[f"{PC}/2024-01-17"] == "absent" and marsh[f"{PC}/2022-06-15"] == "apologies"
    assert roles(fx, "e-patel")[f"{PC}/2022-06-15"] == "substitute"
    assert roles(fx, "m-ellis")[f"{PC}/2022-06-15"] == "present (co-opted)"
    assert roles(fx, "f-reyes")[f"{PC}/2022-11-16"] == "cabinet member"
    assert roles(fx, "r-ng") == {f"{PC}/2023-06-14": "invited"}
    assert roles(fx, "j-reed")[f"{PC}/2022-06-15"] == "officer"
    assert roles(ex, "m-mutton") == {f"{ECS}/2016-02-25": "chair", f"{ECS}/2018-11-29": "chair"}


def test_the_person_page_counts_attendance(fixture_out: Path) -> None:
    text = text_of(page(fixture_out, "people/d-marsh/").find("main"))
    assert "Recorded at 2 meetings; apologies at 2; absent without apologies at 1." in text


# ---------------------------------------------------------------- registers and pagination


def test_the_decisions_register_is_newest_first_and_split_by_year(fx: Site, fixture_out: Path) -> None:
    for year in {r.minute.meeting.year for r in fx.resolutions}:
        rows: list[str] = []
        url = f"decisions/{year.slug}/"
        while url:
            soup = page(fixture_out, url)
            rows += [t["datetime"] for t in soup.select("ol.register time")]
            following = soup.find("a", rel="next")
            url = str(following["href"]).removeprefix("/minutes/") if following else ""
        expected = sorted(
            (r.date.isoformat() for r in fx.resolutions if r.minute.meeting.year == year), reverse=True
        )
        assert rows == expected, year.label


def test_pagination_page_2_exists_and_links_back(fixture_out: Path) -> None:
    first = page(fixture_out, "decisions/2022-23/")
    second = page(fixture_out, "decisions/2022-23/page-2/")
    assert len(first.select("ol.register > li")) == 5  # page_size 5
    assert first.find("a", rel="next")["href"] == "/minutes/decisions/2022-23/page-2/"
    assert second.find("a", rel="prev")["href"] == "/minutes/decisions/2022-23/"
    assert "Page 2 of 2" in text_of(second.find("main"))
    assert len(second.select("ol.register > li")) >= 1
