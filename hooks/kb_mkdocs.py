"""MkDocs adapter: turns MkDocs events into calls of the knowledge base's plain modules.

All logic lives in the `kb` package (no MkDocs imports) and mkdocs-static-i18n's
internals are touched in `kb_i18n.py` only, so a move to another
MkDocs-compatible engine touches these two files. The plugin runs the whole
build once per language on the same config, and MkDocs keeps this module
between the rebuilds of `mkdocs serve`: what a build knows lives in a `Build`
made when the build starts, never in the module for longer.
"""

from __future__ import annotations

import errno
import hashlib
import html
import logging
import os
import re
import shutil
import sys
import traceback
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import FileSystemBytecodeCache, FileSystemLoader
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment, safe_range
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

sys.path.insert(0, str(Path(__file__).parent))

import kb_i18n as i18n  # noqa: E402
from kb import (  # noqa: E402
    cards,
    causes,
    charts,
    cite,
    contact,
    datapackage,
    directives,
    fileformat,
    freeze,
    gate,
    gitdates,
    kinds,
    languages,
    links,
    locale,
    pagecache,
    pages,
    preview,
    printing,
    render,
    safety,
    search,
    templates,
    text,
    translations,
    tree,
    urls,
)
from kb.check import page_markdown  # noqa: E402
from kb.data import Data, load_data_cached, unexpected  # noqa: E402
from kb.directives import Context, DirectiveError  # noqa: E402
from kb.pagefile import read_page  # noqa: E402
from kb.problems import KbError, Problem, emit_annotations  # noqa: E402
from mkdocs import utils as _mkdocs_utils  # noqa: E402
from mkdocs.utils import rendering as _rendering  # noqa: E402


def _strip_tags(text: str) -> str:
    """Page titles (MkDocs' first heading; Jinja's striptags: <title>, menus, "cite this page"), with the no-break
    spaces of French typography kept: MkDocs collapses whitespace with str.split(), which also
    takes U+00A0 and U+202F for spaces, so « Résultats 2017 : … » could break before its colon."""
    # one pass each (MkDocs' loops copy the text once per tag: a heading of many tags took minutes)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"<[^>]*>", "", text)
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip()


_rendering._strip_tags = _strip_tags  # MkDocs' get_heading_text looks it up there (pinned: requirements.txt)


def _unwritable(path, exc: OSError) -> str:
    """A file of the site that cannot be written, in plain words (a full disk, a read-only folder)."""
    if exc.errno == errno.ENOSPC:
        hint = "the disk is full: free some space, then build again"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = "the site's folder is read-only: make it writable, or build into another folder (-d)"
    else:
        hint = "check the site's folder and the disk, then build again"
    return f"{path}: cannot be written ({exc.strerror or exc}): {hint}"


def _writes_checked(write):
    """MkDocs' file writing, its errors a plain problem (a PluginError: MkDocs prints it, no traceback)."""
    if getattr(write, "kb_checked", False):
        return write

    def checked(*args, **kwargs):
        try:
            return write(*args, **kwargs)
        except OSError as exc:
            raise PluginError(_unwritable(args[-1] if args else "site", exc)) from None

    checked.kb_checked = True
    return checked


for _name in ("write_file", "copy_file", "clean_directory"):
    setattr(_mkdocs_utils, _name, _writes_checked(getattr(_mkdocs_utils, _name)))

log = logging.getLogger("mkdocs.hooks.kb")
ROOT = Path(__file__).resolve().parent.parent


class Build:
    """What one build knows: made afresh when a build starts (MkDocs keeps this module
    between the rebuilds of `mkdocs serve`), shared by the languages of that build."""

    def __init__(self, data: Data, problems: list[Problem]):
        self.data = data
        # the data has problems: render what can be, check every page, report, fail at the end
        self.data_broken = bool(problems)
        # file -> date of its last commit (data and templates: the dates of the pages generated from data)
        self.updated: dict[str, str] = gitdates.last_changes(ROOT, ("content", "data", "templates"))
        self.templates = templates.environment(ROOT / "templates", ROOT / ".cache" / "templates-sandboxed")
        self.directives = render.registry(data)
        self.shared_files: dict[str, str] = {}  # path -> content of the generated files all languages share
        self.generated: dict[str, File] = {}  # src_uri -> generated file, current language
        self.problems: list[Problem] = list(problems)  # every problem of this build, all languages
        self.unsafe: set[str] = set()  # pages whose content must not be published (src_uri)
        self.unreadable: set[str] = set()  # pages whose file could not be read: links into them fail too
        self.default_404: str | None = None
        self.warnings = _Warnings()  # MkDocs' own warnings become problems of this build
        self.page_cache = pagecache.PageCache(ROOT / ".cache" / "pages")
        self.files_keys: dict[int, str] = {}  # id(files) -> pagecache.files_key, per language
        self.abbreviations: dict[str, str] = {}  # language -> the glossary's abbreviations, added to every page
        self.site: Path | None = None  # the site's folder (each language's build writes under it)
        self.indexer: search.Indexing | None = None  # the search index, fed each page as it is built
        # the sections printed as one document each (kb/printing.py), by language: the plugin's
        # nested builds of the other languages end before the source language's on_post_build
        self.print_sections: dict[str, list[printing.Section]] = {}
        self.printed: dict[str, dict[str, printing.Built]] = {}  # language -> src_uri -> finished page


