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


class ClerkLoader(yaml.CSafeLoader):
    """libyaml's parser with YAML 1.2 scalar rules and a refusal of duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise DuplicateKey(
                    "while reading a mapping",
                    seen[key].start_mark,
                    f"'{key}' appears twice",
                    key_node.start_mark,
                )
            seen[key] = key_node
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


def parse(text: str) -> Any:
    return yaml.load(text, Loader=ClerkLoader)  # noqa: S506 - a safe loader


def compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=ClerkComposer)  # noqa: S506 - composing builds no objects
