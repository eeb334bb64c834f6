"""The content files' YAML loader: its direct construction of text, lists and mappings gives what
PyYAML's own constructor gives, with the same YAML 1.2 scalars and the same refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from minutebook import yamlfile


class GenericLoader(yamlfile.ClerkLoader):
    """The same loader building every node through PyYAML's constructor."""

    construct_document = yaml.CSafeLoader.construct_document  # type: ignore[assignment]


def generic(text: str) -> Any:
    return yaml.load(text, Loader=GenericLoader)  # noqa: S506 - a safe loader


DOCUMENTS = [
    "title: Budget\nitems:\n  - one\n  - two\n",
    "date: 2024-05-01\nstart: 14:00\nquorum: 3\nshare: 0.5\nexempt: no\npublished: true\nnote: ~\n",
    "attendance:\n  present: [a-b, c-d]\n  apologies: []\nvotes: {for: 5, against: 2}\n",
    "base: &base {venue: Civic Hall, start: '10:00'}\nmeeting:\n  <<: *base\n  title: Merged\n",
    "names: &names [a, b]\nagain: *names\n",
    "1: numbered key\ntext: plain\n",
    "tagged: !!str 2024-05-01\nbinary: !!binary aGVsbG8=\n",
    "nested:\n  - title: one\n    resolutions:\n      - text: agreed\n        votes: {for: 3}\n",
    "",
    "just text\n",
    "- a\n- - b\n  - c\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_the_direct_construction_gives_what_pyyaml_gives(text: str) -> None:
    assert yamlfile.parse(text) == generic(text)


def test_scalars_follow_yaml_1_2_on_both_paths() -> None:
    data = yamlfile.parse("items:\n  - date: 2024-05-01\n    start: 14:00\n    agreed: yes\n    count: 7\n")
    assert data == {"items": [{"date": dt.date(2024, 5, 1), "start": "14:00", "agreed": "yes", "count": 7}]}


def test_a_repeated_key_is_refused_at_any_depth() -> None:
    with pytest.raises(yamlfile.DuplicateKey, match="'title' appears twice"):
        yamlfile.parse("minutes:\n  - title: One\n    text: x\n    title: Two\n")


def test_a_key_that_is_not_text_is_refused_as_pyyaml_refuses_it() -> None:
    for parse in (yamlfile.parse, generic):
        with pytest.raises(yaml.constructor.ConstructorError, match="unhashable key"):
            parse("? [complex, key]\n: value\n")


def test_a_node_that_holds_itself_is_left_to_pyyaml() -> None:
    data = yamlfile.parse("loop: &loop\n  - *loop\n")
    assert data["loop"][0] is data["loop"]