State: Build  # the current build (set by on_config)


class _Warnings(logging.Handler):
    """MkDocs' own warnings (broken links, missing anchors, nav), as problems of the current build."""

    def __init__(self):
        super().__init__(logging.WARNING)

    def emit(self, record):
        # the preview's server logs a browser's requests (`"GET /favicon.ico" code 404`): not a problem
        if not record.name.startswith(("mkdocs.hooks.kb", "mkdocs.livereload")):
            State.problems.append(_mkdocs_problem(record.getMessage()))


LINK = "link"  # the field of MkDocs' link and anchor warnings
DOC_FILE = re.compile(r"Doc file '([^']+)' contains (?:a link|an absolute link) '([^']*)'")


def _mkdocs_problem(message: str) -> Problem:
    """A MkDocs warning as a problem naming the file and, where it can be found, the line, in the
    words `make check` uses for it (kb.links.plain)."""
    match = DOC_FILE.search(message)
    if match:
        display = f"content/{match[1]}"
        source = ROOT / display
        line = None
        if source.exists():
            line = safety.locate(source.read_text(encoding="utf-8", errors="replace"), match[2])
        return Problem(display, line, LINK, links.plain(message))
    nav = re.search(r"'([^']+\.md)'", message)
    if "'nav'" in message and nav:
        config_text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        return Problem("mkdocs.yml", safety.locate(config_text, nav[1]), "nav", links.plain(message))
    return Problem("mkdocs.yml" if '"nav"' in message else "(build)", None, "", links.plain(message))


class _Translated(logging.Filter):
    """MkDocs' warnings that the list of problems says in plain words (kb.links.plain) are not
    printed a second time in MkDocs' own words."""

    def filter(self, record):
        return not (record.levelno == logging.WARNING and links.plain(record.getMessage()) != record.getMessage())


def _quiet_translated_warnings():
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, logging.StreamHandler) and not any(isinstance(f, _Translated) for f in handler.filters):
            handler.addFilter(_Translated())


def _guard(default, fn, *args):
    """Run `fn`; when the data is already known to be broken, its failure is not a new problem."""
    try:
        return fn(*args)
    except Exception as exc:
        if State.data_broken and not getattr(exc, "label", None):  # a missing label is a problem of its own
            return default
        raise


def _context(config, page: str = "", line_offset: int = 0) -> Context:
    return Context(
        State.data,
        i18n.language(config),
        page,
        line_offset,
        i18n.source_language(config),
        i18n.languages(config),
        State.templates,
        State.directives,
        ROOT,
        contact.site_contact(config.repo_url, config.extra.get("kb", {}), i18n.language(config), i18n.source_language(config)),
    )


def _fail(exc: KbError):
    # in GitHub Actions, also on the pull request's files (causes first: GitHub shows ten a step)
    # and every one in the job summary (`make build` in several processes writes it once, kb/parallel.py)
    entries = causes.group(exc.problems)
    emit_annotations(causes.annotated(entries))
    causes.write_summary(causes.summary_markdown(entries))
    raise PluginError(exc.report())


# `make build` runs one process per language (hooks/kb/parallel.py): KB_ONLY_LANG
# makes this process build that language alone; the plugin's loop over the
# other languages is skipped. Read when asked, not when this module is loaded:
# `make build` loads the configuration (and so this module) once, then forks.
def _only_lang_env() -> str | None:
    return os.environ.get("KB_ONLY_LANG") or None


def _only_lang() -> str | None:
    """The one language this build makes: `make build`'s process, or the preview's first pass."""
    return preview.current.lang or _only_lang_env()


# The benchmark's stock baseline (hooks/kb/freeze.py): write the final content there.
FREEZE = Path(os.environ["KB_BENCH_FREEZE"]) if os.environ.get("KB_BENCH_FREEZE") else None


# `mkdocs build` or `mkdocs serve` (on_startup): a failed build leaves no site to
# publish, while the preview keeps showing what it can, with the problems.
COMMAND = "build"


def on_startup(command, dirty):
    global COMMAND
    COMMAND = command


def on_config(config):
    global State
    if not i18n.is_nested_build(config):  # a new build (the plugin then builds each other language)
        # before any file of the project is read: no link out of it, no file content/ may not publish
        found = tree.problems(ROOT)
        if found:
            _fail(KbError(found))
        if wrong := languages.config_problems(Path(config.config_file_path)):
            _fail(KbError(wrong))
        previous = globals().get("State")
        if previous is not None:
            logging.getLogger("mkdocs").removeHandler(previous.warnings)
        try:
            State = Build(load_data_cached(ROOT / "data", ROOT, ROOT / ".cache" / "data", Path(config.docs_dir)), [])
        except KbError as exc:
            # go on with what could be read: every page is still checked in this run
            State = Build(exc.data, exc.problems)
        logging.getLogger("mkdocs").addHandler(State.warnings)
        _quiet_translated_warnings()
        State.site = Path(config.site_dir)
        if State.site.exists() and not State.site.is_dir():
            raise PluginError(f"{config.site_dir}: is a file, not a folder: remove it, or build into another folder (-d)")
        if not config.repo_url:
            # no repository to link to (REPO_URL unset, e.g. a preview): no "edit this page" link,
            # rather than MkDocs' warning about an edit address without a host
            config.edit_uri = None
        _list_theme_files_once(config.theme)
        # the theme's templates (overrides/) learn the source language from here
        config.extra.setdefault("kb", {})["default_lang"] = i18n.source_language(config)
        # a pull request's preview (.github/workflows/preview.yml): kept out of search engines
        config.extra["kb"]["noindex"] = os.environ.get("KB_NOINDEX") == "1"
        if _only_lang():
            i18n.build_only(config, _only_lang())
    return config


