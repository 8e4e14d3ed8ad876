"""The open data described in every language: each data file and each CSV column has a readers'
description per language (`x-description` in its JSON Schema), shown on the open-data page in the
page's language and in datapackage.json; a column without one is a problem of `make check`; the
translation status counts these descriptions with the other data texts."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LANGS, ROOT, build, copy_project, lang_root, soup
from kb import datapackage, translations
from kb.languages import read as read_languages
from kb.data import load_data

ACRONYM = ("collectives.schema.json", ("properties", "collectives", "items", "properties", "acronym"))


def _schema_path(project: Path, name: str) -> Path:
    return project / "data" / "schemas" / name


def _edit_description(project: Path, drop: str | None = None, lang: str | None = None) -> int:
    """Remove the `acronym` column's description (all of it, or one language's); return its line."""
    path = _schema_path(project, ACRONYM[0])
    schema = json.loads(path.read_text(encoding="utf-8"))
    node = schema
    for part in ACRONYM[1]:
        node = node[part]
    if lang:
        del node[datapackage.DESCRIPTION][lang]
    else:
        del node[datapackage.DESCRIPTION]
    path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if line.strip().startswith('"acronym": {'))


def _problems(project: Path):
    data = load_data(project / "data", project)
    return data, datapackage.description_problems(project, data)


def test_every_published_column_is_described_in_every_language():
    data, problems = _problems(ROOT)
    assert problems == []
    assert datapackage.undocumented(data) == []


def test_a_column_without_a_description_is_a_problem_with_file_line_and_field(tmp_path):
    project = copy_project(tmp_path / "project")
    line = _edit_description(project)
    _, problems = _problems(project)
    assert [str(p) for p in problems] == [
        f"data/schemas/collectives.schema.json:{line}: properties.collectives.items.properties.acronym: "
        "the published CSV column acronym (collectives.csv) has no description in French and English: "
        'add "x-description": {"fr": "…", "en": "…"} to this property, one sentence for readers of the open data'
    ]
    # make check fails with it, and says it in the same words
    result = subprocess.run(
        [sys.executable, "-m", "kb.check"], cwd=project / "hooks", capture_output=True, text=True
    )
    assert result.returncode == 1, result.stdout
    assert f"data/schemas/collectives.schema.json:{line}: " in result.stdout
    assert "column acronym (collectives.csv) has no description in French and English" in result.stdout


def test_a_description_missing_in_one_language_is_a_problem_and_untranslated(tmp_path):
    project = copy_project(tmp_path / "project")
    line = _edit_description(project, lang="en")
    data, problems = _problems(project)
    assert len(problems) == 1 and problems[0].line == line
    assert problems[0].file == "data/schemas/collectives.schema.json"
    assert "has no description in English" in problems[0].message
    # the translation status lists it like any data text without its English
    missing = [s for s in translations.data_statuses(data, project, read_languages(project / "mkdocs.yml")) if s.state == "missing"]
    assert [(s.path, s.field) for s in missing] == [
        ("data/schemas/collectives.schema.json", "properties.collectives.items.properties.acronym.x-description")
    ]


def test_french_typography_of_descriptions_is_checked(tmp_path):
    project = copy_project(tmp_path / "project")
    path = _schema_path(project, ACRONYM[0])
    path.write_text(
        path.read_text(encoding="utf-8").replace("collectif, s’il en a un", "collectif: s'il en a un"),
        encoding="utf-8",
    )
    _, problems = _problems(project)
    messages = " | ".join(p.message for p in problems)
    assert problems and all(p.file == "data/schemas/collectives.schema.json" for p in problems)
    assert "straight apostrophe" in messages and "“:”" in messages


# --- The built site -------------------------------------------------------------------------

EXPECTED = {  # a column of collectives.csv and its description in each language
    "fr": ("acronym", "Sigle du collectif, s’il en a un"),
    "en": ("acronym", "The collective’s acronym, if it has one"),
}


def _datasets(page):
    """The open-data page's tables of columns, by data file (heading id)."""
    out = {}
    for table in page.article.select("table"):
        heading = table.find_previous("h2")
        if heading is not None and heading.get("id") != "licence":
            out[heading["id"]] = table
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_open_data_page_describes_each_column_in_its_language(site, lang):
    page = soup(lang_root(site, lang) / "open-data" / "index.html")
    assert page.html["lang"] == lang
    tables = _datasets(page)
    assert set(tables) >= {"coalitions", "collectives", "glossary", "bibliography"}
    rows = {
        tr.select_one("td").get_text(" ", strip=True): tr.select("td")[1]
        for tr in tables["collectives"].select("tbody tr")
    }
    column, description = EXPECTED[lang]
    assert rows[column].get_text(" ", strip=True) == description
    other = next(x for x in LANGS if x != lang)
    assert EXPECTED[other][1] not in page.article.get_text(" ")
    # everything is translated: no text in another language in the datasets' descriptions and tables
    for table in tables.values():
        assert not table.select("[lang]"), table.select("[lang]")[:1]
        for tr in table.select("tbody tr"):
            assert tr.select("td")[1].get_text(strip=True), f"a column without description: {tr}"
    intro = page.find(id="collectives").find_next("p")
    assert not intro.select("[lang]"), intro
    # a bilingual text's columns are one row, described once
    assert any(cell.startswith("name_fr") and "name_en" in cell for cell in rows)


