"""Model errors in a clerk's words: pydantic's complaints → message, hint and place.

Each error is described from what the clerk wrote (the input value) and where
(the field, and the model it belongs to), with a hint that says what to type.
"""

from __future__ import annotations

import calendar
import difflib
import re
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import available_timezones

from pydantic import BaseModel, ValidationError

from minutebook.problems import DocPath
from minutebook.records import MinuteItem

#: (path, message, hint, at_key): at_key points at the field's name rather than its value.
Explained = tuple[DocPath, str, str, bool]
Described = tuple[str, str, bool]

_TIME_FIELDS = ("time", "end_time", "closed_at")
_URL_FIELDS = ("remote_link", "webcast", "recording", "url", "base_url", "licence_url")
_KEY_ERRORS = ("extra_forbidden", "missing")


def explain(exc: ValidationError, model: type[BaseModel], data: Any) -> list[Explained]:
    """One problem per place: a field that fails several ways (a union) is described once."""
    groups: dict[DocPath, list[Any]] = {}
    for error in exc.errors(include_url=False):
        path = _path_in_data(error["loc"], data)
        if error["type"] in _KEY_ERRORS and len(error["loc"]) > len(path):
            path = (*path, error["loc"][len(path)])
        groups.setdefault(path, []).append(error)
    return [(path, *_describe_group(errors, model, path)) for path, errors in groups.items()]


def _path_in_data(loc: tuple[int | str, ...], data: Any) -> DocPath:
    """The longest prefix of pydantic's location that exists in the data (drops union tags)."""
    path: list[str | int] = []
    node = data
    for step in loc:
        in_mapping = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if not (in_mapping or in_list):
            break
        node = node[step]
        path.append(step)
    return tuple(path)


def _describe_group(errors: list[Any], model: type[BaseModel], path: DocPath) -> Described:
    kinds = [error["type"] for error in errors]
    name = str(path[-1]) if path else ""
    owner = _model_at(model, path[:-1])
    value = errors[0].get("input")
    if owner is MinuteItem and name == "number" and not any(kind in _KEY_ERRORS for kind in kinds):
        return _minute_number(value)
    if value is None and name and not any(kind in _KEY_ERRORS for kind in kinds):
        return _empty(errors[0], name, owner)
    if len(errors) > 1 and not any(kind in _KEY_ERRORS for kind in kinds):
        return _union(errors, name)
    return _describe(errors[0], model, path)


def _empty(error: Any, name: str, owner: type[BaseModel] | None) -> Described:
    """`role:` with nothing after it (or a value YAML dropped as a comment)."""
    expected = error.get("ctx", {}).get("expected")
    info = owner.model_fields.get(name) if owner else None
    required = info is not None and info.is_required()
    if expected:
        hint = f"write one of: {expected}"
    else:
        hint = f"write a value after '{name}:'" + ("" if required else ", or remove the line")
    return f"{name} has no value", hint, False


def _describe(error: Any, model: type[BaseModel], path: DocPath) -> Described:
    kind, value = error["type"], error.get("input")
    name = str(path[-1]) if path else ""
    for prefix, describer in _DESCRIBERS:
        if kind.startswith(prefix):
            return describer(error, model, path)
    if kind.startswith("date"):
        return _date(value)
    if kind.startswith(("string", "int", "bool")):
        return _wrong_scalar(kind, name, value)
    return f"{name or 'this'}: {error['msg']}", "see the field's entry in the clerk's guide", False


# ---------------------------------------------------------------- one describer per kind of error


