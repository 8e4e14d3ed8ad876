"""Read an editor's Markdown page strictly: UTF-8 text and valid front matter.

MkDocs reads a page saved in another encoding with a traceback, and takes
front matter it cannot parse as part of the text, silently. Here both are
problems that name the page and the line.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .problems import Problem
from .safety import RAW_HTML
from .yamlfile import Loader, read_text

# front matter the theme prints outside the page's content
PLAIN_FIELDS = ("title", "description")

# MkDocs' own front matter delimiters (mkdocs.utils.meta.YAML_RE)
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def read_page(path: Path, display: str) -> tuple[str, list[Problem]]:
    """The page's source for MkDocs, and its problems (then the source is reduced to what can be read)."""
    text, problems = read_text(path, display)
    if text is None:
        return "", problems
    match = FRONT_MATTER.match(text)
    if match is None:
        if text.startswith("---"):
            problems.append(
                Problem(display, 1, "front matter", "the front matter has no closing line: end it with a line `---`")
            )
        return text, problems
    try:
        meta = yaml.load(match.group(1), Loader=Loader)  # noqa: S506 (a safe loader)
    except yaml.MarkedYAMLError as exc:
        # where the broken value starts (an unclosed [ or "), else where reading stopped
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 2 if mark else 1  # + the opening `---`
        what = exc.problem or "unreadable YAML"
        hint = "check indentation, colons and quotes; a value with a colon needs quotes"
        problems.append(Problem(display, line, "front matter", f"this is not valid YAML: {what} ({hint})"))
        return text[match.end() :], problems
    if not isinstance(meta, dict):
        problems.append(Problem(display, 2, "front matter", "the front matter must be fields, `key: value`"))
        return text[match.end() :], problems
    for key in PLAIN_FIELDS:
        value = meta.get(key)
        if isinstance(value, str) and RAW_HTML.search(value):
            line = 1 + next((i for i, row in enumerate(match.group(1).splitlines(), 1) if row.startswith(f"{key}:")), 1)
            problems.append(
                Problem(display, line, key, f"the {key} is plain text, shown in menus, tabs and search results: no HTML")
            )
    return text, problems
