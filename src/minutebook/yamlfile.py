"""YAML as clerks write it: libyaml on the fast path, YAML 1.2 scalars, no duplicate keys.

PyYAML follows YAML 1.1, where `14:00` is the number 840 and `no` is false. Clerks
mean a time and the word "no", so this loader resolves only YAML 1.2 forms.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class DuplicateKey(yaml.MarkedYAMLError):
    """A mapping names the same key twice; YAML would silently keep only the last."""


def _yaml12_resolvers(base: type[yaml.CSafeLoader]) -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    dropped = {_BOOL, _INT, _FLOAT}
    resolvers = {
        first: [(tag, rx) for tag, rx in entries if tag not in dropped]
        for first, entries in base.yaml_implicit_resolvers.items()
    }
    extra = [
        (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
        (_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), "-+0123456789"),
        (_FLOAT, re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), "-+0123456789."),
    ]
    for tag, regexp, firsts in extra:
        for first in firsts:
            resolvers.setdefault(first, []).append((tag, regexp))
    return resolvers


def _refuse_duplicates(node: yaml.MappingNode, written: list[str]) -> None:
    """Raise at the first key given twice; `written` is the mapping's scalar keys as written."""
    if len(set(written)) == len(written):  # the usual case: nothing to locate
        return
    seen: dict[str, yaml.Node] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        if key_node.value in seen:
            raise DuplicateKey(
                "while reading a mapping",
                seen[key_node.value].start_mark,
                f"'{key_node.value}' appears twice",
                key_node.start_mark,
            )
        seen[key_node.value] = key_node


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _Recursive(Exception):
    """A node holds itself (through an alias): left to PyYAML's own constructor."""


class ClerkLoader(yaml.CSafeLoader):
    """libyaml's parser with YAML 1.2 scalar rules and a refusal of duplicate keys."""

    def construct_document(self, node: yaml.Node) -> Any:
        """Text, lists and mappings with text keys are built directly; anything else (numbers,
        dates, merge keys, tags) by PyYAML's constructor. Content files are almost all text: the
        constructor's generic path made building them cost more than parsing them."""
        try:
            return self._construct_plainly(node, set())
        except _Recursive:
            pass
        finally:
            self.constructed_objects, self.recursive_objects = {}, {}
            self.state_generators, self.deep_construct = [], False
        return super().construct_document(node)

    def _construct_plainly(self, node: yaml.Node, above: set[int]) -> Any:
        kind, tag = type(node), node.tag
        if kind is yaml.ScalarNode and tag == _STR:
            return node.value
        if (kind is yaml.MappingNode and tag == _MAP) or (kind is yaml.SequenceNode and tag == _SEQ):
            if id(node) in above:
                raise _Recursive
            above.add(id(node))
            try:
                if isinstance(node, yaml.MappingNode):
                    return self._mapping_plainly(node, above)
                return [self._construct_plainly(child, above) for child in node.value]
            finally:
                above.discard(id(node))
        return self.construct_object(node, deep=True)

    def _mapping_plainly(self, node: yaml.MappingNode, above: set[int]) -> Any:
        keys: list[str] = []
        for key, _ in node.value:
            if type(key) is not yaml.ScalarNode or key.tag != _STR:  # not text, or a merge key ('<<')
                return self.construct_object(node, deep=True)
            keys.append(key.value)
        _refuse_duplicates(node, keys)
        return {
            key: self._construct_plainly(value, above)
            for key, (_, value) in zip(keys, node.value, strict=True)
        }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # Keys are compared as written, before construction: cheap on the fast path.
        _refuse_duplicates(node, [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)])
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date that looks right but does not exist (2019-02-30) stays text, for the model to refuse."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


ClerkLoader.add_constructor("tag:yaml.org,2002:timestamp", ClerkLoader.construct_yaml_timestamp)
ClerkLoader.yaml_implicit_resolvers = _yaml12_resolvers(yaml.CSafeLoader)


class ClerkComposer(yaml.SafeLoader):
    """The pure-Python loader with the same scalar rules, used only to locate errors."""


ClerkComposer.yaml_implicit_resolvers = _yaml12_resolvers(yaml.SafeLoader)  # type: ignore[arg-type]


#: Text, spaces, then '#' and more text on the same line: "title: Item #3".
_MAYBE_CUT = re.compile(r"\S[ \t]+#\S")


def cut_by_comments(text: str) -> list[tuple[int, int]]:
    """Where (0-based line, column) a plain value is followed by ' #word': YAML drops it as a comment.

    A clerk writing `title: Item #3` means the '#3'; a comment is almost always '# ' with a
    space. Only files with the pattern are composed, with libyaml, so the check costs little.
    """
    if not _MAYBE_CUT.search(text):
        return []
    lines = text.split("\n")
    found = []
    for node in _plain_scalars(yaml.compose(text, Loader=ClerkLoader)):  # noqa: S506 - composing only
        end = node.end_mark
        rest = lines[end.line][end.column :] if end.line < len(lines) else ""
        match = re.match(r"[ \t]+#\S", rest)
        if match:
            found.append((end.line, end.column + match.end() - 2))
    return found


def _plain_scalars(node: yaml.Node | None) -> list[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode):
        return [node] if not node.style and node.value else []
    children: list[Any] = []
    if isinstance(node, yaml.MappingNode):
        children = [value for _, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    return [scalar for child in children for scalar in _plain_scalars(child)]


def parse(text: str) -> Any:
    return yaml.load(text, Loader=ClerkLoader)  # noqa: S506 - a safe loader


def compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=ClerkComposer)  # noqa: S506 - composing builds no objects