def _extra(error: Any, model: type[BaseModel], path: DocPath) -> Described:
    name = str(path[-1])
    fields = _fields_of(_model_at(model, path[:-1]))
    close = difflib.get_close_matches(name, fields, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"fields here: {', '.join(fields)}"
    return f"unknown field '{name}'", hint, True


def _missing(error: Any, model: type[BaseModel], path: DocPath) -> Described:
    name = str(path[-1])
    return f"the field '{name}' is required here", f"add a line '{name}: …'", True


def _enum(error: Any, model: type[BaseModel], path: DocPath) -> Described:
    name, value = str(path[-1]), error.get("input")
    return f"'{value}' is not allowed for {name}", f"use one of: {error['ctx'].get('expected', '')}", False


def _pattern(error: Any, model: type[BaseModel], path: DocPath) -> Described:
    name, value = str(path[-1]), error.get("input")
    if name in _TIME_FIELDS:
        return _time(name, value)
    if name in _URL_FIELDS:
        return f"'{value}' is not a web address", "start it with https://", False
    if name == "number":
        return f"'{value}' is not an agenda item number", "use 1, 2, 3 … and a, b for sub-items", False
    return (
        f"'{value}' is not a usable id",
        "ids use lower-case letters, digits and hyphens, e.g. m-mutton",
        False,
    )


def _too_short(error: Any, model: type[BaseModel], path: DocPath) -> Described:
    name = str(path[-1])
    if error["type"] == "string_too_short":
        owner = _model_at(model, path[:-1])
        info = owner.model_fields.get(name) if owner else None
        required = info is not None and info.is_required()
        return (
            f"{name} is empty",
            "write the text" if required else "write the text, or remove the line",
            False,
        )
    least = error["ctx"].get("min_length", 1)
    return f"{name} needs at least {least} entry", f"add an entry under '{name}:'", False


def _bounds(error: Any, model: type[BaseModel], path: DocPath) -> Described:
    name, value, ctx = str(path[-1]), error.get("input"), error.get("ctx", {})
    words = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}
    limit = next((f"{words[key]} {ctx[key]}" for key in words if key in ctx), "in range")
    return f"{name} must be {limit}, not {value}", "check the value", False


def _shape(error: Any, model: type[BaseModel], path: DocPath) -> Described:
    name, value = str(path[-1]) if path else "", error.get("input")
    if error["type"] == "list_type":
        if isinstance(value, str | int):
            hint = f"write it as {name}: [{value}], or put each entry on its own line starting '- '"
        else:
            hint = "put each entry on its own line starting '- '"
        return f"{name} must be a list", hint, False
    if not name:
        return "this must be a set of 'field: value' lines", "see the examples in the clerk's guide", False
    return (
        f"{name} must be a set of 'field: value' lines",
        f"put each field on its own line, indented below '{name}:'",
        False,
    )


def _value_error(error: Any, model: type[BaseModel], path: DocPath) -> Described:
    cause = error.get("ctx", {}).get("error")
    message = str(cause) if cause else error["msg"]
    name, value = str(path[-1]) if path else "", error.get("input")
    if name == "timezone" and isinstance(value, str):
        return message, _zone_hint(value), False
    hints = {
        "municipal year": "write years as 2018/19: the year the council year starts, a slash, the next year",
        "person id or a name": "add 'person: <id>' for someone in content/people/, or 'name: …'",
    }
    hint = next(
        (h for key, h in hints.items() if key in message), "see the field's entry in the clerk's guide"
    )
    return message, hint, False


