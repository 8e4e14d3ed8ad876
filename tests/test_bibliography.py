"""How the bibliography prints its entries (templates/parts/citation.md) in every language."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from kb import pipeline, render, templates
from kb.data import load_data
from kb.directives import Context


@pytest.fixture(scope="module")
def rendered():
    data = load_data(ROOT / "data", ROOT, ROOT / "content")
    env = templates.environment(ROOT / "templates")
    registry = render.registry(data)
    langs = pipeline.Settings.of(ROOT).langs
    out = {}
    for lang in langs.all:
        ctx = Context(data, lang, "test.md", 0, langs.source, langs.all, env, registry, ROOT)
        body, problems = pipeline.page_markdown("<!-- kb:references unwomen-2023 -->\n", ctx, ["unwomen-2023", "care-2020", "menengage-2018"])
        assert problems == []
        out[lang] = body
    return out


def test_year_letters_are_printed_as_the_study_cites_them(rendered):
    fr = rendered["fr"]
    assert "AFM (Alliance pour les mouvements féministes) (2022d). <cite>Groupe de pilotage</cite>" in fr
    assert "(2022a)" in fr and "(2023b)" in fr
    assert "GAC (Alliance mondiale pour les soins) (sans date b). <cite>Adhésion actuelle</cite>" in fr
    assert "(undated a)" in rendered["en"]


def test_an_entry_without_author_or_publisher_starts_with_its_title(rendered):
    assert "1. <cite>Tableau de bord des engagements</cite> (sans date)." in rendered["fr"]
    assert '1. <cite lang="fr">Tableau de bord des engagements</cite> (undated).' in rendered["en"]
    assert not re.search(r"^1\. \(", rendered["fr"], re.MULTILINE)


def test_no_double_full_stop_after_initials(rendered):
    assert "Pozzan, E.." not in rendered["fr"] and "Pozzan, E. Cité" in rendered["fr"]
    assert "Pozzan, E.." not in rendered["en"]


def test_one_word_for_undated(rendered):
    assert "non daté" not in rendered["fr"]
    assert "sans date, vers 2019–2020" in rendered["fr"]  # CARE, in the citation at the foot of the page


def test_the_sources_link_to_where_they_are_published_when_the_source_gives_an_address(rendered):
    fr = rendered["fr"]
    link = '<a href="{0}">{0}</a>'
    assert link.format("http://bit.ly/MenEngage2017") in fr  # the address 004 gives for the full report
    assert link.format("https://commitments.generationequality.org/fr/accountability-report") in fr
    # a Markdown autolink would be an unknown HTML tag, showing nothing, in the HTML footer of a page
    assert "<http" not in fr and "<http" not in rendered["en"]
    care = next(item for item in fr.split("<li>") if "Soutenir les mouvements sociaux" in item)
    assert "href" not in care and "ne donne aucune adresse" in care