class _ThemeLoader(FileSystemLoader):
    """The theme's template loader, listing its files faster. MkDocs lists every file of the
    theme at each build of each language, to copy the static ones: Material's thousands of
    icons (.icons/, never copied) took a tenth of a language's build. Folders whose name starts
    with a dot are left out of the listing (MkDocs' filter drops them anyway); the listing of an
    installed theme, which cannot change while the process runs, is kept for its next builds."""

    listed: dict[str, list[str]] = {}  # folder of an installed theme -> its files

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            installed = not Path(folder).resolve().is_relative_to(ROOT)
            names = self.listed.get(folder) if installed else None
            if names is None:
                names = _files_under(folder)
                if installed:
                    self.listed[folder] = names
            found.update(names)
        return sorted(found)


def _files_under(folder: str) -> list[str]:
    """Every file under `folder` (relative, with /), except in folders named with a leading dot."""
    names = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        names += [Path(dirpath, name).relative_to(folder).as_posix() for name in filenames]
    return names


def _list_theme_files_once(theme) -> None:
    """Give the theme's Jinja environment the faster loader above (MkDocs makes it per build)."""
    make_env = type(theme).get_env

    def get_env():
        env = make_env(theme)
        env.loader = _ThemeLoader(theme.dirs)
        return env

    theme.get_env = get_env


@event_priority(-150)  # after mkdocs-static-i18n has chosen this language's files
def on_files(files, config):
    lang = i18n.language(config)
    State.generated = {}
    try:
        generated = _guard([], pages.generated_pages, _context(config))
    except DirectiveError as exc:
        _fail(KbError([Problem("data/kinds.yml", None, "pages", str(exc))]))
    # no page written outside the site's folder, nor over a page of content/ (kb/pages.py)
    bad, refused = pages.refused(State.data, Path(config.site_dir), Path(config.docs_dir), i18n.languages(config))
    if lang == i18n.source_language(config):  # the same in every language
        State.problems += refused
    generated = [page for page in generated if page.path not in bad]
    for page in generated:
        file = i18n.add_generated_page(files, config, page.path, page.markdown)
        State.generated[file.src_uri] = (file, page)
    for decl in _listings_to_place(config):  # on_nav places them
        listing = files.get_file_from_path(f"{lang}/{decl.follows}")
        if listing is not None:
            listing.inclusion = InclusionLevel.NOT_IN_NAV
    if lang == i18n.source_language(config):
        i18n.add_pages_only_in_other_languages(files, config)
    else:
        i18n.link_pages_only_in_this_language(files, config, set(State.generated))
    _theme_words(config, lang)
    ctx = _context(config)
    try:
        if not State.shared_files:  # the same in every language: made once per build
            State.shared_files = render.shared_files(ctx)
            # the open data's descriptor (sizes and hashes of the files above)
            State.shared_files[datapackage.PATH] = datapackage.to_json(State.data, State.shared_files, ctx.langs)
        made = [charts.make(ctx, chart) for chart in kinds.charts(State.data).values()]
    except DirectiveError as exc:
        _fail(KbError([Problem("data/kinds.yml", None, "", str(exc))]))
    except Exception:
        if not State.data_broken:
            raise
        made = []  # the data's problems are reported
    for path, content in State.shared_files.items():
        files.append(File.generated(config, path, content=content))
    for chart in made:
        for path, svg in charts.files(chart, lang, ROOT / ".cache" / "charts").items():
            files.append(File.generated(config, path, content=svg))
    for file in list(files):  # every output path lies inside the site's folder, whatever made it
        why = pages.address_problem(Path(config.site_dir), file.dest_uri)
        if why is not None:
            State.problems.append(Problem(_display_of(file), None, "", why))
            files.remove(file)
    if FREEZE:
        _freeze_files(files)
    if preview.current.urls is not None:
        # the preview's first pass: MkDocs' "dirty" build makes the pages it is told are modified
        for file in files.documentation_pages():
            file.is_modified = (lambda build: lambda: build)(preview.only(file.url))
    return files


def _word(key: str, lang: str, source: str) -> str | None:
    """A label of data/labels.yml as plain text in `lang`; a missing one is a problem of the build
    (named once), and what needed it is left out."""
    try:
        return text.plain(text.label_field(State.data, key), lang, source)
    except text.MissingLabel:
        problem = Problem("data/labels.yml", None, f"labels.{key}", f'the label "{key}" is missing: add it in every language')
        if problem not in State.problems:
            State.problems.append(problem)
        return None


