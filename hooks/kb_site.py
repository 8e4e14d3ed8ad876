"""What one build does with MkDocs' objects (files, navigation, pages), event by event.

`Build` is all one build knows: made when a build starts (kb_mkdocs.on_config)
and kept on MkDocs' configuration (`config.kb_build`), which the plugin reuses
for every language of that build and MkDocs makes anew for the next build.
Nothing here outlives a build. The plain steps shared with `make check` are in
kb/pipeline.py; the patches of MkDocs' internals in kb_patches.py; the
language plugin's internals in kb_i18n.py.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page

import kb_i18n as i18n
import kb_patches as patches
from kb import (
    cards,
    causes,
    charts,
    cite,
    contact,
    datapackage,
    gate,
    gitdates,
    kinds,
    links,
    pagecache,
    pages,
    pipeline,
    preview,
    printing,
    render,
    safety,
    search,
    templates,
    text,
    urls,
)
from kb.directives import DirectiveError
from kb.problems import KbError, Problem, emit_annotations


class Build:
    """What one build knows, shared by the languages of that build."""

    def __init__(self, settings: pipeline.Settings, start: pipeline.Start, config, command: str):
        root = self.root = settings.root
        self.settings, self.start, self.data = settings, start, start.data
        self.data_broken = start.broken
        self.command = command  # "build" or "serve" (MkDocs' on_startup)
        # the preview's pass (kb/preview.py, set by hooks/kb_serve.py); else the whole site
        self.preview: preview.Pass = getattr(config, "kb_preview", None) or preview.Pass()
        # file -> date of its last commit (data and templates: the dates of the pages generated from data)
        self.updated: dict[str, str] = gitdates.last_changes(root, ("content", "data", "templates"))
        self.shared_files: dict[str, str] = {}  # path -> content of the generated files all languages share
        self.generated: dict[str, tuple[File, object]] = {}  # src_uri -> (file, kb.pages page), current language
        self.problems: list[Problem] = list(start.problems)  # every problem of this build, all languages
        self.unsafe: set[str] = set()  # pages whose content must not be published (src_uri)
        self.unreadable: set[str] = set()  # pages whose file could not be read: links into them fail too
        self.default_404: str | None = None
        self.page_cache = pagecache.PageCache(root / ".cache" / "pages")
        self.files_keys: dict[int, str] = {}  # id(files) -> pagecache.files_key, per language
        self.final_markdown: dict[str, str] = {}  # content/<src_uri> -> the page's Markdown as expanded
        self.abbreviations: dict[str, str] = {}  # language -> the glossary's abbreviations, added to every page
        self.theme_files: dict[str, list[str]] = {}  # folder of an installed theme -> its files
        self.site = Path(config.site_dir)  # the site's folder (each language's build writes under it)
        # the output gate's view of this build (kb/gate.py), from the languages read once (pipeline.Settings),
        # not from mkdocs.yml again at each page the preview writes
        self.gate = gate.Site(self.site, root, config.site_url, tuple(map(str, config.theme.dirs)), settings.langs.all)
        self.indexer: search.Indexing | None = None  # the search index, fed each page as it is built
        # the sections printed as one document each (kb/printing.py), by language: the plugin's
        # nested builds of the other languages end before the source language's on_post_build
        self.print_sections: dict[str, list[printing.Section]] = {}
        self.printed: dict[str, dict[str, printing.Built]] = {}  # language -> src_uri -> finished page

    def context(self, config, page: str = "", offset: int = 0):
        return self.start.context(self.settings, i18n.language(config), page, offset)

    def guard(self, default, fn, *args):
        return pipeline.guard(self.data_broken, default, fn, *args)

    def display(self, file) -> str:
        """The page's file relative to the project (`content/<lang>/…` for a page made from data)."""
        if file.abs_src_path:
            path = Path(file.abs_src_path)
            return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.as_posix()
        return f"content/{file.src_uri}"

    def word(self, key: str, lang: str, source: str) -> str | None:
        """A label of data/labels.yml as plain text in `lang`; a missing one is a problem of the build
        (named once), and what needed it is left out."""
        try:
            return text.plain(text.label_field(self.data, key), lang, source)
        except text.MissingLabel:
            problem = Problem("data/labels.yml", None, f"labels.{key}", f'the label "{key}" is missing: add it in every language')
            if problem not in self.problems:
                self.problems.append(problem)
            return None

    def stop_indexing(self) -> None:
        if self.indexer is not None:
            self.indexer.close()
            self.indexer = None


