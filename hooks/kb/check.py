"""Every check of the site's inputs at once, without building the site (`make check`).

The checks are the build's own: the same functions, called over `content/`
and `data/` instead of from MkDocs' events.

- **data**: every data file against its schema (`data.load_data_cached`);
- **pages**: front matter, directives and `sources:` of every page the
  build would render, in each language, including the pages generated from
  data (`page_markdown`, which the MkDocs adapter calls for every page);
- **translations**: an English page missing or out of date is a problem
  (the tests fail on it too); a data field without its English text, or
  whose French text changed since, and an up-to-date page whose French
  original is not kept in `translations/`, are notes that do not fail the
  check.

Problems are printed as in the build (`file:line: field: what to fix`) and,
in GitHub Actions, also as annotations on the pull request. The exit code is
1 when there is a problem to fix, 0 otherwise (notes alone do not fail).
What only the MkDocs build checks (links between pages, the navigation) is
left to `make build`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import causes, datapackage, fileformat, links, quotes, render, templates, translations, tree, typography
from .data import unexpected
from .directives import Context, DirectiveError, expand
from .figures import expand_figures, written_out
from .languages import project
from .pagefile import bounds, read_page
from .problems import KbError, Problem, emit_annotations, listing

ROOT = Path(__file__).resolve().parents[2]
LANGS = project().all  # the languages of mkdocs.yml, the source first


def page_markdown(markdown: str, ctx: Context, sources, updated: str | None = None) -> tuple[str, list[Problem]]:
    """A page's Markdown with its directives expanded and its citation appended, and the problems found.

    The MkDocs adapter calls it for every page of the build; `make check` for every page of `content/`."""
    markdown, figured = expand_figures(markdown, ctx)  # the figures cited inside sentences (kb.figures)
    out, problems = expand(markdown, ctx)
    citation, found = render.page_citation(sources, ctx, updated)
    # what the directives wrote is bounded like what editors write (kb.pagefile), before Markdown reads it
    if too_much := bounds(out, ctx.page, by_line=True):
        what = "; ".join(p.message.split(":")[0] for p in too_much)
        message = f"the data this page shows makes Markdown too long to read ({what}): fix the data it shows"
        return citation, [*figured, *problems, *found, Problem(ctx.page, None, "", message)]
    return out + citation, figured + problems + found


@dataclass
class Found:
    problems: list[Problem] = field(default_factory=list)  # fail the check
    notes: list[Problem] = field(default_factory=list)  # shown, do not fail it
    timings: dict[str, float] = field(default_factory=dict)


def site_markdown(root: Path):
    """Markdown with the extensions of mkdocs.yml, as the build converts pages (the HTML safety check)."""
    import markdown
    from mkdocs.utils import yaml_load

    with open(root / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml_load(f)
    names, configs = [], {}
    for item in config.get("markdown_extensions") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            configs[name] = options
    return markdown.Markdown(extensions=names, extension_configs=configs)


def html_problems(md, markdown_text: str, source: str, display: str, strict: bool) -> list[Problem]:
    """The HTML safety check of the build (kb_mkdocs.on_page_content) on a page's final Markdown."""
    from . import safety

    md.reset()
    try:
        html = md.convert(markdown_text)
    except RecursionError:
        message = "this page is nested too deeply (lists, quotes or blocks inside each other): nest less deeply"
        return [Problem(display, None, "", message)]
    problems = []
    for needle, message in safety.check_html(html):
        line = safety.locate(source, needle)
        if line is not None or strict:  # not in the page's text: from data, whose problems are listed
            problems.append(Problem(display, line, "", message))
    return problems


def built_pages(content: Path, lang: str) -> list[Path]:
    """The page files the build renders in `lang`: its own, the originals shown where a translation
    is missing, and (in the source language) the pages that exist only in another language."""
    own = {p.relative_to(content / lang).as_posix(): p for p in (content / lang).rglob("*.md")}
    others = [translations.SOURCE] if lang != translations.SOURCE else [x for x in LANGS if x != lang]
    for other in others:
        for path in (content / other).rglob("*.md"):
            own.setdefault(path.relative_to(content / other).as_posix(), path)
    return [own[rel] for rel in sorted(own)]


