"""Find the line and column of a problem from its path inside a YAML document.

Composing a document is slow next to libyaml's parse, so it happens only for
files that have problems, and each such file is composed once.
"""

from __future__ import annotations

from dataclasses import replace

import yaml

from minutebook import yamlfile
from minutebook.load import front_matter
from minutebook.problems import DocPath, Problem


def locate_all(problems: list[Problem], texts: dict[str, str]) -> list[Problem]:
    """Fill in line and column for every problem whose file text is known."""
    trees: dict[str, yaml.Node | None] = {}
    located = []
    for problem in problems:
        text = texts.get(problem.file)
        if problem.line is not None or text is None:
            located.append(problem)
            continue
        if problem.file not in trees:
            trees[problem.file] = _compose_quietly(_yaml_part(problem.file, text))
        located.append(_locate(problem, trees[problem.file]))
    return located


def _yaml_part(file: str, text: str) -> str:
    """The YAML of a file: all of it, or a page's front matter (same lines, the Markdown cut off)."""
    if not file.endswith(".md"):
        return text
    return front_matter(text.removeprefix("\ufeff")) or ""


def _compose_quietly(text: str) -> yaml.Node | None:
    try:
        return yamlfile.compose(text)
    except yaml.YAMLError:
        return None


def _locate(problem: Problem, root: yaml.Node | None) -> Problem:
    if root is None:
        return replace(problem, line=1, col=1)
    node, key_node = _walk(root, problem.path)
    target = key_node if (problem.at_key and key_node is not None) else node
    line, col = target.start_mark.line + 1, target.start_mark.column + 1
    if isinstance(target, yaml.ScalarNode):
        if problem.text_offset is not None:
            line, col = _place_in_scalar(target, problem.text_offset)
        elif problem.text_line is not None:
            line, col = _line_in_scalar(target, problem.text_line)
    return replace(problem, line=line, col=col)


def _walk(node: yaml.Node, path: DocPath) -> tuple[yaml.Node, yaml.Node | None]:
    """Follow the path as far as the document goes; return the deepest node reached."""
    key_node: yaml.Node | None = None
    for step in path:
        child = _child(node, step)
        if child is None:
            break
        key_node, node = child
    return node, key_node


def _child(node: yaml.Node, step: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return None, node.value[step]
    return None


def _line_in_scalar(node: yaml.ScalarNode, text_line: int) -> tuple[int, int]:
    """A line inside a text value: block scalars (| and >) start on the line after their marker."""
    if node.style in ("|", ">"):
        return node.start_mark.line + 2 + text_line, 1 + _indent(node)
    return node.start_mark.line + 1 + text_line, node.start_mark.column + 1


def _place_in_scalar(node: yaml.ScalarNode, offset: int) -> tuple[int, int]:
    """Where a character of a text value sits in the file, whatever the style (|, >, plain, quoted).

    Folding and indentation change only the spaces and line breaks between words, so the
    n-th non-space character of the value is the n-th non-space character of its source.
    """
    buffer, start = node.start_mark.buffer or "", node.start_mark.pointer
    if node.style in ("|", ">"):
        start = buffer.find("\n", start) + 1
    elif node.style in ("'", '"'):
        start += 1
    wanted = sum(1 for char in node.value[:offset] if not char.isspace())
    pointer = _nth_visible(buffer, start, node.end_mark.pointer, wanted)
    line = buffer.count("\n", 0, pointer)
    return line + 1, pointer - (buffer.rfind("\n", 0, pointer) + 1) + 1


def _nth_visible(buffer: str, start: int, end: int, wanted: int) -> int:
    """The position of the non-space character that has `wanted` others before it."""
    seen = 0
    for pointer in range(start, end):
        if buffer[pointer].isspace():
            continue
        if seen == wanted:
            return pointer
        seen += 1
    return start


def _indent(node: yaml.ScalarNode) -> int:
    buffer = node.start_mark.buffer
    if not buffer:
        return 0
    start = buffer.find("\n", node.start_mark.pointer) + 1
    line = buffer[start : buffer.find("\n", start)]
    return len(line) - len(line.lstrip(" "))
