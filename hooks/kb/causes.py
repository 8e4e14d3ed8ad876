"""Causes first, their consequences counted under them.

One mistake often makes others: a data file that does not parse leaves every
page that shows it with an "unknown directive"; a misspelt field drops its
record, and the pages and the open-data description that use it fail too; a
missing template fails every page that asks for it, and the links into what
it would have written. Listed by path, those consequences come before their
cause (`content/` sorts before `data/`) and bury it.

`group()` turns a list of problems into entries: each cause once, the
problems it made counted and named under it, causes first (data files, then
templates, then the rest, each by path). `make check`, the build's report, the
GitHub job summary and the annotations (GitHub shows only the first ten of a
step) all use this order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from . import fileformat
from .problems import Problem, item

LINK = "link"  # the field of MkDocs' link and anchor problems (kb_mkdocs.LINK)
MISSING_TEMPLATE = re.compile(r"the template (templates/\S+?) does not exist")
DIRECTIVE = re.compile(r'^(?:unknown directive "kb:(?P<unknown>[\w-]+)"|kb:(?P<failed>[\w-]+):)')
SCHEMA = re.compile(r"data/schemas/([\w-]+)\.schema\.json")


@dataclass(frozen=True)
class Entry:
    """A problem to fix, with the problems it caused (they go away once it is fixed)."""

    problem: Problem
    consequences: tuple[Problem, ...] = ()

    def __str__(self) -> str:
        if not self.consequences:
            return str(self.problem)
        return f"{self.problem}\n{consequence_line(self.consequences)}"


def consequence_line(consequences, shown: int = 3) -> str:
    """`↳ 6 more problems come from this one …: content/fr/index.md:78, …` (the first few named)."""
    where = [f"{p.file}:{p.line}" if p.line else p.file for p in consequences]
    return counted(len(where), list(dict.fromkeys(where)), shown)


def counted(count: int, places: list[str], shown: int = 3) -> str:
    """The line under a cause: how many problems it made, and where the first `shown` of them are."""
    named = ", ".join(places[:shown]) + (", …" if count > min(shown, len(places)) else "")
    what = "1 more problem comes" if count == 1 else f"{count} more problems come"
    return f"↳ {what} from this one and will go away once it is fixed ({named})"


def _rank(problem: Problem) -> int:
    if problem.file.startswith("data/"):
        return 0
    if problem.file.startswith("templates/"):
        return 1
    if problem.file in ("mkdocs.yml", "(build)"):
        return 3
    return 2


def order_key(problem: Problem):
    """Causes first (data, templates), then pages, then the build's own; by path, line, field within."""
    return (_rank(problem), problem.file, problem.line or 0, problem.field, problem.message)


def group(problems, directive_files: Mapping[str, str] | None = None) -> list[Entry]:
    """Each cause once with its consequences under it, causes first.

    `directive_files` maps a directive's name to its data file (`coalitions` -> `data/coalitions.yml`),
    from `data/kinds.yml`; without it a directive is matched to the data file of the same name."""
    problems = sorted(set(problems), key=order_key)
    directive_files = dict(directive_files or {})
    data_causes: dict[str, Problem] = {}  # a data file -> its first problem, the cause named
    for p in problems:
        if p.file.startswith("data/") and not p.file.startswith("data/schemas/"):
            data_causes.setdefault(p.file, p)
    under: dict[Problem, list[Problem]] = {}
    made: dict[str, Problem] = {}  # a missing template, made a cause of its own
    rest: list[Problem] = []

    def data_cause(name: str | None, message: str) -> Problem | None:
        candidates = [directive_files.get(name or ""), f"data/{name}.yml" if name else None]
        candidates += [f"data/{stem}.yml" for stem in SCHEMA.findall(message)]
        return next((data_causes[c] for c in candidates if c in data_causes), None)

    # a file saved with a byte-order mark or Windows line endings: the other problems of the file come from it
    saved = {p.file: p for p in problems if p.message.startswith(fileformat.CAUSES)}
    for p in problems:
        if p.file in saved and p is not saved[p.file] and not p.message.startswith(fileformat.CAUSES):
            under.setdefault(saved[p.file], []).append(p)
            continue
        into = next((f for f in saved if p.field == LINK and f in p.message), None)  # a link into such a file
        if into:
            under.setdefault(saved[into], []).append(p)
            continue
        missing = MISSING_TEMPLATE.search(p.message)
        directive = DIRECTIVE.match(p.message)
        if missing:
            template = missing[1]
            # data/kinds.yml names it at its line (kb.kinds): that problem is the cause
            named = next((c for c in problems if f"there is no template {template}:" in c.message), None)
            if named is not None:
                under.setdefault(named, []).append(p)
                continue
            if template not in made:
                made[template] = Problem(
                    template, None, "", "this template does not exist: restore it (or remove what asks for it)"
                )
                under[made[template]] = []
            under[made[template]].append(p)
            continue
        if directive and data_causes:
            cause = data_cause(directive["unknown"] or directive["failed"], p.message)
            if cause is not None:
                under.setdefault(cause, []).append(p)
                continue
        rest.append(p)
    causes = [*data_causes.values(), *made.values()]
    if causes:  # links into what a cause left out only repeat it
        first = causes[0]
        kept = []
        for p in rest:
            if p.field == LINK:
                under.setdefault(first, []).append(p)
            else:
                kept.append(p)
        rest = kept

    def consequences(p: Problem) -> tuple[Problem, ...]:
        return tuple(sorted(under.get(p, ()), key=order_key))

    entries = [Entry(p, consequences(p)) for p in [*rest, *made.values()]]
    return sorted(entries, key=lambda e: order_key(e.problem))


