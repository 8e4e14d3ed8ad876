"""Every check of the site's inputs at once, without building the site (`make check`).

The checks are the build's own: the pipeline of kb/pipeline.py, stopped
before the theme renders, called over `content/` and `data/` instead of from
MkDocs' events (tests/test_agreement.py: the same problems as the build).

- **data**: every data file against its schema (`pipeline.start`);
- **pages**: front matter, directives, `sources:`, the HTML safety check of
  every page the build would render, in each language, including the pages
  generated from data (`pipeline.expand`, which the build calls for every
  page); links, anchors and the navigation, as MkDocs checks them (kb.links);
- **translations**: a missing or outdated translation, a data field without
  its English text, or whose French text changed since, and an up-to-date
  page whose French original is not kept in `translations/`, are notes that
  do not fail the check;
- **more**: typography, column descriptions, quotations (`MORE_CHECKS`),
  which the build does not run.

Problems are printed as in the build (`file:line: field: what to fix`) and,
in GitHub Actions, also as annotations on the pull request. The exit code is
1 when there is a problem to fix, 0 otherwise (notes alone do not fail).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import causes, datapackage, fileformat, gitdates, links, pagecache, pipeline, quotes, render, translations, typography, urls
from .figures import written_out
from .pages import placed_listings
from .languages import PROJECT, project
from .languages import read as read_languages
from .pagefile import read_page
from .problems import KbError, Problem, emit_annotations, listing

ROOT = PROJECT  # the project `make check` checks (main's default)


@dataclass
class Found:
    problems: list[Problem] = field(default_factory=list)  # fail the check
    notes: list[Problem] = field(default_factory=list)  # shown, do not fail it
    timings: dict[str, float] = field(default_factory=dict)


def check_pages(settings: pipeline.Settings, start: pipeline.Start, expanded: dict | None = None,
                unreadable: set[str] | None = None, cache: bool = False) -> list[Problem]:
    """The problems of every page the build renders, as the build finds them (kb/pipeline.py). With
    broken data, a page whose directives fail on it is left to the data's own problems. `expanded`, if
    given, receives each page as rendered, for the links' check: (lang, path) -> (display, Markdown,
    lines before it). `unreadable` receives the pages whose file could not be read (their path under
    content/, as the build names them). With `cache`, each page's HTML check is remembered in
    .cache/checked/ by everything it depends on (pipeline.convert_and_check)."""
    root, langs = settings.root, settings.langs
    content = root / "content"
    md = pipeline.site_markdown(root)
    checked = pagecache.PageCache(root / ".cache" / "checked") if cache else None
    abbreviations: dict[str, str] = {}
    today = gitdates.build_date()

    def check(markdown: str, display: str, lang: str, found: list[Problem], shown: str | None) -> list[Problem]:
        # the front matter was checked when the page was read (kb.pagefile), as the build does
        meta, body = translations.split_front_matter(markdown)
        offset = markdown[: len(markdown) - len(body)].count("\n")
        ctx = start.context(settings, lang, display, offset)
        rel = display.split("/", 2)[2]

        def abbreviated() -> str:
            if lang not in abbreviations:
                abbreviations[lang] = pipeline.guard(start.broken, "", render.abbreviations, ctx)
            return abbreviations[lang]

        def notice(out: str) -> str:
            if shown is None:  # a page made from data: no notice
                return out

            def original_url(original: str) -> str:  # as the build writes it (MkDocs' url of a home is ./)
                here = urls.page_url(rel, lang, langs.source) or "./"
                return urls.relative(urls.page_url(rel, original, langs.source) or "./", here)

            return pipeline.translation_notice(ctx, out, content, rel, shown, original_url)[0]

        # a page's date ("last updated", in its citation) is its last commit's in the build: any date here
        done = pipeline.expand(body, ctx, meta.get("sources"), today, start.broken, bool(found), abbreviated, notice)
        problems = found + done.problems
        if not done.unsafe:
            problems += pipeline.convert_and_check(md, done.markdown, markdown, display, start.broken, checked)
        if expanded is not None:
            expanded[(lang, rel)] = (display, done.markdown, offset)
        return problems

    problems: list[Problem] = []
    for lang in langs.all:
        ctx = start.context(settings, lang)
        try:
            made, refused = pipeline.generated(start, ctx, root / "site", content, langs.all)
        except KbError as exc:
            return problems + exc.problems
        if lang == langs.source:  # the same in every language
            problems += refused
        for path in pipeline.page_set(content, lang, langs):
            display = path.relative_to(root).as_posix()
            text, found = read_page(path, display)  # the build's own strict reading
            if found and unreadable is not None:
                unreadable.add(f"{lang}/{path.relative_to(content).as_posix().split('/', 1)[1]}")
            problems += check(text, display, lang, found, path.relative_to(content).parts[0])
        for page in made:
            problems += check(page.markdown, f"content/{lang}/{page.path}", lang, [], None)
    return problems


# The start of a note on a translation that a French change made outdated (outdated_by_change reads it).
OUTDATED = "the French changed since this translation"
RECORD_PAGE = (
    "then record it: set `translation_of: done` in its front matter (GitHub's web editor is enough), "
    "or run make translations-done PAGE={target}"
)


def link_problems(settings: pipeline.Settings, start: pipeline.Start, expanded: dict) -> list[Problem]:
    """Links, anchors and the navigation, as the build checks them (kb.links)."""
    problems = links.check(expanded, settings.root)  # each at its line in the file, as the build finds it
    source = settings.langs.source
    built = {rel for lang, rel in expanded if lang == source}
    # the pages made from data that the build writes (not those refused: kb.pipeline.generated)
    made, _ = pipeline.generated(start, start.context(settings, source), settings.root / "site",
                                 settings.root / "content", settings.langs.all)
    # and the listing pages the kinds place in the navigation themselves (kinds.yml's listing_follows)
    generated = {page.path for page in made} | placed_listings(start.data)
    config = settings.config_file.read_text(encoding="utf-8")
    return problems + links.check_nav(config, built, generated)


def translation_problems(root: Path, data, langs=None) -> tuple[list[Problem], list[Problem]]:
    """(problems, notes) of the translations. Translation lag is never a problem: the English site
    says so to its readers (a notice, the status page); every missing or outdated translation is a
    note, shown by `make check` and on the pull request, that does not fail the check. `langs`: the
    project's languages (kb.languages.Languages; read from its mkdocs.yml when not given)."""
    langs = langs or read_languages(root / "mkdocs.yml")
    content = root / "content"
    notes = []
    statuses = translations.page_statuses(content, langs)
    for s in statuses:
        if s.state == "missing" and s.lang == langs.source:
            english = next(f"content/{x}/{s.path}" for x in langs.all if (content / x / s.path).exists())
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
                    f"content/{langs.source}/{s.path}",
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
        and s.lang in langs.targets
        and (content / langs.source / s.path).exists()
        and translations.file_info(content / s.lang / s.path)[1] != translations.DONE
        and translations.translated_original(content, s.path, s.lang, langs.source) is None
    ]
    if data is not None:
        record = (
            "then record it: add the line `- {file}` to translations/done.yml (GitHub's web editor is "
            "enough), or run make translations-done DATA={file}"
        )
        for s in translations.data_statuses(data, root, langs):
            if s.state == "missing" and s.path.endswith(".json"):  # a schema's description
                message = f"no English text yet: add `\"{s.lang}\": \"…\"` beside `\"{langs.source}\"`"
            elif s.state == "missing":
                message = f"no English text yet (the site shows the French one): add `{s.lang}: \"…\"` beside `{langs.source}:`"
            else:  # outdated: only a text whose recorded French differs from the French now (kb.translations)
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
    """Run every check; collect every problem: the build's pipeline (kb/pipeline.py), stopped before
    the theme renders, then the checks only `make check` runs (translations, MORE_CHECKS)."""
    found = Found()

    def timed(name: str, fn: Callable):
        start = time.perf_counter()
        try:
            return fn()
        finally:
            found.timings[name] = time.perf_counter() - start

    settings = pipeline.Settings.of(root)
    # links out of the project, files content/ may not publish, unknown languages: before any file is read
    found.problems += timed("files", lambda: pipeline.stop_problems(settings))
    if found.problems:
        return found
    start = timed("data", lambda: pipeline.start(settings, cache=cache))
    found.problems += start.problems
    checked = None if start.broken else start.data
    expanded: dict = {}
    unreadable: set[str] = set()
    pages = timed("pages", lambda: check_pages(settings, start, expanded, unreadable, cache))
    # with broken data, pages are missing: their links would only repeat it (pipeline.finish leaves them
    # out, as the build does); the navigation is still checked
    pages += timed("links", lambda: link_problems(settings, start, expanded))
    found.problems += pipeline.finish(pages, start.broken, unreadable)
    problems, notes = timed("translations", lambda: translation_problems(root, checked, settings.langs))
    found.problems += problems
    found.notes += notes
    if checked is not None:  # percentages of the data written out in pages (kb.figures)
        found.notes += timed("figures", lambda: written_out(root, checked, settings.langs.all))
    for name, check in MORE_CHECKS:
        found.problems += timed(name, lambda check=check: check(root, checked))
    return found


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field, p.message))


