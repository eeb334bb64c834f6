"""The importer's cleaning and parsers, on small snippets written for these tests."""

from __future__ import annotations

import datetime as dt
import textwrap

from minutebook.importer.clean import Kind, clean
from minutebook.importer.frontsheet import parse_front
from minutebook.importer.minutes import parse_minutes
from minutebook.importer.names import parse_names
from minutebook.importer.workprogramme import parse_programme


def lines_of(text: str):  # type: ignore[no-untyped-def]
    return clean(textwrap.dedent(text).strip("\n"))[0]


def test_clean_removes_artefacts_and_says_which() -> None:
    lines, removed = clean(
        "Public Document Pack\nPage 4\n17\nAgenda Item 5\n<u>Minutes</u> of 4 th April\n"
        "The end. This page is intentionally left blank\n**Bold** \u2022 text\tcell two"
    )
    texts = [line.plain for line in lines if line.kind is Kind.text]
    assert texts == ["Minutes of 4th April", "The end.", "Bold text\tcell two"]
    assert [n for n, _ in removed] == [1, 2, 3, 6]
    assert [line.kind for line in lines if line.kind is not Kind.text] == [Kind.marker, Kind.page_break]


def test_clean_joins_superscript_ordinals_and_keeps_empty_first_cells() -> None:
    lines, _ = clean("<b>21<sup>st</sup> June 2018</b>\n\tFostering\tDetail\tLead\t")
    assert lines[0].plain == "21st June 2018"
    assert lines[1].cells[:2] == ["", "Fostering"]


def test_names_split_run_on_lists_and_keep_notes() -> None:
    names = parse_names("Councillors A Roe and B Poe Councillors C Doe S Lowe (Vice-Chair)")
    assert [(n.name, n.note) for n in names] == [
        ("A Roe", None),
        ("B Poe", None),
        ("C Doe", None),
        ("S Lowe", "Vice-Chair"),
    ]
    officers = parse_names("J Mock, Place Directorate\tPat Quill (Town Clerk)")
    assert [(n.name, n.directorate, n.note) for n in officers] == [
        ("J Mock", "Place", None),
        ("Pat Quill", None, "Town Clerk"),
    ]


FRONT = """
    Brackley Borough Council

    Licensing Panel

    Time and Date
    6.30 pm on Wednesday, 2nd October, 2024

    Place
    Room 4 - Civic Centre

    Public Business

    1. **Apologies**
    2. **Minutes** (Pages 3 - 6)
     - a) To agree the minutes of the meeting held on 4th September, 2024
     - b) Matters Arising
    3. **Street Trading Policy** (Pages 7 - 20)

    Report of the Head of Regulatory Services
    4. **Taxi Fares** (Pages 21 - 24)
    Joint Report

    Private Business

    5. **Licence Review at Mill Street** (Pages 25 - 30)
    Report of the Head of Legal Services
    (Exempt under paragraph 7)

    Ann Other, Chief Executive, Civic Centre

    Monday, 23 September 2024

    Notes: the person to contact about the agenda is Sam Reeve, Democratic Services.

    Membership: Councillors A Roe (Chair), B Poe, C Doe (Vice-Chair) and Mrs D Low (Co-opted Member)
"""


def test_front_sheet() -> None:
    used: set[int] = set()
    front = parse_front(lines_of(FRONT), used)
    assert (front.body, front.date, front.time) == ("Licensing Panel", dt.date(2024, 10, 2), "18:30")
    assert front.venue == "Room 4 - Civic Centre"
    assert [(i.number, i.title, i.pages) for i in front.agenda] == [
        ("1", "Apologies", None),
        ("2", "Minutes", "3 - 6"),
        ("3", "Street Trading Policy", "7 - 20"),
        ("4", "Taxi Fares", "21 - 24"),
        ("5", "Licence Review at Mill Street", "25 - 30"),
    ]
    assert [s.number for s in front.agenda[1].items] == ["a", "b"]
    assert (front.agenda[2].reports[0].kind, front.agenda[2].reports[0].author) == (
        "Report",
        "Head of Regulatory Services",
    )
    assert front.agenda[3].reports[0].kind == "Joint Report"
    assert front.agenda[4].private and front.agenda[4].exempt_paragraph == 7
    assert not front.agenda[3].private
    assert front.published == dt.date(2024, 9, 23)
    assert front.published_by == "Ann Other, Chief Executive, Civic Centre"
    assert front.contact is not None and front.contact.name == "Sam Reeve"
    roles = [(n.name, role) for n, role in front.membership]
    assert roles == [("A Roe", "chair"), ("B Poe", "member"), ("C Doe", "vice-chair"), ("D Low", "co-opted")]