def fail(problems: list[Problem], root: Path):
    """Stop the build with every problem, causes first (kb/pipeline.py: as `make check` lists them);
    in GitHub Actions, also on the pull request's files (causes first: GitHub shows ten a step) and
    every one in the job summary (`make build` in several processes writes it once, kb/parallel.py)."""
    pipeline.write_problems(problems)
    entries = pipeline.entries(problems, root)
    emit_annotations(causes.annotated(entries))
    causes.write_summary(causes.summary_markdown(entries))
    raise PluginError("\n".join(causes.listing(entries)))


# --- on_files ----------------------------------------------------------------------------------


def add_files(b: Build, files, config) -> None:
    """This language's pages made from data, the pages shown from another language, the shared
    downloads and charts; every output path checked to lie inside the site's folder."""
    lang, source = i18n.language(config), i18n.source_language(config)
    b.generated = {}
    try:
        made, refused = pipeline.generated(b.start, b.context(config), b.site, Path(config.docs_dir), i18n.languages(config))
    except KbError as exc:
        fail(exc.problems, b.root)
    if lang == source:  # the same in every language
        b.problems += refused
    for page in made:
        file = i18n.add_generated_page(files, config, page.path, page.markdown)
        b.generated[file.src_uri] = (file, page)
    for decl in pages.listings_to_place(b.data):  # place_in_nav places them
        listing = files.get_file_from_path(f"{lang}/{decl.follows}")
        if listing is not None:
            listing.inclusion = InclusionLevel.NOT_IN_NAV
    if lang == source:
        i18n.add_pages_only_in_other_languages(files, config)
    else:
        i18n.link_pages_only_in_this_language(files, config, set(b.generated))
    _theme_words(b, config, lang)
    ctx = b.context(config)
    try:
        if not b.shared_files:  # the same in every language: made once per build
            b.shared_files = render.shared_files(ctx)
            # the open data's descriptor (sizes and hashes of the files above)
            b.shared_files[datapackage.PATH] = datapackage.to_json(b.data, b.shared_files, ctx.langs)
        made_charts = [charts.make(ctx, chart) for chart in kinds.charts(b.data).values()]
    except DirectiveError as exc:
        fail([Problem("data/kinds.yml", None, "", str(exc))], b.root)
    except Exception:
        if not b.data_broken:
            raise
        made_charts = []  # the data's problems are reported
    for path, content in b.shared_files.items():
        files.append(File.generated(config, path, content=content))
    for chart in made_charts:
        for path, svg in charts.files(chart, lang, b.root / ".cache" / "charts").items():
            files.append(File.generated(config, path, content=svg))
    for file in list(files):  # every output path lies inside the site's folder, whatever made it
        from kb.pages import address_problem

        why = address_problem(b.site, file.dest_uri)
        if why is not None:
            b.problems.append(Problem(b.display(file), None, "", why))
            files.remove(file)


def _theme_words(b: Build, config, lang: str) -> None:
    """Words that mkdocs.yml gives the theme once for every language (each heading's link title,
    the palette toggle's name), from data/labels.yml in the language being built."""
    source = i18n.source_language(config)
    toc = config.mdx_configs.get("toc")
    if toc is not None and toc.get("permalink") and b.word("permalink_title", lang, source):
        toc["permalink_title"] = b.word("permalink_title", lang, source)
    palette = config.theme.get("palette")
    for option in palette if isinstance(palette, list) else []:
        to = "palette_to_light" if option.get("scheme") == "slate" else "palette_to_dark"
        if option.get("toggle") and b.word(to, lang, source):
            option["toggle"]["name"] = b.word(to, lang, source)


# --- on_nav ------------------------------------------------------------------------------------


