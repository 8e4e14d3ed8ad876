"""Problems found in editors' input, reported together and in plain words.

Every check of the knowledge base collects `Problem`s instead of stopping at
the first one, so that an editor can fix a file in one pass. A `KbError`
carries all of them; the MkDocs adapter prints them and stops the build
without a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # path relative to the project root, e.g. "data/coalitions.yml"
    line: int | None  # 1-based line, or None when the whole file is concerned
    field: str  # dotted path of the field, e.g. "coalitions[2].name.en", or ""
    message: str  # plain words: what is wrong and how to fix it

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class KbError(Exception):
    """One or more problems that stop the build."""

    def __init__(self, problems: list[Problem]):
        from .causes import order_key

        self.problems = sorted(set(problems), key=order_key)  # causes first (kb.causes)
        super().__init__(self.report())

    def report(self) -> str:
        """Every problem, each cause once with the problems it made counted under it (kb.causes)."""
        from .causes import group
        from .causes import listing as grouped

        return "\n".join(grouped(group(self.problems)))


def listing(problems, one: str = "1 problem to fix:", many: str = "{} problems to fix:") -> list[str]:
    """The lines of a printed list of problems (or notes), in the order given: its head, then
    one `item` each."""
    return [one if len(problems) == 1 else many.format(len(problems)), *(item(p) for p in problems)]


def item(problem) -> str:
    """A problem as an item of a printed list: `  - file:line: message`, the further lines of
    a message that has several (MkDocs' list of pages missing from the nav) indented under it."""
    return "  - " + str(problem).replace("\n", "\n    ")


def items(text: str) -> list[str]:
    """The problems of a list printed with `item`, each whole, in order (to read back what
    another process printed)."""
    found: list[str] = []
    for line in text.splitlines():
        if line.startswith("  - "):
            found.append(line[4:])
        elif line.startswith("    ") and found:
            found[-1] += "\n" + line[4:]
    return found


def field_path(parts, data=None) -> str:
    """Turn ('coalitions', 2, 'name', 'en') into 'coalitions[3].name.en': a record by its position
    counted from 1, as an editor counts; or, given the file's `data`, by its id when it has one
    ('coalitions[bodily-autonomy-and-srhr].name.en'), unless another record has the same id."""
    out, node = "", data
    for part in parts:
        if isinstance(part, int):
            record = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            ident = _ident(record)
            unique = ident is not None and sum(_ident(other) == ident for other in node) == 1
            out += f"[{ident}]" if unique and _SLUG.fullmatch(ident) else f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
        try:
            node = node[part] if node is not None else None
        except (KeyError, IndexError, TypeError):
            node = None
    return out


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _ident(record) -> str | None:
    """A record's id (or name), if it has one as text."""
    ident = record.get("id", record.get("name")) if isinstance(record, dict) else None
    return ident if isinstance(ident, str) else None


# --- GitHub Actions annotations ------------------------------------------------


def in_github_actions(environ=None) -> bool:
    """True when running in GitHub Actions (which sets GITHUB_ACTIONS=true)."""
    import os

    return (environ if environ is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem, level: str = "error") -> str:
    """The GitHub workflow command that shows `problem` at its file and line on a pull request,
    e.g. `::error file=data/coalitions.yml,line=8::coalitions[0].name.en: …`, in the terminal's words."""
    props = f"file={_escape_property(problem.file)}"
    if problem.line is not None:
        props += f",line={problem.line}"
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return f"::{level} {props}::{_escape_data(message)}"


def emit_annotations(problems, level: str = "error", stream=None, environ=None) -> None:
    """Print one annotation per problem when running in GitHub Actions; do nothing elsewhere."""
    import sys

    if not in_github_actions(environ):
        return
    stream = stream or sys.stdout
    for problem in problems:
        print(annotation(problem, level), file=stream)
    stream.flush()
