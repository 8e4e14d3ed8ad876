"""Every change we make to MkDocs' or Material's internals, in one place (MkDocs 1.6.1, pinned).

Each one replaces, wraps or relies on an upstream function whose code is
pinned by a test (tests/test_patches.py hashes its source): an upgrade that
changes one of them fails there, naming what to re-check here.

- `_strip_tags`: page titles keep French typography's no-break spaces;
- the site's file writes (`write_file`, `copy_file`, `clean_directory`):
  their errors (a full disk, a read-only folder) a plain problem;
- the theme's template loader (`Theme.get_env`): lists Material's files once;
- `Page.render`: the page cache (kb/pagecache.py) around MkDocs' conversion;
- `Page._title_from_render`: a title the preview's first pass did not render;
- the theme's Jinja environment: swapped into Jinja's sandbox;
- MkDocs' warnings (broken links, anchors, nav): problems of the build.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
import re
import sys
import traceback
from pathlib import Path

from jinja2 import FileSystemBytecodeCache, FileSystemLoader
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment, safe_range
from markupsafe import Markup
from mkdocs import utils as _mkdocs_utils
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import rendering as _rendering

sys.path.insert(0, str(Path(__file__).parent))

from kb import links, pagecache, safety  # noqa: E402
from kb.data import unexpected  # noqa: E402
from kb.problems import Problem  # noqa: E402

def strip_tags(text: str) -> str:
    """Page titles (MkDocs' first heading; Jinja's striptags: <title>, menus, "cite this page"), with the no-break
    spaces of French typography kept: MkDocs collapses whitespace with str.split(), which also
    takes U+00A0 and U+202F for spaces, so « Résultats 2017 : … » could break before its colon."""
    # one pass each (MkDocs' loops copy the text once per tag: a heading of many tags took minutes)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"<[^>]*>", "", text)
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip()


_rendering._strip_tags = strip_tags  # MkDocs' get_heading_text looks it up there


def unwritable(path, exc: OSError) -> str:
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

    @functools.wraps(write)
    def checked(*args, **kwargs):
        try:
            return write(*args, **kwargs)
        except OSError as exc:
            raise PluginError(unwritable(args[-1] if args else "site", exc)) from None

    checked.kb_checked = True
    return checked


for _name in ("write_file", "copy_file", "clean_directory"):
    setattr(_mkdocs_utils, _name, _writes_checked(getattr(_mkdocs_utils, _name)))


# --- the theme's templates ---------------------------------------------------------------------


class _ThemeLoader(FileSystemLoader):
    """The theme's template loader, listing its files faster. MkDocs lists every file of the
    theme at each build of each language, to copy the static ones: Material's thousands of
    icons (.icons/, never copied) took a tenth of a language's build. Folders whose name starts
    with a dot are left out of the listing (MkDocs' filter drops them anyway); the listing of an
    installed theme, which cannot change while the process runs, is kept for the build's languages."""

    def __init__(self, searchpath, root: Path, listed: dict[str, list[str]]):
        super().__init__(searchpath)
        self.root, self.listed = root, listed  # listed: folder of an installed theme -> its files

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            installed = not Path(folder).resolve().is_relative_to(self.root)
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


def list_theme_files_once(theme, root: Path, listed: dict[str, list[str]]) -> None:
    """Give the theme's Jinja environment the faster loader above (MkDocs makes it per build)."""
    make_env = type(theme).get_env

    def get_env():
        env = make_env(theme)
        env.loader = _ThemeLoader(theme.dirs, root, listed)
        return env

    theme.get_env = get_env


class _ThemeSandbox(SandboxedEnvironment):
    """Jinja's sandbox for the theme's templates; what it refuses is a plain problem at the template's line."""

    root: Path

    def handle_exception(self, source=None):
        if not isinstance(sys.exc_info()[1], SecurityError):
            return super().handle_exception(source)
        try:
            super().handle_exception(source)  # raises the error with the templates' own lines
        except SecurityError as refused:
            frames = [f for f in traceback.extract_tb(refused.__traceback__) if _in_project(f.filename, self.root)]
            last = frames[-1] if frames else None
            where = f"{Path(last.filename).resolve().relative_to(self.root).as_posix()}:{last.lineno}" if last else "a template"
            raise PluginError(f"{where}: this template reaches into Python's insides ({refused}); templates may "
                              "use the page's and the site's values only: remove it") from None


def _in_project(filename: str, root: Path) -> bool:
    path = Path(filename).resolve()
    return path.is_relative_to(root) and not path.is_relative_to(root / ".venv")


def sandbox(env, root: Path):
    """The theme's templates (overrides/ among them, files a pull request may change) rendered in
    Jinja's sandbox: `cycler.__init__.__globals__.os.environ` would print the build's environment."""
    if not isinstance(env, SandboxedEnvironment):
        env.__class__ = type("SandboxedThemeEnvironment", (_ThemeSandbox, type(env)), {"root": root})
        env.globals["range"] = safe_range
        env.binop_table, env.unop_table = env.default_binop_table.copy(), env.default_unop_table.copy()
    # Compiling the theme's templates is a tenth of each language's build: keep
    # the compiled code between builds (Jinja checks each template's source).
    cache = root / ".cache" / "jinja-sandboxed"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    # Jinja's striptags (the theme's <title>, menus, search box) collapses whitespace like MkDocs
    env.filters["striptags"] = lambda value: Markup(strip_tags(str(value))).unescape()
    return env


# --- the pages -----------------------------------------------------------------------------------

# the safety check of the HTML (on_page_content) is kept in the page cache: its code is part of the key
SAFETY_CODE = {"safety": safety.code()}


def render_cached(build, page, config, files) -> None:
    """`page.render`: MkDocs' Markdown → HTML conversion of the page, or its result from the page cache.
    `build` (kb_site.Build) gives the cache and takes the problems."""
    files_key = build.files_keys.get(id(files))
    if files_key is None:
        files_key = build.files_keys[id(files)] = pagecache.files_key([(f.src_uri, f.url, f.dest_uri) for f in files])
    other = {"use_directory_urls": config.use_directory_urls, "validation": str(config.validation), **SAFETY_CODE}
    settings = pagecache.settings_key(config.markdown_extensions, config.mdx_configs, other)
    key = pagecache.page_key(settings, files_key, page.markdown, page.file.src_uri, page.file.url)
    entry = build.page_cache.get(key)
    if entry is not None:
        page.content, page.toc, page._title_from_render = entry["content"], get_toc(entry["toc"]), entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        page.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in entry["links"].items()}
        page.kb_unsafe = [tuple(found) for found in entry["unsafe"]]
        return
    before = len(build.problems)  # MkDocs' warnings (broken links…) become problems: see Warnings
    try:
        Page.render(page, config, files)
    except Exception as exc:  # noqa: BLE001 (named with the page, never a traceback)
        build.problems.append(_unexpected(build.display(page.file), exc))
        build.unsafe.add(page.file.src_uri)
        page.content, page.toc = "", get_toc([])
        page.kb_unsafe = []
        return
    page.kb_unsafe = safety.check_html(page.content)
    if len(build.problems) == before:
        links = {to.src_uri: dict(found) for to, found in (page.links_to_anchors or {}).items()}
        toc, anchors = pagecache.toc_tokens(page.toc), sorted(page.present_anchor_ids or ())
        entry = {"content": page.content, "toc": toc, "title": page._title_from_render, "anchors": anchors}
        build.page_cache.put(key, {**entry, "links": links, "unsafe": page.kb_unsafe})