def _listing(problems: list[Problem], one: str, many: str) -> list[str]:
    return listing(_sorted(problems), one, many)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="check", description="Check data, pages and translations; build nothing.")
    parser.add_argument("--no-cache", action="store_true", help="validate the data and check the pages' HTML again even if they are unchanged")
    args = parser.parse_args(argv)
    from .languages import config_problems

    if wrong := config_problems(ROOT / "mkdocs.yml"):  # nothing can be checked in an unknown language
        print("\n".join(_listing(wrong, "1 problem to fix:", "{} problems to fix:")))
        emit_annotations(wrong, "error")
        return 1
    found = run_checks(ROOT, cache=not args.no_cache)
    entries = pipeline.entries(found.problems, ROOT)  # as the build lists them
    notes = [causes.Entry(p) for p in _sorted(found.notes)]
    changed = changed_files(ROOT)
    outdated = outdated_by_change(ROOT, found.notes, changed, project().source)  # the command's project: ROOT
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


def outdated_by_change(root: Path, notes: list[Problem], changed: set[str] | None, source: str) -> list[str]:
    """The translations (English pages, data texts) that the change made outdated: the notes about
    a translation whose French original (page or data file) the change touched (`changed`, the
    files of the pull request). With `changed` None (not a pull request), every outdated one.
    `source`: the source language."""
    out = []
    for note in _sorted(notes):
        if not note.message.startswith(OUTDATED):
            continue
        if note.file.startswith("content/"):
            lang, rel = note.file.removeprefix("content/").split("/", 1)
            original = f"content/{source}/{rel}"
        else:
            original = note.file
        if changed is None or original in changed:
            where = note.file if note.line is None else f"{note.file}:{note.line}"
            out.append(f"{where}{': ' + note.field if note.field else ''} (French: {original})")
    return out


if __name__ == "__main__":
    sys.exit(main())