def place_in_nav(b: Build, nav, config, files) -> None:
    """Put each listing page that mkdocs.yml's nav leaves out after the page its kind names,
    then each generated page right after the page that lists its records."""
    lang = i18n.language(config)
    for decl in pages.listings_to_place(b.data):
        listing = files.get_file_from_path(f"{lang}/{decl.follows}")
        if listing is not None and listing.page is not None and listing.page not in nav.pages:
            _insert_after(nav, f"{lang}/{decl.listing_follows}", [listing.page])
    by_index: dict[str, list[Page]] = {}
    for file, generated in b.generated.values():
        by_index.setdefault(f"{lang}/{generated.index}", []).append(Page(generated.title, file, config))
    for index, new_pages in by_index.items():
        _insert_after(nav, index, new_pages)
    # a listing page not in the navigation: its generated pages are still built and searchable
    for before, page, after in zip([None, *nav.pages[:-1]], nav.pages, [*nav.pages[1:], None], strict=True):
        page.previous_page, page.next_page = before, after
    b.print_sections[lang], b.printed[lang] = _print_sections(nav.items, config.site_name), {}


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


# --- a page ------------------------------------------------------------------------------------


def page_markdown(b: Build, markdown: str, page, config) -> str:
    """The page's Markdown as the site shows it (kb/pipeline.py: the same function as `make check`)."""
    display = b.display(page.file)
    ctx = b.context(config, display, _front_matter_lines(page, markdown))
    # "last updated": the last commit that changed the page's file, or (generated page) its data
    # file or template; else today (a new page)
    updated = (
        b.updated.get(display)
        or gitdates.generated_date(b.updated, display, kinds.kinds(b.data))
        or gitdates.build_date()
    )
    page.meta["kb_updated"] = updated  # for "cite this page" (on_page_context)

    def abbreviations() -> str:  # the same for every page of a language
        if ctx.lang not in b.abbreviations:
            b.abbreviations[ctx.lang] = b.guard("", render.abbreviations, ctx)
        return b.abbreviations[ctx.lang]

    done = pipeline.expand(
        markdown, ctx, page.meta.get("sources"), updated, b.data_broken, page.file.src_uri in b.unreadable,
        abbreviations, lambda out: _translation_notice(b, out, page, ctx),
    )
    b.problems += done.problems
    b.final_markdown[f"content/{page.file.src_uri}"] = done.markdown  # for the report (links.name_sections)
    if done.unsafe:
        b.unsafe.add(page.file.src_uri)
    return done.markdown


def _translation_notice(b: Build, markdown, page, ctx):
    """Missing translation: the original under a notice; outdated: a notice linking to the original."""
    rel = i18n.page_path(page.file)
    if page.file.src_uri in b.generated or rel is None:
        return markdown

    def original_url(lang: str) -> str | None:
        original = i18n.alternate(page.file, lang)
        return None if original is None else urls.relative(original.url, page.file.url)

    out, state = pipeline.translation_notice(ctx, markdown, b.root / "content", rel, i18n.shown_from(page.file), original_url)
    if state is not None:
        page.meta["kb_translation"] = state
    return out


def _front_matter_lines(page, markdown: str) -> int:
    """How many lines of the file come before `markdown` (the body after the front matter)."""
    try:
        source = page.file.content_string
    except ValueError:  # not UTF-8: already a problem of the page
        return 0
    start = source.find(markdown[:200]) if markdown else -1
    return source.count("\n", 0, start) if start > 0 else 0


def check_content(b: Build, html_content: str, page) -> None:
    """Whatever wrote it, a page's content may not run code in readers' browsers."""
    # checked with the conversion (kb_patches.render_cached) when no other hook changed the HTML since
    found = page.kb_unsafe if getattr(page, "kb_unsafe", None) is not None and html_content == page.content else None
    if found is None:
        found = safety.check_html(html_content)
    if found:
        try:
            source = page.file.content_string
        except (ValueError, OSError):
            source = page.markdown or ""
        b.problems += pipeline.html_problems(found, source, b.display(page.file), b.data_broken)
        b.unsafe.add(page.file.src_uri)