def _zone_hint(value: str) -> str:
    zones = sorted(available_timezones())
    if "/" not in value and any(zone.startswith(f"{value}/") for zone in zones):
        return "write the region and a city, such as Europe/London"
    close = difflib.get_close_matches(value, zones, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "use a name such as Europe/London"


_DESCRIBERS: list[tuple[str, Callable[[Any, type[BaseModel], DocPath], Described]]] = [
    ("extra_forbidden", _extra),
    ("missing", _missing),
    ("enum", _enum),
    ("literal_error", _enum),
    ("string_pattern_mismatch", _pattern),
    ("string_too_short", _too_short),
    ("too_short", _too_short),
    ("greater_than", _bounds),
    ("less_than", _bounds),
    ("list_type", _shape),
    ("dict_type", _shape),
    ("model_type", _shape),
    ("model_attributes_type", _shape),
    ("value_error", _value_error),
]


# ---------------------------------------------------------------- values clerks often get wrong


def _wrong_scalar(kind: str, name: str, value: Any) -> Described:
    if kind.startswith("string") and name in _TIME_FIELDS:
        return _time(name, value)
    if kind.startswith("string"):
        if isinstance(value, list):
            return f"{name} must be text, not a list", f"write the text on the line '{name}: …'", False
        if isinstance(value, dict):
            return (
                f"{name} must be text, not a set of fields",
                "check the indentation of the lines below it",
                False,
            )
        return f"{name} must be text", f'put it in quotes: {name}: "{_as_written(value)}"', False
    if kind.startswith("int"):
        return f"{name} must be a whole number, not '{value}'", "write digits only, e.g. 3", False
    return f"{name} must be true or false, not '{value}'", "write true or false", False


def _union(errors: list[Any], name: str) -> Described:
    """A field that takes one of several forms, such as a date or 'tbd', or a list of people or a count."""
    kinds = [error["type"] for error in errors]
    value = errors[0].get("input")
    literals = [e["ctx"]["expected"] for e in errors if e["type"] == "literal_error"]
    if any(kind.startswith("date") for kind in kinds):
        message, hint, _ = _date(value)
        return message, hint + (f", or {' or '.join(literals)}" if literals else ""), False
    shapes = {"list_type": "a list", "int_parsing": "a whole number", "int_type": "a whole number"}
    allowed = [shapes[kind] for kind in kinds if kind in shapes]
    if allowed:
        return f"{name} must be {' or '.join(allowed)}, not '{value}'", _UNION_HINT.get(name, ""), False
    return f"'{value}' is not allowed for {name}", "see the field's entry in the clerk's guide", False


_UNION_HINT = {
    "for": "list who voted, e.g. [a-chair, b-member], or give the count, e.g. 5",
    "against": "list who voted, e.g. [a-chair, b-member], or give the count, e.g. 5",
    "abstained": "list who abstained, e.g. [a-chair], or give the count, e.g. 1",
}


def _minute_number(value: Any) -> Described:
    written = _as_written(value)
    parts = re.fullmatch(r"(\d+)\.(\d{2})", written)
    hint = f"write it as {parts[1]}/{parts[2]}" if parts else "write it as number/year, e.g. 39/18"
    return f"'{written}' is not a minute number", hint, False


def _as_written(value: Any) -> str:
    """A number as a clerk probably typed it: 14.0 was '14.00', 1.2 was '1.20'."""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value).lower() if isinstance(value, bool) else str(value)


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_WORDY = ("%d %B %Y", "%d %b %Y", "%A %d %B %Y", "%B %d %Y", "%B %d, %Y")
_DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2019-02-14"


def _date(value: Any) -> Described:
    text = str(value).strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        return f"'{text}' is not a real date", _impossible(*(int(part) for part in iso.groups())), False
    if re.match(r"\d{4}-\d{2}-\d{2}[ T]", text):
        return f"'{text}' is not a date", f"write only the date: {text[:10]}", False
    found = _guess_date(text)
    if found:
        return f"'{text}' is not written as YYYY-MM-DD", f"write it as {found.isoformat()}", False
    return f"'{text}' is not a date", _DATE_HINT, False


def _impossible(year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"there is no month {month}: dates are YYYY-MM-DD, year first, then month, then day"
    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {days} days; check the day and the month"


def _guess_date(text: str) -> date | None:
    numeric = _DAY_MONTH_YEAR.fullmatch(text)
    if numeric:
        day, month, year = (int(part) for part in numeric.groups())
        return _real_date(year, month, day)
    for form in _WORDY:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)


def _time(name: str, value: Any) -> Described:
    written = _as_written(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and re.fullmatch(r"\d{3,4}", written):
        written = f"{written[:-2]}:{written[-2:]}"
    suggestion = _clock(written)
    if isinstance(value, int | float) and not isinstance(value, bool):
        message = f"'{_as_written(value)}' is read as a number, not a time"
    else:
        message = f"'{written}' is not a time"
    if suggestion:
        return message, f'write {name}: "{suggestion}"', False
    return message, 'write times as 24-hour HH:MM, hours 00 to 23, in quotes, e.g. "14:00"', False


def _clock(text: str) -> str | None:
    """'2pm' → '14:00', '9.30' → '09:30', '25:00' → None."""
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3] and match[3].lower().startswith("p") and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


# ---------------------------------------------------------------- which model a path leads to


def _model_at(model: type[BaseModel], path: DocPath) -> type[BaseModel] | None:
    """The model reached by following a path (field names, list indexes, dict keys) from a model."""
    current: type[BaseModel] | None = model
    keyed = False
    for step in path:
        if current is None:
            return None
        if isinstance(step, int) or keyed:
            keyed = False
            continue
        info = current.model_fields.get(str(step)) or next(
            (f for f in current.model_fields.values() if f.alias == step), None
        )
        if info is None:
            return None
        keyed = typing.get_origin(info.annotation) is dict
        current = model_inside(info.annotation)
    return current


def _fields_of(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def model_inside(annotation: Any) -> type[BaseModel] | None:
    """The model inside list[X], X | None, dict[str, list[X]]…"""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_inside(arg)
        if found is not None:
            return found
    return None
