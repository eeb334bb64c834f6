"""Synthetic council archives for benchmarking, in three formats from one plan.

    python benchmarks/generate.py --meetings 1000 --out /tmp/archive [--seed 1]
        [--formats minutebook,hugo,mkdocs]

writes
    OUT/minutebook/   a Minutebook site (site_config.yaml + content/) that passes `minutebook check`
    OUT/hugo/         the same records as Markdown with front matter, and a minimal Hugo theme
    OUT/mkdocs/       the same records as a docs/ tree with mkdocs.yml (Material, search plugin)
    OUT/manifest.json what was generated: counts, words, and the targets run.py edits

The archive is a function of (meetings, seed): two runs write byte-identical files.
A plan (bodies, people, membership, meeting dates, minute numbers, references, actions and
their closures, work programmes) is made first in one process; the prose of each meeting
comes from a random generator seeded by the meeting's own address, so meetings are written
in parallel without changing a byte.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vocabulary import INITIALS, Vocabulary, make_vocabulary  # noqa: E402

TODAY = date(2026, 11, 29)
FIRST_DAY = date(2006, 5, 15)
LAST_DAY = date(2027, 3, 31)
FIRST_YEAR, LAST_YEAR = 2006, 2026
COUNCIL = "Benchmark Borough Council"
FORMATS = ("minutebook", "hugo", "mkdocs")
#: Edit marker run.py replaces: it sits in one minute of the edit-target meeting only.
EDIT_SENTENCE = "Members thanked the officers for the clear report."

# (name, kind, how often it meets relative to the others)
BODIES: list[tuple[str, str, float]] = [
    ("Cabinet", "cabinet", 2.0),
    ("Planning Committee", "committee", 2.0),
    ("Council", "council", 1.0),
    ("Licensing Committee", "committee", 1.6),
    ("Scrutiny Co-ordination Committee", "scrutiny board", 1.4),
    ("Education and Children's Services Scrutiny Board (2)", "scrutiny board", 1.0),
    ("Health and Social Care Scrutiny Board (5)", "scrutiny board", 1.0),
    ("Finance and Corporate Services Scrutiny Board (1)", "scrutiny board", 1.0),
    ("Business, Economy and Enterprise Scrutiny Board (3)", "scrutiny board", 0.9),
    ("Communities and Neighbourhoods Scrutiny Board (4)", "scrutiny board", 0.9),
    ("Audit and Procedures Committee", "committee", 1.0),
    ("Health and Wellbeing Board", "board", 0.8),
    ("Corporate Parenting Board", "board", 0.8),
    ("Ethics Committee", "committee", 0.5),
    ("Employment Committee", "committee", 0.5),
    ("Pensions Committee", "committee", 0.6),
    ("Regulatory Committee", "committee", 0.9),
    ("Appeals Panel", "panel", 0.7),
    ("Schools Forum", "forum", 0.8),
    ("Standing Advisory Council on Religious Education", "council", 0.5),
    ("Stronger Communities Partnership", "board", 0.5),
    ("Local Police and Crime Board", "board", 0.6),
    ("Climate Change Board", "board", 0.6),
    ("Transport and Highways Panel", "panel", 0.8),
    ("Housing Advisory Panel", "panel", 0.8),
    ("Culture and Leisure Panel", "panel", 0.5),
    ("Parks and Green Spaces Forum", "forum", 0.5),
    ("Waste and Recycling Panel", "panel", 0.5),
    ("Heritage Panel", "panel", 0.4),
    ("Equalities Panel", "panel", 0.5),
    ("Youth Council", "council", 0.6),
    ("Tenants' Forum", "forum", 0.6),
    ("Safer Neighbourhoods Board", "board", 0.6),
    ("Economic Prosperity Board", "board", 0.7),
    ("Skills and Employment Board", "board", 0.5),
    ("City Centre Forum", "forum", 0.5),
    ("Fostering Panel", "panel", 0.6),
    ("Joint Negotiating Committee", "committee", 0.4),
    ("Constitutional Review Panel", "panel", 0.3),
    ("Rural Affairs Panel", "panel", 0.4),
]
SERVICES = """Library Service|Highways Maintenance|Waste Collection|Children's Social Care|Adult Social Care
|Housing Allocations|Parks and Open Spaces|Leisure Centres|Public Health|Street Lighting
|Council Tax Collection|Youth Services|Home to School Transport|Air Quality|Flood Risk Management
|Economic Development|Museums and Archives|Bereavement Services|Licensing Enforcement|Community Safety
|Early Help|Special Educational Needs|Homelessness Prevention|Planning Enforcement|Building Control
|Climate Emergency|Local Plan|Town Centre Regeneration|Customer Services|Digital Inclusion""".replace(
    "\n", ""
).split("|")
TITLE_PATTERNS = [
    "{service}: annual report",
    "{service}: performance update",
    "Review of {service}",
    "{service} in {place}",
    "{place} {project}",
    "Planning application: land at {place}",
    "Budget monitoring: quarter {quarter}",
    "Petition: {service} in {place}",
    "Consultation response: {service}",
    "{service} strategy {year}",
    "Risk register: {service}",
    "Fees and charges: {service}",
]
COUNTED = ["homes", "households", "pupils", "residents", "sites"]
PROJECTS = [
    "regeneration scheme",
    "masterplan",
    "transport scheme",
    "housing estate renewal",
    "flood defence",
]
AUTHORS = [
    "Chief Executive",
    "Director of Place",
    "Director of People",
    "Director of Finance and Resources",
    "Director of Public Health",
    "Director of Law and Governance",
    "Head of Planning",
    "Head of Housing",
    "Scrutiny Co-ordinator",
]
DIRECTORATES = ["People", "Place", "Resources", "Law and Governance", "Public Health", "Housing"]
JOBS = [
    "Head of Service",
    "Service Manager",
    "Programme Manager",
    "Strategic Lead",
    "Senior Lawyer",
    "Finance Manager",
    "Policy Officer",
    "Team Leader",
]
VENUES = [
    "Committee Room 1, Civic Centre",
    "Committee Room 2, Civic Centre",
    "Council Chamber, Civic Centre",
    "Diamond Room 2, Council House",
    "Online meeting",
]
TIMES = ["10:00", "10:00", "14:00", "14:00", "14:00", "18:00", "18:30"]
PORTFOLIOS = [
    "Finance",
    "Housing",
    "Children and Young People",
    "Adult Services",
    "Environment",
    "Transport",
    "Jobs and Regeneration",
    "Culture and Leisure",
    "Public Health",
    "Policing and Equalities",
]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def year_of(day: date) -> int:
    return day.year if day.month >= 5 else day.year - 1


def year_label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def year_slug(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def minute_label(number: int, year: int) -> str:
    return f"{number}/{year % 100:02d}"


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------- the plan


@dataclass
class Person:
    id: str
    name: str
    honorific: str | None
    kind: str
    directorate: str | None = None
    job_title: str | None = None
    start: int = FIRST_YEAR
    end: int = LAST_YEAR
    roles: list[tuple[str, date, date | None]] = field(default_factory=list)

    @property
    def display(self) -> str:
        return f"{self.honorific} {self.name}" if self.honorific else self.name

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass
class Body:
    id: str
    name: str
    kind: str
    weight: float
    officers: list[str] = field(default_factory=list)
    contact: str = ""
    #: municipal year → [(person id, role)]
    membership: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class Action:
    number: int
    resolution: int | None
    owner: str | None
    owner_note: str | None
    due: date | None


@dataclass
class Item:
    number: str
    title: str
    kind: str  # apologies, declarations, minutes, business, exempt
    base_title: str = ""
    topic: str | None = None
    author: str | None = None
    minute: int | None = None
    resolutions: int = 0
    votes: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    closes: list[str] = field(default_factory=list)
    #: (label written, body id, meeting index) of the minute this one follows up
    further: tuple[str, str, int] | None = None
    further_explicit: list[tuple[str, str, int]] = field(default_factory=list)
    edit_marker: bool = False


@dataclass
class Meeting:
    index: int
    body: str
    day: date
    status: str  # held, cancelled, scheduled
    time: str
    venue: str
    items: list[Item] = field(default_factory=list)
    approved_by: str | None = None
    previous_held: date | None = None
    attendance: dict[str, Any] = field(default_factory=dict)
    declaration: tuple[str, str, str] | None = None

    @property
    def slug(self) -> str:
        return self.day.isoformat()

    @property
    def year(self) -> int:
        return year_of(self.day)

    @property
    def rel(self) -> str:
        return f"content/meetings/{self.body}/{self.slug}.yaml"

    @property
    def url(self) -> str:
        return f"bodies/{self.body}/meetings/{self.slug}/"


@dataclass
class ProgrammeItem:
    title: str
    leads: list[str]
    lead_note: str | None
    planned: date | str | None
    outcome: str
    taken_at: str | None
    topic: str | None


@dataclass
class Programme:
    body: str
    year: int
    revisions: list[tuple[date, list[ProgrammeItem]]]


@dataclass
class Plan:
    meetings_wanted: int
    seed: int
    vocab: Vocabulary
    bodies: dict[str, Body]
    people: dict[str, Person]
    meetings: list[Meeting]
    topics: dict[str, str]
    programmes: list[Programme]
    stats: dict[str, int]


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split total in proportion to weights (largest remainder), deterministically."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def make_plan(meetings: int, seed: int = 1) -> Plan:
    rng = random.Random(f"plan/{meetings}/{seed}")
    vocab = make_vocabulary(seed)
    people = _make_people(rng, vocab, meetings)
    bodies = _make_bodies(rng, people, meetings)
    _make_membership(rng, bodies, people)
    _make_cabinet_roles(bodies, people)
    topics = {slugify(s): s for s in SERVICES}
    plan_meetings = _make_meetings(rng, bodies, meetings, vocab, topics)
    stats: dict[str, int] = {}
    _make_references_and_actions(rng, plan_meetings, bodies, stats)
    for meeting in plan_meetings:
        if meeting.status == "held":
            _make_attendance(rng, meeting, bodies[meeting.body], people)
    programmes = _make_programmes(rng, plan_meetings, bodies)
    _choose_edit_target(plan_meetings)
    return Plan(meetings, seed, vocab, bodies, people, plan_meetings, topics, programmes, stats)


def _make_people(rng: random.Random, vocab: Vocabulary, meetings: int) -> dict[str, Person]:
    people: dict[str, Person] = {}
    surnames = list(vocab.surnames)

    def add(honorific: str | None, kind: str, **extra: Any) -> Person:
        while True:
            name = f"{rng.choice(INITIALS)} {rng.choice(surnames)}"
            pid = slugify(name)
            if pid not in people:
                break
        person = Person(pid, name, honorific, kind, **extra)
        people[pid] = person
        return person

    councillors = _clamp(meetings // 4, 30, 240)
    for _ in range(councillors):
        person = add("Councillor", "councillor")
        if councillors >= 80:
            person.start = rng.randint(FIRST_YEAR - 8, LAST_YEAR)
            person.end = min(LAST_YEAR, person.start + rng.randint(4, 20))
            if person.end < FIRST_YEAR:
                person.start, person.end = FIRST_YEAR, FIRST_YEAR + rng.randint(2, 8)
    for _ in range(_clamp(meetings // 100, 3, 20)):
        add(rng.choice(["Mr", "Mrs", "Ms", "Dr"]), "co-opted")
    for index in range(_clamp(meetings // 15, 12, 90)):
        directorate = rng.choice(DIRECTORATES)
        job = "Democratic Services Officer" if index % 6 == 0 else rng.choice(JOBS)
        add(None, "officer", directorate=directorate, job_title=job)
    return people


def _make_bodies(rng: random.Random, people: dict[str, Person], meetings: int) -> dict[str, Body]:
    count = _clamp(meetings // 25, 3, len(BODIES))
    officers = [p.id for p in people.values() if p.kind == "officer"]
    clerks = [p.id for p in people.values() if p.job_title == "Democratic Services Officer"]
    bodies: dict[str, Body] = {}
    for name, kind, weight in BODIES[:count]:
        body = Body(slugify(name), name, kind, weight)
        body.officers = rng.sample(officers, min(len(officers), rng.randint(3, 6)))
        body.contact = rng.choice(clerks)
        bodies[body.id] = body
    return bodies


def _make_membership(rng: random.Random, bodies: dict[str, Body], people: dict[str, Person]) -> None:
    councillors = [p for p in people.values() if p.kind == "councillor"]
    co_opted = [p.id for p in people.values() if p.kind == "co-opted"]
    for body in bodies.values():
        previous: list[str] = []
        chair: str | None = None
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            active = [p.id for p in councillors if p.start <= year <= p.end] or [p.id for p in councillors]
            size = min(len(active), 60 if body.kind == "council" else rng.randint(6, 12))
            members = [m for m in previous if m in active and rng.random() > 0.2][:size]
            spare = [a for a in active if a not in members]
            members += rng.sample(spare, min(len(spare), size - len(members)))
            if chair not in members or rng.random() > 0.6:
                chair = members[0] if body.kind != "council" else rng.choice(members)
            others = [m for m in members if m != chair]
            entries = [(chair, "chair")]
            if others:
                entries.append((others[0], "vice-chair"))
                entries += [(m, "member") for m in others[1:]]
            if body.kind == "scrutiny board" and co_opted:
                entries += [(c, "co-opted") for c in rng.sample(co_opted, min(2, len(co_opted)))]
            body.membership[year] = entries
            previous = members


def _make_cabinet_roles(bodies: dict[str, Body], people: dict[str, Person]) -> None:
    cabinet = bodies.get("cabinet")
    if cabinet is None:
        return
    held: dict[str, list[tuple[str, int]]] = {}
    for year, entries in sorted(cabinet.membership.items()):
        for index, (pid, role) in enumerate(entries):
            post = (
                "Leader of the Council"
                if role == "chair"
                else f"Cabinet Member for {PORTFOLIOS[(index + year) % len(PORTFOLIOS)]}"
            )
            held.setdefault(pid, []).append((post, year))
    for pid, posts in held.items():
        spans: list[tuple[str, int, int]] = []
        for post, year in posts:
            if spans and spans[-1][0] == post and spans[-1][2] == year - 1:
                spans[-1] = (post, spans[-1][1], year)
            else:
                spans.append((post, year, year))
        people[pid].roles = [
            (post, date(start, 5, 20), date(end + 1, 5, 19) if end < LAST_YEAR else None)
            for post, start, end in spans
        ]


def _weekdays() -> list[date]:
    days, day = [], FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _make_meetings(
    rng: random.Random, bodies: dict[str, Body], total: int, vocab: Vocabulary, topics: dict[str, str]
) -> list[Meeting]:
    weekdays = _weekdays()
    counts = _allocate(total, [b.weight for b in bodies.values()])
    planned: list[Meeting] = []
    for body, count in zip(bodies.values(), counts, strict=True):
        days = sorted(rng.sample(weekdays, count))
        previous_held: date | None = None
        numbers: dict[int, int] = {}
        time_of_day, venue = rng.choice(TIMES), rng.choice(VENUES)
        for day in days:
            status = "scheduled" if day > TODAY else "cancelled" if rng.random() < 0.02 else "held"
            meeting = Meeting(0, body.id, day, status, time_of_day, venue)
            meeting.items = _agenda(rng, meeting, previous_held, vocab, topics)
            if status == "held":
                meeting.previous_held = previous_held
                year = meeting.year
                for item in meeting.items:
                    numbers[year] = numbers.get(year, 0) + 1
                    item.minute = numbers[year]
                previous_held = day
            planned.append(meeting)
    planned.sort(key=lambda m: (m.day, m.body))
    for index, meeting in enumerate(planned):
        meeting.index = index
    by_body: dict[str, list[Meeting]] = {}
    for meeting in planned:
        if meeting.status == "held":
            by_body.setdefault(meeting.body, []).append(meeting)
    for held in by_body.values():
        for earlier, later in zip(held, held[1:], strict=False):
            minutes_item = next(i for i in later.items if i.kind == "minutes")
            assert minutes_item.minute is not None
            earlier.approved_by = minute_label(minutes_item.minute, later.year)
    return planned


def _agenda(
    rng: random.Random,
    meeting: Meeting,
    previous_held: date | None,
    vocab: Vocabulary,
    topics: dict[str, str],
) -> list[Item]:
    count = rng.randint(6, 12)
    items = [
        Item("1", "Apologies and substitutions", "apologies"),
        Item("2", "Declarations of interest", "declarations"),
    ]
    if previous_held is not None or meeting.status != "held":
        items.append(Item("3", "Minutes", "minutes"))
    exempt = meeting.status == "held" and rng.random() < 0.015
    while len(items) < count - (1 if exempt else 0):
        title, topic = _business_title(rng, meeting.day, vocab)
        item = Item(str(len(items) + 1), title, "business", base_title=title)
        item.topic = slugify(topic) if topic in topics and rng.random() < 0.35 else None
        item.author = rng.choice(AUTHORS) if rng.random() < 0.7 else None
        if meeting.status == "held":
            item.resolutions = rng.choices((0, 1, 2, 3, 4), weights=(25, 30, 25, 12, 8))[0]
            for number in range(1, item.resolutions + 1):
                if rng.random() < 0.08:
                    against = rng.randint(0, 4)
                    item.votes[number] = (rng.randint(against + 1, 12), against, rng.randint(0, 2))
        items.append(item)
    if exempt:
        place = rng.choice(vocab.places)
        items.append(Item(str(len(items) + 1), f"Disposal of land at {place}", "exempt"))
    return items


def _business_title(rng: random.Random, day: date, vocab: Vocabulary) -> tuple[str, str]:
    service = rng.choice(SERVICES)
    pattern = rng.choice(TITLE_PATTERNS)
    title = pattern.format(
        service=service,
        place=rng.choice(vocab.places[:400]),
        project=rng.choice(PROJECTS),
        quarter=rng.randint(1, 4),
        year=f"{day.year}–{day.year + 3}",
    )
    return title, service


def _make_references_and_actions(
    rng: random.Random, meetings: list[Meeting], bodies: dict[str, Body], stats: dict[str, int]
) -> None:
    history: dict[str, list[tuple[Meeting, Item]]] = {b: [] for b in bodies}
    pending: dict[str, list[tuple[date, str]]] = {b: [] for b in bodies}
    for key in ("references", "cross_body_references", "actions", "closures"):
        stats[key] = 0
    for meeting in meetings:
        if meeting.status != "held":
            continue
        business = [i for i in meeting.items if i.kind == "business"]
        own = history[meeting.body]
        for item in business:
            if own and rng.random() < 0.15:
                if rng.random() < 0.6:
                    target_meeting, target = rng.choice(own[-30:])
                else:
                    target_meeting, target = rng.choice(own)
                assert target.minute is not None
                label = minute_label(target.minute, target_meeting.year)
                item.further = (label, target_meeting.body, target_meeting.index)
                item.title = f"{target.base_title}: update"
                item.topic = item.topic or target.topic
                stats["references"] += 1
            if rng.random() < 0.02:
                other = rng.choice(list(bodies))
                candidates = [(m, i) for m, i in history[other][-50:] if m.day < meeting.day]
                if other != meeting.body and candidates:
                    target_meeting, target = rng.choice(candidates)
                    assert target.minute is not None
                    label = f"{other}:{minute_label(target.minute, target_meeting.year)}"
                    item.further_explicit.append((label, other, target_meeting.index))
                    stats["cross_body_references"] += 1
            for number in range(1, item.resolutions + 1):
                if rng.random() < 0.3:
                    _add_action(rng, meeting, item, number, bodies[meeting.body], pending, stats)
            if rng.random() < 0.05:
                _add_action(rng, meeting, item, None, bodies[meeting.body], pending, stats)
        ready = [p for p in pending[meeting.body] if p[0] <= meeting.day]
        for entry in ready[:4]:
            pending[meeting.body].remove(entry)
            rng.choice(business).closes.append(entry[1])
            stats["closures"] += 1
        own.extend((meeting, item) for item in business)


def _add_action(
    rng: random.Random,
    meeting: Meeting,
    item: Item,
    resolution: int | None,
    body: Body,
    pending: dict[str, list[tuple[date, str]]],
    stats: dict[str, int],
) -> None:
    number = len(item.actions) + 1
    due = meeting.day + timedelta(days=rng.randint(21, 240)) if rng.random() < 0.9 else None
    if rng.random() < 0.85:
        owner, note = rng.choice(body.officers), None
    else:
        owner, note = None, rng.choice(["Scrutiny Co-ordinator", "Democratic Services", "Policy Team"])
    item.actions.append(Action(number, resolution, owner, note, due))
    stats["actions"] += 1
    if rng.random() < 0.8:
        assert item.minute is not None
        ready = (due or meeting.day + timedelta(days=60)) + timedelta(days=rng.randint(0, 60))
        pending[meeting.body].append((ready, f"{minute_label(item.minute, meeting.year)}-a{number}"))


def _make_attendance(rng: random.Random, meeting: Meeting, body: Body, people: dict[str, Person]) -> None:
    entries = body.membership.get(meeting.year, [])
    members = [pid for pid, role in entries if role != "co-opted"]
    co_opted = [pid for pid, role in entries if role == "co-opted"]
    apologies = [pid for pid in members + co_opted if rng.random() < 0.1]
    chair = next((pid for pid, role in entries if role == "chair"), None)
    if chair in apologies or chair is None:
        chair = next((m for m in members if m not in apologies), None)
    absent = [m for m in members if m != chair and m not in apologies and rng.random() < 0.02]
    present = [m for m in members if m not in (chair, *apologies, *absent)]
    active = [p.id for p in people.values() if p.kind == "councillor" and p.start <= meeting.year <= p.end]
    outsiders = [p for p in active if p not in members]
    substitutes = []
    for pid in apologies:
        if pid in members and outsiders and rng.random() < 0.3:
            substitute = rng.choice(outsiders)
            outsiders.remove(substitute)
            substitutes.append((substitute, pid))
    meeting.attendance = {
        "chair": chair,
        "present": present,
        "co_opted": [c for c in co_opted if c not in apologies],
        "substitutes": substitutes,
        "officers": rng.sample(body.officers, min(len(body.officers), rng.randint(2, 4))),
        "apologies": apologies,
        "absent": absent,
    }
    business = [i for i in meeting.items if i.kind == "business"]
    if present and business and rng.random() < 0.08:
        kind = rng.choice(["other registrable", "non-registrable", "disclosable pecuniary"])
        meeting.declaration = (rng.choice(present), rng.choice(business).number, kind)


def _make_programmes(rng: random.Random, meetings: list[Meeting], bodies: dict[str, Body]) -> list[Programme]:
    by_year: dict[tuple[str, int], list[Meeting]] = {}
    for meeting in meetings:
        if meeting.status != "cancelled":
            by_year.setdefault((meeting.body, meeting.year), []).append(meeting)
    programmes = []
    for (body_id, year), held in sorted(by_year.items()):
        body = bodies[body_id]
        if body.kind in ("council", "cabinet") or len(held) < 2 or rng.random() > 0.75:
            continue
        final: list[ProgrammeItem] = []
        for meeting in held:
            business = [i for i in meeting.items if i.kind == "business"]
            for item in rng.sample(business, min(len(business), 2)):
                taken = meeting.status == "held"
                final.append(
                    ProgrammeItem(
                        item.title,
                        rng.sample(body.officers, 1),
                        None,
                        meeting.day,
                        "taken" if taken else "planned",
                        f"{meeting.slug}/{item.number}" if taken else None,
                        item.topic,
                    )
                )
        final = final[:10]
        final.append(
            ProgrammeItem(
                "Member development session", [], "Scrutiny Co-ordinator", "tbd", "planned", None, None
            )
        )
        if rng.random() < 0.5:
            final.append(
                ProgrammeItem(
                    "Review of commissioning arrangements",
                    rng.sample(body.officers, 1),
                    None,
                    held[-1].day,
                    "deferred",
                    None,
                    None,
                )
            )
        first = [
            ProgrammeItem(i.title, i.leads, i.lead_note, i.planned, "planned", None, i.topic) for i in final
        ]
        start = held[0].day - timedelta(days=7)
        revisions = [(start, first)]
        later = held[-1].day - timedelta(days=7)
        if later > start:
            revisions.append((later, final))
        programmes.append(Programme(body_id, year, revisions))
    return programmes


def _choose_edit_target(meetings: list[Meeting]) -> None:
    held = [m for m in meetings if m.status == "held" and any(i.kind == "business" for i in m.items)]
    target = held[len(held) // 2]
    next(i for i in target.items if i.kind == "business").edit_marker = True


def edit_target(plan: Plan) -> Meeting:
    return next(m for m in plan.meetings if any(i.edit_marker for i in m.items))


# ---------------------------------------------------------------- prose


class Prose:
    """Sentences drawn from the vocabulary, with names, places and figures among them."""

    def __init__(self, vocab: Vocabulary, rng: random.Random, names: list[str]) -> None:
        self.vocab, self.rng, self.names = vocab, rng, names or ["Smith"]
        self.words = 0

    def _figure(self) -> str:
        rng = self.rng
        kind = rng.randrange(5)
        if kind == 0:
            return f"£{rng.randint(2, 950) * 1000:,}"
        if kind == 1:
            return f"{rng.randint(1, 99)} per cent"
        if kind == 2:
            return f"£{rng.randint(1, 40)}.{rng.randint(0, 9)} million"
        if kind == 3:
            return f"{rng.randint(3, 2500)} {rng.choice(COUNTED)}"
        return str(rng.randint(1990, 2030))

    def sentence(self, length: int) -> str:
        rng = self.rng
        words = self.vocab.sample(rng, length)
        roll = rng.random()
        if roll < 0.12:
            words.insert(rng.randrange(len(words)), f"Councillor {rng.choice(self.names)}")
        elif roll < 0.24:
            words.insert(rng.randrange(len(words)), self._figure())
        elif roll < 0.32:
            words.insert(rng.randrange(len(words)), rng.choice(self.vocab.places))
        if length > 10 and rng.random() < 0.45:
            at = rng.randrange(3, length - 3)
            words[at] += ","
        self.words += len(words)
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def sentences(self, words: int) -> list[str]:
        out: list[str] = []
        while words > 0:
            length = min(words, self.rng.randint(8, 24)) if words >= 8 else 8
            out.append(self.sentence(length))
            words -= length
        return out

    def paragraphs(self, words: int, lists: bool = True) -> str:
        rng = self.rng
        sentences = self.sentences(words)
        blocks: list[str] = []
        while sentences:
            take = rng.randint(2, 5)
            blocks.append(" ".join(sentences[:take]))
            sentences = sentences[take:]
        if lists and len(blocks) > 1 and rng.random() < 0.2:
            bullets = "\n".join(f"- {self.sentence(rng.randint(5, 12))}" for _ in range(rng.randint(2, 4)))
            blocks.insert(rng.randint(1, len(blocks) - 1), bullets)
        if rng.random() < 0.1:
            first = blocks[0].split(" ", 3)
            if len(first) == 4:
                blocks[0] = f"**{' '.join(first[:3])}** {first[3]}"
        return "\n\n".join(blocks)

    def short(self, low: int, high: int) -> str:
        return " ".join(self.sentences(self.rng.randint(low, high)))


@dataclass
class Filled:
    """The text of one item, generated once and written in every format."""

    item: Item
    description: str | None = None
    summary: str | None = None
    text: str | None = None
    resolutions: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    closure_notes: list[str | None] = field(default_factory=list)
    public_summary: str | None = None


def fill(plan: Plan, meeting: Meeting) -> tuple[list[Filled], int]:
    rng = random.Random(f"text/{plan.seed}/{meeting.body}/{meeting.slug}")
    members = [pid for pid, _ in plan.bodies[meeting.body].membership.get(meeting.year, [])]
    prose = Prose(plan.vocab, rng, [plan.people[pid].surname for pid in members])
    filled = []
    for item in meeting.items:
        one = Filled(item)
        if item.kind == "business":
            one.description = prose.short(12, 30) if rng.random() < 0.6 else None
            one.summary = prose.short(30, 60) if item.author else None
        if meeting.status != "held":
            filled.append(one)
            continue
        if item.kind == "exempt":
            one.public_summary = prose.short(15, 30)
            filled.append(one)
            continue
        body = prose.paragraphs(rng.randint(150, 400))
        if item.kind == "minutes" and meeting.previous_held:
            body = (
                f"The minutes of the meeting held on {long_date(meeting.previous_held)} "
                f"were agreed as a true record.\n\n{body}"
            )
        if item.further:
            body = f"Further to minute {item.further[0]}, {body[0].lower()}{body[1:]}"
        if item.edit_marker:
            body = f"{body}\n\n{EDIT_SENTENCE}"
        one.text = body
        one.resolutions = [prose.short(12, 40) for _ in range(item.resolutions)]
        one.actions = [prose.short(8, 20) for _ in item.actions]
        one.closure_notes = [prose.short(6, 16) if rng.random() < 0.5 else None for _ in item.closes]
        filled.append(one)
    return filled, prose.words


# ---------------------------------------------------------------- Minutebook format


def minutebook_meeting(plan: Plan, meeting: Meeting, filled: list[Filled]) -> str:
    out = [f"date: {meeting.slug}", f'time: "{meeting.time}"', f"venue: {q(meeting.venue)}"]
    if meeting.status == "cancelled":
        out += ["status: cancelled", f"status_note: {q('The meeting was cancelled: there was no business.')}"]
    elif meeting.status == "scheduled":
        out.append("status: scheduled")
    out.append(f"contact_officer: {plan.bodies[meeting.body].contact}")
    out.append("agenda:")
    for one in filled:
        item = one.item
        out += [f'  - number: "{item.number}"', f"    title: {q(item.title)}"]
        if item.kind == "exempt":
            out += ["    exempt:", "      paragraph: 3"]
            if one.public_summary:
                out.append(f"    public_summary: {q(one.public_summary)}")
            continue
        if one.description:
            out.append(f"    description: {q(one.description)}")
        if item.topic:
            out.append(f"    topics: [{item.topic}]")
        if item.author:
            out += ["    reports:", f"      - author: {q(item.author)}"]
            if one.summary:
                out.append(f"        summary: {q(one.summary)}")
    if meeting.status != "held":
        return "\n".join(out) + "\n"
    a = meeting.attendance
    out.append("attendance:")
    if a["chair"]:
        out.append(f"  chair: {a['chair']}")
    for key in ("present", "co_opted", "officers", "apologies", "absent"):
        if a[key]:
            out.append(f"  {key}: [{', '.join(a[key])}]")
    if a["substitutes"]:
        out.append("  substitutes:")
        for person, instead in a["substitutes"]:
            out += [f"    - person: {person}", f"      for: {instead}"]
    if meeting.declaration:
        person, number, kind = meeting.declaration
        out += [
            "declarations:",
            f"  - person: {person}",
            f'    item: "{number}"',
            f"    interest: {q('Is a member of a local group with an interest in the item.')}",
            f"    kind: {kind}",
        ]
    out.append("minutes:")
    if meeting.approved_by:
        out += ["  status: approved", f'  approved_by: "{meeting.approved_by}"']
    else:
        out.append("  status: draft")
    out += ['  closed_at: "16:30"', "  items:"]
    for one in filled:
        item = one.item
        assert item.minute is not None
        out += [
            f'    - number: "{minute_label(item.minute, meeting.year)}"',
            f"      title: {q(item.title)}",
            f'      agenda_item: "{item.number}"',
        ]
        if item.kind == "exempt":
            out.append(f"      public_summary: {q(one.public_summary or '')}")
            continue
        if one.text:
            out.append("      text: |")
            out += [f"        {line}" if line else "" for line in one.text.split("\n")]
        if item.further_explicit:
            out.append(f"      further_to: [{', '.join(q(label) for label, _, _ in item.further_explicit)}]")
        if item.closes:
            out.append("      closes:")
            for label, note in zip(item.closes, one.closure_notes, strict=True):
                out.append(f'        - action: "{label}"')
                if note:
                    out.append(f"          note: {q(note)}")
        if one.resolutions:
            out += [f"      resolved: {q('RESOLVED that:')}", "      resolutions:"]
            for number, text in enumerate(one.resolutions, start=1):
                out += [f"        - number: {number}", f"          text: {q(text)}"]
                if number in item.votes:
                    votes_for, against, abstained = item.votes[number]
                    out += [
                        "          vote:",
                        f"            for: {votes_for}",
                        f"            against: {against}",
                        f"            abstained: {abstained}",
                    ]
        if item.actions:
            out.append("      actions:")
            for action, text in zip(item.actions, one.actions, strict=True):
                out += [f"        - number: {action.number}", f"          text: {q(text)}"]
                if action.owner:
                    out.append(f"          owner: {action.owner}")
                if action.owner_note:
                    out.append(f"          owner_note: {q(action.owner_note)}")
                if action.due:
                    out.append(f"          due: {action.due.isoformat()}")
                if action.resolution:
                    out.append(f"          resolution: {action.resolution}")
    return "\n".join(out) + "\n"


def write_minutebook_shared(plan: Plan, root: Path) -> None:
    content = root / "content"
    root.mkdir(parents=True, exist_ok=True)
    (root / "site_config.yaml").write_text(
        f"council: {COUNCIL}\nbase_url: https://example.org/\npage_size: 50\nsearch: true\n", encoding="utf-8"
    )
    for folder in ("bodies", "people", "pages"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    (content / "pages" / "about.md").write_text(
        f"---\ntitle: About these records\nnav: 1\n---\nSynthetic records of {COUNCIL}, "
        "generated for benchmarking.\n",
        encoding="utf-8",
    )
    (content / "topics.yaml").write_text(
        "".join(f"{tid}:\n  title: {q(title)}\n" for tid, title in plan.topics.items()), encoding="utf-8"
    )
    for person in plan.people.values():
        lines = [f"id: {person.id}", f"name: {q(person.name)}"]
        if person.honorific:
            lines.append(f"honorific: {person.honorific}")
        lines.append(f"kind: {person.kind}")
        if person.directorate:
            lines += [f"directorate: {q(person.directorate)}", f"job_title: {q(person.job_title or '')}"]
        if person.roles:
            lines.append("roles:")
            for title, start, end in person.roles:
                lines += [f"  - title: {q(title)}", f"    start: {start.isoformat()}"]
                if end:
                    lines.append(f"    end: {end.isoformat()}")
        (content / "people" / f"{person.id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for body in plan.bodies.values():
        lines = [
            f"id: {body.id}",
            f"name: {q(body.name)}",
            f"kind: {body.kind}",
            f"description: {q(f'The {body.name} of {COUNCIL}.')}",
            f"contact_officer: {body.contact}",
            "membership:",
        ]
        for year, entries in sorted(body.membership.items()):
            lines.append(f"  {year_label(year)}:")
            for pid, role in entries:
                lines += [f"    - person: {pid}", f"      role: {role}"]
        (content / "bodies" / f"{body.id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for programme in plan.programmes:
        folder = content / "work-programmes" / programme.body
        folder.mkdir(parents=True, exist_ok=True)
        lines = ["revisions:"]
        for day, items in programme.revisions:
            lines += [f"  - date: {day.isoformat()}", "    items:"]
            for item in items:
                lines.append(f"      - title: {q(item.title)}")
                if item.leads:
                    lines.append(f"        leads: [{', '.join(item.leads)}]")
                if item.lead_note:
                    lines.append(f"        lead_note: {q(item.lead_note)}")
                if item.planned:
                    planned = item.planned.isoformat() if isinstance(item.planned, date) else item.planned
                    lines.append(f"        planned: {planned}")
                if item.outcome != "planned":
                    lines.append(f"        outcome: {item.outcome}")
                if item.taken_at:
                    lines.append(f'        taken_at: "{item.taken_at}"')
                if item.topic:
                    lines.append(f"        topics: [{item.topic}]")
        (folder / f"{year_slug(programme.year)}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- Markdown for Hugo and MkDocs


def meeting_title(plan: Plan, meeting: Meeting) -> str:
    return f"{plan.bodies[meeting.body].name}, {meeting.day.day} {meeting.day:%B %Y}"


def meeting_markdown(
    plan: Plan,
    meeting: Meeting,
    filled: list[Filled],
    person_link: Callable[[str], str],
    meeting_link: Callable[[Meeting], str],
) -> str:
    """The meeting as one Markdown page: details, attendance, agenda, minutes."""
    out = [f"{long_date(meeting.day)}, {meeting.time}, {meeting.venue}.", ""]
    if meeting.status == "cancelled":
        out += ["**Cancelled:** the meeting was cancelled: there was no business.", ""]
    a = meeting.attendance
    if a:
        out += ["## Attendance", ""]
        rows = [
            ("Chair", [a["chair"]] if a["chair"] else []),
            ("Present", a["present"]),
            ("Co-opted members", a["co_opted"]),
            ("Substitutes", [s for s, _ in a["substitutes"]]),
            ("Officers", a["officers"]),
            ("Apologies", a["apologies"]),
            ("Absent", a["absent"]),
        ]
        for label, ids in rows:
            if ids:
                out += [f"**{label}:** {', '.join(person_link(pid) for pid in ids)}", ""]
    if meeting.declaration:
        person, number, kind = meeting.declaration
        out += ["## Declarations of interest", "", f"- {person_link(person)}, item {number}: {kind}.", ""]
    out += ["## Agenda", ""]
    for one in filled:
        out.append(f"{one.item.number}. **{one.item.title}**")
        if one.description:
            out.append(f"    {one.description}")
        if one.item.author:
            out.append(f"    *Report of the {one.item.author}.* {one.summary or ''}")
    out.append("")
    if meeting.status != "held":
        return "\n".join(out) + "\n"
    status = f"approved by minute {meeting.approved_by}" if meeting.approved_by else "draft"
    out += ["## Minutes", "", f"*Minutes {status}.*", ""]
    for one in filled:
        item = one.item
        assert item.minute is not None
        label = minute_label(item.minute, meeting.year)
        out += [f"### Minute {label}: {item.title}", ""]
        if item.kind == "exempt":
            out += ["*Exempt business (paragraph 3).*", "", one.public_summary or "", ""]
            continue
        text = one.text or ""
        if item.further:
            written, body_id, index = item.further
            text = text.replace(
                f"minute {written}", f"[minute {written}]({meeting_link(plan.meetings[index])})", 1
            )
        out += [text, ""]
        for written, _body, index in item.further_explicit:
            out += [f"Further to [minute {written}]({meeting_link(plan.meetings[index])}).", ""]
        for action_label, note in zip(item.closes, one.closure_notes, strict=True):
            out += [f"Action {action_label} was completed. {note or ''}", ""]
        if one.resolutions:
            out += ["**RESOLVED that:**", ""]
            for number, text in enumerate(one.resolutions, start=1):
                vote = item.votes.get(number)
                shown = f" (for {vote[0]}, against {vote[1]}, abstained {vote[2]})" if vote else ""
                out.append(f"{number}. {text}{shown}")
            out.append("")
        if item.actions:
            out += ["**Actions:**", ""]
            for action, text in zip(item.actions, one.actions, strict=True):
                who = person_link(action.owner) if action.owner else action.owner_note
                due = f", due {action.due.isoformat()}" if action.due else ""
                out.append(f"- {label}-a{action.number} ({who}{due}): {text}")
            out.append("")
    return "\n".join(out) + "\n"


def resolutions_of(meeting: Meeting, filled: list[Filled]) -> list[dict[str, str]]:
    found = []
    for one in filled:
        if one.item.minute is None:
            continue
        label = minute_label(one.item.minute, meeting.year)
        for number, text in enumerate(one.resolutions, start=1):
            found.append({"label": f"{label} ({number})", "title": one.item.title, "text": text})
    return found


def hugo_meeting(plan: Plan, meeting: Meeting, filled: list[Filled]) -> str:
    people = sorted(
        {
            pid
            for key in ("present", "co_opted", "officers", "apologies", "absent")
            for pid in meeting.attendance.get(key, [])
        }
        | ({meeting.attendance["chair"]} if meeting.attendance.get("chair") else set())
        | {s for s, _ in meeting.attendance.get("substitutes", [])}
    )
    front = {
        "title": meeting_title(plan, meeting),
        "date": meeting.slug,
        "bodies": [meeting.body],
        "years": [year_slug(meeting.year)],
        "people": people,
        "venue": meeting.venue,
        "status": meeting.status,
        "resolutions": resolutions_of(meeting, filled),
    }
    body = meeting_markdown(
        plan,
        meeting,
        filled,
        lambda pid: f"[{plan.people[pid].display}](/people/{pid}/)",
        lambda m: f"/meetings/{m.body}/{m.slug}/",
    )
    return json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + body


def mkdocs_meeting(plan: Plan, meeting: Meeting, filled: list[Filled]) -> str:
    body = meeting_markdown(
        plan,
        meeting,
        filled,
        lambda pid: f"[{plan.people[pid].display}](../../people/{pid}.md)",
        lambda m: f"../{m.body}/{m.slug}.md" if m.body != meeting.body else f"{m.slug}.md",
    )
    return f"# {meeting_title(plan, meeting)}\n\n{body}"


HUGO_CONFIG = """baseURL = "https://example.org/"
languageCode = "en-GB"
title = "{council} meetings"
disableKinds = ["rss", "sitemap", "robotstxt"]

