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
        return Problem(self.file, self.line_of(path), field_path(path), message)


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


def load_yaml(path: Path, display: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one file; return the document (None if unreadable) and its problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, None, "", f"the file is not UTF-8 text ({exc.reason}); save it as UTF-8")]
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
