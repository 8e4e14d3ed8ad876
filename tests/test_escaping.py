"""Whole build: a record's name full of HTML's special characters reaches every
place it is printed as text, escaped exactly once."""

from __future__ import annotations

import gzip
import html
import json
import re
import xml.etree.ElementTree as ET

from conftest import LANGS, SITE_URL, build, copy_project, lang_root, soup

# Raw HTML in data is refused (kb.safety), tags and all: a name can still hold every character
# HTML gives a meaning to, in every place where it would break a page escaped less than once.
NAME = """Soins & "guillemets" l'apostrophe a < b, c > d "> x='y' </ title> < script>alert(1)< /script>"""
NAME_SOURCE = NAME
ACRONYM = """G&A<>"'"""
SUMMARY = """Soins & "guillemets" l'apostrophe."""
EXPECTED = f"{NAME} ({ACRONYM})"
FOLDER = "generation-equality/collective-commitments/collectives"
PAGE = f"{FOLDER}/global-alliance-for-care/"


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    data = project / "data" / "collectives.yml"
    text = data.read_text(encoding="utf-8")
    old = '    name: {fr: "Alliance mondiale pour les soins", en: "Global Alliance for Care"}\n    acronym: GAC\n'
    assert old in text
    text = text.replace(old, f"    name: {{fr: {_yaml(NAME_SOURCE)}, en: {_yaml(NAME_SOURCE)}}}\n    acronym: {_yaml(ACRONYM)}\n")
    for start in ('      fr: "Le GAC contribue', '      en: "The GAC contributes'):
        line = next(line for line in text.splitlines() if line.startswith(start))
        text = text.replace(line, f"      {start.split(':')[0].strip()}: {_yaml(SUMMARY)}", 1)
    data.write_text(text, encoding="utf-8")
    out = project / "site"
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _no_double_escape(raw: str, where: str) -> None:
    for twice in ("&amp;lt;", "&amp;gt;", "&amp;amp;", "&amp;#", "&amp;quot;"):
        assert twice not in raw, f"{where}: escaped twice ({twice})"


def test_a_name_with_html_characters_is_text_everywhere(tmp_path_factory):
    site = _site(tmp_path_factory)
    for lang in LANGS:
        root = lang_root(site, lang)
        raw = (root / PAGE / "index.html").read_text(encoding="utf-8")
        # nothing of the name is markup: no element made of it, no attribute broken by it
        assert "<script>alert" not in raw and "<svg onload" not in raw
        _no_double_escape(raw, f"{lang}/{PAGE}")
        doc = soup(root / PAGE / "index.html")
        assert doc.title.get_text().startswith(EXPECTED + " - "), doc.title
        for permalink in doc.select("a.headerlink"):
            permalink.decompose()
        assert doc.h1.get_text(strip=True) == EXPECTED
        assert doc.find("meta", property="og:title")["content"] == EXPECTED
        assert doc.find("meta", attrs={"name": "description"})["content"] == SUMMARY
        assert doc.find("meta", property="og:description")["content"] == SUMMARY
        assert EXPECTED in [a.get_text(strip=True) for a in doc.select("nav.md-nav--primary a")]
        # the card on the listing page and the neighbours' footer links
        listing_raw = (root / FOLDER / "index.html").read_text(encoding="utf-8")
        _no_double_escape(listing_raw, f"{lang}/{FOLDER}/")
        listing = soup(root / FOLDER / "index.html")
        assert EXPECTED in [a.get_text(strip=True) for a in listing.select("article a")]
        labels = [a.get("aria-label", "") for a in listing.select("a.md-footer__link")]
        assert any(label.endswith(": " + EXPECTED) for label in labels), labels
        # the search (Pagefind) keeps each page's title as text; the search script shows it as text
        fragments = [
            json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
            for path in (site / "pagefind" / "fragment").glob(f"{lang}_*.pf_fragment")
        ]
        titles = [f["meta"]["title"] for f in fragments if f["url"].endswith("/" + PAGE)]
        assert titles and all(html.unescape(t).startswith(EXPECTED) for t in titles), titles
    # the sitemap lists the page in both languages and stays well-formed
    sitemap = ET.parse(site / "sitemap.xml")
    locs = {el.text for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {SITE_URL + PAGE, SITE_URL + "en/" + PAGE} <= locs
    assert not re.search(r"<(script|svg)", (site / "sitemap.xml").read_text(encoding="utf-8"))
