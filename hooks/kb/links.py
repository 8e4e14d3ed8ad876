"""Links, anchors and the navigation, checked by `make check` as the build checks them.

MkDocs finds a link to a page that does not exist, a section that does not exist or a
page missing from the navigation only when it builds the site; `make check` finds them in
the pages as the build renders them (directives expanded), in a second, with what to do:

- a link to a page: the page must exist in that language (or in French, which the English
  site shows where a translation is missing), at the path written relative to the linking page;
- a link to a section (`page.md#id`, `#id`): the page must have a heading with that id
  (`{ #id }`, or the id MkDocs makes from the heading's text) or an element with it;
- an address starting with `/`: not allowed (it breaks under the English site and the previews);
- the navigation (`nav:` in mkdocs.yml): every page in it exists, every page is in it (the
  pages made from data are added by the build).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .problems import Problem

LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?(?P<url>[^)\s>]*)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<url>\S+?)>?(?:\s|$)", re.MULTILINE)
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}).*?^\1\2\s*$", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
HTML_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL | re.IGNORECASE)  # the status page's diffs
HEADING = re.compile(r"^(#{1,6})[ \t]+(?P<text>.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
ATTR_ID = re.compile(r"\{:?[^{}\n]*?#(?P<id>[\w-]+)[^{}\n]*\}")
HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["'](?P<id>[^"']+)["']""")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def slugify(text: str) -> str:
    """The id MkDocs (Python-Markdown's toc) gives a heading without one."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link: its text
    text = re.sub(r"<[^>]+>", "", text)  # HTML tags
    text = re.sub(r"[*_`]", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _without_code(markdown: str) -> str:
    """The text with code blocks and code spans blanked (their lines kept, for line numbers)."""
    blank = lambda m: re.sub(r"[^\n]", " ", m[0])  # noqa: E731
    return CODE.sub(blank, HTML_CODE.sub(blank, FENCE.sub(blank, markdown)))


def anchors(markdown: str) -> set[str]:
    """Every id a page has: its headings' (given or made from the text), and those of attribute
    lists and HTML elements."""
    text = _without_code(markdown)
    found: set[str] = set()
    counts: dict[str, int] = {}
    for match in HEADING.finditer(text):
        heading = match["text"]
        given = ATTR_ID.search(heading)
        if given:
            found.add(given["id"])
            continue
        slug = slugify(heading)
        n = counts.get(slug, 0)
        counts[slug] = n + 1
        found.add(slug if n == 0 else f"{slug}_{n}")
    found.update(m["id"] for m in ATTR_ID.finditer(text))
    found.update(m["id"] for m in HTML_ID.finditer(text))
    return found


def links(markdown: str) -> Iterable[tuple[int, str]]:
    """(line, address) of every link and image of a page, code left out."""
    text = _without_code(markdown)
    for pattern in (LINK, REFERENCE):
        for match in pattern.finditer(text):
            yield text.count("\n", 0, match.start("url")) + 1, match["url"]


def link_line(root: Path, display: str, url: str) -> int | None:
    """The line of the page's file (`display`, under `root`) where the link to `url` is written: its
    first occurrence, as the build finds the line of MkDocs' warnings; None when the page has no file
    (made from data) or the link is not written in it (a directive wrote it)."""
    from .safety import locate

    source = root / display
    if not source.is_file():
        return None
    return locate(source.read_text(encoding="utf-8", errors="replace"), url)


def check(pages: dict[tuple[str, str], tuple[str, str, int]], root: Path | None = None) -> list[Problem]:
    """The problems of the links of `pages`: (language, path in the language) -> (display path,
    Markdown as rendered, lines of the file before that Markdown). With the project's `root`, each
    problem's line is found in the page's file as the build finds it (`link_line`)."""
    problems: list[Problem] = []
    ids: dict[tuple[str, str], set[str]] = {}
    langs = {lang for lang, _ in pages}

    def ids_of(key):
        if key not in ids:
            ids[key] = anchors(pages[key][1])
        return ids[key]

    for (lang, rel), (display, markdown, offset) in pages.items():
        for line, url in links(markdown):
            where = line + offset if root is None else link_line(root, display, url)
            if not url or SCHEME.match(url) or url.startswith("//"):
                continue
            if url.startswith("/"):
                problems.append(
                    Problem(display, where, "link", f"the address {url} starts with /: write it relative to this page")
                )
                continue
            path, _, anchor = url.partition("#")
            if path and not path.endswith(".md"):
                continue  # a file (image, download): the build checks the files it writes
            to = _resolve(lang, rel, path, langs) if path else (lang, rel)
            if to not in pages:
                problems.append(
                    Problem(
                        display,
                        where,
                        "link",
                        f"the link to {path} leads nowhere: there is no page {_shown(lang, rel, path)}; "
                        "check the path (it is relative to this page's folder) and the file name",
                    )
                )
                continue
            if anchor and anchor not in ids_of(to):
                page = "this page" if to == (lang, rel) else f"content/{to[0]}/{to[1]}"
                problems.append(Problem(display, where, "link", no_section(anchor, page, ids_of(to))))
    return problems


def no_section(anchor: str, page: str, ids=()) -> str:
    """A link to a section that `page` ("this page", or its path) does not have, naming its first ids."""
    known = ", ".join(f"#{i}" for i in sorted(ids)[:12])
    listed = f" ({known}{'…' if len(ids) > 12 else ''})" if known else ""
    return (
        f"the section #{anchor} does not exist in {page}: link to one of its sections{listed}, "
        "or give the heading that id with { #" + anchor + " }"
    )


NO_SECTION = re.compile(r"^the section #(?P<anchor>.*) does not exist in (?P<page>this page|content/\S+): link to one of its sections, or")


def name_sections(problem: Problem, markdown_of) -> Problem:
    """A problem of a link to a missing section, as MkDocs' warning says it (kb_patches), with the page's
    sections named as `check` names them: `markdown_of(path under content/)` gives the page's final
    Markdown (None when unknown)."""
    match = NO_SECTION.match(problem.message)
    if problem.field != "link" or not match:
        return problem
    page = match["page"]
    markdown = markdown_of(problem.file if page == "this page" else page)
    if markdown is None:
        return problem
    return Problem(problem.file, problem.line, problem.field, no_section(match["anchor"], page, anchors(markdown)))


def _resolve(lang: str, rel: str, path: str, langs: set[str]) -> tuple[str, str]:
    """(language, path) of the page a link leads to, as the build resolves it: relative to the page
    in its language folder; a path that leaves the folder for another language's folder leads there,
    one that leaves it for the content folder's root leads to the same language's page."""
    full = posixpath.normpath(posixpath.join(posixpath.dirname(f"{lang}/{rel}"), path))
    first, _, rest = full.partition("/")
    return (first, rest) if first in langs and rest else (lang, full)


def _shown(lang: str, rel: str, path: str) -> str:
    full = posixpath.normpath(posixpath.join(posixpath.dirname(f"content/{lang}/{rel}"), path))
    return full if not full.startswith("..") else f"{path} (outside content/)"


# --- The navigation ---------------------------------------------------------------------------


def nav_entries(nav, titles: tuple[str, ...] = ()) -> Iterable[tuple[tuple[str, ...], str | None]]:
    """(titles leading to it, page path or None for a section) of every entry of `nav:`."""
    for item in nav or []:
        if isinstance(item, str):
            yield titles, item
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, list):
                    yield (*titles, str(title)), None
                    yield from nav_entries(value, (*titles, str(title)))
                else:
                    yield (*titles, str(title)), str(value)


def read_config(text: str) -> dict:
    """mkdocs.yml as data; its tags of MkDocs' own (!ENV, !!python/name…) read as nothing."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load(text, Loader=Loader)
    return config if isinstance(config, dict) else {}