MINUTES_NUMBERED = """
    Brackley Borough Council
    Minutes of the Meeting of Licensing Panel
    held at 6.30 pm on Wednesday, 4 September 2024

    Present:
    Members:\tCouncillor A Roe (Chair)
    \tCouncillor B Poe Councillor E Fay (substitute for Councillor C Doe)
    Employees (by Directorate):
    Law Place\tS Reeve, T Vane
    Apologies:\tCouncillor C Doe
    Invited\tR Hale (Street Traders' Association)

    12. Declarations of Interest

    Councillor B Poe declared a disclosable pecuniary interest in item 14 as a licence holder.

    13. Minutes

    The minutes were agreed. Further to minute 9/24 the survey had been sent out.

    14. Street Trading Consent Fees

    The Panel considered fees for the coming year.

    RESOLVED that:

    - 1. The fees be increased by two per cent.
    - 2. Traders be told by letter.

    15. Any Other Business

    RESOLVED that the Chair write to the Town Centre Partnership.

    (Meeting closed at 7.45 pm)
"""


def test_minutes_numbered_layout() -> None:
    minutes = parse_minutes(lines_of(MINUTES_NUMBERED), set())
    assert (minutes.body, minutes.date, minutes.time, minutes.closed_at) == (
        "Licensing Panel",
        dt.date(2024, 9, 4),
        "18:30",
        "19:45",
    )
    assert minutes.chair is not None and minutes.chair.name == "A Roe"
    assert [n.name for n in minutes.attendance["present"]] == ["B Poe"]
    assert [(a.name, b.name) for a, b in minutes.substitutes] == [("E Fay", "C Doe")]
    assert [n.name for n in minutes.attendance["officers"]] == ["S Reeve", "T Vane"]
    assert [n.name for n in minutes.attendance["apologies"]] == ["C Doe"]
    assert [(n.name, n.note) for n in minutes.attendance["invited"]] == [
        ("R Hale", "Street Traders' Association")
    ]
    assert [(i.number, i.title) for i in minutes.items] == [
        (12, "Declarations of Interest"),
        (13, "Minutes"),
        (14, "Street Trading Consent Fees"),
        (15, "Any Other Business"),
    ]
    assert [[r.number for r in i.resolutions] for i in minutes.items] == [[], [], [1, 2], [1]]
    assert minutes.items[1].further_to == ["9/24"]
    assert minutes.items[2].resolved == "RESOLVED that:"
    assert [(d.person.name, d.kind) for d in minutes.declarations] == [("B Poe", "disclosable pecuniary")]


MINUTES_RUN_ON = """
    MINUTES of a meeting of the LICENSING PANEL held in Room 4 on Wednesday, 4 September 2024 at 6.30 pm

    PRESENT: Councillor A Roe in the chair.
    Councillors B Poe and C Doe.

    ALSO PRESENT: Councillor G Ware (Cabinet Member for Communities)

    Apologies for absence were received from Councillor H Ives.

    301 MINUTES – Resolved – That the minutes of the meeting held on 7 August 2024 be approved.

    302 STREET TRADING CONSENTS

    Further to Minute 288 the Panel considered three applications.

    RESOLVED –

    (a) That the first application be granted.

    (b) That the second and third be refused.

    303 PANEL DATES – The Panel noted its dates for the year.

    The meeting closed at 7.05 pm.
"""


