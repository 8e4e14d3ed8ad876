"""MkDocs adapter: turns MkDocs events into calls, nothing more.

- `kb/pipeline.py`: the plain steps the build shares with `make check` (start, page set, one
  page's Markdown, HTML check, end);
- `kb_site.py`: what a build does with MkDocs' objects, and `Build`, all one build knows,
  kept on MkDocs' configuration (`config.kb_build`) for the languages of that build;
- `kb_patches.py`: every change to MkDocs' or Material's internals (pinned by tests);
- `kb_i18n.py`: every use of mkdocs-static-i18n's internals;
- `kb/preview.py`: what the preview (hooks/kb_serve.py) asks of a build (`config.kb_preview`).

The plugin runs the whole build once per language on the same config, and MkDocs keeps this
module between the rebuilds of `mkdocs serve`: nothing of a build is kept in it.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).parent))

import kb_i18n as i18n  # noqa: E402
import kb_patches as patches  # noqa: E402
import kb_site  # noqa: E402
from kb import directives, fileformat, kinds, locale, pipeline, safety, text, urls  # noqa: E402
from kb.pagefile import read_page  # noqa: E402

log = logging.getLogger("mkdocs.hooks.kb")
ROOT = Path(__file__).resolve().parent.parent  # the project: read here once, passed on (pipeline.Settings)

# `mkdocs build` or `mkdocs serve` (on_startup, once per process): a failed build leaves no
# site to publish, while the preview keeps showing what it can, with the problems.
COMMAND = "build"


def on_startup(command, dirty):
    global COMMAND
    COMMAND = command


# `make build` runs one process per language (hooks/kb/parallel.py): KB_ONLY_LANG
# makes this process build that language alone; the plugin's loop over the
# other languages is skipped. Read when asked, not when this module is loaded:
# `make build` loads the configuration (and so this module) once, then forks.
def _only_lang_env() -> str | None:
    return os.environ.get("KB_ONLY_LANG") or None


def _only_lang(b: kb_site.Build) -> str | None:
    """The one language this build makes: `make build`'s process, or the preview's first pass."""
    return b.preview.lang or _only_lang_env()


def on_config(config):
    if i18n.is_nested_build(config):  # the plugin's build of another language: the same build goes on
        return config
    settings = pipeline.Settings.of(ROOT, Path(config.config_file_path), config.repo_url, config.extra.get("kb", {}))
    # before any file of the project is read: no link out of it, no file content/ may not publish
    if stop := pipeline.stop_problems(settings):
        kb_site.fail(stop, ROOT)
    b = config.kb_build = kb_site.Build(settings, pipeline.start(settings, Path(config.docs_dir)), config, COMMAND)
    patches.listen(b)  # MkDocs' own warnings become problems of this build
    if b.site.exists() and not b.site.is_dir():
        raise PluginError(f"{config.site_dir}: is a file, not a folder: remove it, or build into another folder (-d)")
    if not config.repo_url:
        # no repository to link to (REPO_URL unset, e.g. a preview): no "edit this page" link,
        # rather than MkDocs' warning about an edit address without a host
        config.edit_uri = None
    patches.list_theme_files_once(config.theme, ROOT, b.theme_files)
    # the theme's templates (overrides/) learn the source language from here
    config.extra.setdefault("kb", {})["default_lang"] = i18n.source_language(config)
    # a pull request's preview (.github/workflows/preview.yml): kept out of search engines
    config.extra["kb"]["noindex"] = os.environ.get("KB_NOINDEX") == "1"
    if _only_lang(b):
        i18n.build_only(config, _only_lang(b))
    return config


@event_priority(-150)  # after mkdocs-static-i18n has chosen this language's files
def on_files(files, config):
    b = config.kb_build
    kb_site.add_files(b, files, config)
    if b.preview.urls is not None:
        # the preview's first pass: MkDocs' "dirty" build makes the pages it is told are modified
        for file in files.documentation_pages():
            file.is_modified = (lambda build: lambda: build)(b.preview.only(file.url))
    return files


@event_priority(-150)
def on_nav(nav, config, files):
    b = config.kb_build
    kb_site.place_in_nav(b, nav, config, files)
    if b.preview.urls is not None:
        # pages the preview's first pass does not build keep their title from the last build
        for file in files.documentation_pages():
            if file.page is not None and not b.preview.only(file.url) and file.url in b.preview.last_pages:
                patches.keep_title(file.page, *b.preview.last_pages[file.url])
    return nav


def on_page_read_source(page, config):
    """Read editors' pages strictly (UTF-8, valid front matter); MkDocs would stop or guess."""
    if not page.file.abs_src_path:
        return None
    b = config.kb_build
    path, display = Path(page.file.abs_src_path), b.display(page.file)
    source, problems = read_page(path, display)
    # a byte-order mark or Windows line endings, named first (kb.causes counts what they make)
    b.problems += fileformat.problems(path, display)
    if problems:
        b.problems += problems
        b.unsafe.add(page.file.src_uri)
        b.unreadable.add(page.file.src_uri)
    return source


