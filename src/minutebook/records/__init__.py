"""Typed records of the content model.

The records know nothing of YAML, Jinja2 or the file system: the load stage
turns files into plain data, these models validate it, and later stages work
on the validated records only.
"""

from minutebook.records.body import Body, MembershipEntry, Role
from minutebook.records.common import MunicipalYear, Record
from minutebook.records.meeting import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Document,
    Meeting,
    MeetingStatus,
    MinuteItem,
    Minutes,
    MinutesStatus,
    Report,
    Resolution,
    Vote,
)
from minutebook.records.page import Page
from minutebook.records.person import Person, PersonKind
from minutebook.records.site import SiteConfig
from minutebook.records.topic import Topic
from minutebook.records.work_programme import (
    WorkProgramme,
    WorkProgrammeItem,
    WorkProgrammeOutcome,
    WorkProgrammeRevision,
)

__all__ = [
    "Action",
    "AgendaItem",
    "Attendance",
    "Body",
    "Declaration",
    "Document",
    "Meeting",
    "MeetingStatus",
    "MembershipEntry",
    "MinuteItem",
    "Minutes",
    "MinutesStatus",
    "MunicipalYear",
    "Page",
    "Person",
    "PersonKind",
    "Record",
    "Report",
    "Resolution",
    "Role",
    "SiteConfig",
    "Topic",
    "Vote",
    "WorkProgramme",
    "WorkProgrammeItem",
    "WorkProgrammeOutcome",
    "WorkProgrammeRevision",
]