def test_datapackage_fields_are_described_in_every_language(site):
    package = json.loads((site / "assets" / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["languages"] == list(LANGS)
    fields = [f for r in package["resources"] if "schema" in r for f in r["schema"]["fields"]]
    assert len(fields) > 100
    for field in fields:
        texts = field.get("x-description", {})
        assert set(texts) == set(LANGS), f"{field['name']}: {texts}"
        assert field["description"] == " / ".join(texts[lang] for lang in LANGS)
    [collectives] = [r for r in package["resources"] if r["name"] == "collectives-csv"]
    by_name = {f["name"]: f for f in collectives["schema"]["fields"]}
    assert by_name["name_fr"]["x-description"] == {
        "fr": "Nom du collectif, en français",
        "en": "Name of the collective, in French",
    }
    assert by_name["coalitions"]["x-description"]["fr"] == (
        "Coalitions d’action du collectif (identifiants de coalitions.csv). Plusieurs valeurs sont séparées par "
        "«\u00a0|\u00a0»."
    )
    for resource in package["resources"]:
        assert set(resource["x-description"]) == set(LANGS), resource["name"]


def _figures(page) -> list[int]:
    return [int(re.sub(r"\D", "", v.get_text())) for v in page.select(".kb-figure__value")]


def _report(project: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "kb.translations", "report"], cwd=project / "hooks", capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split("\n")[-1]


def _summary_numbers(summary: str) -> list[int]:
    """pages: 38 translated, 0 outdated, 0 missing; data texts: 792 translated, 0 outdated, 0 missing"""
    return [int(n) for n in re.findall(r"(\d+) (?:translated|outdated|missing)", summary)]


@pytest.mark.parametrize("lang", LANGS)
def test_status_page_and_make_translations_give_the_same_numbers(site, lang):
    page = soup(lang_root(site, lang) / "translation-status" / "index.html")
    figures = _figures(page.article)
    summary = _report(ROOT)
    assert figures == _summary_numbers(summary), summary
    assert len(figures) == 6 and figures[3] > 100  # pages, then data texts
    everything = {"fr": "Tout est traduit.", "en": "Everything is translated."}[lang]
    assert (everything in page.article.get_text(" ")) == (sum(figures[1:3]) + sum(figures[4:6]) == 0)


def test_status_page_counts_an_untranslated_data_text(tmp_path, site):
    project = copy_project(tmp_path / "project")
    # a data field and a column's description lose their English text
    coalitions = project / "data" / "coalitions.yml"
    coalitions.write_text(
        coalitions.read_text(encoding="utf-8").replace(', en: "Gender-Based Violence"', ""), encoding="utf-8"
    )
    _edit_description(project, lang="en")
    out = tmp_path / "out"
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr

    before = _figures(soup(site / "en" / "translation-status" / "index.html").article)
    status = soup(out / "en" / "translation-status" / "index.html").article
    after = _figures(status)
    assert after[:3] == before[:3]  # the pages did not change
    assert after[5] == before[5] + 2, (before, after)  # two data texts missing their English
    assert after[3] == before[3] - 2
    assert after == _summary_numbers(_report(project))
    text = status.get_text(" ")
    assert "Everything is translated." not in text
    assert "coalitions[gender-based-violence].name" in text and "properties.collectives.items.properties.acronym.x-description" in text

    # the English open-data page shows the French description, marked as French
    page = soup(out / "en" / "open-data" / "index.html")
    rows = _datasets(page)["collectives"].select("tbody tr")
    row = next(tr for tr in rows if tr.td.get_text(strip=True) == "acronym")
    marked = row.select("td")[1].select_one('span[lang="fr"]')
    assert marked is not None and marked.get_text() == EXPECTED["fr"][1]