def _theme_words(config, lang: str) -> None:
    """Words that mkdocs.yml gives the theme once for every language (each heading's link title,
    the palette toggle's name), from data/labels.yml in the language being built."""
    source = i18n.source_language(config)

    def word(key: str) -> str | None:
        return _word(key, lang, source)

    toc = config.mdx_configs.get("toc")
    if toc is not None and toc.get("permalink") and word("permalink_title"):
        toc["permalink_title"] = word("permalink_title")
    palette = config.theme.get("palette")
    for option in palette if isinstance(palette, list) else []:
        to = "palette_to_light" if option.get("scheme") == "slate" else "palette_to_dark"
        if option.get("toggle") and word(to):
            option["toggle"]["name"] = word(to)


@event_priority(-150)
def on_nav(nav, config, files):
    """Put each listing page that mkdocs.yml's nav leaves out after the page its kind names,
    then each generated page right after the page that lists its records."""
    lang = i18n.language(config)
    for decl in _listings_to_place(config):
        listing = files.get_file_from_path(f"{lang}/{decl.follows}")
        if listing is not None and listing.page is not None and listing.page not in nav.pages:
            _insert_after(nav, f"{lang}/{decl.listing_follows}", [listing.page])
    by_index: dict[str, list[Page]] = {}
    for file, generated in State.generated.values():
        by_index.setdefault(f"{lang}/{generated.index}", []).append(Page(generated.title, file, config))
    for index, new_pages in by_index.items():
        _insert_after(nav, index, new_pages)
    # a listing page not in the navigation: its generated pages are still built and searchable
    for before, page, after in zip([None, *nav.pages[:-1]], nav.pages, [*nav.pages[1:], None], strict=True):
        page.previous_page, page.next_page = before, after
    lang = i18n.language(config)
    State.print_sections[lang], State.printed[lang] = _print_sections(nav.items, config.site_name), {}
    if FREEZE:
        _freeze_nav(nav, config)
    if preview.current.urls is not None:
        # pages the preview's first pass does not build keep their title from the last build
        for file in files.documentation_pages():
            if file.page is not None and not preview.only(file.url) and file.url in preview.last_pages:
                title, meta = preview.last_pages[file.url]
                file.page.markdown, file.page.meta, file.page._title_from_render = "", dict(meta), title
    return nav


def _print_sections(items, site_name: str) -> list[printing.Section]:
    """Every section of the navigation that has an index page, with all its pages in order."""
    found = []
    for item in items:
        if not item.is_section:
            continue
        pages_in = [p.file.src_uri for p in _pages_under(item)]
        first = item.children[0] if item.children else None
        if first is not None and first.is_page and first.file.src_uri.endswith("/index.md") and len(pages_in) > 1:
            title = html.unescape(str(item.title))
            found.append(printing.Section(title, first.file.src_uri, first.file.url, site_name, pages_in))
        found += _print_sections(item.children, site_name)
    return found


def _pages_under(section):
    for child in section.children:
        if child.is_page:
            yield child
        elif child.is_section:
            yield from _pages_under(child)


def _listings_to_place(config):
    """The per-record pages of kinds whose listing page goes in the navigation by declaration."""
    return [k.pages for k in kinds.kinds(State.data) if k.pages and k.pages.listing_follows]


def _insert_after(nav, src_uri: str, new_pages: list[Page]) -> None:
    """Put `new_pages` in the navigation right after the page of `src_uri` (nowhere if it is not there)."""
    item = next((p for p in nav.pages if p.file.src_uri == src_uri), None)
    if item is None:
        return
    siblings = item.parent.children if item.parent else nav.items
    at = siblings.index(item) + 1
    for page in new_pages:
        page.parent = item.parent
    siblings[at:at] = new_pages
    flat = nav.pages.index(item) + 1
    nav.pages[flat:flat] = new_pages


def _freeze_files(files):
    for file in files:
        if file.abs_src_path is None and not file.is_documentation_page():
            freeze.write_file(FREEZE, file.src_uri, file.content_bytes)


def _freeze_nav(nav, config):
    def item(node):
        if node.is_section:
            return {node.title: [item(child) for child in node.children]}
        rel = node.file.src_uri.split("/", 1)[1]  # relative to the language folder
        return {node.title: rel} if node.title and node.file.src_uri not in State.generated else rel

    if i18n.is_source_build(config):
        freeze.write_nav(FREEZE, [item(node) for node in nav.items if not node.is_link])


def _display(page) -> str:
    """The page's file relative to the project (`content/<lang>/…` for a page made from data)."""
    return _display_of(page.file)


def _display_of(file) -> str:
    if file.abs_src_path:
        path = Path(file.abs_src_path)
        return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()
    return f"content/{file.src_uri}"


def on_page_read_source(page, config):
    """Read editors' pages strictly (UTF-8, valid front matter); MkDocs would stop or guess."""
    if not page.file.abs_src_path:
        return None
    source, problems = read_page(Path(page.file.abs_src_path), _display(page))
    # a byte-order mark or Windows line endings, named first (kb.causes counts what they make)
    State.problems += fileformat.problems(Path(page.file.abs_src_path), _display(page))
    if problems:
        State.problems += problems
        State.unsafe.add(page.file.src_uri)
        State.unreadable.add(page.file.src_uri)
    return source


