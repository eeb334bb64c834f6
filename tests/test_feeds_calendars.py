"""Calendars, Atom feeds, what's new, sitemap and JSON-LD: parsed back and checked against the records.

Fixture facts (tests/fixtures/archive/README.md): 11 meetings; PC 2022-09-14 cancelled;
PC 2023-10-11 postponed; PC 2022-11-16 moved to 2022-11-23; every time Europe/London.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from minutebook import timing
from minutebook.build import BuildOptions, _load_and_link, build
from minutebook.graph import MeetingNode, Site
from minutebook.outputs import default_steps
from minutebook.outputs.calendar import EventTexts, calendar_bytes, meeting_event
from minutebook.outputs.history import parse_log
from minutebook.outputs.sitemap import html_pages
from sitekit import TODAY, build_site, copy_example, copy_fixture, write_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
PC = "bodies/planning-committee/meetings"
#: The fixture's site_config.yaml: base_url https://example.org/minutes/.
FIXTURE_BASE = "https://example.org/minutes/"


@pytest.fixture(scope="module")
def fixture_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_fixture(tmp_path_factory.mktemp("fixture"))
    return build_site(root, search=False).out


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("example"))
    return build_site(root, search=False).out


def events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(found) == len(calendar.walk("VEVENT")), "UIDs are unique"
    return found


# ---------------------------------------------------------------- the order of steps


def test_search_is_collected_last_and_the_sitemap_after_the_steps_that_write_pages() -> None:
    """Pagefind starts before the pages render; the build waits for it only after every other step."""
    names = [step.name for step in default_steps()]
    assert names[-1] == "search index"
    assert (
        names.index("calendars") < names.index("feeds") < names.index("what's new") < names.index("sitemap")
    )


def test_sitemap_walks_no_folder_pagefind_may_be_writing(tmp_path: Path) -> None:
    """The sitemap runs while Pagefind indexes: its bundle and hidden working folders hold no pages."""
    for rel in (
        "index.html",
        "bodies/x/index.html",
        "404.html",
        "robots.txt",
        "pagefind/pagefind-ui.html",
        ".pagefind-source-2/000001.html",
        ".pagefind-part-2/fragment/en_1.html",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<p>x</p>")
    assert html_pages(tmp_path) == ["index.html", "bodies/x/index.html"]


# ---------------------------------------------------------------- iCalendar


def test_site_calendar_has_every_meeting_with_its_status(fixture_out: Path) -> None:
    found = events(fixture_out / "meetings.ics")
    assert len(found) == 11
    cancelled = found["planning-committee-2022-09-14@example.org"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("Cancelled:")
    assert str(found["planning-committee-2023-10-11@example.org"]["STATUS"]) == "TENTATIVE"
    assert str(found["planning-committee-2022-06-15@example.org"]["STATUS"]) == "CONFIRMED"


def test_moved_meeting_keeps_its_uid_with_the_new_date_and_sequence_1(fixture_out: Path) -> None:
    moved = events(fixture_out / "meetings.ics")["planning-committee-2022-11-16@example.org"]
    start = moved.decoded("DTSTART")
    assert start.date() == dt.date(2022, 11, 23)
    assert (start.hour, start.minute) == (14, 0)
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTEND") - start == dt.timedelta(hours=2)  # end_time 16:00
    assert moved.decoded("DTSTAMP") == dt.datetime(2022, 11, 15, tzinfo=dt.UTC)  # agenda_published
    assert moved["URL"] == f"{FIXTURE_BASE}{PC}/2022-11-16/"


def test_times_carry_the_site_time_zone_with_a_vtimezone(fixture_out: Path) -> None:
    text = (fixture_out / "meetings.ics").read_text()
    assert "DTSTART;TZID=Europe/London:20230614T140000" in text  # summer: 13:00 UTC
    calendar = icalendar.Calendar.from_ical(text)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    event = events(fixture_out / "meetings.ics")["planning-committee-2023-06-14@example.org"]
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=1)
    assert event["DTSTART"].params["TZID"] == "Europe/London"


def test_each_body_has_its_own_calendar(fixture_out: Path) -> None:
    cabinet = events(fixture_out / "bodies/cabinet/meetings.ics")
    planning = events(fixture_out / "bodies/planning-committee/meetings.ics")
    assert sorted(cabinet) == ["cabinet-2023-06-06@example.org", "cabinet-2023-09-12@example.org"]
    assert len(planning) == 9
    assert not set(cabinet) & set(planning)


def test_a_meeting_without_a_time_is_an_all_day_event(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/meetings/board/2018-06-07.yaml": "date: 2018-06-07\n"})
    event = events(build_site(root, search=False).out / "meetings.ics")["board-2018-06-07@example.org"]
    assert event.decoded("DTSTART") == dt.date(2018, 6, 7)
    assert event.decoded("DTEND") == dt.date(2018, 6, 8)
    assert event.decoded("DTSTAMP") == dt.datetime(2018, 6, 7, tzinfo=dt.UTC)


def test_calendars_and_feeds_are_linked_from_home_and_body_pages(fixture_out: Path) -> None:
    home = BeautifulSoup((fixture_out / "index.html").read_text(), "html.parser")
    body = BeautifulSoup((fixture_out / "bodies/cabinet/index.html").read_text(), "html.parser")
    assert home.find("a", string="Subscribe to the calendar")["href"] == "/minutes/meetings.ics"
    assert (
        body.find("a", string="Subscribe to the calendar")["href"] == "/minutes/bodies/cabinet/meetings.ics"
    )
    feeds = [link["href"] for link in body.find_all("link", type="application/atom+xml")]
    assert feeds == ["/minutes/feed.xml", "/minutes/bodies/cabinet/feed.xml"]
    assert home.find("a", string="What's new")["href"] == "/minutes/whats-new/"


# ---------------------------------------------------------------- Atom


def parse_feed(path: Path) -> etree._Element:
    feed = etree.fromstring(path.read_bytes())
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), f"{path.name}: feed without {name}"
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert RFC3339.match(feed.findtext(f"{ATOM}updated") or "")
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), f"entry without {name}"
        assert RFC3339.match(entry.findtext(f"{ATOM}updated") or "")
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href", "").startswith("https://")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids)), "entry ids are unique"
    newest = max((e.findtext(f"{ATOM}updated") or "" for e in entries), default=None)
    if newest:
        assert feed.findtext(f"{ATOM}updated") == newest, "a feed is as new as its newest entry"
    return feed


def test_site_and_body_feeds_are_valid_atom(fixture_out: Path) -> None:
    for path in [
        "feed.xml",
        "bodies/cabinet/feed.xml",
        "bodies/planning-committee/feed.xml",
        "whats-new.xml",
    ]:
        parse_feed(fixture_out / path)


def test_feed_entries_tell_of_agendas_minutes_approvals_and_decisions(fixture_out: Path) -> None:
    feed = parse_feed(fixture_out / "feed.xml")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 44
    kinds = {e.find(f"{ATOM}category").get("term") for e in entries}
    assert {"agenda", "minutes", "approved", "decision", "cancelled", "postponed", "moved"} <= kinds
    assert feed.findtext(f"{ATOM}updated") == "2024-07-10T00:00:00+01:00"
    approved = [e for e in entries if e.findtext(f"{ATOM}id", "").endswith(f"{PC}/2022-06-15/approved")]
    assert [e.findtext(f"{ATOM}updated") for e in approved] == ["2022-11-23T00:00:00+00:00"]  # minute 8/22
    assert approved[0].findtext(f"{ATOM}id").startswith("tag:example.org,2022-06-15:minutes/")


def test_body_feed_holds_only_that_bodys_entries(fixture_out: Path) -> None:
    feed = parse_feed(fixture_out / "bodies/cabinet/feed.xml")
    terms = {c.get("term") for c in feed.iter(f"{ATOM}category") if c.get("label")}
    assert terms == {"cabinet"}


def test_a_feed_keeps_the_newest_50_entries(tmp_path: Path) -> None:
    start = dt.date(2018, 1, 4)
    days = [start + dt.timedelta(weeks=n) for n in range(60)]
    meetings = {
        f"content/meetings/board/{day}.yaml": f"date: {day}\nagenda_published: {day - dt.timedelta(days=7)}\n"
        for day in days
    }
    feed = parse_feed(build_site(write_site(tmp_path, meetings), search=False).out / "feed.xml")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    dates = [e.findtext(f"{ATOM}updated") for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert dates[0].startswith(str(days[-1] - dt.timedelta(days=7)))
    assert dates[-1].startswith(str(days[10] - dt.timedelta(days=7)))


def test_outputs_do_not_depend_on_the_clock_or_the_folder(tmp_path: Path) -> None:
    """Two builds in different folders, seconds apart, the second in a zone 14 hours ahead of UTC."""
    first = build_site(copy_fixture(tmp_path / "a"), search=False).out
    root = copy_fixture(tmp_path / "b")
    time.sleep(1.1)
    code = (
        "import sys, datetime; from minutebook.build import BuildOptions, build; "
        "build(BuildOptions(root=__import__('pathlib').Path(sys.argv[1]), "
        "today=datetime.date.fromisoformat(sys.argv[2]), search=False, jobs=1))"
    )
    env = {**os.environ, "TZ": "Pacific/Kiritimati"}
    subprocess.run([sys.executable, "-c", code, str(root), TODAY.isoformat()], env=env, check=True)
    second = root / "_site"
    names = ["feed.xml", "bodies/cabinet/feed.xml", "whats-new.xml", "whats-new/index.html", "meetings.ics"]
    names += ["bodies/planning-committee/meetings.ics", "sitemap.xml", "robots.txt"]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


# ---------------------------------------------------------------- sitemap and robots.txt


def test_sitemap_lists_every_page_under_the_base_url(example_out: Path) -> None:
    base = "https://example.github.io/minutebook/"
    root = etree.fromstring((example_out / "sitemap.xml").read_bytes())
    locs = [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]
    assert locs and all(loc.startswith(base) for loc in locs)
    assert len(locs) == len(set(locs))
    for loc in locs:
        rel = loc.removeprefix(base)
        target = example_out / rel / "index.html" if rel.endswith("/") or not rel else example_out / rel
        assert target.is_file(), loc
    pages = {p.relative_to(example_out).as_posix() for p in example_out.rglob("*.html")}
    assert len(locs) == len(pages - {"404.html", "search/index.html"})
    assert base + "search/" not in locs and base + "404.html" not in locs
    assert base + "whats-new/" in locs


def test_sitemap_dates_come_from_the_records(fixture_out: Path) -> None:
    root = etree.fromstring((fixture_out / "sitemap.xml").read_bytes())
    lastmod = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root.iter(f"{SITEMAP}url")
    }
    # PC 2022-06-15: approved on 23 November 2022 (minute 8/22); its action 4/22-a2 closed, and minute
    # 4/22 followed up, by minute 12/22 on 15 March 2023, which the page shows.
    assert lastmod[f"{FIXTURE_BASE}{PC}/2022-06-15/"] == "2023-03-15"
    assert lastmod[f"{FIXTURE_BASE}{PC}/2023-10-11/"] == "2023-10-11"  # postponed: its own date
    assert lastmod[f"{FIXTURE_BASE}{PC}/2027-01-20/"] is None  # a future meeting: no date yet
    assert lastmod[f"{FIXTURE_BASE}bodies/"] is None


def test_sitemap_leaves_out_redirect_pages(tmp_path: Path) -> None:
    moved = "date: 2018-06-07\nmoved_from: [bodies/board/meetings/2018-06-06/]\n"
    root = write_site(tmp_path, {"content/meetings/board/2018-06-07.yaml": moved})
    out = build_site(root, search=False).out
    assert (out / "bodies/board/meetings/2018-06-06/index.html").is_file()  # the redirect
    locs = [loc.text for loc in etree.fromstring((out / "sitemap.xml").read_bytes()).iter(f"{SITEMAP}loc")]
    assert "https://example.org/bodies/board/meetings/2018-06-07/" in locs
    assert "https://example.org/bodies/board/meetings/2018-06-06/" not in locs


def test_robots_txt_names_the_sitemap(example_out: Path) -> None:
    text = (example_out / "robots.txt").read_text()
    assert "User-agent: *\nAllow: /\n" in text
    assert "Sitemap: https://example.github.io/minutebook/sitemap.xml" in text


# ---------------------------------------------------------------- JSON-LD


def json_ld(out: Path, meeting: str) -> dict[str, object]:
    page = BeautifulSoup((out / PC / meeting / "index.html").read_text(), "html.parser")
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data: dict[str, object] = json.loads(scripts[0].string)
    return data


@pytest.mark.parametrize(
    ("meeting", "status"),
    [
        ("2022-09-14", "EventCancelled"),
        ("2023-10-11", "EventPostponed"),
        ("2022-11-16", "EventRescheduled"),
        ("2022-06-15", "EventScheduled"),
    ],
)
def test_meeting_pages_carry_an_event_with_its_status(fixture_out: Path, meeting: str, status: str) -> None:
    data = json_ld(fixture_out, meeting)
    assert data["@type"] == "Event"
    assert data["eventStatus"] == f"https://schema.org/{status}"
    assert data["url"] == f"{FIXTURE_BASE}{PC}/{meeting}/"
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Fixture Borough Council",
        "url": FIXTURE_BASE,
    }


def test_event_dates_carry_the_offset_and_the_previous_date(fixture_out: Path) -> None:
    moved = json_ld(fixture_out, "2022-11-16")
    assert moved["startDate"] == "2022-11-23T14:00:00+00:00"
    assert moved["endDate"] == "2022-11-23T16:00:00+00:00"
    assert moved["previousStartDate"] == "2022-11-16T14:00:00+00:00"
    summer = json_ld(fixture_out, "2023-06-14")
    assert summer["startDate"] == "2023-06-14T14:00:00+01:00"
    hybrid = json_ld(fixture_out, "2024-07-10")
    assert hybrid["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in hybrid["location"]] == ["Place", "VirtualLocation"]  # type: ignore[union-attr,index]


def test_json_ld_cannot_close_its_script_element(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {"content/meetings/board/2018-06-07.yaml": 'date: 2018-06-07\nvenue: "Room </script><b>1"\n'},
    )
    html = (build_site(root, search=False).out / "bodies/board/meetings/2018-06-07/index.html").read_text()
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(script)["location"]["name"] == "Room </script><b>1"


# ---------------------------------------------------------------- what's new


def whats_new(out: Path) -> list[tuple[str, str]]:
    """(date heading, entry title) for each entry of the what's-new page."""
    page = BeautifulSoup((out / "whats-new/index.html").read_text(), "html.parser")
    return [
        (section.h2.time["datetime"], li.a.get_text())
        for section in page.main.find_all("section")
        for li in section.find_all("li")
    ]