def _data_as_read(root: Path):
    """The data files that can be read, unvalidated, to check the pages when the data has problems."""
    from .data import Data
    from .yamlfile import load_yaml

    docs = {path.stem: load_yaml(path, path.relative_to(root).as_posix())[0] for path in (root / "data").glob("*.yml")}
    return Data({name: doc for name, doc in docs.items() if doc is not None})


def check_pages(root: Path, data, strict: bool = True, expanded: dict | None = None) -> list[Problem]:
    """The problems of every page the build renders. With `strict` false (data with problems), a page
    whose directives fail on the broken data is left to the data's own problems. `expanded`, if
    given, receives each page as rendered, for the links' check: (lang, path) -> (display, Markdown,
    lines before it)."""
    from .pages import generated_pages, refused

    content = root / "content"
    problems: list[Problem] = []
    env = templates.environment(root / "templates")
    registry = render.registry(data)
    md = site_markdown(root)
    bad, found = refused(data, root / "site", content, LANGS)  # as the build does (kb_mkdocs.on_files)
    problems += found

    def context(lang: str, display: str = "", offset: int = 0) -> Context:
        return Context(data, lang, display, offset, LANGS[0], LANGS, env, registry, root)

    def check(markdown: str, display: str, lang: str, found: list[Problem]):
        # the front matter was checked when the page was read (kb.pagefile), as the build does
        meta, body = translations.split_front_matter(markdown)
        offset = markdown[: len(markdown) - len(body)].count("\n")
        try:
            out, more = page_markdown(body, context(lang, display, offset), meta.get("sources"))
            # a front matter with problems is left out of the page (kb.pagefile), as in the build
            found += [p for p in more if p.field != "sources"] if found else more
            found += html_problems(md, out, markdown, display, strict)
            if expanded is not None:
                expanded[(lang, display.split("/", 2)[2])] = (display, out, offset)
        except DirectiveError as exc:
            if getattr(exc, "label", None):  # a label missing from data/labels.yml, as the build says it
                found.append(Problem("data/labels.yml", None, f"labels.{exc.label}", str(exc)))
            elif strict:
                raise
        except Exception as exc:  # noqa: BLE001 (a bug of ours: named with the page, as the build does)
            if strict:
                found.append(unexpected(display, exc))
        problems.extend(found)

    for lang in LANGS:
        for path in built_pages(content, lang):
            display = path.relative_to(root).as_posix()
            text, found = read_page(path, display)  # the build's own strict reading
            check(text, display, lang, found)
        try:
            generated = generated_pages(context(lang))
        except Exception:
            if strict:
                raise
            generated = []
        for page in (page for page in generated if page.path not in bad):
            check(page.markdown, f"content/{lang}/{page.path}", lang, [])
    return problems


# The start of a note on a translation that a French change made outdated (outdated_by_change reads it).
OUTDATED = "the French changed since this translation"
RECORD_PAGE = (
    "then record it: set `translation_of: done` in its front matter (GitHub's web editor is enough), "
    "or run make translations-done PAGE={target}"
)


def link_problems(root: Path, data, expanded: dict) -> list[Problem]:
    """Links, anchors and the navigation, as the build checks them (kb.links)."""
    from .pages import generated_pages, placed_listings

    problems = links.check(expanded)
    source = LANGS[0]
    built = {rel for lang, rel in expanded if lang == source}
    env = templates.environment(root / "templates")
    ctx = Context(data, source, "", 0, source, LANGS, env, render.registry(data), root)
    generated = {page.path for page in generated_pages(ctx)} | placed_listings(data)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    return problems + links.check_nav(config, built, generated)


