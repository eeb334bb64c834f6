"""Markdown to safe HTML, once per distinct text, with minute references turned into links.

Content arrives from many hands, so every fragment is sanitised with nh3 whatever
the clerk wrote; headings inside prose are pushed below the page's own outline.
"""

from __future__ import annotations

import hashlib
import re

import markdown
import nh3
from markupsafe import Markup

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "th": {"scope"}, "td": set()}
_HEADING = re.compile(r"<(/?)h([1-6])>")


class MarkdownRenderer:
    """Renders and caches fragments; one instance per build, shared by every page."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=["tables", "sane_lists", "attr_list", "def_list"], output_format="html"
        )
        self._cache: dict[str, Markup] = {}

    def render(self, text: str | None) -> Markup:
        if not text:
            return Markup("")
        key = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = Markup(self._convert(text))
        return cached

    def _convert(self, text: str) -> str:
        html = self._md.reset().convert(text)
        html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)
        return nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes={"http", "https", "mailto", "tel"},
            link_rel=None,
        )