def _unexpected(display: str, exc: BaseException) -> Problem:
    if isinstance(exc, RecursionError):
        message = "this page is nested too deeply (lists, quotes or blocks inside each other): nest less deeply"
        return Problem(display, None, "", message)
    return unexpected(display, exc)


def keep_title(page, title: str | None, meta: dict) -> None:
    """A page the preview's first pass does not render keeps the title and metadata of the last build
    (MkDocs reads a page's title from its rendering: `Page.title` returns `_title_from_render` first)."""
    page.markdown, page.meta, page._title_from_render = "", dict(meta), title


# --- MkDocs' warnings ----------------------------------------------------------------------------

LINK = "link"  # the field of MkDocs' link and anchor warnings
DOC_FILE = re.compile(r"Doc file '([^']+)' contains (?:a link|an absolute link) '([^']*)'")


class Warnings(logging.Handler):
    """MkDocs' own warnings (broken links, missing anchors, nav), as problems of one build."""

    def __init__(self, build):
        super().__init__(logging.WARNING)
        self.build = build

    def emit(self, record):
        # the preview's server logs a browser's requests (`"GET /favicon.ico" code 404`): not a problem
        if not record.name.startswith(("mkdocs.hooks.kb", "mkdocs.livereload")):
            self.build.problems += mkdocs_problems(record.getMessage(), self.build.root)


def mkdocs_problems(message: str, root: Path) -> list[Problem]:
    """A MkDocs warning as problems naming the file and, where it can be found, the line, in the
    words `make check` uses for them (kb.links): pages left out of the navigation, one each."""
    omitted = links.omitted_pages(message)
    if omitted is not None:
        config_text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        line = links.nav_line(config_text, "nav:")
        return [Problem("mkdocs.yml", line, "nav", links.not_in_nav(path)) for path in omitted]
    return [mkdocs_problem(message, root)]


def mkdocs_problem(message: str, root: Path) -> Problem:
    """A MkDocs warning as a problem naming the file and, where it can be found, the line, in the
    words `make check` uses for it (kb.links.plain)."""
    match = DOC_FILE.search(message)
    if match:
        display = f"content/{match[1]}"
        return Problem(display, links.link_line(root, display, match[2]), LINK, links.plain(message))
    nav = re.search(r"'([^']+\.md)'", message)
    if "'nav'" in message and nav:
        config_text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        return Problem("mkdocs.yml", safety.locate(config_text, nav[1]), "nav", links.plain(message))
    return Problem("mkdocs.yml" if '"nav"' in message else "(build)", None, "", links.plain(message))


class _Translated(logging.Filter):
    """MkDocs' warnings that the list of problems says in plain words (kb.links.plain) are not
    printed a second time in MkDocs' own words."""

    def filter(self, record):
        return not (record.levelno == logging.WARNING and links.plain(record.getMessage()) != record.getMessage())


def listen(build) -> Warnings:
    """MkDocs' warnings become `build`'s problems (the handler of an earlier build is removed)."""
    logger = logging.getLogger("mkdocs")
    for handler in [h for h in logger.handlers if isinstance(h, Warnings)]:
        logger.removeHandler(handler)
    handler = Warnings(build)
    logger.addHandler(handler)
    for stream in logger.handlers:
        if isinstance(stream, logging.StreamHandler) and not any(isinstance(f, _Translated) for f in stream.filters):
            stream.addFilter(_Translated())
    return handler


def listening():
    """The build whose problems MkDocs' warnings go to now (None outside a build)."""
    handler = next((h for h in logging.getLogger("mkdocs").handlers if isinstance(h, Warnings)), None)
    return handler.build if handler else None


def stop_listening(build) -> None:
    logger = logging.getLogger("mkdocs")
    for handler in [h for h in logger.handlers if isinstance(h, Warnings) and h.build is build]:
        logger.removeHandler(handler)
