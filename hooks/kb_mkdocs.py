"""MkDocs adapter: thin hooks that call the knowledge base's plain modules.

All logic lives in the `kb` package (no MkDocs imports), so a move to another
MkDocs-compatible engine touches only this file. mkdocs-static-i18n runs the
whole build once per language on the same config: these hooks are idempotent
and load the data once per build (this module is loaded afresh for each
build, including each rebuild of `mkdocs serve`).
"""

from __future__ import annotations

import html
import logging
import os
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).parent))

from kb import charts, cite, datapackage, directives, export, freeze, gitdates, pages, render, search, translations  # noqa: E402
from kb.data import Data, load_data_cached  # noqa: E402
from kb.directives import Context, expand  # noqa: E402
from kb.problems import KbError, Problem  # noqa: E402

log = logging.getLogger("mkdocs.hooks.kb")
ROOT = Path(__file__).resolve().parent.parent


class State:
    data: Data | None = None
    updated: dict[str, str] = {}  # file (relative to the project) -> date of its last commit
    shared_files: dict[str, str] = {}  # path -> content of the generated files all languages share
    generated: dict[str, File] = {}  # src_uri -> generated file, current language
    problems: list[Problem] = []
    default_404: str | None = None


def _i18n(config):
    return config.plugins["i18n"]


def _lang(config) -> str:
    return _i18n(config).current_language


def _fail(exc: KbError):
    raise PluginError(exc.report())


# `make build` runs one process per language (hooks/kb/parallel.py): KB_ONLY_LANG
# makes this process build that language alone; the plugin's loop over the
# other languages is skipped.
ONLY_LANG = os.environ.get("KB_ONLY_LANG")
# The benchmark's stock baseline (hooks/kb/freeze.py): write the final content there.
FREEZE = Path(os.environ["KB_BENCH_FREEZE"]) if os.environ.get("KB_BENCH_FREEZE") else None


def on_config(config):
    if State.data is None:
        try:
            State.data = load_data_cached(ROOT / "data", ROOT, ROOT / ".cache" / "data")
        except KbError as exc:
            _fail(exc)
        State.updated = gitdates.last_changes(ROOT)
        if ONLY_LANG:
            # before the plugin's own on_config (priority -100): build this language first and only
            i18n = _i18n(config)
            i18n.current_language = ONLY_LANG
            i18n.building = True
    return config


def _place(file: File, config, lang: str) -> File:
    """Put a file where mkdocs-static-i18n puts that language's pages (the default one at the root)."""
    if lang == _i18n(config).default_language:
        file.dest_uri = file.dest_uri.removeprefix(f"{lang}/")
    file.url = file._get_url()
    file.abs_dest_path = str(Path(config.site_dir) / file.dest_uri)
    file.locale = lang
    return file


def _page_file(config, lang: str, rel: str) -> File:
    """The file of page `rel` (relative to a language folder) at `lang`'s address."""
    return _place(File(f"{lang}/{rel}", config.docs_dir, config.site_dir, config.use_directory_urls), config, lang)


def _generated_file(config, lang: str, path: str, content: str | None) -> File:
    """A page that exists only in memory, placed where mkdocs-static-i18n puts that language's pages."""
    # NOT_IN_NAV: MkDocs must not report them as missing from `nav`; on_nav places them.
    file = File.generated(config, f"{lang}/{path}", content=content or "", inclusion=InclusionLevel.NOT_IN_NAV)
    return _place(file, config, lang)


def _add_pages_only_in_other_languages(files, config):
    """mkdocs-static-i18n falls back to the default language only: a page that exists
    only in English would be missing from the French site. Serve the original there
    (the translation notice is added in on_page_markdown)."""
    i18n = _i18n(config)
    content = Path(config.docs_dir)
    for other in i18n.build_languages:
        if other == i18n.default_language:
            continue
        for path in sorted((content / other).rglob("*.md")):
            rel = path.relative_to(content / other).as_posix()
            if (content / i18n.default_language / rel).exists():
                continue
            # the default language's address, so that `nav` and links find it there
            file = _page_file(config, i18n.default_language, rel)
            file.abs_src_path = str(path)
            file.locale = file.localization = other
            file.locale_alternate_of = i18n.default_language
            file.norm_src_uri = rel
            file.alternates = {i18n.default_language: file, other: _page_file(config, other, rel)}
            files.append(file)


def _link_pages_only_in_this_language(files, config):
    """A page that exists only in this (non-default) language: its switcher leads to the
    default-language address where _add_pages_only_in_other_languages serves it."""
    i18n = _i18n(config)
    content = Path(config.docs_dir)
    default = i18n.default_language
    for file in files.documentation_pages():
        rel = getattr(file, "norm_src_uri", None)
        if getattr(file, "locale", None) != _lang(config) or not rel or getattr(file, "kb_generated", None):
            continue
        if not (content / default / rel).exists() and default not in file.alternates:
            file.alternates[default] = _page_file(config, default, rel)