def translation_problems(root: Path, data) -> tuple[list[Problem], list[Problem]]:
    """(problems, notes) of the translations. Translation lag is never a problem: the English site
    says so to its readers (a notice, the status page); every missing or outdated translation is a
    note, shown by `make check` and on the pull request, that does not fail the check."""
    content = root / "content"
    notes = []
    statuses = translations.page_statuses(content)
    for s in statuses:
        if s.state == "missing" and s.lang == translations.SOURCE:
            english = next(f"content/{x}/{s.path}" for x in LANGS if (content / x / s.path).exists())
            notes.append(
                Problem(
                    english,
                    None,
                    "",
                    f"this page exists only in this language: the French site shows it as it is, marked as "
                    f"such, until its French original is written in content/{s.lang}/{s.path}",
                )
            )
        elif s.state == "missing":
            notes.append(
                Problem(
                    f"content/{translations.SOURCE}/{s.path}",
                    None,
                    "",
                    f"this page has no translation in content/{s.lang}/ yet (the site shows the French page "
                    f"there, with a notice): translate it into content/{s.lang}/{s.path}, "
                    + RECORD_PAGE.format(target=f"content/{s.lang}/{s.path}"),
                )
            )
        elif s.state == "outdated":
            notes.append(_outdated_page(content, s))
    notes += [
        Problem(
            f"content/{s.lang}/{s.path}",
            _key_line(content / s.lang / s.path),
            "",
            "this translation is up to date, but the French text it translates is not kept, so its next "
            f"changes cannot be shown: run make translations-done PAGE=content/{s.lang}/{s.path}",
        )
        for s in statuses
        if s.state == "translated"
        and s.lang in translations.TARGETS
        and (content / translations.SOURCE / s.path).exists()
        and translations.file_info(content / s.lang / s.path)[1] != translations.DONE
        and translations.translated_original(content, s.path, s.lang) is None
    ]
    if data is not None:
        record = (
            "then record it: add the line `- {file}` to translations/done.yml (GitHub's web editor is "
            "enough), or run make translations-done DATA={file}"
        )
        for s in translations.data_statuses(data, root):
            if s.state == "missing" and s.path.endswith(".json"):  # a schema's description
                message = f"no English text yet: add `\"{s.lang}\": \"…\"` beside `\"{translations.SOURCE}\"`"
            elif s.state == "missing":
                message = f"no English text yet (the site shows the French one): add `{s.lang}: \"…\"` beside `fr:`"
            elif s.before is None:
                message = (
                    "this English text was never recorded as up to date with its French text: check it, "
                    + record.format(file=s.path)
                )
            else:
                message = (
                    f"{OUTDATED} was written: update the English text if needed (make translations shows "
                    "the change), " + record.format(file=s.path)
                )
            notes.append(Problem(s.path, s.line, s.field, message))
    return [], notes


def _outdated_page(content: Path, s) -> Problem:
    target = f"content/{s.lang}/{s.path}"
    done = RECORD_PAGE.format(target=target)
    if not translations.file_info(content / s.lang / s.path)[1]:
        message = f"this translation was never recorded as up to date with its French original: check it, {done}"
        return Problem(target, 1, "", message)
    if s.changes is None:
        meta_line = _key_line(content / s.lang / s.path)
        message = f"{OUTDATED} was made (the whole page: no copy of the French it translates is kept): update it, {done}"
        return Problem(target, meta_line, "", message)
    names = ", ".join(_section_name(c) for c in s.changes) or "blank lines only"
    lines = [c.en_line for c in s.changes if c.en_line]
    message = f"{OUTDATED} was made, in {names}: update them if needed (make translations shows the changes), {done}"
    return Problem(target, lines[0] if lines else _key_line(content / s.lang / s.path), "", message)


def _section_name(change) -> str:
    """A changed section in plain words: `the section “Risks” (edited)`, `the top of the page (edited)`."""
    title = change.en_title or change.title
    where = f"the section “{title}”" if change.key else "the title and introduction"
    return f"{where} ({change.change})"


def _key_line(path: Path) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith(f"{translations.KEY}:"):
            return number
    return 1


# Further checks of the inputs, each a function (project root, data or None) -> problems, shared
# with the build: a check the build runs (a typography check, say) is listed here once, by name.
MORE_CHECKS: list[tuple[str, Callable]] = [
    ("typography", lambda root, data: typography.check_tree(root)),  # also run by tests/test_typography.py
    # a byte-order mark, Windows line endings: named once, before what they cause (kb.causes)
    ("file format", lambda root, data: fileformat.check_tree(root)),
    # every published CSV column described in every language (x-description in data/schemas/)
    ("descriptions", lambda root, data: datapackage.description_problems(root, data)),
    # every quotation found in its source's text, sources/<id>.txt (hooks/kb/quotes.py)
    ("quotations", lambda root, data: quotes.check_tree(root)),
]


