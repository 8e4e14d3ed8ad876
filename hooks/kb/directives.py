"""Directives: the small HTML comments through which a page asks for data.

A directive stands alone on its line and reads as nothing on GitHub:

    <!-- kb:coalitions -->
    <!-- kb:references unwomen-2023 -->

`expand()` replaces each one with Markdown rendered in the page's language.
An unknown directive, or a directive whose argument is wrong, is a problem
naming the page and the line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .data import Data, MissingData
from .languages import PROJECT, Languages  # the project's folder: one constant (kb.languages)
from .problems import Problem


# at most three spaces before it: four make it an indented code block
DIRECTIVE = re.compile(r"^ {0,3}<!--\s*kb:(?P<name>[A-Za-z0-9_-]+)(?P<args>[^>]*?)\s*-->[ \t]*$", re.MULTILINE)
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
    # publisher, email (kb.pipeline.Settings: from MkDocs' configuration, or mkdocs.yml in `make check`)
    site: Mapping = field(default_factory=dict)

    @property
    def languages(self) -> Languages:
        """The site's languages as kb.translations takes them (their names and locales are not needed there)."""
        return Languages(self.source, self.langs, {}, {})

    @property
    def root(self) -> str:
        """The relative path from the page's source to the content folder ("../../"), for links."""
        return urls.to_content(self.page)


class DirectiveError(Exception):
    """Raised by a renderer for a wrong argument; becomes a Problem at the directive's line."""


Renderer = Callable[[Context, list[str]], str]


def names(markdown: str) -> set[str]:
    """The names of the directives `markdown` uses."""
    return {match["name"] for match in DIRECTIVE.finditer(markdown)}


FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")  # `code` on one line (a run of backticks closed by the same run)
COMMENT_END = re.compile(r"--!?>")


def hidden(markdown: str) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """Where a directive is not one: (the spans of fenced code blocks and of HTML comments, the problems
    of the comments as (position, message)). Comments are read as browsers read them: `<!-->` and
    `<!--->` are whole comments, `--!>` ends one as `-->` does, and a comment ends at the first of them
    (an `<!--` inside it is text); such comments, and one never closed, are refused, since the page's
    checks and a browser could disagree on what they hide. One pass over the text."""
    spans: list[tuple[int, int]] = []
    problems: list[tuple[int, str]] = []
    pos, fence, comment = 0, None, None  # fence: (char, length, start); comment: its start
    after_blank = True  # an indented line after a blank line (or after such lines) is code
    for line in markdown.splitlines(keepends=True):
        end = pos + len(line)
        blank, indented = not line.strip(), len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip()) >= 4
        if comment is None and fence is None and indented and not blank and after_blank:
            spans.append((pos, end))  # an indented code block's line
            pos = end
            continue
        after_blank = blank
        if comment is None:
            opened = FENCE.match(line)
            if fence is not None:
                if (
                    opened
                    and opened[1][0] == fence[0]
                    and len(opened[1]) >= fence[1]
                    and not line[opened.end() :].strip()
                ):
                    spans.append((fence[2], end))
                    fence = None
                pos = end
                continue
            if opened:
                fence = (opened[1][0], len(opened[1]), pos)
                pos = end
                continue
        # outside code: comments, where they are not in `code` on the line
        text = CODE_SPAN.sub(lambda m: " " * len(m[0]), line) if comment is None else line
        at = 0
        while True:
            if comment is None:
                start = text.find("<!--", at)
                if start < 0:
                    break
                comment, at = pos + start, start + 4
                if text.startswith(">", at) or text.startswith("->", at):
                    problems.append(
                        (comment, "<!--> and <!---> end where they start in browsers: write a comment as <!-- text -->")
                    )
                    spans.append((comment, pos + at + (1 if text.startswith(">", at) else 2)))
                    comment, at = None, at + 1
                    continue
            close = COMMENT_END.search(text, at)
            nested = text.find("<!--", at)
            if 0 <= nested < (close.start() if close else len(text)):
                problems.append(
                    (
                        pos + nested,
                        "a comment inside a comment: browsers end both at the first -->; "
                        "close the first comment before opening another",
                    )
                )
            if close is None:
                break
            if close[0] == "--!>":
                problems.append((pos + close.start(), "--!> ends a comment in browsers: end it with -->"))
            spans.append((comment, pos + close.end()))
            comment, at = None, close.end()
        pos = end
    if comment is not None:
        problems.append(
            (comment, "this comment is never closed, so browsers hide the rest of the page: end it with -->")
        )
        spans.append((comment, pos))
    if fence is not None:
        spans.append((fence[2], pos))  # a block never closed runs to the end of the page
    return spans, problems


def expand(markdown: str, ctx: Context) -> tuple[str, list[Problem]]:
    """Replace every directive of `markdown`; return the new text and the problems found. A directive
    is one where it is written as one: never in a code block, in `code` or inside another comment."""
    problems: list[Problem] = []

    def line_of(pos: int) -> int:
        return markdown.count("\n", 0, pos) + 1 + ctx.line_offset

    spans, found = hidden(markdown)
    problems += [Problem(ctx.page, line_of(at), "", message) for at, message in found]
    starts = sorted(spans)

    def inside(pos: int) -> bool:
        """Whether `pos` is in a code block or in a comment that starts before it (the spans do not overlap)."""
        i = bisect.bisect_right(starts, (pos, float("inf"))) - 1
        return i >= 0 and starts[i][0] < pos < starts[i][1]

    def replace(match: re.Match) -> str:
        if inside(match.start() + match[0].index("<!--")):
            return match[0]  # code or another comment: left as it is written
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
        if line_start in matched or inside(m.start()) or _in_code_span(markdown, line_start, m.start()):
            continue
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


def _in_code_span(markdown: str, line_start: int, pos: int) -> bool:
    line_end = markdown.find("\n", pos)
    line = markdown[line_start : line_end if line_end >= 0 else len(markdown)]
    return any(m.start() <= pos - line_start < m.end() for m in CODE_SPAN.finditer(line))