def test_minutes_run_on_capitals_layout() -> None:
    minutes = parse_minutes(lines_of(MINUTES_RUN_ON), set())
    assert minutes.body == "LICENSING PANEL" and minutes.closed_at == "19:05"
    assert minutes.chair is not None and minutes.chair.name == "A Roe"
    assert [n.name for n in minutes.attendance["present"]] == ["B Poe", "C Doe"]
    assert [n.name for n in minutes.attendance["cabinet_members"]] == ["G Ware"]
    assert [n.name for n in minutes.attendance["apologies"]] == ["H Ives"]
    assert [(i.number, i.title) for i in minutes.items] == [
        (301, "MINUTES"),
        (302, "STREET TRADING CONSENTS"),
        (303, "PANEL DATES"),
    ]
    assert [[r.number for r in i.resolutions] for i in minutes.items] == [[1], [1, 2], []]
    assert minutes.items[0].resolutions[0].text.startswith("That the minutes")
    assert minutes.items[1].further_to == ["288"]
    assert minutes.items[2].text == ["The Panel noted its dates for the year."]


PROGRAMME = """
    Licensing Panel Work Programme 2024/25

    Date\tTitle\tDetail\tLead Officer
    2 nd October 2024\tStreet Trading Policy\tThe policy renewed\tSam Reeve
    \tTaxi Fares\tAnnual review of\tTom Vane
    Date\tTitle\tDetail\tLead Officer
    \t\tfares\t
    15 th January\tLate Night Levy\tWhether to consult\tSam Reeve
    Date to be determined\tCumulative Impact\tA new assessment\t
"""


def test_work_programme_table() -> None:
    used: set[int] = set()
    programme = parse_programme(lines_of(PROGRAMME), used, 2024)
    assert programme is not None and programme.year == "2024/25"
    assert [(r.planned, r.title) for r in programme.rows] == [
        (dt.date(2024, 10, 2), "Street Trading Policy"),
        (dt.date(2024, 10, 2), "Taxi Fares"),
        (dt.date(2025, 1, 15), "Late Night Levy"),
        ("tbd", "Cumulative Impact"),
    ]
    assert programme.rows[1].detail == "Annual review of fares"


SUMMONS = (
    "You are summoned to a meeting of the Open Spaces Committee to be held on "
    "Tuesday 5th November 2024 at 7.30pm in the Reading Room, Main Street."
)
PARISH = """
    ASHBY PARVA PARISH COUNCIL

    Open Spaces Committee

    {SUMMONS}

    Signed: Jo Clerk, Clerk to the Council
    Date: 29th October 2024

    AGENDA

    1. To receive apologies
    2. To approve the minutes of the last meeting (Pages 2 - 3)

    Committee members: Cllrs P Ash (Chairman), Q Birch and R Cedar

    MINUTES OF THE OPEN SPACES COMMITTEE MEETING HELD ON TUESDAY 1ST OCTOBER 2024 AT 7.30PM

    Present: Cllrs P Ash (Chairman) and Q Birch
    Apologies: Cllr R Cedar

    40. Apologies
    Received from Cllr R Cedar.

    The meeting closed at 8.10pm.
"""


def test_summons_layout_and_a_minutes_heading_without_meeting_of() -> None:
    from minutebook.importer.pack import read_pack

    pack = read_pack(textwrap.dedent(PARISH).replace("{SUMMONS}", SUMMONS), "parish.txt")
    front, minutes = pack.front, pack.minutes
    assert (front.body, front.date, front.time) == ("Open Spaces Committee", dt.date(2024, 11, 5), "19:30")
    assert front.venue == "Reading Room, Main Street"
    assert (front.published, front.published_by) == (dt.date(2024, 10, 29), "Jo Clerk, Clerk to the Council")
    assert [(n.name, role) for n, role in front.membership] == [
        ("P Ash", "chair"),
        ("Q Birch", "member"),
        ("R Cedar", "member"),
    ]
    assert minutes is not None and minutes.body == "OPEN SPACES COMMITTEE"
    assert (minutes.date, minutes.closed_at) == (dt.date(2024, 10, 1), "20:10")
    assert [i.number for i in minutes.items] == [40]


def test_agenda_printed_as_a_table() -> None:
    text = "Scrutiny Panel\n\nDate: 7 February 2024\n\nAGENDA\n\nItem\tTitle\tPage\n"
    text += "1\tApologies\t\n2\tHousing repairs\t7 - 30\n3\tWork programme\t31\n\nPublished: 30 January 2024"
    front = parse_front(clean(text)[0], set())
    assert [(i.number, i.title, i.pages) for i in front.agenda] == [
        ("1", "Apologies", None),
        ("2", "Housing repairs", "7 - 30"),
        ("3", "Work programme", "31"),
    ]
