"""Whole build: the real site, built once, read with a real HTML parser."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import LANGS, lang_root, pages, soup


def test_same_pages_in_both_languages(site):
    fr, en = pages(site, "fr"), pages(site, "en")
    assert fr, "no French page was built"
    assert fr == en, f"only in French: {sorted(fr - en)}; only in English: {sorted(en - fr)}"
    assert "index.html" in fr and "404.html" in fr


@pytest.mark.parametrize("lang", LANGS)
def test_html_lang(site, lang):
    for rel in pages(site, lang):
        html = soup(lang_root(site, lang) / rel).html
        assert html.get("lang") == lang, f"{lang}/{rel} has <html lang={html.get('lang')!r}>"


def _resolve(page_url: str, href: str) -> str:
    return urlsplit(urljoin(page_url, href)).path


@pytest.mark.parametrize("lang", LANGS)
def test_hreflang_and_switcher_lead_to_the_translation(site, lang):
    other = "en" if lang == "fr" else "fr"
    for rel in pages(site, lang) - {"404.html"}:
        page_url = "/" + ("" if lang == "fr" else "en/") + rel
        translation = "/" + ("" if other == "fr" else "en/") + rel
        expected = translation.removesuffix("index.html")
        doc = soup(lang_root(site, lang) / rel)
        alternates = {
            link["hreflang"]: _resolve(page_url, link["href"])
            for link in doc.find_all("link", rel="alternate")
            if link.get("hreflang")
        }
        assert alternates.get(other) == expected, f"{page_url}: hreflang={other} is {alternates.get(other)}"
        assert alternates.get(lang) == page_url.removesuffix("index.html")
        switch = {a["hreflang"]: _resolve(page_url, a["href"]) for a in doc.select("a.md-select__link[hreflang]")}
        assert switch.get(other) == expected, f"{page_url}: the language switcher leads to {switch.get(other)}"


def test_each_language_has_its_own_404(site):
    fr = soup(site / "404.html")
    en = soup(site / "en" / "404.html")
    assert fr.html["lang"] == "fr" and "Page introuvable" in fr.h1.get_text()
    assert en.html["lang"] == "en" and "Page not found" in en.h1.get_text()


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_indexed_for_search_and_finds_the_engine(site, lang):
    # the search of every page (404 too) loads Pagefind from the site's root; Pagefind indexes
    # the article of every page but the 404 (see test_search.py for the index itself)
    for rel in pages(site, lang):
        page_url = "/" + ("" if lang == "fr" else "en/") + rel
        doc = soup(lang_root(site, lang) / rel)
        bundle = _resolve(page_url, doc.select_one(".md-search[data-kb-search]")["data-kb-search"])
        assert bundle == "/pagefind/", f"{page_url}: the search loads {bundle}"
        marked = doc.select("[data-pagefind-body]")
        if rel == "404.html":
            assert not marked, f"{page_url} would be a search result"
        else:
            assert [m.name for m in marked] == ["article"], f"{page_url}: indexed parts {marked!r:.200}"
    assert (site / "pagefind" / "pagefind.js").is_file()


def _external(url: str | None) -> bool:
    if not url:
        return False
    scheme = urlsplit(url).scheme
    return url.startswith("//") or scheme in ("http", "https")


@pytest.mark.parametrize("lang", LANGS)
def test_no_resource_from_another_host(site, lang):
    """No script, stylesheet, image, font or frame comes from another host."""
    for rel in pages(site, lang):
        doc = soup(lang_root(site, lang) / rel)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "srcset")):
            for el in doc.find_all(tag):
                if tag == "link" and set(el.get("rel", [])) & {"canonical", "alternate"}:
                    continue  # addresses of this very site, not resources
                assert not _external(el.get(attr)), f"{lang}/{rel}: <{tag} {attr}={el.get(attr)}>"
        for style in doc.find_all("style"):
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", style.get_text()), (
                f"{lang}/{rel}: external url() in <style>"
            )
    for css in (lang_root(site, "fr") / "assets").rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//|url\(\s*['\"]?(https?:)?//", css.read_text()), css


def test_sitemap_lists_both_languages_with_alternates(site):
    from bs4 import BeautifulSoup

    xml = BeautifulSoup((site / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    urls = xml.find_all("url")
    locs = [u.find("loc").get_text() for u in urls]
    assert len(locs) == len(set(locs)), "a page is listed twice"
    base = locs[0].split("/")[0] + "//" + locs[0].split("/")[2] + "/"
    fr = {loc for loc in locs if not loc.startswith(base + "en/")}
    en = {loc for loc in locs if loc.startswith(base + "en/")}
    assert fr and len(fr) == len(en), (len(fr), len(en))
    for url in urls:
        links = {link["hreflang"]: link["href"] for link in url.find_all("xhtml:link")}
        assert {"fr", "en", "x-default"} <= set(links), url.find("loc").get_text()
        assert links["x-default"] == links["fr"]
        assert url.find("loc").get_text() in links.values()


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_description_open_graph_and_canonical(site, lang):
    descriptions = {}
    for rel in pages(site, lang) - {"404.html"}:
        doc = soup(lang_root(site, lang) / rel)
        desc = doc.find("meta", attrs={"name": "description"})["content"]
        assert len(desc) >= 40, f"{lang}/{rel}: description too short: {desc!r}"
        descriptions.setdefault(desc, []).append(rel)
        og = {m["property"]: m["content"] for m in doc.find_all("meta", property=True)}
        assert og.get("og:title") and og.get("og:description") == desc, f"{lang}/{rel}"
        assert og.get("og:locale") == ("fr_FR" if lang == "fr" else "en_GB")
        canonical = doc.find("link", rel="canonical")["href"]
        expected = ("" if lang == "fr" else "en/") + rel.removesuffix("index.html")
        assert canonical.endswith("/" + expected) or canonical.endswith(expected), (canonical, expected)
    shared = {d: r for d, r in descriptions.items() if len(r) > 1}
    assert not shared, f"{lang}: pages sharing one description: {shared}"