def page_extras(b: Build, page, config) -> None:
    """"Cite this page", "report a mistake", the sharing card, the print link, the canonical address."""
    home = page.file.src_uri.split("/", 1)[-1] == "index.md"
    title = config.site_name if home else html.unescape(str(page.meta.get("title") or page.title or ""))
    if page.meta.get("kb_updated"):
        ctx = b.context(config)
        # without a public address (SITE_URL unset) the citation gives none: never a local one
        page.meta["kb_cite"] = b.guard(
            "", cite.block, ctx, title, config.site_name, page.canonical_url or None, page.meta["kb_updated"],
            page.edit_url, page.url, _report_links(b, ctx, title, page, config),
        )
    _sharing_card(b, page, config, title)
    _print_link(b, page, config)
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


def _print_link(b: Build, page, config) -> None:
    """The link to the section's printable document (the innermost section the page is in)."""
    sections = [s for s in b.print_sections.get(i18n.language(config), []) if page.file.src_uri in s.pages]
    if not sections:
        return
    section = min(sections, key=lambda s: len(s.pages))
    label = b.word("print_link", i18n.language(config), i18n.source_language(config))
    if label is None:
        return
    page.meta["kb_print"] = urls.relative(urls.next_to(section.index_url, printing.FILE_NAME), page.url)
    page.meta["kb_print_text"] = label.replace("{section}", section.title).replace("{n}", str(len(section.pages)))


REPORT_WORDS = ("report_mistake", "report_by_email", "report_title", "report_page", "report_wrong", "report_fix")


def _report_links(b: Build, ctx, title: str, page, config) -> list[tuple[str, str]]:
    """"Report a mistake": a prefilled issue in the repository, an email (kb/contact.py)."""
    words = {key: b.word(key, ctx.lang, ctx.source) for key in REPORT_WORDS}
    if None in words.values():
        return []
    words["colon"] = text.colon(b.data, ctx.lang)
    address = page.canonical_url or urls.under_site(config.site_url, page.url)
    return contact.report_links(ctx.site, words, title, address)


def _sharing_card(b: Build, page, config, title: str) -> None:
    """The page's preview image when shared (og:image, overrides/main.html), in its language, next
    to its index.html (hooks/kb/cards.py). Only with a public address: og:image must be absolute."""
    if not config.site_url or not page.file.dest_uri.endswith("index.html"):
        return
    section = page.parent.title if page.parent is not None and page.parent.title else ""
    home = page.file.src_uri.split("/", 1)[-1] == "index.md"
    site = "" if home else config.site_name
    host = urlsplit(config.site_url).netloc
    png = b.guard(None, cards.card, html.unescape(title), section, site, host, b.root / ".cache" / "cards")
    if png is None:
        return
    card = urls.next_to(page.url, cards.FILE_NAME)
    target = Path(config.site_dir) / urls.dest_of(card)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png)
    page.meta["kb_card"] = urls.public(config.site_url, card)
    page.meta["kb_card_alt"] = " — ".join(part for part in (site or config.site_name, section, title) if part)


def _not_published_words(b: Build, config) -> tuple[str, dict | None]:
    """(language, words) of the page shown instead of one that is not published, from data/labels.yml."""
    lang = i18n.language(config)
    try:
        keys = ("title", "heading", "text")
        return lang, {k: text.plain(text.label_field(b.data, f"not_published_{k}"), lang, "") for k in keys}
    except (text.MissingLabel, KeyError, TypeError):
        return lang, None  # the labels cannot be read: in English


def page_output(b: Build, output: str, page, config) -> str:
    """The page's final HTML: a refused page replaced by its problems, the preview's problems shown,
    absolute hreflang links, the security policy; kept for the print pages and the search index."""
    display, lang = b.display(page.file), i18n.language(config)
    if page.file.src_uri in b.unsafe:
        # never written as it is, not even in the preview: the build fails with the problems
        problems = [str(p) for p in b.problems if p.file == display]
        output = safety.problem_page(page.file.src_uri, problems, *_not_published_words(b, config))
        # the theme's pages carry their policy (overrides/main.html); this one is not the theme's
        output = safety.add_policy(output, config.theme.dirs, urls.base_url(page.file.dest_uri, config.site_url))
    elif b.command == "serve":  # the preview: the page's problems on the page
        output = preview.show_problems(output, b.problems, display, b.data_broken, _preview_heading(b, lang))
    if b.command == "serve":  # the preview serves each page as it writes it: through the gate first
        found = gate.page_problems(b.gate, page.file.dest_uri, output)
        if found:
            output = safety.problem_page(page.file.src_uri, [str(p) for p in found])
    if b.preview.urls is not None:  # the preview's first pass: no print page, no index
        return output
    b.preview.last_pages[page.file.url] = (page.title, dict(page.meta))
    if any(page.file.src_uri in s.pages for s in b.print_sections.get(lang, [])):
        built = printing.Built(page.file.url, output, page.canonical_url or None, page.file.abs_dest_path)
        b.printed.setdefault(lang, {})[page.file.src_uri] = built
    if b.indexer is None:
        b.indexer = search.Indexing()
    b.indexer.add(lang, output, urls.from_root(page.file.dest_uri))
    return output


