"""The quotation check (hooks/kb/quotes.py): every quotation attributed to a source is found in its text."""

from __future__ import annotations

from conftest import ROOT, copy_project
from kb.languages import read as read_languages
from kb.quotes import (Source, check_data, check_text, check_tree, load_sources, normalise, quotations, site_words,
                       source_problems)

NBSP, NNBSP = "\u00a0", "\u202f"

# a source as PDFs are extracted: lines cut, words hyphenated at line ends, straight apostrophes
SOURCE = Source.of(
    "menengage-2018",
    "Accroître le soutien, l'adoption \net l'implémentation d'approches \nsexo-trans-\nformatrices "
    "s'inspirant de principes \nféministes parmi nos membres.\n\nIl a réuni plus de 1250 participants.\n",
)


def problems(markdown: str, lang: str = "fr") -> list:
    return check_text(markdown, lang, [SOURCE], "content/fr/page.md", first_line=5, source="fr")


def test_an_exact_quotation_across_line_breaks_and_hyphenation_passes():
    text = f"Son objectif : «{NBSP}l’adoption et l’implémentation d’approches sexo-transformatrices s’inspirant de principes féministes{NBSP}»."
    assert problems(text) == []


def test_a_reworded_quotation_fails_with_the_closest_passage_of_the_source():
    text = "Intro.\n\nSon objectif : « l’adoption et la mise en œuvre d’approches sexo-transformatrices d’inspiration féministe »."
    [problem] = problems(text)
    assert (problem.file, problem.line) == ("content/fr/page.md", 7)
    assert "is not in its source (menengage-2018)" in problem.message
    assert "closest passage in menengage-2018: «l'adoption et l'implémentation d'approches sexo-trans- formatrices" in problem.message


def test_insertions_in_square_brackets_and_cuts_are_allowed():
    assert problems("« Accroître le soutien […] parmi [ses] membres »") == []
    assert problems("« Accroître le soutien […] parmi tous ses membres »") != []


def test_numbers_with_a_no_break_space_match_the_source():
    assert problems(f"«{NBSP}plus de 1{NNBSP}250 participants{NBSP}»") == []


def test_short_terms_in_guillemets_are_not_checked():
    assert problems("le mot « redevabilité » et « droits humains »") == []
    assert len(problems("le mot « droits humains fondamentaux »")) == 1


def test_the_sites_own_words_in_guillemets_are_not_a_source_quotation():
    """A page that names the site's own links or notices (data/labels.yml) quotes the site, not a source."""
    own = site_words(ROOT)["fr"]
    text = "Utilisez « Signaler une erreur sur cette page » ou l’avis « à mettre à jour »."
    assert check_text(text, "fr", [SOURCE], "content/fr/page.md", own=own, source="fr") == []
    # the same words are a quotation where they are not the site's: checked against the source
    assert len(check_text(text, "fr", [SOURCE], "content/fr/page.md", source="fr")) == 2
    # and a label's words followed by more are not the site's label
    assert len(check_text("« à mettre à jour chaque année »", "fr", [SOURCE], "p.md", own=own, source="fr")) == 1


def test_a_quote_block_is_checked_whole_even_without_guillemets():
    block = '!!! quote "Objectif 2020"\n    Accroître le soutien et la mise en œuvre.\n'
    [problem] = problems(block)
    assert problem.line == 6
    assert problems('!!! quote "Objectif 2020"\n    Accroître le soutien, l’adoption.\n') == []


def test_markdown_is_not_part_of_the_quotation():
    assert problems("« [Accroître le soutien](https://example.org/), *l’adoption*{: lang=fr } »") == []


def test_english_quotations_must_say_they_are_translated():
    sentence = "It reads: “To increase support for, and the adoption and implementation of, these approaches.”"
    [problem] = problems(sentence, "en")
    assert "translated from the French" in problem.message
    assert problems(sentence + " (translated from the French)", "en") == []
    block = '!!! quote "The 2020 goal"\n    To increase support for these approaches.\n\n    *Translated from the French edition.*\n'
    assert problems(block, "en") == []
    assert len(problems(block.replace("Translated from the French edition", "Our summary"), "en")) == 1
    # a translated title is not a quotation of the source
    assert problems("the “Roles and responsibilities of men and boys in response to the #MeToo movement” dialogue", "en") == []


def test_normalise_joins_words_cut_at_the_end_of_a_line():
    assert normalise("sexo-trans-\nformatrices")[0] == normalise("sexo-transformatrices")[0]
    assert normalise("exem- plaires")[0] == normalise("exemplaires")[0]


def test_quotations_finds_guillemets_across_lines():
    [q] = quotations("Elle dit : « une phrase\nsur deux lignes ».", "fr", "fr")
    assert (q.text, q.line) == ("une phrase\nsur deux lignes", 1)


def test_data_records_are_checked_against_their_own_source(tmp_path):
    root = copy_project(tmp_path / "project")
    (root / "data" / "timeline.yml").write_text(
        (root / "data" / "timeline.yml")
        .read_text(encoding="utf-8")
        .replace("que chacun d’entre nous adopte les valeurs", "que chacun adopte les valeurs"),
        encoding="utf-8",
    )
    found = check_data(root, load_sources(root), read_languages(root / "mkdocs.yml"))
    assert len(found) == 1
    assert found[0].file == "data/timeline.yml" and found[0].field.endswith(".title.fr")
    assert "closest passage in menengage-2021" in found[0].message


def test_every_source_of_the_bibliography_has_its_text(tmp_path):
    root = copy_project(tmp_path / "project")
    (root / "sources" / "care-2020.txt").unlink()
    [problem] = source_problems(root)
    assert problem.file == "data/bibliography.yml" and "sources/care-2020.txt" in problem.message


def test_the_whole_site_passes():
    assert check_tree(ROOT) == []
    # and the sources are never published: the site is built from content/ alone
    assert not any((ROOT / "content").rglob("*.txt"))
