"""Whole build: the sources' key facts are on the site in both languages, every page cites its sources."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import LANGS, ROOT, lang_root, pages, soup

FACT_FILES = sorted((ROOT / "tests" / "key_facts").glob("*.yml"))


def normalise(text: str) -> str:
    """Ignore the kind of space and apostrophe: the facts are about words and numbers."""
    text = re.sub(r"[\u00a0\u202f\u2009\u2007]", " ", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text)


@cache
def _site_text(site: Path, lang: str) -> str:
    root = lang_root(site, lang)
    parts = []
    for rel in sorted(pages(site, lang)):
        article = soup(root / rel).find("article") or soup(root / rel)
        for sup in article.find_all("sup"):  # French ordinals, 77<sup>e</sup>, read as 77e
            if sup.get_text() in ("e", "er", "re"):
                sup.unwrap()
        for abbr in article.find_all("abbr"):  # inline: "l’<abbr>OIT</abbr>" reads "l’OIT"
            abbr.unwrap()
        article.smooth()  # join "77" and "e" into one string
        parts.append(article.get_text(" "))
    return normalise(" ".join(parts))


def test_there_are_key_facts_for_every_source():
    names = {f.stem.split("-")[0] for f in FACT_FILES}
    assert {"000", "001", "002", "003", "004"} <= names, names


@pytest.mark.parametrize("facts_file", FACT_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", LANGS)
def test_key_facts_appear_in_both_languages(site, facts_file, lang):
    facts = yaml.safe_load(facts_file.read_text(encoding="utf-8"))
    assert facts, f"{facts_file.name} is empty"
    text = _site_text(site, lang)
    missing = [f[lang] for f in facts if normalise(f[lang]) not in text]
    assert not missing, f"{lang}: facts of {facts_file.name} not found on the site: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_cites_its_sources(site, lang):
    root = lang_root(site, lang)
    for rel in pages(site, lang) - {"404.html"}:
        aside = soup(root / rel).select_one("aside.kb-sources")
        assert aside is not None, f"{lang}/{rel} has no source citation"
        assert aside.find("cite"), f"{lang}/{rel}: the citation names no document"