def run_checks(root: Path = ROOT, cache: bool = True) -> Found:
    """Run every check; collect every problem."""
    from .data import load_data, load_data_cached

    found = Found()

    def timed(name: str, fn: Callable):
        start = time.perf_counter()
        try:
            return fn()
        finally:
            found.timings[name] = time.perf_counter() - start

    # links out of the project and files content/ may not publish, before any file is read
    found.problems += timed("files", lambda: tree.problems(root))
    if found.problems:
        return found
    data = checked = None
    try:
        content = root / "content"
        if cache:
            data = timed("data", lambda: load_data_cached(root / "data", root, root / ".cache" / "data", content))
        else:
            data = timed("data", lambda: load_data(root / "data", root, content))
        checked = data
    except KbError as exc:
        found.problems += exc.problems
        # the pages are still checked, against the data as it is
        data = getattr(exc, "data", None) or _data_as_read(root)
    expanded: dict = {}
    found.problems += timed("pages", lambda: check_pages(root, data, strict=checked is not None, expanded=expanded))
    if checked is not None:  # with broken data, pages are missing: their links would only repeat it
        found.problems += timed("links", lambda: link_problems(root, checked, expanded))
    problems, notes = timed("translations", lambda: translation_problems(root, checked))
    found.problems += problems
    found.notes += notes
    if checked is not None:  # percentages of the data written out in pages (kb.figures)
        found.notes += timed("figures", lambda: written_out(root, checked, LANGS))
    for name, check in MORE_CHECKS:
        found.problems += timed(name, lambda check=check: check(root, checked))
    return found


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field, p.message))


def _listing(problems: list[Problem], one: str, many: str) -> list[str]:
    return listing(_sorted(problems), one, many)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="check", description="Check data, pages and translations; build nothing.")
    parser.add_argument("--no-cache", action="store_true", help="validate the data again even if it is unchanged")
    args = parser.parse_args(argv)
    from .languages import config_problems

    if wrong := config_problems(ROOT / "mkdocs.yml"):  # nothing can be checked in an unknown language
        print("\n".join(_listing(wrong, "1 problem to fix:", "{} problems to fix:")))
        emit_annotations(wrong, "error")
        return 1
    found = run_checks(ROOT, cache=not args.no_cache)
    entries = causes.group(found.problems, causes.directive_files(ROOT))
    notes = [causes.Entry(p) for p in _sorted(found.notes)]
    changed = changed_files(ROOT)
    outdated = outdated_by_change(ROOT, found.notes, changed)
    out = []
    if notes:
        out += causes.listing(notes, "1 note (does not fail the check):", "{} notes (do not fail the check):")
    if outdated:
        what = "this change made {} translation(s) outdated" if changed is not None else "{} translation(s) out of date"
        out += [what.format(len(outdated)) + " (readers see a notice; not a problem):"]
        out += [f"  - {line}" for line in outdated]
    if entries:
        out += causes.listing(entries, "1 problem to fix:", "{} problems to fix:")
    timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in found.timings.items())
    out.append(f"checked {timings}: {len(entries)} problem(s), {len(notes)} note(s)")
    print("\n".join(out))
    causes.write_summary(causes.summary_markdown(entries, notes, outdated))
    emit_annotations(causes.annotated(entries), "error")  # causes first: GitHub shows the first ten
    emit_annotations(_sorted(found.notes), "warning")
    return 1 if entries else 0


def changed_files(root: Path, environ=None) -> set[str] | None:
    """The files a pull request changes (against its base branch, GITHUB_BASE_REF in GitHub Actions),
    or None when that is not known (not a pull request, or no history)."""
    import os
    import subprocess

    base = (environ if environ is not None else os.environ).get("GITHUB_BASE_REF")
    if not base:
        return None
    try:
        run = subprocess.run(
            ["git", "diff", "--name-only", f"origin/{base}...HEAD"], cwd=root, capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return set(run.stdout.split()) if run.returncode == 0 else None


def outdated_by_change(root: Path, notes: list[Problem], changed: set[str] | None) -> list[str]:
    """The translations (English pages, data texts) that the change made outdated: the notes about
    a translation whose French original (page or data file) the change touched (`changed`, the
    files of the pull request). With `changed` None (not a pull request), every outdated one."""
    out = []
    for note in _sorted(notes):
        if not note.message.startswith(OUTDATED):
            continue
        if note.file.startswith("content/"):
            lang, rel = note.file.removeprefix("content/").split("/", 1)
            original = f"content/{translations.SOURCE}/{rel}"
        else:
            original = note.file
        if changed is None or original in changed:
            where = note.file if note.line is None else f"{note.file}:{note.line}"
            out.append(f"{where}{': ' + note.field if note.field else ''} (French: {original})")
    return out


if __name__ == "__main__":
    sys.exit(main())
