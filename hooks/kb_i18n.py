"""The one place that touches mkdocs-static-i18n's internals (plugin 1.3.1).

The plugin builds the default language, then re-runs the whole build for
each other language on the same config object. Our hooks need to know which
language is being built, to place pages that exist only in memory where the
plugin puts each language's pages (with the metadata its language switcher
and sitemap read), and to fix the switcher of the 404 page. Everything that
reads or writes the plugin's attributes or its files' extra attributes
(`locale`, `alternates`, `norm_src_uri`…) is here, so that an upgrade of the
plugin is checked in one file (the whole-build tests cover each function).
"""

from __future__ import annotations

from pathlib import Path

from kb import urls
from mkdocs.structure.files import File, InclusionLevel


def plugin(config):
    return config.plugins["i18n"]


def language(config) -> str:
    """The language being built."""
    return plugin(config).current_language


def source_language(config) -> str:
    return plugin(config).default_language


def languages(config) -> tuple[str, ...]:
    """Every built language, the source first."""
    i18n = plugin(config)
    return (i18n.default_language, *(lang for lang in i18n.build_languages if lang != i18n.default_language))


def is_nested_build(config) -> bool:
    """True while the plugin builds the languages after the first (the same build goes on)."""
    return plugin(config).building


def is_source_build(config) -> bool:
    return plugin(config).is_default_language_build


def build_only(config, lang: str) -> None:
    """Build `lang` alone (before the plugin's own on_config): one process per language."""
    i18n = plugin(config)
    i18n.current_language = lang
    i18n.building = True


def _place(file: File, config, lang: str) -> File:
    """Put a file where the plugin puts that language's pages (the source language at the root)."""
    file.dest_uri = urls.published(file.dest_uri, lang, source_language(config))
    file.url = file._get_url()
    file.abs_dest_path = str(Path(config.site_dir) / file.dest_uri)
    file.locale = lang
    return file


def _page_file(config, lang: str, rel: str) -> File:
    """The file of page `rel` (relative to a language folder) at `lang`'s address."""
    return _place(File(f"{lang}/{rel}", config.docs_dir, config.site_dir, config.use_directory_urls), config, lang)


def _generated_file(config, lang: str, path: str, content: str | None) -> File:
    # NOT_IN_NAV: MkDocs must not report them as missing from `nav`; on_nav places them.
    file = File.generated(config, f"{lang}/{path}", content=content or "", inclusion=InclusionLevel.NOT_IN_NAV)
    return _place(file, config, lang)


def add_generated_page(files, config, path: str, markdown: str) -> File:
    """A page that exists only in memory, in the language being built, with the metadata the
    plugin gives its own files (language switcher, sitemap)."""
    i18n = plugin(config)
    lang = language(config)
    file = _generated_file(config, lang, path, markdown)
    file.locale = file.localization = file.locale_alternate_of = lang
    file.norm_src_uri = path
    file.alternates = {
        other: file if other == lang else _generated_file(config, other, path, None) for other in i18n.build_languages
    }
    files.append(file)
    i18n.i18n_files_per_language.setdefault(lang, []).append(file)
    return file


def add_pages_only_in_other_languages(files, config) -> None:
    """The plugin falls back to the source language only: a page that exists only in another
    language would be missing from the source site. Serve the original there (the
    translation notice is added in on_page_markdown)."""
    content = Path(config.docs_dir)
    source = source_language(config)
    for other in languages(config)[1:]:
        for path in sorted((content / other).rglob("*.md")):
            rel = path.relative_to(content / other).as_posix()
            if (content / source / rel).exists():
                continue
            # the source language's address, so that `nav` and links find it there
            file = _page_file(config, source, rel)
            file.abs_src_path = str(path)
            file.locale = file.localization = other
            file.locale_alternate_of = source
            file.norm_src_uri = rel
            file.alternates = {source: file, other: _page_file(config, other, rel)}
            files.append(file)


def link_pages_only_in_this_language(files, config, generated: set[str]) -> None:
    """A page that exists only in this (non-source) language: its switcher leads to the
    source-language address where add_pages_only_in_other_languages serves it."""
    content = Path(config.docs_dir)
    source = source_language(config)
    for file in files.documentation_pages():
        rel = getattr(file, "norm_src_uri", None)
        if getattr(file, "locale", None) != language(config) or not rel or file.src_uri in generated:
            continue
        if not (content / source / rel).exists() and source not in file.alternates:
            file.alternates[source] = _page_file(config, source, rel)


def shown_from(file) -> str | None:
    """The language of the text a page shows (another than its site's for a fallback), or None."""
    return getattr(file, "locale", None)


def page_path(file) -> str | None:
    """A page's path relative to its language folder."""
    return getattr(file, "norm_src_uri", None)


def alternate(file, lang: str):
    """The file of the same page in `lang`, if the plugin knows one."""
    return getattr(file, "alternates", {}).get(lang)


def switcher_links(config) -> list[tuple[str, str]]:
    """(language, link) of the language switcher of the page being rendered (after the plugin's
    on_page_context): the page's translation, or the language's home; links relative to the
    site's root or paths from the host's root."""
    # the plugin sets them per page as an attribute of `extra`, which Jinja reads before the item
    alternate = getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
    return [(alt["lang"], alt["link"]) for alt in alternate]


def switch_to_homes(config) -> None:
    """The plugin points the language switcher at the translation of the last page built;
    on the 404 page it must lead to each language's home."""
    source = source_language(config)
    homes = [
        {
            "name": lang.name,
            "link": urls.under_site(config.site_url, urls.home(lang.locale, source)),
            "lang": lang.locale,
        }
        for lang in plugin(config).config.languages
        if lang.build
    ]
    # the plugin sets it as an attribute of `extra` (which Jinja reads first) per page
    config.extra.alternate = homes
    config.extra["alternate"] = homes