def on_page_markdown(markdown, page, config, files):
    preview.check()
    display = _display(page)
    ctx = _context(config, display, _front_matter_lines(page, markdown))
    # stylesheets only some pages need (overrides/main.html links them)
    used = directives.names(markdown)
    page.meta["kb_styles"] = [css.path for name, css in kinds.stylesheets(State.data).items() if name in used]
    # "last updated": the last commit that changed the page's file, or (generated page) its data
    # file or template; else today (a new page)
    updated = (
        State.updated.get(display)
        or gitdates.generated_date(State.updated, display, kinds.kinds(State.data))
        or gitdates.build_date()
    )
    page.meta["kb_updated"] = updated  # for "cite this page" (on_page_context)
    out, problems = markdown, []
    try:
        # directives and citation: the same function as `make check`
        out, found = _guard((markdown, []), page_markdown, markdown, ctx, page.meta.get("sources"), updated)
        if page.file.src_uri in State.unreadable:  # its front matter is already a problem
            found = [p for p in found if p.field != "sources"]
        problems += found
        if ctx.lang not in State.abbreviations:  # the same for every page of a language
            State.abbreviations[ctx.lang] = _guard("", render.abbreviations, ctx)
        out += State.abbreviations[ctx.lang]
        out = _guard(out, _translation_notice, out, page, config, ctx)
    except DirectiveError as exc:
        if getattr(exc, "label", None):
            problems.append(Problem("data/labels.yml", None, f"labels.{exc.label}", str(exc)))
        else:
            problems.append(Problem(display, None, "", str(exc)))
    except Exception as exc:  # noqa: BLE001 (a bug of ours: named with the page, never a traceback)
        problems.append(unexpected(display, exc))
        State.unsafe.add(page.file.src_uri)
    State.problems += problems
    page.render = lambda config, files: _render(page, config, files)
    if FREEZE:
        meta = {k: v for k, v in page.meta.items() if not k.startswith("kb_")}
        meta.setdefault("title", page.title)
        freeze.write_page(FREEZE, page.file.src_uri, meta, out)
    return out


def _render(page, config, files) -> None:
    """MkDocs' Markdown → HTML conversion of the page, or its result from the page cache."""
    files_key = State.files_keys.get(id(files))
    if files_key is None:
        files_key = State.files_keys[id(files)] = pagecache.files_key([(f.src_uri, f.url, f.dest_uri) for f in files])
    # the safety check of the HTML (on_page_content) is kept with it: its code is part of the key
    other = {"use_directory_urls": config.use_directory_urls, "validation": str(config.validation), **SAFETY_CODE}
    settings = pagecache.settings_key(config.markdown_extensions, config.mdx_configs, other)
    key = pagecache.page_key(settings, files_key, page.markdown, page.file.src_uri, page.file.url)
    entry = State.page_cache.get(key)
    if entry is not None:
        page.content, page.toc, page._title_from_render = entry["content"], get_toc(entry["toc"]), entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        page.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in entry["links"].items()}
        page.kb_unsafe = [tuple(found) for found in entry["unsafe"]]
        return
    before = len(State.problems)  # MkDocs' warnings (broken links…) become problems: see _Warnings
    try:
        Page.render(page, config, files)
    except Exception as exc:  # noqa: BLE001 (named with the page, never a traceback)
        State.problems.append(_unexpected(page, exc))
        State.unsafe.add(page.file.src_uri)
        page.content, page.toc = "", get_toc([])
        page.kb_unsafe = []
        return
    page.kb_unsafe = safety.check_html(page.content)
    if len(State.problems) == before:
        links = {to.src_uri: dict(found) for to, found in (page.links_to_anchors or {}).items()}
        toc, anchors = pagecache.toc_tokens(page.toc), sorted(page.present_anchor_ids or ())
        entry = {"content": page.content, "toc": toc, "title": page._title_from_render, "anchors": anchors}
        State.page_cache.put(key, {**entry, "links": links, "unsafe": page.kb_unsafe})


def _unexpected(page, exc: BaseException) -> Problem:
    if isinstance(exc, RecursionError):
        message = "this page is nested too deeply (lists, quotes or blocks inside each other): nest less deeply"
        return Problem(_display(page), None, "", message)
    return unexpected(_display(page), exc)


SAFETY_CODE = {"safety": hashlib.sha256(Path(safety.__file__).read_bytes()).hexdigest()}


def _translation_notice(markdown, page, config, ctx):
    """Missing translation: the original under a notice; outdated: a notice linking to the original."""
    rel = i18n.page_path(page.file)
    if page.file.src_uri in State.generated or rel is None:
        return markdown
    shown = i18n.shown_from(page.file)
    if shown != ctx.lang:
        state, original_lang = "missing", shown
    else:
        state, original_lang = translations.page_state(ROOT / "content", rel, ctx.lang), ctx.source
    original = i18n.alternate(page.file, original_lang)
    if state not in ("missing", "outdated") or original is None:
        return markdown
    page.meta["kb_translation"] = state
    url = urls.relative(original.url, page.file.url)
    changes = translations.page_changes(ROOT / "content", rel, ctx.lang) if state == "outdated" else None
    return render.translation_notice(ctx, markdown, state, url, original_lang, changes)


