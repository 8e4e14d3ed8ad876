"""MkDocs adapter: thin hooks that call the knowledge base's plain modules.

All logic lives in the `kb` package (no MkDocs imports), so a move to another
MkDocs-compatible engine touches only this file. mkdocs-static-i18n runs the
whole build once per language on the same config: these hooks are idempotent
and load the data once per build (this module is loaded afresh for each
build, including each rebuild of `mkdocs serve`).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).parent))

from kb import charts, pages, render, search  # noqa: E402
from kb.data import Data, load_data  # noqa: E402
from kb.directives import Context, expand  # noqa: E402
from kb.problems import KbError, Problem  # noqa: E402

log = logging.getLogger("mkdocs.hooks.kb")
ROOT = Path(__file__).resolve().parent.parent


class State:
    data: Data | None = None
    generated: dict[str, File] = {}  # src_uri -> generated file, current language
    problems: list[Problem] = []
    default_404: bytes | None = None


def _i18n(config):
    return config.plugins["i18n"]


def _lang(config) -> str:
    return _i18n(config).current_language


def _fail(exc: KbError):
    raise PluginError(exc.report())


def on_config(config):
    if State.data is None:
        try:
            State.data = load_data(ROOT / "data", ROOT)
        except KbError as exc:
            _fail(exc)
    return config


def _generated_file(config, lang: str, path: str, content: str | None) -> File:
    """A page that exists only in memory, placed where mkdocs-static-i18n puts that language's pages."""
    i18n = _i18n(config)
    # NOT_IN_NAV: MkDocs must not report them as missing from `nav`; on_nav places them.
    file = File.generated(config, f"{lang}/{path}", content=content or "", inclusion=InclusionLevel.NOT_IN_NAV)
    dest = file.dest_uri
    if lang == i18n.default_language:
        dest = dest.removeprefix(f"{lang}/")
    file.dest_uri = dest
    file.url = file._get_url()
    file.abs_dest_path = str(Path(config.site_dir) / dest)
    return file


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
            other: (file if other == lang else _generated_file(config, other, page.path, None))
            for other in i18n.build_languages
        }
        file.kb_generated = page
        files.append(file)
        State.generated[file.src_uri] = file
        i18n.i18n_files_per_language.setdefault(lang, []).append(file)
    # charts: SVG rendered from the data in this language (cached by content hash)
    for chart in charts.all_charts(State.data, lang):
        svg = charts.svg(chart, lang, ROOT / ".cache" / "charts")
        files.append(File.generated(config, render.chart_path(chart.name, lang), content=svg))
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
    for before, page, after in zip([None, *nav.pages[:-1]], nav.pages, [*nav.pages[1:], None]):
        page.previous_page, page.next_page = before, after
    return nav


def on_page_markdown(markdown, page, config, files):
    lang = _lang(config)
    display = f"content/{page.file.src_uri}"
    ctx = Context(State.data, lang, display, page.file.url, _front_matter_lines(page, markdown))
    out, problems = expand(markdown, ctx)
    src_ids = page.meta.get("sources")
    known = {d["id"] for d in State.data.records("bibliography") if d["kind"] == "source"}
    if not src_ids or not isinstance(src_ids, list):
        problems.append(Problem(display, 1, "sources", "every page names its source documents in its front matter, "
                                f"e.g. `sources: [unwomen-2023]`; ids: {', '.join(sorted(known))}"))
    else:
        bad = [s for s in src_ids if s not in known]
        if bad:
            problems.append(Problem(display, 1, "sources", f"unknown source id(s) {', '.join(map(str, bad))}; use: {', '.join(sorted(known))}"))
        else:
            out += render.page_sources(src_ids, ctx)
    out += render.abbreviations(ctx)
    State.problems += problems
    return out


def _front_matter_lines(page, markdown: str) -> int:
    """How many lines of the file come before `markdown` (the body after the front matter)."""
    source = page.file.content_string
    start = source.find(markdown[:200]) if markdown else -1
    return source.count("\n", 0, start) if start > 0 else 0


def on_env(env, config, files):
    # All pages' Markdown has been read: report every page's problems together.
    if State.problems:
        problems, State.problems = State.problems, []
        _fail(KbError(problems))
    return env


def on_post_template(output, template_name, config):
    # Each language's build renders the theme's 404.html to the site root; the
    # default language's stays there, the others go to <lang>/404.html.
    if template_name != "404.html":
        return output
    i18n = _i18n(config)
    if i18n.is_default_language_build:
        State.default_404 = output
        return output
    target = Path(config.site_dir) / i18n.current_language / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return State.default_404


@event_priority(-200)  # after mkdocs-static-i18n has built every language and merged the search entries
def on_post_build(config):
    i18n = _i18n(config)
    if i18n.building:  # a nested language build: the plugin has not finished yet
        return
    site = Path(config.site_dir)
    counts = search.split_index(site, i18n.default_language, [lang for lang in i18n.build_languages if lang != i18n.default_language])
    search.write_worker(site)
    log.info("search indexes: %s", ", ".join(f"{lang} {n} entries" for lang, n in counts.items()))
