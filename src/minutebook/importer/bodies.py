"""Which body a pack is for: matched by name to the site's bodies, or proposed from its heading."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class BodyChoice:
    id: str
    name: str
    start_month: int = 5
    new: bool = False


def _norm(name: str) -> str:
    name = name.lower().replace("&", " and ").replace("’", "'")
    name = re.sub(r"^the\s+", "", name)
    return re.sub(r"[^a-z0-9]+", " ", name).strip()


def body_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _norm(name)).strip("-")[:80] or "body"


def display_name(name: str) -> str:
    """'PLANNING COMMITTEE' → 'Planning Committee'; other names as printed."""
    if name.isupper():
        small = {"and", "of", "the", "for", "in", "on"}
        words = name.lower().split()
        return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))
    return name


def choose_body(printed: list[str | None], bodies: list[dict[str, object]], forced: str | None) -> BodyChoice:
    """The body named by --body, else the first existing body a printed name matches, else a new one."""
    by_id = {str(b.get("id")): b for b in bodies}
    if forced:
        body = by_id.get(forced)
        name = str(body.get("name")) if body else display_name(next((p for p in printed if p), forced))
        return BodyChoice(forced, name, _start(body), new=body is None)
    for name in (p for p in printed if p):
        for body in bodies:
            names = {_norm(str(body.get(k) or "")) for k in ("name", "short_name", "id")} - {""}
            if _norm(name) in names or any(n and (n in _norm(name) or _norm(name) in n) for n in names):
                return BodyChoice(str(body["id"]), str(body["name"]), _start(body))
    name = display_name(next((p for p in printed if p), "Imported body"))
    return BodyChoice(body_slug(name), name, new=True)


def _start(body: dict[str, object] | None) -> int:
    value = body.get("year_start_month", 5) if body else 5
    return value if isinstance(value, int) else 5