def _front_matter_lines(page, markdown: str) -> int:
    """How many lines of the file come before `markdown` (the body after the front matter)."""
    try:
        source = page.file.content_string
    except ValueError:  # not UTF-8: already a problem of the page
        return 0
    start = source.find(markdown[:200]) if markdown else -1
    return source.count("\n", 0, start) if start > 0 else 0


def on_page_context(context, page, config, nav):
    # "cite this page" and "edit this page", at the foot of the page (overrides/main.html)
    home = page.file.src_uri.split("/", 1)[-1] == "index.md"
    title = config.site_name if home else html.unescape(str(page.meta.get("title") or page.title or ""))
    if page.meta.get("kb_updated"):
        ctx = _context(config)
        # without a public address (SITE_URL unset) the citation gives none: never a local one
        page.meta["kb_cite"] = _guard(
            "", cite.block, ctx, title, config.site_name, page.canonical_url or None, page.meta["kb_updated"],
            page.edit_url, page.url, _report_links(ctx, title, page, config),
        )
    _sharing_card(page, config, title)
    _print_link(page, config)
    # Material prints the description into attributes without escaping it
    if isinstance(page.meta.get("description"), str):
        page.meta["description"] = html.escape(html.unescape(page.meta["description"]), quote=True)
    # an untranslated page shown in another language points search engines to its original
    if page.meta.get("kb_translation") == "missing" and config.site_url:
        alternate = i18n.alternate(page.file, i18n.shown_from(page.file))
        if alternate is not None:
            page.canonical_url = urls.public(config.site_url, alternate.url)
    # the translations for search engines (overrides/main.html), from the language switcher's links
    links = i18n.switcher_links(config)
    page.meta["kb_alternates"] = urls.alternates(config.site_url, links, i18n.source_language(config))
    return context


def _print_link(page, config) -> None:
    """The link to the section's printable document (the innermost section the page is in)."""
    sections = [s for s in State.print_sections.get(i18n.language(config), []) if page.file.src_uri in s.pages]
    if not sections:
        return
    section = min(sections, key=lambda s: len(s.pages))
    label = _word("print_link", i18n.language(config), i18n.source_language(config))
    if label is None:
        return
    page.meta["kb_print"] = urls.relative(urls.next_to(section.index_url, printing.FILE_NAME), page.url)
    page.meta["kb_print_text"] = label.replace("{section}", section.title).replace("{n}", str(len(section.pages)))


REPORT_WORDS = ("report_mistake", "report_by_email", "report_title", "report_page", "report_wrong", "report_fix")


def _report_links(ctx, title: str, page, config) -> list[tuple[str, str]]:
    """"Report a mistake": a prefilled issue in the repository, an email (kb/contact.py)."""
    words = {key: _word(key, ctx.lang, ctx.source) for key in REPORT_WORDS}
    if None in words.values():
        return []
    words["colon"] = text.colon(State.data, ctx.lang)
    address = page.canonical_url or urls.under_site(config.site_url, page.url)
    return contact.report_links(ctx.site, words, title, address)


def _sharing_card(page, config, title: str) -> None:
    """The page's preview image when shared (og:image, overrides/main.html), in its language, next
    to its index.html (hooks/kb/cards.py). Only with a public address: og:image must be absolute."""
    if not config.site_url or not page.file.dest_uri.endswith("index.html"):
        return
    section = page.parent.title if page.parent is not None and page.parent.title else ""
    home = page.file.src_uri.split("/", 1)[-1] == "index.md"
    site = "" if home else config.site_name
    host = urlsplit(config.site_url).netloc
    png = _guard(None, cards.card, html.unescape(title), section, site, host, ROOT / ".cache" / "cards")
    if png is None:
        return
    card = urls.next_to(page.url, cards.FILE_NAME)
    target = Path(config.site_dir) / urls.dest_of(card)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png)
    page.meta["kb_card"] = urls.public(config.site_url, card)
    page.meta["kb_card_alt"] = " — ".join(part for part in (site or config.site_name, section, title) if part)


class _ThemeSandbox(SandboxedEnvironment):
    """Jinja's sandbox for the theme's templates; what it refuses is a plain problem at the template's line."""

    def handle_exception(self, source=None):
        if not isinstance(sys.exc_info()[1], SecurityError):
            return super().handle_exception(source)
        try:
            super().handle_exception(source)  # raises the error with the templates' own lines
        except SecurityError as refused:
            frames = [f for f in traceback.extract_tb(refused.__traceback__) if _in_project(f.filename)]
            where = f"{Path(frames[-1].filename).resolve().relative_to(ROOT).as_posix()}:{frames[-1].lineno}" if frames else "a template"
            raise PluginError(f"{where}: this template reaches into Python's insides ({refused}); templates may "
                              "use the page's and the site's values only: remove it") from None


def _in_project(filename: str) -> bool:
    path = Path(filename).resolve()
    return path.is_relative_to(ROOT) and not path.is_relative_to(ROOT / ".venv")