def listing(entries: list[Entry], one: str = "1 problem to fix:", many: str = "{} problems to fix:") -> list[str]:
    """The printed list: its head, then each cause with its consequences counted under it."""
    head = one if len(entries) == 1 else many.format(len(entries))
    return [head, *(item(e) for e in entries)]


def directive_files(root) -> dict[str, str]:
    """directive name -> its data file, read from data/kinds.yml as it is (it may itself be broken)."""
    import yaml

    try:
        doc = yaml.safe_load((root / "data" / "kinds.yml").read_text(encoding="utf-8")) or {}
        return {
            d["name"]: f"data/{k['name']}.yml"
            for k in doc.get("kinds", [])
            for d in k.get("directives", []) or []
            if isinstance(d, dict) and "name" in d
        }
    except Exception:  # noqa: BLE001 - a broken kinds.yml is reported by the data's own check
        return {}


# --- GitHub: the job summary (no cap) and annotations, causes first --------------------------


def summary_markdown(entries: list[Entry], notes: list[Entry] = (), outdated: list[str] = ()) -> str:
    """The job summary of a check: every problem (causes first, consequences under them), then the
    translations the change made outdated, then the notes. Markdown, for $GITHUB_STEP_SUMMARY."""

    def code(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = []
    if entries:
        out.append(f"### {len(entries)} problem{'s' if len(entries) > 1 else ''} to fix (causes first)\n")
        for e in entries:
            out.append(f"- **{code(_where(e.problem))}**: {code(_what(e.problem))}")
            if e.consequences:
                out.append(f"  - {code(consequence_line(e.consequences, shown=len(e.consequences)))}")
    else:
        out.append("### No problem to fix\n")
    if outdated:
        out.append("\n### Translations this change made outdated (they do not fail the check)\n")
        out += [f"- {code(line)}" for line in outdated]
        out.append(
            "\nReaders of these pages see a notice that the French original changed; the translation "
            "status page lists them. A translator records them as up to date: see docs/translators.md."
        )
    if notes:
        out.append(f"\n### {len(notes)} note{'s' if len(notes) > 1 else ''} (they do not fail the check)\n")
        out += [f"- {code(str(e.problem))}" for e in notes]
    return "\n".join(out) + "\n"


def _where(p: Problem) -> str:
    return p.file if p.line is None else f"{p.file}:{p.line}"


def _what(p: Problem) -> str:
    return f"{p.field}: {p.message}" if p.field else p.message


def write_summary(text: str, environ=None) -> bool:
    """Append `text` to the GitHub job summary when running in GitHub Actions; False elsewhere."""
    import os

    path = (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with open(path, "a", encoding="utf-8") as out:
        out.write(text)
    return True


def annotated(entries: list[Entry]) -> list[Problem]:
    """The problems to annotate, causes first, each cause's message ending with its consequences' count."""
    out = []
    for e in entries:
        p = e.problem
        if e.consequences:
            # the same words in every language's build, so that `make build` shows it once
            p = Problem(p.file, p.line, p.field, f"{p.message} (fix this first: other problems come from it)")
        out.append(p)
    return out