def check_nav(config_text: str, built: set[str], generated: set[str]) -> list[Problem]:
    """The problems of mkdocs.yml's `nav:`: a page that does not exist, a page left out."""
    config = read_config(config_text)

    def line_of(needle: str) -> int | None:
        return nav_line(config_text, needle)

    problems = []
    listed = set()
    for _titles, path in nav_entries(config.get("nav")):
        if path is None or SCHEME.match(path):
            continue
        listed.add(path)
        if path not in built:
            problems.append(
                Problem(
                    "mkdocs.yml",
                    line_of(path),
                    "nav",
                    f"the navigation lists {path}, which is not a page: fix the path (relative to "
                    "content/fr/) or remove the entry",
                )
            )
    if config.get("nav"):
        for path in sorted(built - listed - generated):
            problems.append(Problem("mkdocs.yml", line_of("nav:"), "nav", not_in_nav(path)))
    return problems


def nav_line(config_text: str, needle: str) -> int | None:
    """The first line of mkdocs.yml's `nav:` (from `nav:` on) holding `needle`."""
    lines = config_text.split("\n")
    start = next((i for i, text in enumerate(lines) if text.startswith("nav:")), 0)
    return next((i + 1 for i, text in enumerate(lines[start:], start) if needle in text), None)


def not_in_nav(path: str) -> str:
    return f"the page {path} is not in the navigation: add it under nav: where readers should find it"


