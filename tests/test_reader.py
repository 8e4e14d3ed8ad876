"""What every page offers a reader besides its text: licence, "cite this page",
"edit this page", consistent titles, and the open data's descriptor."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from datetime import date
from urllib.parse import unquote

import pytest
from conftest import LANGS, REPO_URL, ROOT, lang_root, pages, soup

sys.path.insert(0, str(ROOT / "hooks"))

from kb import cite, templates  # noqa: E402
from kb.data import load_data  # noqa: E402
from kb.directives import Context  # noqa: E402

SITE_NAMES = {"fr": "Agir ensemble pour la justice de genre", "en": "Acting together for gender justice"}


def _data_url(link) -> str:
    head, _, body = link["href"].partition(",")
    assert head.startswith("data:") and head.endswith(";charset=utf-8"), head
    return unquote(body)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_states_the_licence_and_the_source_documents_rights(site, lang):
    missing = []
    for rel in sorted(pages(site, lang)):
        footer = soup(lang_root(site, lang) / rel).select_one(".md-copyright")
        licence = footer.select_one('a[rel="license"]') if footer else None
        if not licence or "creativecommons.org/licenses/by/4.0" not in licence["href"]:
            missing.append(rel)
        elif ("éditeurs" if lang == "fr" else "publishers") not in footer.get_text():
            missing.append(rel + " (no word on the source documents' rights)")
    assert not missing, f"{lang}: pages without the licence: {missing[:10]}"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").count("CC BY 4.0") >= 1


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_can_be_cited_and_downloaded_as_a_reference(site, lang):
    without = []
    for rel in sorted(pages(site, lang)):
        if rel.endswith("404.html"):
            continue
        page = soup(lang_root(site, lang) / rel)
        block = page.select_one("aside.kb-cite")
        if block is None:
            without.append(rel)
            continue
        text = block.select_one(".kb-cite__text").get_text()
        assert SITE_NAMES[lang] in text, f"{lang}/{rel}: the citation does not name the site: {text}"
        canonical = page.select_one('link[rel="canonical"]')["href"]
        assert canonical in text, f"{lang}/{rel}: the citation does not give the page's address"
        bib = block.select_one('a[download$=".bib"]')
        csl = block.select_one('a[download$=".json"]')
        assert bib and csl, f"{lang}/{rel}: no BibTeX or CSL-JSON download"
        bibtex = _data_url(bib)
        assert bibtex.startswith("@misc{") and f"url = {{{canonical}}}" in bibtex, bibtex
        item = json.loads(_data_url(csl))[0]
        assert item["type"] == "webpage" and item["URL"] == canonical and item["container-title"] == SITE_NAMES[lang]
    assert not without, f"{lang}: pages without 'cite this page': {without[:10]}"


def test_citation_is_formatted_in_the_page_language():
    day = "2026-12-02"
    data = load_data(ROOT / "data", ROOT)

    def context(lang):
        return Context(data, lang, f"content/{lang}/x.md", 0, "fr", ("fr", "en"), templates.environment(), {})

    fr = cite.block(context("fr"), "Code de conduite", SITE_NAMES["fr"], "https://example.org/menengage/code-of-conduct/", day)
    en = cite.block(context("en"), "Code of Conduct", SITE_NAMES["en"], "https://example.org/en/menengage/code-of-conduct/", day)
    assert "«\u202fCode de conduite\u202f»" in fr and "mis à jour le 2 décembre 2026" in fr and "Citer cette page" in fr
    assert "“Code of Conduct”" in en and "updated 2 December 2026" in en and "Cite this page" in en
    assert "Modifier" not in fr  # no repository: no edit link


def test_bibtex_escapes_its_special_characters():
    entry = cite.bibtex("R&D: 50% of {costs} #1_a", "Site", "https://example.org/x/", date(2026, 1, 2), "en-GB", "updated")
    assert r"title = {R\&D: 50\% of \{costs\} \#1\_a}" in entry
    assert "month = jan" in entry and entry.count("{") - entry.count(r"\{") == entry.count("}") - entry.count(r"\}")


def translated(lang: str, rel: str) -> bool:
    """Whether the built page `rel` (`about/index.html`) has its own file in `lang`."""
    stem = rel.removesuffix("index.html").rstrip("/")
    folder = ROOT / "content" / lang
    return (folder / f"{stem}.md").exists() or (folder / stem / "index.md").exists()


@pytest.mark.parametrize("lang", LANGS)
def test_edit_links_lead_to_the_page_file_in_its_language(site, lang):
    checked = 0
    for rel in sorted(pages(site, lang)):
        link = soup(lang_root(site, lang) / rel).select_one('.kb-cite__edit a[rel="edit"]')
        if link is None:
            continue
        prefix = f"{REPO_URL}/edit/main/"
        assert link["href"].startswith(prefix), link["href"]
        source = link["href"].removeprefix(prefix)
        assert (ROOT / source).is_file(), f"{lang}/{rel}: edit link to a missing file {source}"
        # this language's file, or the original's where the page is not translated yet
        assert source.startswith(f"content/{lang}/") or not translated(lang, rel), source
        checked += 1
    # every written page (not the ones generated from data) has one
    assert checked >= len(list((ROOT / "content" / lang).rglob("*.md"))) - 1, f"{lang}: only {checked} edit links"


@pytest.mark.parametrize("lang", LANGS)
def test_home_is_titled_with_the_site_name(site, lang):
    title = soup(lang_root(site, lang) / "index.html").title.get_text().strip()
    assert title == SITE_NAMES[lang]


def test_datapackage_describes_every_download_truthfully(site):
    package = json.loads((site / "assets/data/datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["resources"], "the data package lists no file"
    for resource in package["resources"]:
        path = site / "assets/data" / resource["path"]
        assert path.is_file(), f"the data package lists a missing file: {resource['path']}"
        assert resource["bytes"] == path.stat().st_size, f"{resource['path']}: wrong size"
        if resource["format"] == "csv":
            header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
            assert [f["name"] for f in resource["schema"]["fields"]] == header, resource["path"]
    glossary = next(r for r in package["resources"] if r["name"] == "glossary-csv")
    undescribed = [f["name"] for f in glossary["schema"]["fields"] if not f.get("description")]
    assert not undescribed, f"glossary fields without a description in the schema: {undescribed}"


@pytest.mark.parametrize("lang", LANGS)
def test_open_data_page_gives_licence_descriptor_and_sizes(site, lang):
    page = soup(lang_root(site, lang) / "open-data/index.html")
    section = page.find(id="licence")
    assert section is not None
    text = " ".join(el.get_text(" ") for el in section.find_all_next(["p", "table"], limit=3))
    assert "CC BY 4.0" in text and "datapackage.json" in text
    sizes = [a.get_text() for a in page.select('td a[href$=".csv"], td a[href$=".json"]')]
    unit = r"\d\u00a0(k?o)$" if lang == "fr" else r"\d\u00a0(k?B)$"  # a no-break space: never a line between
    assert sizes and all(re.search(unit, size) for size in sizes), sizes