def on_env(env, config, files):
    # The theme's templates (overrides/ among them, files a pull request may change) are rendered in
    # Jinja's sandbox: `cycler.__init__.__globals__.os.environ` would print the build's environment.
    if not isinstance(env, SandboxedEnvironment):
        env.__class__ = type("SandboxedThemeEnvironment", (_ThemeSandbox, type(env)), {})
        env.globals["range"] = safe_range
        env.binop_table, env.unop_table = env.default_binop_table.copy(), env.default_unop_table.copy()
    # Compiling the theme's templates is a tenth of each language's build: keep
    # the compiled code between builds (Jinja checks each template's source).
    cache = ROOT / ".cache" / "jinja-sandboxed"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    # the words of the theme's own pages (404.html) are labels of data/labels.yml
    lang, source = i18n.language(config), i18n.source_language(config)
    env.globals["kb_label"] = lambda key: _guard(key, lambda: text.plain(text.label_field(State.data, key), lang, source))
    env.globals["kb_number"] = lambda value: locale.number(value, lang)
    env.globals.update(urls.theme_globals(config.site_url, lang, source))  # the addresses of overrides/
    # inline scripts allowed by hash: those of the theme's templates, never any a page holds (main.html)
    env.globals["kb_policy"] = lambda base_url: Markup(safety.policy_tags(config.theme.dirs, base_url))
    # Jinja's striptags (the theme's <title>, menus, search box) collapses whitespace like MkDocs
    env.filters["striptags"] = lambda value: Markup(_strip_tags(str(value))).unescape()
    return env


def on_page_content(html_content, page, config, files):
    """Whatever wrote it, a page's content may not run code in readers' browsers."""
    # checked with the conversion (_render) when no other hook changed the HTML since
    found = page.kb_unsafe if getattr(page, "kb_unsafe", None) is not None and html_content == page.content else None
    if found is None:
        found = safety.check_html(html_content)
    if found:
        display = _display(page)
        try:
            source = page.file.content_string
        except (ValueError, OSError):
            source = page.markdown or ""
        for needle, message in found:
            line = safety.locate(source, needle)
            # not in the page's own text: it came from data, whose problems are already listed
            if line is not None or not State.data_broken:
                State.problems.append(Problem(display, line, "", message))
        State.unsafe.add(page.file.src_uri)
    return html_content


def _not_published_words(config) -> tuple[str, dict | None]:
    """(language, words) of the page shown instead of one that is not published, from data/labels.yml."""
    lang = i18n.language(config)
    try:
        keys = ("title", "heading", "text")
        return lang, {k: text.plain(text.label_field(State.data, f"not_published_{k}"), lang, "") for k in keys}
    except (text.MissingLabel, KeyError, TypeError):
        return lang, None  # the labels cannot be read: in English


ARTICLE = search.ARTICLE


def _show_problems(output: str, page, config) -> str:
    """The preview (`make serve`): the page's problems at the top of the page, under a heading in
    the page's language, so that an editor sees them where they look."""
    display = _display(page)
    problems = sorted({p for p in State.problems if p.file == display}, key=lambda p: (p.line or 0, p.message))
    if State.data_broken:  # what the page shows from the data may be missing: say why, on every page
        problems = sorted({p for p in State.problems if p.file.startswith("data/")}, key=causes.order_key) + problems
    if not problems or ARTICLE not in output:
        return output
    try:
        heading = text.plain(text.label_field(State.data, "preview_problems"), i18n.language(config), "")
    except text.MissingLabel:
        heading = "Problems to fix on this page (shown only in the preview)"
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
    box = (
        f'<div class="admonition failure kb-preview-problems" role="alert"><p class="admonition-title">'
        f"{html.escape(str(heading))}</p><ul>{items}</ul></div>"
    )
    return output.replace(ARTICLE, ARTICLE + box, 1)


@event_priority(-1000)  # last: the policy covers the page's final scripts
def on_post_page(output, page, config):
    preview.check()
    if preview.current.urls is None:
        preview.last_pages[page.file.url] = (page.title, dict(page.meta))
    if page.file.src_uri in State.unsafe:
        # never written as it is, not even in the preview: the build fails with the problems
        problems = [p for p in State.problems if p.file == _display(page)]
        output = safety.problem_page(page.file.src_uri, [str(p) for p in problems], *_not_published_words(config))
        # the theme's pages carry their policy (overrides/main.html); this one is not the theme's
        output = safety.add_policy(output, config.theme.dirs, urls.base_url(page.file.dest_uri, config.site_url))
    elif COMMAND == "serve":
        output = _show_problems(output, page, config)  # the preview: the page's problems on the page
    if COMMAND == "serve":  # the preview serves each page as it writes it: through the gate first
        found = gate.page_problems(gate.site_of(Path(config.site_dir), ROOT, config), page.file.dest_uri, output)
        if found:
            output = safety.problem_page(page.file.src_uri, [str(p) for p in found])
    lang = i18n.language(config)
    if preview.current.urls is None and any(page.file.src_uri in s.pages for s in State.print_sections.get(lang, [])):
        built = printing.Built(page.file.url, output, page.canonical_url or None, page.file.abs_dest_path)
        State.printed.setdefault(lang, {})[page.file.src_uri] = built
    if preview.current.urls is None:  # not the preview's first pass (its second pass indexes)
        if State.indexer is None:
            State.indexer = search.Indexing()
        url = urls.from_root(page.file.dest_uri)
        State.indexer.add(i18n.language(config), output, url)
    return output


def on_build_error(error):
    _stop_indexing()