def omitted_pages(message: str) -> list[str] | None:
    """The pages (paths under a language folder) of MkDocs' warning listing pages left out of the
    navigation; None for another warning."""
    if not _NOT_IN_NAV.search(message):
        return None
    return sorted({re.sub(r"^[a-z]{2}(?:_[A-Z]{2})?/", "", p.strip()) for p in re.findall(r"^\s*-\s*(\S+)", message, re.M)})


# --- MkDocs' own words, rewritten with what to do --------------------------------------------------

_NOT_FOUND = re.compile(
    r"Doc file '(?P<doc>[^']+)' contains a link '(?P<url>[^']*)', but the target '(?P<target>[^']+)' is not found among documentation files\."
)
_NO_ANCHOR_HERE = re.compile(
    r"Doc file '(?P<doc>[^']+)' contains a link '#?(?P<anchor>[^']*)', but there is no such anchor on this page\."
)
_NO_ANCHOR = re.compile(
    r"Doc file '(?P<doc>[^']+)' contains a link '(?P<url>[^']*)', but the doc '(?P<target>[^']+)' does not contain an anchor '#(?P<anchor>[^']*)'\."
)
_ABSOLUTE = re.compile(r"Doc file '(?P<doc>[^']+)' contains an absolute link '(?P<url>[^']*)'")
_NAV_MISSING = re.compile(
    r"A reference to '(?P<path>[^']+)' is included in the 'nav' configuration, which is not found"
)
_NOT_IN_NAV = re.compile(
    r"The following pages exist in the docs directory, but are not included in the \"nav\" configuration:"
)


def plain(message: str) -> str:
    """A warning of MkDocs in the words `make check` uses for the same problem (what is wrong, what
    to do), or the message as it is when it is not one of those."""
    if m := _NOT_FOUND.search(message):
        path = m["url"].partition("#")[0]
        return (
            f"the link to {path} leads nowhere: there is no page content/{m['target']}; "
            "check the path (it is relative to this page's folder) and the file name"
        )
    if m := _NO_ANCHOR_HERE.search(message):
        return no_section(m["anchor"], "this page")
    if m := _NO_ANCHOR.search(message):
        return no_section(m["anchor"], f"content/{m['target']}")
    if m := _ABSOLUTE.search(message):
        return f"the address {m['url']} starts with /: write it relative to this page"
    if m := _NAV_MISSING.search(message):
        return (
            f"the navigation lists {m['path']}, which is not a page: fix the path (relative to content/fr/) "
            "or remove the entry"
        )
    if (pages := omitted_pages(message)) is not None:
        return "pages not in the navigation: add them under nav: where readers should find them: " + ", ".join(pages)
    return message
