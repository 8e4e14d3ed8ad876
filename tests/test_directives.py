"""Unit tests: directives and rendering, in each language, escaped."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from kb import locale
from kb.data import load_data
from kb.directives import Context, expand
from kb.render import page_sources, registry
from kb.templates import environment

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data():
    return load_data(ROOT / "data", ROOT)


def ctx(data, lang="fr"):
    return Context(
        data,
        lang,
        "content/fr/test.md",
        source="fr",
        langs=("fr", "en"),
        templates=environment(),
        directives=registry(data),
    )


def test_coalitions_in_each_language(data):
    fr, problems = expand("Intro\n\n<!-- kb:coalitions -->\n", ctx(data, "fr"))
    assert not problems
    assert "1. **Violence sexiste**" in fr
    assert "Pacte sur les femmes, la paix, la sécurité et l’action humanitaire" in fr
    en, _ = expand("<!-- kb:coalitions -->", ctx(data, "en"))
    assert "6. **Feminist Movements and Leadership**" in en
    assert "And the Compact: **Compact on Women, Peace and Security and Humanitarian Action**" in en


def test_unknown_directive_names_page_and_line(data):
    text = "# Title\n\nSome text\n<!-- kb:colalitions -->\n"
    out, problems = expand(text, ctx(data))
    [problem] = [str(p) for p in problems]
    assert problem.startswith('content/fr/test.md:4: unknown directive "kb:colalitions"; known directives: ')
    assert "kb:coalitions," in problem


def test_malformed_directive_is_reported(data):
    _, problems = expand("text\n\n<!-- kb: coalitions\n", ctx(data))
    assert [p.line for p in problems] == [3, 3]  # and its comment is never closed
    assert sorted(p.message.split(",")[0] for p in problems) == [
        "this comment is never closed",
        "this looks like a directive but is not written as one: write it alone on its line",
    ]


def test_wrong_argument_is_reported(data):
    _, problems = expand("<!-- kb:references nobody -->", ctx(data))
    assert len(problems) == 1 and "needs the id of one source document" in problems[0].message


def test_data_reaching_html_is_escaped(data):
    hostile = copy.deepcopy(data)
    hostile["coalitions"]["coalitions"][0]["name"]["fr"] = "<script>alert(1)</script>"
    out, _ = expand("<!-- kb:coalitions -->", ctx(hostile))
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_page_sources_mark_the_title_language(data):
    en = page_sources(["unwomen-2023"], ctx(data, "en"))
    assert '<cite lang="fr">Favoriser la collaboration par des engagements collectifs</cite>' in en
    assert "Source:" in en
    fr = page_sources(["unwomen-2023", "gef-2021"], ctx(data, "fr"))
    assert "Sources\u00a0:" in fr and 'lang="fr"' not in fr


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fr", ("1\u202f250", "45\u202f%", "29 octobre 2023", "juin 2021", "Équateur")),
        ("en", ("1,250", "45%", "29 October 2023", "June 2021", "Ecuador")),
    ],
)
def test_locale_formatting(lang, expected):
    got = (
        locale.number(1250, lang),
        locale.percent(45, lang),
        locale.iso_date("2023-10-29", lang),
        locale.iso_date("2021-06", lang),
        locale.country("EC", lang),
    )
    assert got == expected


def test_labels_exist_in_both_languages(data):
    for key, text in data["labels"]["labels"].items():
        assert text["fr"].strip() and text["en"].strip(), key


@pytest.mark.parametrize(
    "code",
    [
        '{{ cycler.__init__.__globals__.os.environ.get("KB_TEST_SECRET") }}',
        "{{ lipsum.__globals__['os'].environ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ data.__class__.__init__.__globals__ }}",
    ],
)
def test_a_template_cannot_reach_the_build_environment(data, tmp_path, monkeypatch, code):
    """Templates are files of the repository that a pull request may change: they may read the data
    and the helpers, not Python's insides (the build's environment, its files). Refused, at the line."""
    from kb.templates import TemplateProblem, render

    monkeypatch.setenv("KB_TEST_SECRET", "ghp_notarealtokenbutsecret")
    (tmp_path / "leak.md").write_text(f"A line\n{code}\n", encoding="utf-8")
    c = ctx(data)
    with pytest.raises(TemplateProblem) as caught:
        out = render(environment(tmp_path), "leak.md", c)
        assert "ghp_" not in out  # shown when the test fails
    assert str(caught.value).startswith("templates/leak.md:2: "), str(caught.value)
    assert "ghp_" not in str(caught.value)
