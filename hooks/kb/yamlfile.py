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


def _index(node, path, lines, problems, file, offset=0):
    lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        key_node.start_mark.line + 1 + offset,
                        field_path((*path, key)),
                        f"this field is written twice (first on line {seen[key]}); keep one",
                    )
                )
            seen[key] = key_node.start_mark.line + 1 + offset
            _index(value_node, (*path, key), lines, problems, file, offset)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), lines, problems, file, offset)


# Bounds that no real data file comes near, so that a mistaken or hostile file
# is refused at once instead of exhausting the machine. (The benchmark's data at
# 100 times today's records is 5.5 MB; libyaml reads 20 MB in a few seconds.)
MAX_BYTES = 20_000_000
MAX_DEPTH = 20


def _bounded(text: str, display: str, offset: int = 0, what: str = "data files") -> list[Problem]:
    """Refuse anchors and aliases (`&name`, `*name`: one alias can stand for millions of
    values) and nesting deeper than MAX_DEPTH, reading the file's events only."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            line = event.start_mark.line + 1 + offset
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return [
                    Problem(
                        display,
                        line,
                        "",
                        f"anchors and aliases (&name, *name) are not allowed in {what}: "
                        "write each value out in full",
                    )
                ]
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return [Problem(display, line, "", f"the data is nested more than {MAX_DEPTH} levels deep here")]
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return []  # reported with its line by the full reading
    return []


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The text of an editor's file, or the problem that prevents reading it (not UTF-8: which line)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:  # a symbolic link to nowhere or in a loop, a folder, no permission
        why = exc.strerror or type(exc).__name__
        return None, [Problem(display, None, "", f"this file cannot be read ({why}): replace it with a plain file")]
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
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_text names what is wrong
    if size > MAX_BYTES:
        return None, [
            Problem(display, None, "", f"the file is {size // 1000} kB; data files are limited to {MAX_BYTES // 1000:,} kB")
        ]
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    return parse_yaml(text, display)


def _unreadable(exc: yaml.YAMLError, display: str, offset: int, text: str, context_first: bool = False) -> Problem:
    """A YAML error in plain words, at its line (`context_first`: where the broken value starts, an unclosed
    [ or ", rather than where reading stopped); tabs and control characters named."""
    marks = [getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)]
    mark = next((m for m in (marks[::-1] if context_first else marks) if m is not None), None)
    line = mark.line + 1 + offset if mark else None
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml counts the position in bytes: look for the character itself
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text.count("\n", 0, at if at >= 0 else exc.position) + 1 + offset
        what = f"the character U+{exc.character:04X} is not allowed in YAML" if isinstance(exc.character, int) else (
            "a character that is not allowed in YAML"
        )
        return Problem(display, line, "", f"{what}: delete it (it is invisible in most editors)")
    what = getattr(exc, "problem", None) or "unreadable YAML"
    rows = text.split("\n")
    if mark is not None and mark.line < len(rows) and "\t" in rows[mark.line][: mark.column + 1]:
        return Problem(
            display, line, "", "this line has a tab: YAML is indented with spaces only; replace the tab with spaces"
        )
    hint = " (check indentation, colons and quotes on this line or the one before)"
    return Problem(display, line, "", f"this is not valid YAML: {what}{hint}")


def parse_yaml(text: str, display: str, offset: int = 0, what: str = "data files") -> tuple[YamlDoc | None, list[Problem]]:
    """Parse YAML `text` (`offset` lines of its file before it); return the document (None if unreadable)
    and its problems: anchors, aliases, nesting deeper than MAX_DEPTH and duplicate keys are refused."""
    problems = _bounded(text, display, offset, what)
    if problems:
        return None, problems
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        return None, [_unreadable(exc, display, offset, text, context_first=what == "front matter")]
    finally:
        loader.dispose()
    doc = YamlDoc(display, data)
    if node is not None:
        _index(node, (), doc.lines, problems, display, offset)
    return doc, problems