def test_whats_new_lists_the_changes_of_the_eight_weeks_before_today(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "site")
    out = build(BuildOptions(root=root, today=dt.date(2022, 11, 30), search=False, jobs=1)).out
    assert whats_new(out) == [
        ("2022-11-23", "Minutes published: Planning Committee, 23 November 2022"),
        ("2022-11-23", "Minutes approved: Planning Committee, 15 June 2022"),
        ("2022-11-23", "Action closed: action 4/22-a1 of Planning Committee"),
        ("2022-11-15", "Agenda published: Planning Committee, 23 November 2022"),
        ("2022-11-15", "Meeting moved: Planning Committee, 23 November 2022"),
    ]
    feed = parse_feed(out / "whats-new.xml")
    assert len(feed.findall(f"{ATOM}entry")) == 5
    again = build(BuildOptions(root=root, out=tmp_path / "again", today=dt.date(2022, 11, 30), search=False))
    for name in ("whats-new/index.html", "whats-new.xml"):
        assert (out / name).read_bytes() == (again.out / name).read_bytes()


def test_whats_new_tells_of_a_cancellation_in_its_window(tmp_path: Path) -> None:
    out = build(BuildOptions(root=copy_fixture(tmp_path), today=dt.date(2022, 9, 30), search=False)).out
    assert whats_new(out) == [("2022-09-14", "Meeting cancelled: Planning Committee, 14 September 2022")]


