"""The one sequence that the build, `make check` and the preview run: plain functions, no MkDocs.

    start(...)           tree problems, language problems, the data (its problems kept)
    generated(...)       a language's pages made from data, those refused, and why
    page_set(...)        the page files a language renders (its own, the fallbacks)
    page_markdown(...)   one page's Markdown: figures, directives, citation
    expand(...)          the whole expansion of one page (the above, abbreviations,
                         translation notice), its errors turned into problems
    html_problems(...)   the HTML safety check of a converted page
    finish(...)          the end: what is left out when the data is broken

The MkDocs adapter (hooks/kb_mkdocs.py, hooks/kb_site.py) calls them from
MkDocs' events; `make check` (kb/check.py) calls them over `content/` and
`data/` and stops before the theme renders: the same problems, in the same
words, from both (tests/test_agreement.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import languages, render, templates, tree
from .data import Data, unexpected
from .directives import Context, DirectiveError
from .directives import expand as expand_directives
from .figures import expand_figures
from .pagefile import bounds
from .problems import KbError, Problem

LINK = "link"  # the field of the link and anchor problems (MkDocs' warnings, kb.links)
LINKS_LATER = "links and anchors between pages will be checked once the data files' problems are fixed"
NESTED = "this page is nested too deeply (lists, quotes or blocks inside each other): nest less deeply"


@dataclass
class Settings:
    """What a run reads once from the project and passes on: its folder, its languages, and who is
    behind the site (mkdocs.yml's repo_url and extra.kb: kb.contact)."""

    root: Path
    langs: languages.Languages
    config_file: Path
    repo_url: str | None = None
    extra_kb: dict = field(default_factory=dict)

    @classmethod
    def of(cls, root: Path, config_file: Path | None = None, repo_url: str | None = None,
           extra_kb: dict | None = None) -> Settings:
        """The build gives repo_url and extra_kb from MkDocs' configuration; `make check` reads them
        from mkdocs.yml (its environment variables resolved as MkDocs resolves them)."""
        config_file = config_file or root / "mkdocs.yml"
        if extra_kb is None:
            repo_url, extra_kb = _site_config(config_file)
        return cls(root, languages.read(config_file), config_file, repo_url, extra_kb)

    def site(self, lang: str) -> dict:
        """Who is behind the site, in `lang` (kb.contact.site_contact)."""
        from .contact import site_contact

        return site_contact(self.repo_url, self.extra_kb, lang, self.langs.source)


def _site_config(config_file: Path) -> tuple[str | None, dict]:
    try:
        from mkdocs.utils import yaml_load

        with open(config_file, encoding="utf-8") as f:
            config = yaml_load(f) or {}
    except Exception:  # noqa: BLE001 (an unreadable mkdocs.yml is the build's problem to name)
        return None, {}
    return config.get("repo_url"), ((config.get("extra") or {}).get("kb") or {})


@dataclass
class Start:
    """The data of one run, read once, and its problems (the pages are still checked against it)."""

    data: Data
    problems: list[Problem] = field(default_factory=list)
    templates: object = None
    directives: dict = field(default_factory=dict)

    @property
    def broken(self) -> bool:
        """The data has problems: render what can be, check every page, report, fail at the end."""
        return bool(self.problems)

    def context(self, settings: Settings, lang: str, page: str = "", offset: int = 0):
        langs = settings.langs
        return Context(self.data, lang, page, offset, langs.source, langs.all, self.templates, self.directives,
                       settings.root, settings.site(lang))


def stop_problems(settings: Settings) -> list[Problem]:
    """What stops a run before any file is read: links out of the project, files content/ may not
    publish (kb.tree), languages Babel does not know (kb.languages)."""
    return tree.problems(settings.root) or languages.config_problems(settings.config_file)


def start(settings: Settings, docs_dir: Path | None = None, cache: bool = True) -> Start:
    """The data of the project, validated (its problems kept: the pages are still checked, against
    the data as it could be read)."""
    from .data import load_data, load_data_cached

    root = settings.root
    docs_dir = docs_dir or root / "content"
    problems: list[Problem] = []
    try:
        if cache:
            data = load_data_cached(root / "data", root, root / ".cache" / "data", docs_dir)
        else:
            data = load_data(root / "data", root, docs_dir)
    except KbError as exc:
        problems = list(exc.problems)
        data = getattr(exc, "data", None) or _data_as_read(root)
    env = templates.environment(root / "templates", root / ".cache" / "templates-sandboxed")
    return Start(data, problems, env, render.registry(data))


def _data_as_read(root: Path) -> Data:
    """The data files that can be read, unvalidated, to check the pages when the data has problems."""
    from .yamlfile import load_yaml

    docs = {path.stem: load_yaml(path, path.relative_to(root).as_posix())[0] for path in (root / "data").glob("*.yml")}
    return Data({name: doc for name, doc in docs.items() if doc is not None})


def guard(broken: bool, default, fn, *args):
    """Run `fn`; when the data is already known to be broken, its failure is not a new problem
    (a label missing from data/labels.yml is one: it says so)."""
    try:
        return fn(*args)
    except Exception as exc:
        if broken and not getattr(exc, "label", None):
            return default
        raise


def generated(start_: Start, ctx: Context, site: Path, docs_dir: Path, langs) -> tuple[list, list[Problem]]:
    """The pages made from data in `ctx.lang` that may be written, and the problems of those refused
    (an address outside the site's folder, too long, or taken by a page of content/: kb/pages.py).
    The refused addresses are the same in every language."""
    from .pages import generated_pages, refused

    try:
        made = guard(start_.broken, [], generated_pages, ctx)
    except DirectiveError as exc:
        raise KbError([Problem("data/kinds.yml", None, "pages", str(exc))]) from None
    bad, problems = refused(start_.data, site, docs_dir, langs)
    return [page for page in made if page.path not in bad], problems


def page_set(content: Path, lang: str, langs: languages.Languages) -> list[Path]:
    """The page files written by editors that the build renders in `lang`: its own, the originals
    shown where a translation is missing, and (in the source language) the pages that exist only in
    another language (as kb_i18n.py places them for the build)."""
    own = {p.relative_to(content / lang).as_posix(): p for p in (content / lang).rglob("*.md")}
    others = [langs.source] if lang != langs.source else list(langs.targets)
    for other in others:
        for path in (content / other).rglob("*.md"):
            own.setdefault(path.relative_to(content / other).as_posix(), path)
    return [own[rel] for rel in sorted(own)]


def page_markdown(markdown: str, ctx: Context, sources, updated: str | None = None) -> tuple[str, list[Problem]]:
    """A page's Markdown with its directives expanded and its citation appended, and the problems found."""
    markdown, figured = expand_figures(markdown, ctx)  # the figures cited inside sentences (kb.figures)
    out, problems = expand_directives(markdown, ctx)
    citation, found = render.page_citation(sources, ctx, updated)
    # what the directives wrote is bounded like what editors write (kb.pagefile), before Markdown reads it
    if too_much := bounds(out, ctx.page, by_line=True):
        what = "; ".join(p.message.split(":")[0] for p in too_much)
        message = f"the data this page shows makes Markdown too long to read ({what}): fix the data it shows"
        return citation, [*figured, *problems, *found, Problem(ctx.page, None, "", message)]
    return out + citation, figured + problems + found


def translation_notice(ctx: Context, markdown: str, content: Path, rel: str, shown: str,
                       original_url: Callable[[str], str | None]) -> tuple[str, str | None]:
    """A page written in `shown` (its path `rel` under each language folder) as shown in `ctx.lang`:
    missing translation, the original under a notice; outdated, a notice linking to the original
    (`original_url(lang)`: its address from this page, None when it has none). (Markdown, state)."""
    from . import translations

    if shown != ctx.lang:
        state, original_lang = "missing", shown
    else:
        state, original_lang = translations.page_state(content, rel, ctx.lang, ctx.source), ctx.source
    url = original_url(original_lang) if state in ("missing", "outdated") else None
    if url is None:
        return markdown, None
    changes = translations.page_changes(content, rel, ctx.lang, ctx.source) if state == "outdated" else None
    return render.translation_notice(ctx, markdown, state, url, original_lang, changes), state


@dataclass
class Expanded:
    markdown: str
    problems: list[Problem]
    unsafe: bool = False  # a bug of ours stopped the page: it is not published


def expand(
    markdown: str,
    ctx: Context,
    sources,
    updated: str | None,
    broken: bool,
    unreadable: bool = False,
    abbreviations: Callable[[], str] | None = None,
    notice: Callable[[str], str] | None = None,
) -> Expanded:
    """One page's Markdown as the site shows it (directives, figures, citation, then the glossary's
    abbreviations and the translation notice), with its problems. `unreadable`: its front matter is
    already a problem (its `sources:` are not read again). With `broken` data, a failure that the
    data's problems explain is not one more problem."""
    problems: list[Problem] = []
    out = markdown
    try:
        out, found = guard(broken, (markdown, []), page_markdown, markdown, ctx, sources, updated)
        problems += [p for p in found if p.field != "sources"] if unreadable else found
        if abbreviations is not None:
            out += guard(broken, "", abbreviations)
        if notice is not None:
            out = guard(broken, out, notice, out)
    except DirectiveError as exc:
        if getattr(exc, "label", None):  # a label missing from data/labels.yml
            problems.append(Problem("data/labels.yml", None, f"labels.{exc.label}", str(exc)))
        else:
            problems.append(Problem(ctx.page, None, "", str(exc)))
    except Exception as exc:  # noqa: BLE001 (a bug of ours: named with the page, never a traceback)
        problems.append(unexpected(ctx.page, exc))
        return Expanded(out, problems, True)
    return Expanded(out, problems)


def html_problems(found: list[tuple[str, str]], source: str, display: str, broken: bool) -> list[Problem]:
    """The problems of a converted page's HTML (`found`: kb.safety.check_html), at their line of the
    page's `source`; one not in the page's own text came from data, whose problems are listed."""
    from . import safety

    problems = []
    for needle, message in found:
        line = safety.locate(source, needle)
        if line is not None or not broken:
            problems.append(Problem(display, line, "", message))
    return problems


def site_markdown(root: Path):
    """Markdown with the extensions of mkdocs.yml, as the build converts pages (`make check`'s HTML
    check); `kb_key` names everything a conversion's result depends on besides the page's Markdown
    (kb.pagecache: the extensions, their settings, the libraries' versions; the HTML check's code)."""
    import markdown
    from mkdocs.utils import yaml_load

    from . import pagecache, safety

    with open(root / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml_load(f)
    names, configs = [], {}
    for item in config.get("markdown_extensions") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            configs[name] = options
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    md.kb_key = pagecache.settings_key(names, configs, {"for": "make check's HTML check", "safety": safety.code()})
    return md


def convert_and_check(md, markdown_text: str, source: str, display: str, broken: bool, cache=None) -> list[Problem]:
    """`make check`'s conversion of a page's final Markdown, then the build's HTML check of it. With
    `cache` (a kb.pagecache.PageCache), what the HTML check found is remembered by everything it
    depends on (the Markdown, `md.kb_key`): an unchanged page is not converted again."""
    from . import pagecache, safety

    if cache is not None:
        key = pagecache.page_key(md.kb_key, "", markdown_text, "", "")
        entry = cache.get(key)
        if entry is not None:
            return html_problems([tuple(found) for found in entry["unsafe"]], source, display, broken)
    md.reset()
    try:
        html = md.convert(markdown_text)
    except RecursionError:
        return [Problem(display, None, "", NESTED)]
    unsafe = safety.check_html(html)
    if cache is not None:
        cache.put(key, {"unsafe": unsafe})
    return html_problems(unsafe, source, display, broken)


def finish(problems: list[Problem], broken: bool, unreadable: set[str] = frozenset()) -> list[Problem]:
    """The problems of a run as reported: with broken data, pages made from it are missing, so their
    links would only repeat the data's problems (the build says so once: `links_later`); links into a page that could not
    be read only repeat its problem (`unreadable`: their paths under content/, as MkDocs names them)."""
    import re

    if broken:
        problems = [p for p in problems if p.field != LINK]

    def into_unreadable(message: str) -> bool:
        target = re.search(r"but the (?:doc|target) '([^']+)'", message)
        return bool(target) and target[1] in unreadable

    return [p for p in problems if not (p.field == LINK and into_unreadable(p.message))]


def entries(problems: list[Problem], root: Path) -> list:
    """The problems as reported, the build's and `make check`'s alike: each cause once with the problems
    it made counted under it, causes first (kb.causes; a directive's data file from data/kinds.yml)."""
    from . import causes

    return causes.group(problems, causes.directive_files(root))


def links_later() -> Problem:
    """What the build's list says while the data is broken (make check, whose notes are about
    translations, says nothing: its editors see one problem for one mistake)."""
    return Problem("data/", None, "", LINKS_LATER)


def write_problems(problems: list[Problem], environ=None) -> None:
    """With KB_PROBLEMS_FILE set, every problem of the run, one JSON object a line (file, line, field,
    message), added to that file: what tests/test_agreement.py compares between the build and the check
    (the printed list groups the consequences of a cause under it)."""
    import json
    import os

    path = (environ if environ is not None else os.environ).get("KB_PROBLEMS_FILE")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        for p in problems:
            out.write(json.dumps({"file": p.file, "line": p.line, "field": p.field, "message": p.message}) + "\n")
