"""Read an editor's Markdown page strictly: UTF-8 text and valid front matter.

MkDocs reads a page saved in another encoding with a traceback, and takes
front matter it cannot parse as part of the text, silently. Here both are
problems that name the page and the line.

The front matter is read by the data files' loader (`kb.yamlfile`: line
numbers, anchors and aliases, nesting and duplicate keys refused) and checked
against `front-matter.schema.json`, next to this file: the fields a page may
set and their types. A field the schema marks `x-plain` is printed by the
theme outside the page's content (menus, tabs, search results): plain text.
A byte-order mark and Windows line ends (CRLF) are read as MkDocs reads them.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

from .problems import Problem
from .safety import RAW_HTML
from .yamlfile import parse_yaml, read_text

SCHEMA = Path(__file__).with_name("front-matter.schema.json")

# MkDocs' own front matter delimiters (mkdocs.utils.meta.YAML_RE)
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)

# Bounds on the work a page can ask of Markdown, far above what any page writes (the longest page
# is 30 kB, its longest paragraph 2,000 characters with 13 brackets, its deepest line indented
# 4 spaces): Markdown looks ahead from every `[` for its `]` (brackets cost the paragraph's length
# each), and reads nested lists, quotes and blocks by recursion.
MAX_BYTES = 1_000_000
MAX_BLOCK = 20_000  # characters of a paragraph, list or table (text between blank lines)
MAX_BRACKETS = 200  # `[` in one paragraph
MAX_INDENT = 100  # columns before a line's text
MAX_MARKERS = 20  # list and quote markers opening one line (`- - > 1.`)
MARKERS = re.compile(r"(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)))+")  # `>>>` opens three quotes


@cache
def schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def plain_fields() -> tuple[str, ...]:
    """The front matter fields the theme prints outside the page's content."""
    return tuple(k for k, v in schema()["properties"].items() if v.get("x-plain"))


def normalise(text: str) -> str:
    """The text as MkDocs reads it: without a byte-order mark, with `\\n` line ends."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def front_matter(text: str, display: str, check: bool = True) -> tuple[dict | None, int, list[Problem]]:
    """(the front matter's fields, or None when unreadable; where the body starts; problems).
    With `check` false, the fields are not checked against the schema."""
    match = FRONT_MATTER.match(text)
    if match is None:
        if re.match(r"-{3}[ \t]*\n", text):
            message = "the front matter has no closing line: end it with a line `---`"
            return None, 0, [Problem(display, 1, "front matter", message)]
        return {}, 0, []
    doc, problems = parse_yaml(match.group(1), display, offset=1, what="front matter")
    if doc is None or problems:
        return None, match.end(), [replace(p, field=p.field or "front matter") for p in problems]
    if doc.data is None:
        return {}, match.end(), []
    if not isinstance(doc.data, dict):
        return None, match.end(), [Problem(display, 2, "front matter", "the front matter must be fields, `key: value`")]
    return doc.data, match.end(), _schema_problems(doc) if check else []


def _schema_problems(doc) -> list[Problem]:
    from jsonschema import Draft202012Validator

    from .data import _leaves, _plain

    problems = []
    for error in Draft202012Validator(schema()).iter_errors(doc.data):
        if error.validator == "additionalProperties" and not error.absolute_path:
            allowed = ", ".join(sorted(schema()["properties"]))
            for key in doc.data:
                if key not in schema()["properties"]:
                    message = f"unknown field `{key}` (check its spelling); a page may set only: {allowed}"
                    problems.append(doc.problem((key,), message))
            continue
        for err in _leaves(error):
            problems.append(doc.problem(*_plain(err)))
    for key in plain_fields():
        value = doc.data.get(key)
        if isinstance(value, str) and RAW_HTML.search(value):
            message = f"the {key} is plain text, shown in menus, tabs and search results: no HTML"
            problems.append(doc.problem((key,), message))
    return problems


def bounds(text: str, display: str, by_line: bool = False) -> list[Problem]:
    """The bounds the page's body goes beyond (at most one problem each), read in one pass. With
    `by_line`, for what directives write from data (each text of it bounded on its own: kb.safety),
    length and brackets are counted per line: a template may print many records as one block."""
    problems: dict[str, Problem] = {}
    start, length, brackets = 1, 0, 0
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip() or by_line:
            start, length, brackets = number + (0 if by_line else 1), 0, 0
        if not line.strip():
            continue
        length += len(line) + 1
        brackets += line.count("[")
        if length > MAX_BLOCK and "block" not in problems:
            problems["block"] = Problem(
                display, start, "", f"this paragraph is longer than {MAX_BLOCK:,} characters: split it with blank lines"
            )
        if brackets > MAX_BRACKETS and "brackets" not in problems:
            problems["brackets"] = Problem(
                display, start, "", f"this paragraph has more than {MAX_BRACKETS} [ : split it with blank lines"
            )
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent > MAX_INDENT and "indent" not in problems:
            problems["indent"] = Problem(
                display, number, "", f"this line is indented {indent} columns; at most {MAX_INDENT}: nest less deeply"
            )
        markers = MARKERS.match(line)
        count = len(re.findall(r"[-*+>]|\d{1,9}[.)]", markers[0])) if markers else 0
        if count > MAX_MARKERS and "markers" not in problems:
            problems["markers"] = Problem(
                display, number, "", f"this line opens {count} lists or quotes; at most {MAX_MARKERS}: nest less deeply"
            )
    return list(problems.values())


def read_page(path: Path, display: str) -> tuple[str, list[Problem]]:
    """The page's source for MkDocs, and its problems. A front matter with a problem is emptied (its
    lines kept), so that nothing of it reaches the theme."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_text names what is wrong
    if size > MAX_BYTES:
        message = f"the page is {size // 1000} kB; pages are limited to {MAX_BYTES // 1000:,} kB: split it"
        return "", [Problem(display, None, "", message)]
    text, problems = read_text(path, display)
    if text is None:
        return "", problems
    text = normalise(text)
    meta, end, problems = front_matter(text, display)
    too_much = bounds(text[end:], display)
    if too_much:  # not handed to Markdown at all
        offset = text.count("\n", 0, end)
        return "", problems + [replace(p, line=p.line + offset) for p in too_much]
    if problems and end:  # an empty front matter in its place keeps the lines where they are
        text = "---\n" + "\n" * (text.count("\n", 0, end) - 2) + "---\n" + text[end:]
    return text, problems
