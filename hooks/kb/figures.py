"""One source for every figure: a page writes a data figure by reference, inside its sentence.

    C’est cohérent avec le fait que <!-- kb:figure survey-2023 commitments-on-track --> d’entre eux…

renders the figure `commitments-on-track` of `data/survey-2023.yml` (any record with that
`id` and a `value`, at any depth of the file) as the page's language writes it: `87 %` in
French (narrow no-break space), `87%` in English, `800 000+` for a minimum (`at_least`).
Changing the figure in the data changes every page that cites it; a reference to a file or
a figure that does not exist is a problem at the page's line, naming the figures there are.
Unlike the block directives (`kb.directives`), this form stands inside a line.
"""

from __future__ import annotations

import re

from . import locale
from .data import MissingData
from .problems import Problem

INLINE = re.compile(r"<!--\s*kb:figure\b(?P<args>[^>]*?)\s*-->")


def _records(node):
    """Every record (a mapping with an `id` and a `value`) of a data file, at any depth."""
    if isinstance(node, dict):
        if isinstance(node.get("id"), str) and "value" in node:
            yield node
        for value in node.values():
            yield from _records(value)
    elif isinstance(node, list):
        for item in node:
            yield from _records(item)


def find(data, file: str, ident: str) -> dict:
    """The figure `ident` of `data/<file>.yml`; LookupError with what to write instead."""
    try:
        doc = data[file]
    except (KeyError, MissingData):
        raise LookupError(f"there is no data file data/{file}.yml") from None
    figures = {r["id"]: r for r in _records(doc)}
    if ident not in figures:
        known = ", ".join(sorted(figures)) or "none"
        raise LookupError(f'data/{file}.yml has no figure with the id "{ident}"; its figures: {known}')
    return figures[ident]


def expand_figures(markdown: str, ctx) -> tuple[str, list[Problem]]:
    """`markdown` with every inline figure reference replaced by the figure, in `ctx.lang`."""
    problems: list[Problem] = []

    def replace(match: re.Match) -> str:
        args = match["args"].split()
        line = markdown.count("\n", 0, match.start()) + 1 + ctx.line_offset
        if len(args) != 2:
            problems.append(
                Problem(
                    ctx.page,
                    line,
                    "",
                    "kb:figure takes a data file and a figure's id, e.g. "
                    "<!-- kb:figure survey-2023 commitments-on-track -->",
                )
            )
            return match[0]
        try:
            record = find(ctx.data, *args)
        except LookupError as exc:
            problems.append(Problem(ctx.page, line, "", f"kb:figure: {exc}"))
            return match[0]
        return locale.figure(record["value"], record.get("unit", "count"), ctx.lang, record.get("at_least", False))

    return INLINE.sub(replace, markdown), problems


def written_out(root, data, langs) -> list[Problem]:
    """Notes on pages that write a data percentage out instead of citing it: `87 %` where
    `data/survey-2023.yml` has a figure 87 percent. They do not fail the check (the same number may
    mean something else); citing the figure makes the page follow the data."""
    percents: dict[str, list[tuple[str, str]]] = {}  # formatted in a language -> (file, id)
    for name in sorted(getattr(data, "files", {})):
        for record in _records(data[name]):
            if record.get("unit") == "percent" and not record.get("at_least"):
                for lang in langs:
                    text = locale.figure(record["value"], "percent", lang)
                    percents.setdefault(text, []).append((name, record["id"]))
    if not percents:
        return []
    pattern = re.compile(
        r"(?<![\d.,])(" + "|".join(re.escape(t) for t in sorted(percents, key=len, reverse=True)) + ")"
    )
    notes = []
    for lang in langs:
        for path in sorted((root / "content" / lang).rglob("*.md")):
            text = path.read_text(encoding="utf-8", errors="replace")
            for number, line in enumerate(text.split("\n"), start=1):
                for match in pattern.finditer(INLINE.sub("", line)):
                    cited = ", ".join(f"<!-- kb:figure {f} {i} -->" for f, i in percents[match[1]])
                    notes.append(
                        Problem(
                            path.relative_to(root).as_posix(),
                            number,
                            "",
                            f"{match[1]} is a figure of the data: if it is this one, cite it ({cited}) so that "
                            "the page follows the data",
                        )
                    )
    return notes
