"""The typography check (hooks/kb/typography.py): its rules, its fixes, and the site following them."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, copy_project, lang_root, pages, soup
from kb.typography import check_data, check_line, check_page, check_tree, fix_line

NBSP, NNBSP = "\u00a0", "\u202f"

# The glossary page and data are being rewritten elsewhere; they join the
# check as soon as they follow the rules (remove them from this set then).
# --- French ------------------------------------------------------------------


def test_french_straight_apostrophe():
    assert check_line("Le rapport de l'OIT.", "fr") == ["straight apostrophe in French text (l'OIT): write ’"]


def test_french_straight_double_quote():
    assert check_line('Le mot "soins".', "fr") == [
        "straight double quote in French text: quote with « » and a no-break space inside",
        "straight double quote in French text: quote with « » and a no-break space inside",
    ]


@pytest.mark.parametrize(
    "line, message",
    [
        ("Objectif : 2030", "ordinary space before “:”: use a no-break space (U+00A0)"),
        ("les ODD ; les soins", "ordinary space before “;”: use a no-break space (U+202F)"),
        ("Par où commencer ?", "ordinary space before “?”: use a no-break space (U+202F)"),
        ("Objectif: 2030", "no space before “:” (Objectif:): add a no-break space"),
        ("Enfin!", "no space before “!” (Enfin!): add a no-break space"),
    ],
)
def test_french_space_before_signs(line, message):
    assert check_line(line, "fr") == [message]


def test_french_guillemets_need_no_break_spaces_inside():
    assert check_line("le mot « soins » et «care»", "fr") == [
        "« must be followed by a no-break space (U+00A0)",
        "« must be followed by a no-break space (U+00A0)",
        "» must follow a no-break space (U+00A0)",
        "» must follow a no-break space (U+00A0)",
    ]


@pytest.mark.parametrize(
    "line, message",
    [
        ("la 25e édition", "ordinal “25e” is not in the house form: write 25^e^"),
        ("la 77<sup>e</sup> session", "ordinal “77<sup>e</sup>” is not in the house form: write 77^e^"),
        ("le 1er janvier", "ordinal “1er” is not in the house form: write 1^er^"),
        ("la 1ʳᵉ fois", "ordinal “1ʳᵉ” is not in the house form: write 1^re^"),
        ("la XVᵉ Conférence", "ordinal “XVᵉ” is not in the house form: write XV^e^"),
        ("le 6ème colloque", "ordinal “6ème” is not in the house form: write 6^e^"),
    ],
)
def test_french_ordinals(line, message):
    assert check_line(line, "fr") == [message]


def test_french_percent_and_nations_unies():
    assert check_line(f"45{NBSP}% des Nations Unies", "fr") == [
        "“%” must follow a narrow no-break space (U+202F)",
        "“Nations Unies”: write “Nations unies”",
    ]


def test_correct_french_passes():
    line = (
        f"L’Alliance{NBSP}: «{NBSP}justice de genre{NBSP}»{NNBSP}; 87{NNBSP}% des engagements"
        f"{NNBSP}! La 25^e^ session, le 1^er^ mai, à 10:30{NNBSP}?!"
    )
    assert check_line(line, "fr") == []


def test_french_check_leaves_syntax_alone():
    line = (
        "!!! note \"Titre\" `l'code` <span class=\"x\">texte</span> [lien](https://a.org/x?y=1&z=2) "
        "{ #an-id } <!-- kb:chart c189-by-year --> :material-chart-bar: [^note-1] "
        "*Women's March*{: lang=en } <span lang=\"en\">Men's work: today</span>"
    )
    assert check_line(line, "fr") == []


def test_french_definition_list_and_table_rule():
    assert check_line(":   Chaque collectif", "fr") == []
    assert check_line("|:---|---:|", "fr") == []


# --- English -----------------------------------------------------------------


def test_english_straight_quotes():
    assert check_line('The "on track" figure is CARE\'s.', "en") == [
        "straight double quote in English text: write “ or ”",
        "straight double quote in English text: write “ or ”",
        "straight apostrophe in English text (CARE's): write ’ (or ‘ ’ around a quotation inside a quotation)",
    ]


def test_english_check_leaves_syntax_alone():
    assert check_line('=== "Argentina" `x="1"` <q lang="fr">l’OIT</q> [a](b.md "title")', "en") == []


def test_correct_english_passes():
    assert check_line("The “Buenos Aires Commitment”, CARE’s ‘model’: 45%; done?", "en") == []


# --- Fixes -------------------------------------------------------------------


def test_fix_french():
    line = "L'étude : « soins » ; 45 % de la 25<sup>e</sup> session des Nations Unies ? [l'OIT](https://x.org/l'a)"
    assert fix_line(line, "fr") == (
        f"L’étude{NBSP}: «{NBSP}soins{NBSP}»{NNBSP}; 45{NNBSP}% de la 25^e^ session des Nations unies{NNBSP}? "
        "[l’OIT](https://x.org/l'a)"
    )


def test_fix_french_keeps_existing_no_break_spaces():
    line = f"«{NBSP}soins{NBSP}» et «{NNBSP}care{NNBSP}»"
    assert fix_line(line, "fr") == line


def test_fix_english():
    line = "The \"on track\" figure, CARE's 'model' and `code \"kept\"` [x](y.md \"title\")"
    assert fix_line(line, "en") == "The “on track” figure, CARE’s ‘model’ and `code \"kept\"` [x](y.md \"title\")"


def test_fix_then_check_is_clean():
    for line, lang in (("L'étude : « soins » ; la 6e fois !", "fr"), ('He said "it\'s done".', "en")):
        assert check_line(fix_line(line, lang), lang) == []


def test_fix_data_keeps_the_yaml_valid(tmp_path):
    """`--fix` on data: the texts are read with their YAML escapes and written back valid."""
    import yaml
    from kb import languages
    from kb.typography import _fix_data

    data = tmp_path / "things.yml"
    data.write_text(
        "things:\n"
        '  - name: {fr: "L\'Alliance\\u00a0: « x »", en: "The \\"on track\\" figure, CARE\'s \\\\ slash"}\n'
        '    note: {fr: "Sans\\tfaute", en: "Fine\\tas it is"}\n',
        encoding="utf-8",
    )
    untouched = data.read_text(encoding="utf-8").split("\n")[2]
    _fix_data(data, languages.project())
    things = yaml.safe_load(data.read_text(encoding="utf-8"))["things"]
    assert things[0]["name"] == {
        "fr": f"L’Alliance{NBSP}: «{NBSP}x{NBSP}»",
        "en": "The “on track” figure, CARE’s \\ slash",
    }
    assert data.read_text(encoding="utf-8").split("\n")[2] == untouched  # nothing to fix: left as written
    assert check_data(data, "data/things.yml") == []


# --- Files -------------------------------------------------------------------


def test_check_page_reports_file_and_line(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        '---\ndescription: "L\'étude en bref."\nsources: [x]\n---\n\n# Titre\n\n```\nl\'code\n```\n\nVoir l\'étude.\n',
        encoding="utf-8",
    )
    assert [str(p) for p in check_page(page, "content/fr/page.md", "fr")] == [
        "content/fr/page.md:2: straight apostrophe in French text (L'étude): write ’",
        "content/fr/page.md:12: straight apostrophe in French text (l'étude): write ’",
    ]


def test_check_data_reports_file_line_and_field(tmp_path):
    data = tmp_path / "things.yml"
    data.write_text(
        "things:\n"
        "  - id: a-thing\n"
        '    name: {fr: "L\'Alliance", en: "The Alliance\'s"}\n'
        '    title: "Rapport d\'étape"\n'
        "    lang: fr\n"
        '    url: "https://example.org/it\'s"\n',
        encoding="utf-8",
    )
    assert [str(p) for p in check_data(data, "data/things.yml")] == [
        "data/things.yml:3: things[a-thing].name.fr: straight apostrophe in French text (L'Alliance): write ’",
        "data/things.yml:3: things[a-thing].name.en: straight apostrophe in English text (Alliance's): "
        "write ’ (or ‘ ’ around a quotation inside a quotation)",
        "data/things.yml:4: things[a-thing].title: straight apostrophe in French text (d'étape): write ’",
    ]


# --- A language without rules ------------------------------------------------


def test_a_language_without_rules_is_left_alone():
    """Spanish, added in mkdocs.yml, has no rules here: neither English nor French ones apply."""
    line = 'La «Declaración» de CARE\'s "Trabajo digno": ¿qué?'
    assert check_line(line, "es") == []
    assert fix_line(line, "es") == line


def test_passages_in_another_language_are_left_alone_in_every_language():
    assert check_line('The <span lang="fr">"l\'OIT"</span> and *Trabajo Digno\'s*{: lang=es } reports', "en") == []
    assert check_line("Le rapport *CARE's*{: lang=en } de l’OIT.", "fr") == []


def test_with_a_third_language_every_language_of_a_field_is_checked(tmp_path):
    """A field with a Spanish text keeps its French and English checks (the check reads the
    languages from mkdocs.yml); the Spanish text has no rules to break."""
    from test_languages import _add_spanish

    project = copy_project(tmp_path / "project")
    _add_spanish(project)
    coalitions = project / "data" / "coalitions.yml"
    text = coalitions.read_text(encoding="utf-8")
    old = 'en: "Gender-Based Violence", es: "Violencia de género"'
    assert old in text
    coalitions.write_text(
        text.replace(old, 'en: "Gender-Based Violence\'s", es: "Violencia \\"de\\" género"', 1), encoding="utf-8"
    )
    (project / "content" / "es" / "about.md").write_text('# Acerca de\n\nEl "trabajo digno".\n', encoding="utf-8")
    problems = [str(p) for p in check_tree(project)]
    assert [p for p in problems if "coalitions.yml" in p] == [
        p for p in problems if "coalitions.yml" in p and ".en: straight apostrophe in English text" in p
    ]
    assert any(".en: straight apostrophe in English text (Violence's)" in p for p in problems), problems
    assert not [p for p in problems if "content/es/" in p or ".es:" in p], problems


def test_the_site_follows_the_typography_rules():
    problems = check_tree(ROOT)
    assert not problems, "typography to fix:\n" + "\n".join(str(p) for p in problems)


# --- Built pages: no markup shown as text ------------------------------------

MARKUP_AS_TEXT = re.compile(r"<\s*/?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?>|\{:|\^(e|er|re)\^")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_built_pages_show_no_markup_as_text(site, lang):
    root = lang_root(site, lang)
    found = []
    for rel in sorted(pages(site, lang)):
        page = soup(root / rel)
        for tag in page(["script", "style", "code", "pre", "template"]):
            tag.decompose()
        text = page.get_text(" ")
        found += [f"{lang}/{rel}: {m.group(0)!r}" for m in MARKUP_AS_TEXT.finditer(text)]
    assert not found, "markup shown as text:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_page_titles_keep_the_headings_no_break_spaces(site, lang):
    """The page's title (tab, menus, "cite this page") is its heading's text, no-break spaces
    included: MkDocs and Jinja collapse whitespace with str.split(), which takes U+00A0 and U+202F
    for spaces, so « Résultats 2017 : … » could break before its colon in the menu."""
    root = lang_root(site, lang)
    found = []
    for rel in sorted(pages(site, lang)):
        page = soup(root / rel)
        h1 = page.select_one("article h1")
        if h1 is None or not re.search("[\u00a0\u202f]", h1.get_text()):
            continue
        heading = re.sub(r"[ \t\n]+", " ", h1.get_text()).replace("¶", "").strip()
        title = page.title.get_text().strip()
        active = page.select_one(".md-sidebar--primary a.md-nav__link--active .md-ellipsis")
        shown = [title.split(" - ")[0]] + ([re.sub(r"[ \t\n]+", " ", active.get_text()).strip()] if active else [])
        # a section's index page is named by the section in the menu (mkdocs.yml): its own words
        loose = re.sub(r"\s+", " ", heading)
        found += [f"{lang}/{rel}: {t!r} is not {heading!r}" for t in shown if re.sub(r"\s+", " ", t) == loose and t != heading]
        found += [f"{lang}/{rel}: the tab's title {title!r} is not {heading!r}"] if shown[0] != heading else []
    assert not found, "\n".join(found)