def _preview_heading(b: Build, lang: str) -> str:
    try:
        return text.plain(text.label_field(b.data, "preview_problems"), lang, "")
    except text.MissingLabel:
        return "Problems to fix on this page (shown only in the preview)"


def not_found_page(b: Build, output: str, config) -> str:
    """Each language's build renders the theme's 404.html to the site root; the default language's
    stays there, the others go to <lang>/404.html."""
    if i18n.is_source_build(config):
        b.default_404 = output
        return output
    target = Path(config.site_dir) / urls.not_found_page(i18n.language(config), i18n.source_language(config))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return b.default_404 if b.default_404 is not None else output


# --- the end of a build --------------------------------------------------------------------------

PRINT_WORDS = ("print_intro", "print_address", "print_version")


def write_print_pages(b: Build, config) -> None:
    """Each section as one document to print, next to its index page (kb/printing.py), for each
    language built since the last call (the source language's build ends after the others')."""
    source = i18n.source_language(config)
    for lang in list(b.printed):
        printed = b.printed.pop(lang)
        words = {key: b.word(key, lang, source) for key in PRINT_WORDS}
        if None in words.values():
            continue
        ctx = b.start.context(b.settings, lang)

        def render(name: str, **values) -> str:
            return templates.render(b.start.templates, name, ctx, **values)

        for section in b.print_sections.get(lang, []):
            if section.index not in b.unsafe:
                try:
                    printing.write(section, printed, words, render)
                except DirectiveError as exc:  # templates/parts/print.html: named with its line
                    b.problems.append(Problem(f"templates/{printing.TEMPLATE}", None, "", str(exc)))
                    break


def write_search_index(b: Build, config) -> dict[str, int]:
    indexer, b.indexer = b.indexer, None
    try:
        aliases = search.aliases(b.data, i18n.languages(config))  # data/search-aliases.yml
        return indexer.write(b.site, aliases) if indexer else search.write(b.site, [])
    except search.SearchError as exc:
        raise PluginError(str(exc)) from None
    except OSError as exc:
        raise PluginError(patches.unwritable(config.site_dir, exc)) from None


def gate_site(b: Build, config) -> None:
    """The whole site is built: verify every file of it (kb/gate.py). A build's failure leaves nothing
    to publish; the preview says what it found."""
    refused: set[str] = set()
    found = gate.verify(b.gate, refused)
    if not found:
        return
    if b.command == "serve":
        preview.show_refused(b.site, found, refused)
        return
    _empty(b.site)
    pipeline.write_problems(found)
    emit_annotations(found)
    raise PluginError(gate.report(found))


def report(b: Build, config) -> None:
    """Every problem of the build, sorted, then stop (a build leaves nothing to publish)."""
    problems, b.problems = b.problems, []
    patches.stop_listening(b)
    b.stop_indexing()
    problems = pipeline.finish(problems, b.data_broken, b.unreadable)
    if b.data_broken:
        problems.append(pipeline.links_later())
    # a link to a missing section: the page's sections named, as `make check` names them
    problems = [links.name_sections(p, b.final_markdown.get) for p in problems]
    if b.command != "serve":  # nothing of a failed build may be published
        _empty(b.site)
    fail(problems, b.root)


def _empty(site: Path) -> None:
    for path in site.iterdir() if site.is_dir() else []:
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
