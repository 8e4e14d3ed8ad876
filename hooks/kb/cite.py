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

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")  # BibTeX's macros


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
    """A citation key and file name from the page's address (or its path in the site):
    `kb-menengage-code-of-conduct`."""
    path = urlsplit(url).path.strip("/")
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    return "kb-" + (slug or "home")


def bibtex(title: str, site: str, url: str | None, updated: date, language_tag: str, updated_word: str,
           name: str | None = None) -> str:
    """A BibTeX entry; without a public address (`url` None: SITE_URL unset), no `url` field."""
    return (
        f"@misc{{{name or key(url or '')},\n"
        f"  title = {{{_bibtex_escape(title)}}},\n"
        f"  howpublished = {{{_bibtex_escape(site)}}},\n"
        f"  year = {{{updated.year}}},\n"
        f"  month = {MONTHS[updated.month - 1]},\n"
        + (f"  url = {{{url}}},\n" if url else "")
        + f"  language = {{{language_tag}}},\n"
        f"  note = {{{_bibtex_escape(updated_word)} {updated.isoformat()}}}\n"
        "}\n"
    )


def csl_json(title: str, site: str, url: str | None, updated: date, language_tag: str, name: str | None = None) -> str:
    """A CSL-JSON item; without a public address (`url` None), no `URL`."""
    item = {
        "id": name or key(url or ""),
        "type": "webpage",
        "title": title,
        "container-title": site,
        **({"URL": url} if url else {}),
        "issued": {"date-parts": [[updated.year, updated.month, updated.day]]},
        "language": language_tag,
    }
    return json.dumps([item], ensure_ascii=False) + "\n"


def data_link(content: str, media_type: str) -> str:
    """A `data:` address holding `content`, downloaded as a file (nothing asked of any host)."""
    return f"data:{media_type};charset=utf-8,{quote(content, safe='')}"


def block(ctx, title: str, site: str, url: str | None, updated_iso: str, edit_url: str | None = None,
          path: str | None = None, report: list[tuple[str, str]] | None = None) -> str:
    """The "cite this page" block (HTML from templates/parts/cite.html, its words from data/labels.yml),
    placed at the foot of the page by overrides/main.html. `url` is the page's public address, None
    when the site has none (SITE_URL unset): the citation then gives none, rather than a local one.
    `path` (the page's address in the site, `en/menengage/`) names the reference file. `report`: the
    (text, href) of each way to report a mistake (kb/contact.py), and who publishes the site."""
    from .languages import project
    from .templates import render

    updated = date.fromisoformat(updated_iso)
    name = key(path if path is not None else url or "")
    tag = project().babel(ctx.lang).replace("_", "-")
    updated_word = render(ctx.templates, "parts/cite-updated.txt", ctx).strip()
    downloads = [
        ("BibTeX", f"{name}.bib", "application/x-bibtex", bibtex(title, site, url, updated, tag, updated_word, name)),
        ("CSL-JSON", f"{name}.json", "application/vnd.citationstyles.csl+json", csl_json(title, site, url, updated, tag, name)),
    ]
    links = [(label, filename, media, data_link(content, media)) for label, filename, media, content in downloads]
    return render(
        ctx.templates, "parts/cite.html", ctx, title=title, site=site, url=url,
        when=locale.iso_date(updated.isoformat(), ctx.lang), links=links, edit_url=edit_url,
        report=report or [], publisher=ctx.site.get("publisher"),
    )  # fmt: skip
