"""Directives: the small HTML comments through which a page asks for data.

A directive stands alone on its line and reads as nothing on GitHub:

    <!-- kb:coalitions -->
    <!-- kb:references unwomen-2023 -->

`expand()` replaces each one with Markdown rendered in the page's language.
An unknown directive, or a directive whose argument is wrong, is a problem
naming the page and the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .data import Data, MissingData
from .problems import Problem

PROJECT = Path(__file__).resolve().parents[2]

DIRECTIVE = re.compile(r"^[ \t]*<!--\s*kb:(?P<name>[A-Za-z0-9_-]+)(?P<args>[^>]*?)\s*-->[ \t]*$", re.MULTILINE)
# Anything that looks like a directive but is not well-formed (e.g. "<!-- kb: x" or "kb:x>")
ALMOST = re.compile(r"<!--\s*kb\s*:", re.IGNORECASE)


@dataclass
class Context:
    """What a directive knows of the page it is expanded in."""

    data: Data
    lang: str
    page: str  # display path of the page, e.g. "content/fr/index.md"
    line_offset: int = 0  # lines of the file before the Markdown body (front matter)
    source: str = ""  # the source language, whose text stands in for a missing translation
    langs: tuple[str, ...] = ()  # every language of the site, the source first
    templates: object = None  # the Jinja environment of templates/ (kb.templates.environment)
    directives: Mapping[str, Renderer] = field(default_factory=dict)  # name -> renderer
    project: Path = PROJECT  # the project's folder (content/, data/, templates/)
    # who is behind the site, from the configuration (kb.contact.site_contact): repository, issues,
    # publisher, email; empty in `make check`, which has no configuration
    site: Mapping = field(default_factory=dict)

    @property
    def root(self) -> str:
        """The relative path from the page's source to the content folder ("../../"), for links."""
        return "../" * (len(self.page.removeprefix("content/").split("/")) - 1)


class DirectiveError(Exception):
    """Raised by a renderer for a wrong argument; becomes a Problem at the directive's line."""


Renderer = Callable[[Context, list[str]], str]


def names(markdown: str) -> set[str]:
    """The names of the directives `markdown` uses."""
    return {match["name"] for match in DIRECTIVE.finditer(markdown)}


def expand(markdown: str, ctx: Context) -> tuple[str, list[Problem]]:
    """Replace every directive of `markdown`; return the new text and the problems found."""
    problems: list[Problem] = []

    def line_of(pos: int) -> int:
        return markdown.count("\n", 0, pos) + 1 + ctx.line_offset

    def replace(match: re.Match) -> str:
        name, args = match["name"], match["args"].split()
        renderer = ctx.directives.get(name)
        if renderer is None:
            known = ", ".join(f"kb:{n}" for n in sorted(ctx.directives))
            problems.append(
                Problem(
                    ctx.page, line_of(match.start()), "", f'unknown directive "kb:{name}"; known directives: {known}'
                )
            )
            return match[0]
        try:
            return renderer(ctx, args)
        except DirectiveError as exc:
            problems.append(Problem(ctx.page, line_of(match.start()), "", f"kb:{name}: {exc}"))
            return match[0]
        except MissingData as exc:
            problems.append(
                Problem(
                    ctx.page,
                    line_of(match.start()),
                    "",
                    f"kb:{name} needs data/{exc.args[0]}.yml, which does not exist",
                )
            )
            return match[0]

    out = DIRECTIVE.sub(replace, markdown)
    matched = {m.start() for m in DIRECTIVE.finditer(markdown)}
    for m in ALMOST.finditer(markdown):
        line_start = markdown.rfind("\n", 0, m.start()) + 1
        if not any(line_start <= s <= m.start() for s in matched):
            problems.append(
                Problem(
                    ctx.page,
                    line_of(m.start()),
                    "",
                    "this looks like a directive but is not written as one: write it alone on its line, "
                    "as <!-- kb:name -->",
                )
            )
    return out, problems