def git(root: Path, *args: str, day: str = "2026-01-05") -> None:
    stamp = f"{day}T12:00:00+00:00"
    env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "HOME": str(root), "PATH": "/usr/bin:/bin"}
    identity = ["-c", "user.name=Clerk", "-c", "user.email=clerk@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, *args], cwd=root, env=env, check=True, capture_output=True)


def test_whats_new_reads_the_commits_that_changed_content(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "site")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "archive", day="2026-01-05")
    cancelled = root / "content/meetings/planning-committee/2022-09-14.yaml"
    cancelled.write_text(cancelled.read_text() + "# a clerk's note\n")
    paper = root / "content/meetings/planning-committee/2022-06-15/appendix-2.md"
    paper.write_text("# Appendix 2\n")
    (root / "content/meetings/cabinet/2026-12-08.yaml").write_text("date: 2026-12-08\ntime: '10:00'\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "changes", day="2026-11-20")
    out = build_site(root, search=False).out  # today 2026-11-29
    page = BeautifulSoup((out / "whats-new/index.html").read_text(), "html.parser")
    assert "Cancelled." in page.main.get_text()  # what the cancelled meeting's page shows now
    assert whats_new(out) == [
        ("2026-11-20", "Added: Cabinet, 8 December 2026"),
        ("2026-11-20", "Updated: Planning Committee, 15 June 2022"),
        ("2026-11-20", "Updated: Planning Committee, 14 September 2022"),
    ]


def test_git_log_output_is_read_per_commit() -> None:
    log = (
        "\x002026-11-20\n\nM\tcontent/a.yaml\nA\tcontent/b.md\nD\tcontent/c.yaml\n"
        "\x002026-01-05\n\nA\tcontent/a.yaml\n"
    )
    found = [(c.path, c.date.isoformat(), c.added) for c in parse_log(log)]
    assert found == [
        ("content/a.yaml", "2026-11-20", False),
        ("content/b.md", "2026-11-20", True),
        ("content/a.yaml", "2026-01-05", True),
    ]


def test_whats_new_is_linked_from_every_page(fixture_out: Path) -> None:
    page = BeautifulSoup((fixture_out / "people/index.html").read_text(), "html.parser")
    footer = page.find("footer")
    assert footer.find("a", string="What's new")["href"] == urlsplit(FIXTURE_BASE).path + "whats-new/"


def _calendar_as_icalendar_writes_it(site: Site, name: str, meetings: list[MeetingNode]) -> bytes:
    """The calendar made whole by icalendar (each event a component, then its missing time
    zones): what the calendar step wrote before it serialised each event once."""
    tz = timing.zone(site.config.timezone)
    calendar = icalendar.Calendar.from_ical(calendar_bytes(site, name, []))
    for meeting in sorted(meetings, key=lambda m: (m.date, m.record.time or "", m.body.id, m.slug)):
        calendar.add_component(meeting_event(site, meeting, tz))
    if meetings:
        years = [m.date.year for m in meetings] + [m.original_date.year for m in meetings]
        calendar.add_missing_timezones(dt.date(min(years), 1, 1), dt.date(max(years) + 2, 1, 1))
    return bytes(calendar.to_ical())


@pytest.mark.parametrize("zone", ["Europe/London", "UTC", "America/New_York"])
def test_calendars_are_what_icalendar_writes_for_timed_all_day_and_utc_meetings(
    tmp_path: Path, zone: str
) -> None:
    root = copy_fixture(tmp_path / "site")
    config = root / "site_config.yaml"
    config.write_text(re.sub(r"timezone: .*", f"timezone: {zone}", config.read_text()), encoding="utf-8")
    body = root / "content" / "meetings" / "cabinet"
    (body / "2019-01-01.yaml").write_text("date: 2019-01-01\n", encoding="utf-8")  # no time: all day
    site, _ = _load_and_link(root, TODAY, None)
    events = EventTexts(site)
    cabinet = site.bodies["cabinet"]
    for name, meetings in [("All", site.meetings), ("Cabinet", cabinet.meetings), ("None", [])]:
        expected = _calendar_as_icalendar_writes_it(site, name, meetings)
        assert calendar_bytes(site, name, meetings, events) == expected, name
    all_day = [m for m in cabinet.meetings if not m.record.time]
    assert all_day, "the fixture lost its all-day meeting"
    written = calendar_bytes(site, "All day", all_day, events)
    assert written == _calendar_as_icalendar_writes_it(site, "All day", all_day)
    assert b"VTIMEZONE" not in written