@event_priority(-150)  # after mkdocs-static-i18n has chosen this language's files
def on_files(files, config):
    i18n = _i18n(config)
    lang = _lang(config)
    State.generated = {}
    for page in pages.generated_pages(Context(State.data, lang, "")):
        file = _generated_file(config, lang, page.path, page.markdown)
        # the metadata mkdocs-static-i18n gives its own files (language switcher, sitemap)
        file.locale = file.localization = file.locale_alternate_of = lang
        file.norm_src_uri = page.path
        file.alternates = {
            other: file if other == lang else _generated_file(config, other, page.path, None)
            for other in i18n.build_languages
        }
        file.kb_generated = page
        files.append(file)
        State.generated[file.src_uri] = file
        i18n.i18n_files_per_language.setdefault(lang, []).append(file)
    if lang == i18n.default_language:
        _add_pages_only_in_other_languages(files, config)
    else:
        _link_pages_only_in_this_language(files, config)
    # the same in every language, so made once per build: open data (every data file
    # as JSON and CSV) and the timeline's filter stylesheet
    if not State.shared_files:
        for name in export.published(State.data):
            State.shared_files[export.download_path(name, "json")] = export.to_json(State.data, name)
            State.shared_files[export.download_path(name, "csv")] = export.to_csv(State.data, name)
        State.shared_files[PAGE_STYLES["timeline"]] = render.timeline_css(State.data)
        # the open data's descriptor (sizes and hashes of the files above)
        State.shared_files[datapackage.PATH] = datapackage.to_json(State.data, State.shared_files)
    for path, content in State.shared_files.items():
        files.append(File.generated(config, path, content=content))
    # charts: SVG rendered from the data in this language (cached by content hash)
    for chart in charts.all_charts(State.data, lang):
        svg = charts.svg(chart, lang, ROOT / ".cache" / "charts")
        files.append(File.generated(config, render.chart_path(chart.name, lang), content=svg))
    if FREEZE:
        _freeze_files(files)
    return files


@event_priority(-150)
def on_nav(nav, config, files):
    """Put each generated page in the navigation, right after the page that lists its records."""
    lang = _lang(config)
    by_index: dict[str, list[File]] = {}
    for file in State.generated.values():
        by_index.setdefault(f"{lang}/{file.kb_generated.index}", []).append(file)
    for item in list(nav.pages):
        extra = by_index.pop(item.file.src_uri, [])
        if not extra:
            continue
        siblings = item.parent.children if item.parent else nav.items
        at = siblings.index(item) + 1
        new_pages = [Page(f.kb_generated.title, f, config) for f in extra]
        for page in new_pages:
            page.parent = item.parent
        siblings[at:at] = new_pages
        flat = nav.pages.index(item) + 1
        nav.pages[flat:flat] = new_pages
    # a listing page not in the navigation: its generated pages are still built and searchable
    for before, page, after in zip([None, *nav.pages[:-1]], nav.pages, [*nav.pages[1:], None], strict=True):
        page.previous_page, page.next_page = before, after
    if FREEZE:
        _freeze_nav(nav, config)
    return nav


def _freeze_files(files):
    for file in files:
        if file.abs_src_path is None and not file.is_documentation_page():
            freeze.write_file(FREEZE, file.src_uri, file.content_bytes)


def _freeze_nav(nav, config):
    def item(node):
        if node.is_section:
            return {node.title: [item(child) for child in node.children]}
        rel = node.file.src_uri.split("/", 1)[1]  # relative to the language folder
        return {node.title: rel} if node.title and not getattr(node.file, "kb_generated", None) else rel

    if _i18n(config).is_default_language_build:
        freeze.write_nav(FREEZE, [item(node) for node in nav.items if not node.is_link])


# directive -> stylesheet that only the pages using it load
PAGE_STYLES = {"timeline": "assets/stylesheets/kb-timeline.css"}


def on_page_markdown(markdown, page, config, files):
    lang = _lang(config)
    source = Path(page.file.abs_src_path) if page.file.abs_src_path else None
    display = source.relative_to(ROOT).as_posix() if source else f"content/{page.file.src_uri}"
    ctx = Context(State.data, lang, display, page.file.url, _front_matter_lines(page, markdown))
    out, problems = expand(markdown, ctx)
    # stylesheets only some pages need (overrides/main.html links them)
    used = directives.names(markdown)
    page.meta["kb_styles"] = [css for name, css in PAGE_STYLES.items() if name in used]
    # "last updated": the last commit that changed the page's file, else today (new or generated page)
    updated = State.updated.get(display) or gitdates.build_date()
    page.meta["kb_updated"] = updated  # for "cite this page" (on_page_context)
    citation, found = render.page_citation(page.meta.get("sources"), ctx, updated)
    out += citation
    problems += found
    out += render.abbreviations(ctx)
    out = _translation_notice(out, page, config, ctx)
    State.problems += problems
    if FREEZE:
        meta = {k: v for k, v in page.meta.items() if not k.startswith("kb_")}
        meta.setdefault("title", page.title)
        freeze.write_page(FREEZE, page.file.src_uri, meta, out)
    return out


