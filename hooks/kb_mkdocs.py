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

sys.path.insert(0, str(Path(__file__).parent))

from kb import render, search  # noqa: E402
from kb.data import Data, load_data  # noqa: E402
from kb.directives import Context, expand  # noqa: E402
from kb.problems import KbError, Problem  # noqa: E402

log = logging.getLogger("mkdocs.hooks.kb")
ROOT = Path(__file__).resolve().parent.parent


class State:
    data: Data | None = None
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
