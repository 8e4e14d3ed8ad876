"""Read a YAML file and remember the line of every value.

PyYAML composes a node tree that knows where each value starts; we keep a
map from field path (a tuple of keys and indexes) to 1-based line, so that
every later check can name the line an editor must change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problem, field_path

# libyaml's parser when PyYAML has it (ten times faster), else the pure-Python one
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDoc:
    file: str  # display path (relative to the project root)
    data: object
    lines: dict[tuple, int] = field(default_factory=dict)

    def line_of(self, path) -> int | None:
        """Line of the value at `path`, or of its nearest ancestor."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def problem(self, path, message: str) -> Problem:
        return Problem(self.file, self.line_of(path), field_path(path, self.data), message)


def _index(node, path, lines, problems, file):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        key_node.start_mark.line + 1,
                        field_path((*path, key)),
                        f"this field is written twice (first on line {seen[key]}); keep one",
                    )
                )
            seen[key] = key_node.start_mark.line + 1
            _index(value_node, (*path, key), lines, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), lines, problems, file)


# Bounds that no real data file comes near, so that a mistaken or hostile file
# is refused at once instead of exhausting the machine. (The benchmark's data at
# 100 times today's records is 5.5 MB; libyaml reads 20 MB in a few seconds.)
MAX_BYTES = 20_000_000
MAX_DEPTH = 20


def _bounded(text: str, display: str) -> list[Problem]:
    """Refuse anchors and aliases (`&name`, `*name`: one alias can stand for millions of
    values) and nesting deeper than MAX_DEPTH, reading the file's events only."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return [
                    Problem(
                        display,
                        line,
                        "",
                        "anchors and aliases (&name, *name) are not allowed in data files: "
                        "write each value out in full",
                    )
                ]
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return [Problem(display, line, "", f"the data is nested more than {MAX_DEPTH} levels deep here")]
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError:
        return []  # reported with its line by the full reading
    return []


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The text of an editor's file, or the problem that prevents reading it (not UTF-8: which line)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [
            Problem(
                display,
                line,
                "",
                "this line is not UTF-8 text (the file was saved in another encoding, e.g. Latin-1 or "
                "Windows-1252): save the file as UTF-8 in your editor",
            )
        ]


def load_yaml(path: Path, display: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one file; return the document (None if unreadable) and its problems."""
    if path.stat().st_size > MAX_BYTES:
        size = path.stat().st_size // 1000
        return None, [Problem(display, None, "", f"the file is {size} kB; data files are limited to {MAX_BYTES // 1000:,} kB")]
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    problems = _bounded(text, display)
    if problems:
        return None, problems
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "unreadable YAML"
        hint = " (check indentation, colons and quotes on this line or the one before)"
        return None, [Problem(display, line, "", f"this is not valid YAML: {what}{hint}")]
    finally:
        loader.dispose()
    doc = YamlDoc(display, data)
    problems: list[Problem] = []
    if node is not None:
        _index(node, (), doc.lines, problems, display)
    return doc, problems