def _translation_notice(markdown, page, config, ctx):
    """Missing translation: the original under a notice; outdated: a notice linking to the original."""
    if getattr(page.file, "kb_generated", None) or not hasattr(page.file, "locale"):
        return markdown
    lang = ctx.lang
    rel = page.file.norm_src_uri
    if page.file.locale != lang:
        state, original_lang = "missing", page.file.locale
    else:
        state, original_lang = translations.page_state(ROOT / "content", rel, lang), translations.SOURCE
    if state not in ("missing", "outdated"):
        return markdown
    i18n = _i18n(config)
    original = rel.removesuffix(".md").removesuffix("index").rstrip("/")
    original = (original + "/") if original else ""
    if original_lang != i18n.default_language:
        original = f"{original_lang}/{original}"
    here = page.file.url.rstrip("/")
    up = "../" * (here.count("/") + 1) if here and here != "." else ""
    page.meta["kb_translation"] = state
    return render.translation_notice(ctx, markdown, state, up + original, original_lang)


def _front_matter_lines(page, markdown: str) -> int:
    """How many lines of the file come before `markdown` (the body after the front matter)."""
    source = page.file.content_string
    start = source.find(markdown[:200]) if markdown else -1
    return source.count("\n", 0, start) if start > 0 else 0


def on_page_context(context, page, config, nav):
    # "cite this page" and "edit this page", at the foot of the page (overrides/main.html)
    home = page.file.src_uri.split("/", 1)[-1] == "index.md"
    title = config.site_name if home else html.unescape(str(page.meta.get("title") or page.title or ""))
    if page.meta.get("kb_updated") and page.canonical_url:
        page.meta["kb_cite"] = cite.block(
            title, config.site_name, page.canonical_url, page.meta["kb_updated"], _lang(config), page.edit_url
        )
    # Material prints the description into attributes without escaping it
    if isinstance(page.meta.get("description"), str):
        page.meta["description"] = html.escape(html.unescape(page.meta["description"]), quote=True)
    # an untranslated page shown in another language points search engines to its original
    if page.meta.get("kb_translation") == "missing" and config.site_url:
        alternate = page.file.alternates.get(page.file.locale) if hasattr(page.file, "alternates") else None
        if alternate is not None:
            page.canonical_url = config.site_url.rstrip("/") + "/" + alternate.url.lstrip("./")
    return context


def on_env(env, config, files):
    # Compiling the theme's templates is a tenth of each language's build: keep
    # the compiled code between builds (Jinja checks each template's source).
    cache = ROOT / ".cache" / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    # All pages' Markdown has been read: report every page's problems together.
    if State.problems:
        problems, State.problems = State.problems, []
        _fail(KbError(problems))
    return env


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def _name_search_dialog(output: str, config) -> str:
    """Material's search dialog has no accessible name (axe: aria-dialog-name): give it one."""
    name = render.esc(State.data["labels"]["labels"]["search"][_lang(config)])
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{name}">', 1)


ALTERNATE = re.compile(r'(<link rel="alternate" href=")([^"]*)(" hreflang="[^"]+">)')


def _absolute_alternates(output: str, page, config) -> str:
    """hreflang links must be absolute addresses (search engines ignore relative ones)."""
    if not config.site_url:
        return output
    here = urljoin(config.site_url, page.url)
    return ALTERNATE.sub(lambda m: m[1] + urljoin(here, m[2]) + m[3], output)


def on_post_page(output, page, config):
    return _absolute_alternates(_name_search_dialog(output, config), page, config)


def on_pre_template(template, template_name, config):
    # The plugin points the language switcher at the translation of the last
    # page built; on the 404 page it must lead to each language's home.
    if template_name == "404.html":
        base = urlsplit(config.site_url or "/").path.rstrip("/")
        homes = [
            {"name": lang.name, "link": f"{base}{lang.link}", "lang": lang.locale}
            for lang in _i18n(config).config.languages
            if lang.build
        ]
        # the plugin sets it as an attribute of `extra` (which Jinja reads first) per page
        config.extra.alternate = homes
        config.extra["alternate"] = homes
    return template


def on_post_template(output, template_name, config):
    # Each language's build renders the theme's 404.html to the site root; the
    # default language's stays there, the others go to <lang>/404.html.
    if template_name != "404.html":
        return output
    output = _name_search_dialog(output, config)
    i18n = _i18n(config)
    if i18n.is_default_language_build:
        State.default_404 = output
        return output
    target = Path(config.site_dir) / i18n.current_language / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return State.default_404 if State.default_404 is not None else output


@event_priority(-200)  # after mkdocs-static-i18n has built every language and merged the search entries
def on_post_build(config):
    i18n = _i18n(config)
    if i18n.building and not ONLY_LANG:  # a nested language build: the plugin has not finished yet
        return
    site = Path(config.site_dir)
    counts = search.split_index(
        site, i18n.default_language, [lang for lang in i18n.build_languages if lang != i18n.default_language]
    )
    search.write_worker(site)
    log.info("search indexes: %s", ", ".join(f"{lang} {n} entries" for lang, n in counts.items()))
