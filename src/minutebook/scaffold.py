"""Ready-to-fill content files for `minutebook new`: what a clerk starts from.

Each function returns the text of one file; the CLI decides where it goes and
refuses to overwrite. The text is YAML with comments that explain each part,
and it passes `minutebook check` as written.
"""

from __future__ import annotations

from datetime import date

from minutebook.graph import BodyNode, Site
from minutebook.records import MembershipEntry, MunicipalYear

SCHEMA_COMMENT = "# yaml-language-server: $schema={depth}schema/{kind}.json"


def schema_comment(kind: str, depth: int) -> str:
    """The editor hint that makes VS Code and others autocomplete and underline mistakes."""
    return SCHEMA_COMMENT.format(depth="../" * depth, kind=kind)


def next_minute_number(site: Site, body: BodyNode, year: MunicipalYear) -> int:
    """The first free minute number of the body's municipal year."""
    used = [m.number.number for meeting in body.meetings if meeting.year == year for m in meeting.minutes]
    return max(used, default=0) + 1


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def meeting_file(site: Site, body: BodyNode, day: date, time: str | None, venue: str | None) -> str:
    year = MunicipalYear.containing(day, body.record.year_start_month)
    previous = [m for m in body.meetings if m.date < day]
    last = previous[-1] if previous else None
    first = next_minute_number(site, body, year)
    members = body.record.membership.get(year.label) or _latest_membership(body)
    lines = [
        schema_comment("meeting", 3),
        f"# Meeting of {body.name} on {day:%A} {day.day} {day:%B %Y}.",
        "# Fill in the agenda now; add attendance and minutes after the meeting.",
        f"date: {day.isoformat()}",
        f"time: {_quote(time or '14:00')}",
        f"venue: {_quote(venue)}" if venue else "# venue: Committee Room 1, Council House",
        "status: scheduled",
        "# agenda_published: YYYY-MM-DD",
        f"contact_officer: {body.record.contact_officer}"
        if body.record.contact_officer
        else "# contact_officer: person-id",
        "agenda:",
        '  - number: "1"',
        "    title: Apologies and Substitutions",
        '  - number: "2"',
        "    title: Declarations of Interests",
        '  - number: "3"',
        "    title: Minutes",
        "    items:",
        '      - number: "a"',
        "        title: "
        + _quote(
            f"To agree the minutes of the meeting held on {last.date.day} {last.date:%B %Y}"
            if last
            else "To agree the minutes of the previous meeting"
        ),
        '      - number: "b"',
        "        title: Matters Arising",
        '  - number: "4"',
        "    title: " + _quote("Title of the first report"),
        "    reports:",
        "      - kind: Briefing Note",
        "        author: " + _quote("Director of …"),
        "        summary: |",
        "          A sentence or two on what the paper is about.",
        '  - number: "5"',
        "    title: Any Other Business",
        "    description: |",
        "      Any other items of business which the Chair decides to take as a matter of urgency.",
        "",
        "# After the meeting: remove 'status: scheduled' (or write 'status: held'), then",
        "# uncomment and complete the attendance and minutes below.",
        "#",
        "# attendance:",
    ]
    chair = next((e.person for e in members if e.role.value == "chair"), None)
    if chair:
        lines.append(f"#   chair: {chair}")
    lines.append("#   present:")
    lines += [f"#     - {e.person}" for e in members if e.role.value in ("member", "vice-chair")]
    co_opted = [e.person for e in members if e.role.value == "co-opted"]
    if co_opted:
        lines.append("#   co_opted: [" + ", ".join(co_opted) + "]")
    lines += [
        "#   apologies: []",
        "#   officers: []",
        "#",
        "# minutes:",
        "#   status: draft",
        '#   closed_at: "16:00"',
        "#   items:",
    ]
    titles = ["Declarations of Interests", "Minutes", "Title of the first report", "Any Other Business"]
    agenda_numbers = ["2", "3", "4", "5"]
    for offset, (title, item) in enumerate(zip(titles, agenda_numbers, strict=True)):
        lines += [
            f'#     - number: "{first + offset}/{year.suffix}"',
            f"#       title: {title}",
            f'#       agenda_item: "{item}"',
            "#       text: |",
            "#         What was discussed, in a few sentences.",
        ]
        if title.startswith("Title"):
            lines += [
                "#       resolutions:",
                "#         - text: The board notes the report.",
                "#       actions:",
                "#         - text: What is to be done, and by whom.",
                "#           # owner: person-id",
                "#           # due: YYYY-MM-DD",
            ]
    return "\n".join(lines) + "\n"


def _latest_membership(body: BodyNode) -> list[MembershipEntry]:
    if not body.record.membership:
        return []
    return body.record.membership[max(body.record.membership)]


def body_file(body_id: str, name: str, year: MunicipalYear) -> str:
    return "\n".join(
        [
            schema_comment("body", 2),
            f"id: {body_id}",
            f"name: {_quote(name)}",
            "kind: committee",
            "description: |",
            "  What the committee does, in a sentence or two.",
            "year_start_month: 5",
            "# contact_officer: person-id",
            "membership:",
            f'  "{year.label}": []',
            "  # - {person: person-id, role: chair}",
            "  # - {person: person-id}",
            "",
        ]
    )


def person_file(person_id: str, name: str, honorific: str | None, kind: str) -> str:
    lines = [schema_comment("person", 2), f"id: {person_id}", f"name: {_quote(name)}"]
    if honorific:
        lines.append(f"honorific: {_quote(honorific)}")
    lines.append(f"kind: {kind}")
    if kind == "officer":
        lines += ["# directorate: People", "# job_title: Head of …"]
    return "\n".join(lines) + "\n"


def work_programme_file(body: BodyNode, year: MunicipalYear, day: date) -> str:
    return "\n".join(
        [
            schema_comment("work_programme", 3),
            f"# Work programme of {body.name} for {year.label}.",
            "# Add a new revision (with its date) each time the programme is revised; keep the old ones.",
            "revisions:",
            f"  - date: {day.isoformat()}",
            "    items:",
            "      - title: " + _quote("Topic the board wants to look at"),
            "        detail: |",
            "          What the board wants to know.",
            "        planned: tbd",
            "",
        ]
    )