def on_page_markdown(markdown, page, config, files):
    b = config.kb_build
    b.preview.check()
    # stylesheets only some pages need (overrides/main.html links them)
    used = directives.names(markdown)
    page.meta["kb_styles"] = [css.path for name, css in kinds.stylesheets(b.data).items() if name in used]
    out = kb_site.page_markdown(b, markdown, page, config)
    page.render = lambda config, files: patches.render_cached(b, page, config, files)
    return out


def on_env(env, config, files):
    b = config.kb_build
    patches.sandbox(env, ROOT)
    # the words of the theme's own pages (404.html) are labels of data/labels.yml
    lang, source = i18n.language(config), i18n.source_language(config)
    env.globals["kb_label"] = lambda key: b.guard(key, lambda: text.plain(text.label_field(b.data, key), lang, source))
    env.globals["kb_number"] = lambda value: locale.number(value, lang)
    env.globals.update(urls.theme_globals(config.site_url, lang, source))  # the addresses of overrides/
    # inline scripts allowed by hash: those of the theme's templates, never any a page holds (main.html)
    env.globals["kb_policy"] = lambda base_url: Markup(safety.policy_tags(config.theme.dirs, base_url))
    return env


def on_page_content(html_content, page, config, files):
    kb_site.check_content(config.kb_build, html_content, page)
    return html_content


def on_page_context(context, page, config, nav):
    kb_site.page_extras(config.kb_build, page, config)
    return context


@event_priority(-1000)  # last: the page as readers receive it (the gate, the index, the print pages)
def on_post_page(output, page, config):
    b = config.kb_build
    b.preview.check()
    return kb_site.page_output(b, output, page, config)


def on_build_error(error):
    b = patches.listening()  # the build under way (on_build_error is given no configuration)
    if b is not None:
        b.stop_indexing()


def on_pre_template(template, template_name, config):
    if template_name == "404.html":
        i18n.switch_to_homes(config)
    return template


def on_post_template(output, template_name, config):
    return kb_site.not_found_page(config.kb_build, output, config) if template_name == "404.html" else output


NO_SITE_URL = (
    "SITE_URL is not set: the pages give no public address (no canonical link, hreflang, Open Graph "
    "address or preview image, no address in citations, an empty sitemap). To publish, build with "
    "the site's address: SITE_URL=https://example.org/ make build"
)


@event_priority(-200)  # after mkdocs-static-i18n has built every language
def on_post_build(config):
    b = config.kb_build
    if b.preview.urls is not None:
        return  # the preview's first pass: its second pass reports every problem
    kb_site.write_print_pages(b, config)  # this language's
    only = _only_lang(b)
    if (only or i18n.language(config) == i18n.languages(config)[-1]) and b.problems:
        kb_site.report(b, config)  # every language is built: every problem of the build, sorted, then stop
    if not config.site_url and b.command == "build":  # said once: by the last language, or make build's first
        if i18n.language(config) == (i18n.source_language(config) if only else i18n.languages(config)[-1]):
            log.info(NO_SITE_URL)
    if i18n.is_nested_build(config) and not _only_lang_env():
        return  # a nested language build: the plugin has not finished yet
    # one language of `make build` indexes its own pages (kb/parallel.py merges the indexes)
    counts = kb_site.write_search_index(b, config)
    log.info("search indexes: %s", ", ".join(f"{lang} {n} pages" for lang, n in counts.items()))
    if not _only_lang_env():  # `make build` verifies its merged site itself
        kb_site.gate_site(b, config)
    patches.stop_listening(b)
