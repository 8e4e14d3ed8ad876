"""Unit tests: loading and validating data files, with editors' mistakes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kb.data import load_data, load_data_cached
from kb.problems import KbError

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
coalitions:
  - id: gender-based-violence
    kind: action-coalition
    name: {fr: "Violence sexiste", en: "Gender-Based Violence"}
    sources: [gef-2021]
"""


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A data folder with the real schemas, bibliography and labels, and a small coalitions file."""
    d = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "schemas", d / "schemas")
    for name in ("bibliography.yml", "labels.yml"):
        shutil.copy2(ROOT / "data" / name, d / name)
    (d / "coalitions.yml").write_text(GOOD, encoding="utf-8")
    return d


def problems_of(data_dir: Path, text: str | None = None, name: str = "coalitions.yml") -> list[str]:
    if text is not None:
        (data_dir / name).write_text(text, encoding="utf-8")
    with pytest.raises(KbError) as info:
        load_data(data_dir, data_dir.parent)
    return [str(p) for p in info.value.problems]


def test_real_data_is_valid():
    data = load_data(ROOT / "data", ROOT)
    assert len(data.records("coalitions")) == 7


def test_good_file_loads(data_dir):
    data = load_data(data_dir, data_dir.parent)
    assert data.records("coalitions")[0]["name"]["en"] == "Gender-Based Violence"


def test_malformed_yaml_names_file_and_line(data_dir):
    text = GOOD.replace('name: {fr: "Violence sexiste", en:', 'name: {fr: "Violence sexiste" en:')
    [problem] = problems_of(data_dir, text)
    assert problem.startswith("data/coalitions.yml:4:")
    assert "not valid YAML" in problem


def test_schema_violation_names_file_line_and_field(data_dir):
    [problem] = problems_of(data_dir, GOOD.replace("kind: action-coalition", "kind: coalition"))
    assert problem.startswith("data/coalitions.yml:3: coalitions[gender-based-violence].kind:")
    assert "use one of: action-coalition, compact" in problem


def test_wrong_type_is_explained(data_dir):
    [problem] = problems_of(data_dir, GOOD.replace("sources: [gef-2021]", "sources: gef-2021"))
    assert problem == (
        'data/coalitions.yml:5: coalitions[gender-based-violence].sources: should be a list (lines starting with `- `), but is "gef-2021"'
    )


def test_missing_source_text_names_the_language(data_dir):
    [problem] = problems_of(data_dir, GOOD.replace('{fr: "Violence sexiste", ', "{"))
    assert problem == (
        "data/coalitions.yml:4: coalitions[gender-based-violence].name.fr: the French text is missing (French is the source language); "
        'add `fr: "…"`'
    )


def test_missing_english_text_is_not_an_error_but_is_listed(data_dir):
    from kb.languages import project
    from kb.translations import data_statuses

    (data_dir / "coalitions.yml").write_text(GOOD.replace(', en: "Gender-Based Violence"', ""), encoding="utf-8")
    data = load_data(data_dir, data_dir.parent)
    [status] = [s for s in data_statuses(data, data_dir.parent, project()) if s.path == "data/coalitions.yml"]
    assert (status.state, status.lang, status.field, status.line) == ("missing", "en", "coalitions[gender-based-violence].name", 4)


def test_duplicate_id(data_dir):
    text = GOOD + GOOD.split("\n", 1)[1]
    [problem] = problems_of(data_dir, text)
    # two records share the id, so the second is named by its position, counted from 1
    assert problem.startswith("data/coalitions.yml:6: coalitions[2].id:")
    assert 'the id "gender-based-violence" is already used by record 1 (counted from 1, line 2)' in problem


def test_duplicate_key(data_dir):
    [problem] = problems_of(data_dir, GOOD.replace("    sources:", "    kind: compact\n    sources:"))
    assert problem.startswith("data/coalitions.yml:5: coalitions[1].kind: this field is written twice")


def test_unknown_reference(data_dir):
    [problem] = problems_of(data_dir, GOOD.replace("[gef-2021]", "[gef-2020]"))
    assert problem.startswith("data/coalitions.yml:5: coalitions[gender-based-violence].sources[1]:")
    assert '"gef-2020" is not the id of any record in data/bibliography.yml' in problem


def test_unknown_field_and_date_without_quotes(data_dir):
    problems = problems_of(data_dir, GOOD + "    launched: 2021-06-30\n")
    assert problems == [
        "data/coalitions.yml:6: coalitions[gender-based-violence].launched: unknown field `launched` (check its spelling); "
        "allowed here: id, kind, name, sources"
    ]


def test_several_problems_in_several_files_are_reported_together(data_dir):
    (data_dir / "coalitions.yml").write_text(
        GOOD.replace("kind: action-coalition", "kind: coalition").replace('{fr: "Violence sexiste", ', "{"),
        encoding="utf-8",
    )
    (data_dir / "labels.yml").write_text("labels:\n  source: {en: Source}\n", encoding="utf-8")
    (data_dir / "stray.yml").write_text("a: 1\n", encoding="utf-8")
    problems = problems_of(data_dir)
    assert len(problems) == 4, problems
    assert any(p.startswith("data/coalitions.yml:3: coalitions[gender-based-violence].kind:") for p in problems)
    assert any(p.startswith("data/coalitions.yml:4: coalitions[gender-based-violence].name.fr:") for p in problems)
    assert any(p.startswith("data/labels.yml:2: labels.source.fr:") for p in problems)
    assert "data/stray.yml: no schema for this file: add data/schemas/stray.schema.json" in problems


def test_report_is_plain_words():
    from kb.problems import Problem

    err = KbError([Problem("data/x.yml", 3, "a.b", "is wrong"), Problem("data/x.yml", 1, "", "bad")])
    assert err.report() == "2 problems to fix:\n  - data/x.yml:1: bad\n  - data/x.yml:3: a.b: is wrong"


def test_unknown_coalition_and_unknown_country_are_reported_together(data_dir):
    (data_dir / "collectives.yml").write_text(
        "collectives:\n"
        "  - id: test-collective\n"
        '    name: {fr: "Collectif", en: "Collective"}\n'
        "    coalitions: [gender-based-violense]\n"
        '    summary: {fr: "Résumé", en: "Summary"}\n',
        encoding="utf-8",
    )
    (data_dir / "calendar-2017.yml").write_text(
        'events:\n  - id: meeting\n    month: 13\n    title: {fr: "Réunion", en: "Meeting"}\n    country: XX\n', encoding="utf-8"
    )
    problems = problems_of(data_dir)
    assert any(
        p.startswith("data/collectives.yml:4: collectives[test-collective].coalitions[1]:")
        and '"gender-based-violense" is not the id of any record in data/coalitions.yml' in p
        for p in problems
    ), problems
    assert any(p.startswith("data/calendar-2017.yml:5: events[meeting].country:") and "ISO 3166-1" in p for p in problems)
    assert any(p.startswith("data/calendar-2017.yml:3: events[meeting].month:") and "out of range" in p for p in problems)


def test_norway_problem_gets_a_hint(data_dir):
    (data_dir / "calendar-2017.yml").write_text(
        'events:\n  - id: meeting\n    month: 2\n    title: {fr: "Réunion", en: "Meeting"}\n    country: NO\n', encoding="utf-8"
    )
    [problem] = problems_of(data_dir)
    assert problem.startswith("data/calendar-2017.yml:5: events[meeting].country: should be text in quotes")
    assert '"NO" for Norway' in problem


def test_validated_data_is_cached_by_content(data_dir, tmp_path):
    cache = tmp_path / "cache"
    first = load_data_cached(data_dir, data_dir.parent, cache)
    assert len(list(cache.glob("data-*.pickle"))) == 1
    again = load_data_cached(data_dir, data_dir.parent, cache)
    assert again["coalitions"] == first["coalitions"]
    assert again.files["coalitions"].line_of(("coalitions", 0, "name")) == 4
    # an edit is seen: the cached result is not used, and a mistake is reported
    (data_dir / "coalitions.yml").write_text(GOOD.replace("action-coalition", "coalition-d-action"), encoding="utf-8")
    with pytest.raises(KbError) as info:
        load_data_cached(data_dir, data_dir.parent, cache)
    assert "coalitions.yml:3: coalitions[gender-based-violence].kind" in str(info.value.problems[0])
    # and is reported again by the next build: data with problems is never cached
    with pytest.raises(KbError):
        load_data_cached(data_dir, data_dir.parent, cache)
