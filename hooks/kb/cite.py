""""Cite this page" and "edit this page": the block at the foot of every page.

A formatted citation in the page's language, the same reference to download
as BibTeX and as CSL-JSON (the formats of reference managers such as Zotero),
and a link to the page's file in the repository when `repo_url` is set. The
downloads are `data:` links: no file per page, no script, nothing asked of
another host.
"""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import quote, urlsplit

from . import locale

# The words around the citation, in each language of the site.
WORDS = {
    "fr": {
        "title": "Citer cette page",
        "updated": "mis à jour le",
        "in": "Dans",
        "download": "Télécharger la référence",
        "edit": "Modifier cette page dans le dépôt",
    },
    "en": {
        "title": "Cite this page",
        "updated": "updated",
        "in": "In",
        "download": "Download the reference",
        "edit": "Edit this page in the repository",
    },
}

# Quotation marks of each language: French with narrow no-break spaces inside.
QUOTES = {"fr": ("«\u202f", "\u202f»"), "en": ("“", "”")}
LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en-GB"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")  # BibTeX's macros


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


BIBTEX_SPECIAL = {
    "\\": r"{\textbackslash}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
}


def _bibtex_escape(text: str) -> str:
    return "".join(BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def key(url: str) -> str:
    """A citation key and file name from the page's address: `kb-menengage-code-of-conduct`."""
    path = urlsplit(url).path.strip("/")
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    return "kb-" + (slug or "home")


def bibtex(title: str, site: str, url: str, updated: date, lang: str) -> str:
    return (
        f"@misc{{{key(url)},\n"
        f"  title = {{{_bibtex_escape(title)}}},\n"
        f"  howpublished = {{{_bibtex_escape(site)}}},\n"
        f"  year = {{{updated.year}}},\n"
        f"  month = {MONTHS[updated.month - 1]},\n"
        f"  url = {{{url}}},\n"
        f"  language = {{{LANGUAGE_TAGS[lang]}}},\n"
        f"  note = {{{_bibtex_escape(WORDS[lang]['updated'])} {updated.isoformat()}}}\n"
        "}\n"
    )


def csl_json(title: str, site: str, url: str, updated: date, lang: str) -> str:
    item = {
        "id": key(url),
        "type": "webpage",
        "title": title,
        "container-title": site,
        "URL": url,
        "issued": {"date-parts": [[updated.year, updated.month, updated.day]]},
        "language": LANGUAGE_TAGS[lang],
    }
    return json.dumps([item], ensure_ascii=False) + "\n"


def text(title: str, site: str, url: str, updated: date, lang: str) -> str:
    """The citation as HTML: « Title ». In *Site*, updated 2 December 2026. URL"""
    words = WORDS[lang]
    opening, closing = QUOTES[lang]
    when = locale.iso_date(updated.isoformat(), lang)
    return (
        f"{opening}{_esc(title)}{closing}. {words['in']} <cite>{_esc(site)}</cite>, {words['updated']} {when}. "
        f'<a href="{_esc(url)}">{_esc(url)}</a>'
    )


def _data_link(content: str, media_type: str, filename: str, label: str) -> str:
    href = f"data:{media_type};charset=utf-8,{quote(content, safe='')}"
    return f'<a href="{href}" download="{_esc(filename)}" type="{media_type}">{label}</a>'


def block(title: str, site: str, url: str, updated_iso: str, lang: str, edit_url: str | None = None) -> str:
    """The "cite this page" block (HTML), placed at the foot of the page by overrides/main.html."""
    words = WORDS[lang]
    updated = date.fromisoformat(updated_iso)
    name = key(url)
    links = [
        _data_link(bibtex(title, site, url, updated, lang), "application/x-bibtex", f"{name}.bib", "BibTeX"),
        _data_link(csl_json(title, site, url, updated, lang), "application/vnd.citationstyles.csl+json",
                   f"{name}.json", "CSL-JSON"),
    ]
    colon = "\u00a0:" if lang == "fr" else ":"
    edit = f'<p class="kb-cite__edit"><a href="{_esc(edit_url)}" rel="edit">{words["edit"]}</a></p>' if edit_url else ""
    return (
        f'<aside class="kb-cite" aria-labelledby="kb-cite-title">'
        f'<h2 id="kb-cite-title" class="kb-cite__title">{words["title"]}</h2>'
        f'<p class="kb-cite__text">{text(title, site, url, updated, lang)}</p>'
        f'<p class="kb-cite__downloads">{words["download"]}{colon} {" · ".join(links)}</p>'
        f"{edit}</aside>"
    )
