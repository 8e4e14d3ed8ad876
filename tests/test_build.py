"""Whole build: the real site, built once, read with a real HTML parser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import LANGS, pages, soup


def lang_root(site: Path, lang: str) -> Path:
    return site if lang == "fr" else site / lang


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
        switch = {
            a["hreflang"]: _resolve(page_url, a["href"]) for a in doc.select("a.md-select__link[hreflang]")
        }
        assert switch.get(other) == expected, f"{page_url}: the language switcher leads to {switch.get(other)}"


def test_each_language_has_its_own_404(site):
    fr = soup(site / "404.html")
    en = soup(site / "en" / "404.html")
    assert fr.html["lang"] == "fr" and "Page introuvable" in fr.h1.get_text()
    assert en.html["lang"] == "en" and "Page not found" in en.h1.get_text()


def _index(site: Path, lang: str) -> dict:
    return json.loads((lang_root(site, lang) / "search" / "search_index.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS)
def test_one_search_index_per_language(site, lang):
    index = _index(site, lang)
    assert index["config"]["lang"] == [lang]
    assert "stemmer" in index["config"]["pipeline"]
    # the separator splits French elisions: l'accessibilité -> l, accessibilité
    assert [t for t in re.split(index["config"]["separator"], "l'accessibilité l’égalité") if t] == [
        "l", "accessibilité", "l", "égalité"
    ]
    root = lang_root(site, lang)
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert locations, "empty index"
    for location in locations:
        assert not location.startswith("en/"), f"{lang} index has a page of another language: {location}"
        assert (root / location / "index.html").exists() or (root / location).is_file(), location
    # every page of the language is searchable
    built = {rel.removesuffix("index.html") for rel in pages(site, lang) if rel != "404.html"}
    assert built <= locations, f"pages missing from the {lang} search index: {sorted(built - locations)}"


def test_search_script_reads_its_own_language_index(site):
    def config(path):
        return json.loads(soup(path).find("script", id="__config").string)

    en = config(site / "en" / "about" / "index.html")
    assert _resolve("/en/about/", en["base"] + "/search/search_index.json") == "/en/search/search_index.json"
    fr = config(site / "about" / "index.html")
    assert _resolve("/about/", fr["base"] + "/search/search_index.json") == "/search/search_index.json"
    worker = _resolve("/en/about/", en["search"])
    assert (site / worker.lstrip("/")).is_file(), f"search worker {worker} is missing"
    assert "importScripts" in (site / worker.lstrip("/")).read_text()


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
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", style.get_text()), f"{lang}/{rel}: external url() in <style>"
    for css in (lang_root(site, "fr") / "assets").rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//|url\(\s*['\"]?(https?:)?//", css.read_text()), css