def _stop_indexing():
    if globals().get("State") is not None and State.indexer is not None:  # no State: stopped in on_config
        State.indexer.close()
        State.indexer = None


def on_pre_template(template, template_name, config):
    if template_name == "404.html":
        i18n.switch_to_homes(config)
    return template


def on_post_template(output, template_name, config):
    # Each language's build renders the theme's 404.html to the site root; the
    # default language's stays there, the others go to <lang>/404.html.
    if template_name != "404.html":
        return output
    if i18n.is_source_build(config):
        State.default_404 = output
        return output
    target = Path(config.site_dir) / urls.not_found_page(i18n.language(config), i18n.source_language(config))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return State.default_404 if State.default_404 is not None else output


@event_priority(-200)  # after mkdocs-static-i18n has built every language
def on_post_build(config):
    if preview.current.urls is not None:
        return  # the preview's first pass: its second pass reports every problem
    _write_print_pages(config)  # this language's
    if (_only_lang() or i18n.language(config) == i18n.languages(config)[-1]) and State.problems:
        _report(config)  # every language is built: every problem of the build, sorted, then stop
    if not config.site_url and COMMAND == "build":  # said once: by the last language, or make build's first
        last = i18n.language(config) == (i18n.source_language(config) if _only_lang() else i18n.languages(config)[-1])
        if last:
            log.info(NO_SITE_URL)
    if preview.current.urls is not None or (i18n.is_nested_build(config) and not _only_lang_env()):
        # the preview's first pass (its second indexes); or a nested language build:
        # the plugin has not finished yet. One language of `make build` indexes its
        # own pages (kb/parallel.py merges the indexes).
        return
    indexer, State.indexer = State.indexer, None
    try:
        aliases = search.aliases(State.data, i18n.languages(config))  # data/search-aliases.yml
        counts = indexer.write(Path(config.site_dir), aliases) if indexer else search.write(Path(config.site_dir), [])
    except search.SearchError as exc:
        raise PluginError(str(exc)) from None
    except OSError as exc:
        raise PluginError(_unwritable(config.site_dir, exc)) from None
    log.info("search indexes: %s", ", ".join(f"{lang} {n} pages" for lang, n in counts.items()))
    _gate(config)


def _gate(config):
    """The whole site is built: verify every file of it (kb/gate.py). A build's failure leaves nothing
    to publish; the preview says what it found. `make build` verifies its merged site itself."""
    if _only_lang_env():
        return
    refused: set[str] = set()
    found = gate.verify(gate.site_of(Path(config.site_dir), ROOT, config), refused)
    if not found:
        return
    if COMMAND == "serve":
        for problem in found:
            log.warning("output gate: %s", problem)
        for rel in refused:  # served as the list of the problems, or not at all
            path = Path(config.site_dir) / rel
            if rel.endswith(".html") and not path.is_symlink():
                path.write_text(safety.problem_page(rel, [str(p) for p in found]), encoding="utf-8")
            elif not path.is_dir() or path.is_symlink():
                path.unlink()
        return
    site = Path(config.site_dir)
    for path in site.iterdir() if site.is_dir() else []:
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    emit_annotations(found)
    raise PluginError(gate.report(found))


PRINT_WORDS = ("print_intro", "print_address", "print_version")


def _write_print_pages(config) -> None:
    """Each section as one document to print, next to its index page (kb/printing.py), for each
    language built since the last call (the source language's build ends after the others')."""
    source = i18n.source_language(config)
    for lang in list(State.printed):
        printed = State.printed.pop(lang)
        words = {key: _word(key, lang, source) for key in PRINT_WORDS}
        if None in words.values():
            continue
        for section in State.print_sections.get(lang, []):
            index = printed.get(section.index)
            if index is None or section.index in State.unsafe:
                continue
            intro = words["print_intro"].replace("{section}", section.title).replace("{n}", str(len(section.pages)))
            document = printing.document(section, printed, {**words, "print_intro": intro})
            if document is not None:
                Path(index.dest).with_name(printing.FILE_NAME).write_text(document, encoding="utf-8")


NO_SITE_URL = (
    "SITE_URL is not set: the pages give no public address (no canonical link, hreflang, Open Graph "
    "address or preview image, no address in citations, an empty sitemap). To publish, build with "
    "the site's address: SITE_URL=https://example.org/ make build"
)
LINKS_LATER = "links and anchors between pages will be checked once the data files' problems are fixed"


def _report(config):
    problems, State.problems = State.problems, []
    logging.getLogger("mkdocs").removeHandler(State.warnings)
    _stop_indexing()
    if State.data_broken:
        # pages made from broken data are missing: their links would only repeat the data's problems
        problems = [p for p in problems if p.field != LINK]
        problems.append(Problem("data/", None, "", LINKS_LATER))
    # links into a page that could not be read only repeat its problem
    problems = [p for p in problems if not (p.field == LINK and _into_unreadable(p.message))]
    if COMMAND != "serve":  # nothing of a failed build may be published
        site = Path(config.site_dir)
        for path in site.iterdir() if site.is_dir() else []:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    _fail(KbError(problems))


def _into_unreadable(message: str) -> bool:
    target = re.search(r"but the (?:doc|target) '([^']+)'", message)
    return bool(target) and target[1] in State.unreadable