[taxonomies]
  body = "bodies"
  year = "years"
  person = "people"

[pagination]
  pagerSize = 50
"""
#: The minimal Hugo theme: one page per meeting, body, year (decisions) and person pages.
HUGO_THEME = Path(__file__).resolve().parent / "hugo_theme"


def write_hugo_shared(plan: Plan, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG.replace("{council}", COUNCIL), encoding="utf-8")
    shutil.copytree(HUGO_THEME, root / "layouts")
    content = root / "content"
    (content / "meetings").mkdir(parents=True, exist_ok=True)
    (content / "meetings" / "_index.md").write_text("---\ntitle: Meetings\n---\n", encoding="utf-8")
    for body in plan.bodies.values():
        folder = content / "bodies" / body.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(
            f"---\ntitle: {q(body.name)}\n---\n\n{_membership_markdown(plan, body, 'hugo')}", encoding="utf-8"
        )
    for person in plan.people.values():
        folder = content / "people" / person.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(f"---\ntitle: {q(person.display)}\n---\n", encoding="utf-8")
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        folder = content / "years" / year_slug(year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(
            f"---\ntitle: {q(f'Decisions {year_label(year)}')}\n---\n", encoding="utf-8"
        )


def _membership_markdown(plan: Plan, body: Body, style: str) -> str:
    out = [f"The {body.name} of {COUNCIL}.", ""]
    for year, entries in sorted(body.membership.items(), reverse=True):
        out += [f"## Membership {year_label(year)}", ""]
        for pid, role in entries:
            link = f"/people/{pid}/" if style == "hugo" else f"../../people/{pid}.md"
            out.append(f"- [{plan.people[pid].display}]({link}), {role}")
        out.append("")
    return "\n".join(out)


def write_mkdocs_shared(
    plan: Plan, root: Path, registers: dict[int, list[tuple[Meeting, dict[str, str]]]]
) -> None:
    docs = root / "docs"
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(
        f"site_name: {q(COUNCIL + ' meetings')}\nsite_url: https://example.org/\n"
        "theme:\n  name: material\nplugins:\n  - search\n",
        encoding="utf-8",
    )
    (docs / "people").mkdir(parents=True, exist_ok=True)
    (docs / "decisions").mkdir(parents=True, exist_ok=True)
    latest = [m for m in plan.meetings if m.status == "held"][-10:]
    (docs / "index.md").write_text(
        f"# {COUNCIL} meetings\n\n## Latest meetings\n\n"
        + "".join(f"- [{meeting_title(plan, m)}](bodies/{m.body}/{m.slug}.md)\n" for m in reversed(latest)),
        encoding="utf-8",
    )
    by_body: dict[str, list[Meeting]] = {}
    attended: dict[str, list[Meeting]] = {}
    for meeting in plan.meetings:
        by_body.setdefault(meeting.body, []).append(meeting)
        for key in ("present", "officers", "apologies", "absent", "co_opted"):
            for pid in meeting.attendance.get(key, []):
                attended.setdefault(pid, []).append(meeting)
        if meeting.attendance.get("chair"):
            attended.setdefault(meeting.attendance["chair"], []).append(meeting)
    for body in plan.bodies.values():
        folder = docs / "bodies" / body.id
        folder.mkdir(parents=True, exist_ok=True)
        meetings = "".join(
            f"- [{long_date(m.day)}]({m.slug}.md)\n" for m in reversed(by_body.get(body.id, []))
        )
        (folder / "index.md").write_text(
            f"# {body.name}\n\n## Meetings\n\n{meetings}\n{_membership_markdown(plan, body, 'mkdocs')}",
            encoding="utf-8",
        )
    for person in plan.people.values():
        rows = "".join(
            f"- [{meeting_title(plan, m)}](../bodies/{m.body}/{m.slug}.md)\n"
            for m in reversed(attended.get(person.id, []))
        )
        (docs / "people" / f"{person.id}.md").write_text(
            f"# {person.display}\n\n{person.kind}\n\n## Meetings attended\n\n{rows}", encoding="utf-8"
        )
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        out = [f"# Decisions {year_label(year)}", ""]
        for meeting, resolution in sorted(registers.get(year, []), key=lambda r: r[0].day, reverse=True):
            out += [
                f"### Resolution {resolution['label']}: {resolution['title']}",
                "",
                f"[{meeting_title(plan, meeting)}](../bodies/{meeting.body}/{meeting.slug}.md)",
                "",
                resolution["text"],
                "",
            ]
        (docs / "decisions" / f"{year_slug(year)}.md").write_text("\n".join(out), encoding="utf-8")


# ---------------------------------------------------------------- writing, in parallel

_PLAN: Plan | None = None
_ROOTS: dict[str, Path] = {}


def _write_chunk(bounds: tuple[int, int]) -> tuple[int, int, list[tuple[int, dict[str, str]]]]:
    assert _PLAN is not None
    plan, words, minute_words, resolutions = _PLAN, 0, 0, []
    for meeting in plan.meetings[bounds[0] : bounds[1]]:
        filled, count = fill(plan, meeting)
        words += count
        minute_words += sum(len(f.text.split()) for f in filled if f.text)
        if "minutebook" in _ROOTS:
            path = _ROOTS["minutebook"] / meeting.rel
            path.write_text(minutebook_meeting(plan, meeting, filled), encoding="utf-8")
        if "hugo" in _ROOTS:
            path = _ROOTS["hugo"] / "content" / "meetings" / meeting.body / f"{meeting.slug}.md"
            path.write_text(hugo_meeting(plan, meeting, filled), encoding="utf-8")
        if "mkdocs" in _ROOTS:
            path = _ROOTS["mkdocs"] / "docs" / "bodies" / meeting.body / f"{meeting.slug}.md"
            path.write_text(mkdocs_meeting(plan, meeting, filled), encoding="utf-8")
            resolutions += [(meeting.index, r) for r in resolutions_of(meeting, filled)]
    return words, minute_words, resolutions


def generate(
    out: Path, meetings: int, seed: int = 1, formats: tuple[str, ...] = FORMATS, jobs: int | None = None
) -> dict[str, Any]:
    """Write the archive in each format under `out`; returns the manifest (also written as JSON)."""
    global _PLAN
    started = time.perf_counter()
    plan = make_plan(meetings, seed)
    roots = {fmt: out / fmt for fmt in formats}
    for root in roots.values():
        if root.exists():
            shutil.rmtree(root)
    if "minutebook" in roots:
        write_minutebook_shared(plan, roots["minutebook"])
    if "hugo" in roots:
        write_hugo_shared(plan, roots["hugo"])
    for body in plan.bodies:
        for fmt, sub in (("minutebook", f"content/meetings/{body}"), ("hugo", f"content/meetings/{body}")):
            if fmt in roots:
                (roots[fmt] / sub).mkdir(parents=True, exist_ok=True)
        if "mkdocs" in roots:
            (roots["mkdocs"] / "docs" / "bodies" / body).mkdir(parents=True, exist_ok=True)
    _PLAN = plan
    _ROOTS.clear()
    _ROOTS.update(roots)
    jobs = jobs or os.cpu_count() or 1
    step = max(1, len(plan.meetings) // (jobs * 8))
    chunks = [(i, min(i + step, len(plan.meetings))) for i in range(0, len(plan.meetings), step)]
    try:
        if jobs > 1 and len(plan.meetings) >= 200 and sys.platform != "win32":
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                results = pool.map(_write_chunk, chunks)
        else:
            results = [_write_chunk(c) for c in chunks]
    finally:
        _PLAN = None
    words = sum(r[0] for r in results)
    minute_words = sum(r[1] for r in results)
    if "mkdocs" in roots:
        registers: dict[int, list[tuple[Meeting, dict[str, str]]]] = {}
        for _, _, found in results:
            for index, resolution in found:
                meeting = plan.meetings[index]
                registers.setdefault(meeting.year, []).append((meeting, resolution))
        write_mkdocs_shared(plan, roots["mkdocs"], registers)
    manifest = _manifest(plan, formats, words, minute_words)
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return {**manifest, "generate_s": round(time.perf_counter() - started, 3)}


def _manifest(plan: Plan, formats: tuple[str, ...], words: int, minute_words: int) -> dict[str, Any]:
    held = [m for m in plan.meetings if m.status == "held"]
    attendances: dict[str, int] = {}
    for meeting in held:
        for pid in [meeting.attendance["chair"], *meeting.attendance["present"]]:
            if pid:
                attendances[pid] = attendances.get(pid, 0) + 1
    rename = max(sorted(attendances), key=lambda pid: attendances[pid])
    target = edit_target(plan)
    vocab = plan.vocab
    queries = [
        "budget",
        next(w for w in vocab.words[400:] if w in set(vocab.places)),
        vocab.words[2500],
        vocab.words[15000],
        plan.people[rename].surname,
    ]
    return {
        "meetings": len(plan.meetings),
        "seed": plan.seed,
        "formats": list(formats),
        "held_meetings": len(held),
        "cancelled_meetings": sum(m.status == "cancelled" for m in plan.meetings),
        "scheduled_meetings": sum(m.status == "scheduled" for m in plan.meetings),
        "bodies": len(plan.bodies),
        "people": len(plan.people),
        "agenda_items": sum(len(m.items) for m in plan.meetings),
        "minute_items": sum(len(m.items) for m in held),
        "resolutions": sum(i.resolutions for m in held for i in m.items),
        "work_programmes": len(plan.programmes),
        "vocabulary_size": len(vocab.words),
        "words": words,
        "minute_text_words": minute_words,
        **plan.stats,
        "first_meeting": plan.meetings[0].slug,
        "last_meeting": plan.meetings[-1].slug,
        "edit": {
            "file": target.rel,
            "page": f"{target.url}index.html",
            "sentence": EDIT_SENTENCE,
        },
        "rename": {
            "person": rename,
            "file": f"content/people/{rename}.yaml",
            "name": plan.people[rename].name,
            "attended": attendances[rename],
            "page": f"people/{rename}/index.html",
        },
        "queries": queries,
    }


def iter_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: " + ", ".join(FORMATS))
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    args = parser.parse_args(argv)
    formats = tuple(f for f in args.formats.split(",") if f)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown format(s): {', '.join(sorted(unknown))}")
    manifest = generate(args.out, args.meetings, args.seed, formats, args.jobs)
    print(
        f"Generated {manifest['meetings']} meetings, {manifest['minute_items']} minute items, "
        f"{manifest['words']:,} words in {manifest['generate_s']:.1f} s into {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
