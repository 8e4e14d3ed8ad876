"""A section as one document to print or save as PDF: `<section>/print.html`, in each language.

Readers and trainers print guides (CARE's strategy, the MenEngage handbook): a
section of the navigation that has an index page gets a page that holds the
articles of all its pages, in the navigation's order, each with its charts,
its sources and its address. It is the section's index page as built (header,
navigation, policy: the same), its article replaced by the section's articles.

The articles are taken from the finished pages (they passed the safety check
as pages) and fitted into one document: ids get a prefix per page (`p3-…`)
and the links to them follow, relative addresses are rebased from the page's
folder to the section's, and each page's headings go one level down under the
section's title, so that the document has one outline. The print page sits in
the index page's folder, so the theme's own relative addresses stay right.
Its canonical link is the section's index page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from html import escape

from markupsafe import Markup

from . import urls

FILE_NAME = "print.html"
TEMPLATE = "parts/print.html"  # its introduction and the pages' addresses (templates/)
# Regular expressions on finished HTML, not template overrides: the print page is made from pages
# already rendered (and checked), after the theme; no template of the theme renders a section's
# pages together, and a page of its own in MkDocs' navigation would be indexed, listed in the
# sitemap and given translations. Each pattern is the theme's markup (Material 9.8.1) or ours.
ARTICLE_OPEN = '<article class="md-content__inner md-typeset"'
# ids and what names them; `name` too: the radio buttons of content tabs are grouped by it
ID_ATTR = re.compile(r'\s(id|for|name|aria-labelledby|aria-describedby|aria-controls)="([^"]*)"')
URL_ATTR = re.compile(r'\s(href|src|srcset)="([^"]*)"')
HEADING = re.compile(r"<(/?)h([1-5])\b")
TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]+">')
SWITCHER = re.compile(r'(<a href=")([^"]*/)(" hreflang="[^"]+" lang="[^"]+" class="md-select__link")')


@dataclass
class Section:
    """A section of the navigation with an index page, in one language."""

    title: str
    index: str  # src_uri of its index page
    index_url: str  # the index page's address in the site, e.g. "menengage/"
    site_name: str  # in the section's language
    pages: list[str] = field(default_factory=list)  # src_uri of every page, the index first


@dataclass
class Built:
    """What the print page needs of a finished page."""

    url: str  # its address in the site, e.g. "menengage/code-of-conduct/"
    html: str  # the whole page as written
    address: str | None  # its public address (None without SITE_URL)
    dest: str = ""  # the file it was written to


def _article_span(html: str) -> tuple[int, int] | None:
    """Where the inner HTML of the page's article starts and ends (the theme writes one)."""
    start = html.find(ARTICLE_OPEN)
    if start == -1:
        return None
    start = html.index(">", start) + 1
    end = html.rfind("</article>")
    return (start, end) if end >= start else None


def _cut(html: str, opening: str, closing: str) -> str:
    """`html` without the element that starts with `opening` and ends at the next `closing`."""
    start = html.find(opening)
    end = html.find(closing, start) if start != -1 else -1
    return html[:start] + html[end + len(closing) :] if end != -1 else html


def article(html: str) -> str:
    """The inner HTML of the page's article, without its "cite this page" block and print link."""
    span = _article_span(html)
    if span is None:
        return ""
    inner = _cut(html[span[0] : span[1]], '<aside class="kb-cite"', "</aside>")
    return _cut(inner, '<p class="kb-print-link">', "</p>")


def fit(fragment: str, page_url: str, target_url: str, prefix: str, demote: bool) -> str:
    """A page's article fitted into the section's document (see the module's docstring)."""
    def ids(match):
        values = " ".join(prefix + value for value in match[2].split())
        return f' {match[1]}="{values}"'

    def addresses(match):
        name, value = match[1], match[2]
        if name == "href" and value.startswith("#"):
            return f' href="#{prefix}{value[1:]}"' if len(value) > 1 else match[0]
        if name == "srcset":
            items = [item.strip().split(" ", 1) for item in value.split(",")]
            value = ", ".join(" ".join([urls.rebase(i[0], page_url, target_url), *i[1:]]) for i in items)
            return f' srcset="{value}"'
        return f' {name}="{urls.rebase(value, page_url, target_url)}"'

    out = URL_ATTR.sub(addresses, ID_ATTR.sub(ids, fragment))
    if demote:
        out = HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", out)
    return out


def document(section: Section, built: dict[str, Built], words: dict[str, str], render) -> str | None:
    """The print page's HTML, from the index page as built and the section's pages; None when the
    index page was not built (the preview's first pass). `render(name, **values)` renders a template
    of templates/ (its introduction and addresses: templates/parts/print.html)."""
    index = built.get(section.index)
    if index is None:
        return None
    target = urls.next_to(index.url, FILE_NAME)  # written next to the index page (kb_site.py)
    pages = []
    for number, src in enumerate(section.pages):
        page = built.get(src)
        if page is None:
            continue
        # the index page keeps its ids (the theme's "skip to content" link leads to its title)
        body = fit(article(page.html), page.url, target, f"p{number}-" if number else "", demote=number > 0)
        # the pages as built passed the HTML check; the output gate reads the document again
        pages.append({"body": Markup(body), "address": page.address})
    span = _article_span(index.html)
    if span is None:
        return None
    parts = render(TEMPLATE, intro=words["print_intro"], address_word=words["print_address"], pages=pages)
    html = index.html[: span[0]] + parts + index.html[span[1] :]
    title = f'{section.title} ({words["print_version"]}) - {section.site_name}'
    html = TITLE.sub(lambda m: f"<title>{escape(title)}</title>", html, count=1)
    html = ALTERNATE.sub("", html)  # the section's index page is the one with translations
    # the language switcher leads to the same document in the other language
    return SWITCHER.sub(lambda m: m[1] + m[2] + FILE_NAME + m[3], html)


def write(section: Section, built: dict[str, Built], words: dict[str, str], render) -> None:
    """Write the section's print page next to its index page (when that page was built): `words` are the
    labels print_intro ({section}, {n} filled in here), print_address and print_version."""
    index = built.get(section.index)
    if index is None:
        return
    intro = words["print_intro"].replace("{section}", section.title).replace("{n}", str(len(section.pages)))
    html = document(section, built, {**words, "print_intro": intro}, render)
    if html is not None:
        Path(index.dest).with_name(FILE_NAME).write_text(html, encoding="utf-8")
