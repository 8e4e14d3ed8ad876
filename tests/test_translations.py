"""Tests that play a translator: missing pages, outdated pages, untranslated data."""

from __future__ import annotations

import subprocess
import sys

from conftest import build, copy_project, soup
from kb.translations import KEY, mark_done, page_state, source_hash

# Translation lag is no failure (tests/test_editors.py): the English site says so to its readers.


def test_hash_ignores_front_matter_and_trailing_spaces():
    a = "---\ndescription: x\n---\n\n# Titre\n\nTexte.\n"
    b = "---\ndescription: y\nsources: [z]\n---\n# Titre  \n\nTexte.\n\n"
    assert source_hash(a) == source_hash(b)
    assert source_hash(a) != source_hash(a.replace("Texte", "Autre texte"))


def test_mark_done_records_the_hash(tmp_path):
    content = tmp_path / "content"
    (content / "fr").mkdir(parents=True)
    (content / "en").mkdir()
    (content / "fr" / "p.md").write_text("---\nsources: [a]\n---\n# Titre\n", encoding="utf-8")
    (content / "en" / "p.md").write_text("---\nsources: [a]\n---\n# Title\n", encoding="utf-8")
    assert page_state(content, "p.md", "en", "fr") == "outdated"
    digest = mark_done(content / "en" / "p.md", content, "fr")
    text = (content / "en" / "p.md").read_text(encoding="utf-8")
    assert f"{KEY}: {digest}\n" in text and text.endswith("# Title\n")
    assert page_state(content, "p.md", "en", "fr") == "translated"
    (content / "fr" / "p.md").write_text("---\nsources: [a]\n---\n# Titre changé\n", encoding="utf-8")
    assert page_state(content, "p.md", "en", "fr") == "outdated"
    (content / "en" / "p.md").unlink()
    assert page_state(content, "p.md", "en", "fr") == "missing"


def test_a_hash_of_digits_only_is_written_in_quotes_and_read_back_as_text(tmp_path, monkeypatch):
    """A hash such as 287770587221 would be read back by YAML as a number, which the front matter's
    schema refuses (translation_of is text): the record writes it in quotes."""
    import kb.translations as translations
    from kb.pagefile import front_matter

    content = tmp_path / "content"
    (content / "fr").mkdir(parents=True)
    (content / "en").mkdir()
    (content / "fr" / "p.md").write_text("---\nsources: [a]\n---\n# Titre\n", encoding="utf-8")
    (content / "en" / "p.md").write_text("---\nsources: [a]\n---\n# Title\n", encoding="utf-8")
    monkeypatch.setattr(translations, "digest", lambda body: "287770587221")
    mark_done(content / "en" / "p.md", content, "fr")
    text = (content / "en" / "p.md").read_text(encoding="utf-8")
    assert f'{KEY}: "287770587221"\n' in text
    fields, _start, problems = front_matter(text, "content/en/p.md")
    assert problems == [] and fields[KEY] == "287770587221"


def test_marking_a_page_that_is_no_translation_says_what_to_give_and_changes_nothing(tmp_path):
    """`make translations-done PAGE=…` (run in hooks/) with the French page, a file outside
    content/ or a missing page: a message that names the file to give; no file is written."""
    project = copy_project(tmp_path / "project")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    cases = {
        "../content/fr/about.md": "content/fr/about.md: this page is in the source language (fr): give its translation, content/en/about.md",
        "../hooks/kb_livereload.js": "hooks/kb_livereload.js: not a page of content/: give a translated page, e.g. content/en/about.md",
        "../content/en/nope.md": "content/en/nope.md: no such file",
    }
    for given, message in cases.items():
        result = subprocess.run(
            [sys.executable, "-m", "kb.translations", "done", given], cwd=project / "hooks", capture_output=True, text=True
        )
        assert (result.returncode, result.stderr.strip()) == (2, message)
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def _report(project, *args):
    return subprocess.run(
        [sys.executable, "-m", "kb.translations", "report", *args],
        cwd=project / "hooks",
        capture_output=True,
        text=True,
    )


def test_translator_scenarios_in_a_real_build(tmp_path):
    project = copy_project(tmp_path / "project")
    # 1. an English page is deleted
    (project / "content" / "en" / "menengage" / "code-of-conduct.md").unlink()
    # 2. a French page changes after its translation
    fr = project / "content" / "fr" / "menengage" / "core-principles.md"
    fr.write_text(fr.read_text(encoding="utf-8") + "\nUne phrase ajoutée à l'original.\n", encoding="utf-8")
    # 3. a data field loses its English text
    coalitions = project / "data" / "coalitions.yml"
    coalitions.write_text(
        coalitions.read_text(encoding="utf-8").replace(', en: "Gender-Based Violence"', ""), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr

    missing = soup(out / "en" / "menengage" / "code-of-conduct" / "index.html")
    notice = missing.select_one(".admonition.warning")
    assert notice and "not been translated into English yet" in notice.get_text()
    assert notice.find("a", href=True)["href"] == "../../../menengage/code-of-conduct/"
    assert missing.select_one('article div[lang="fr"]'), "the original is not marked as French"
    assert missing.find("link", rel="canonical")["href"].endswith("/menengage/code-of-conduct/")
    nav = soup(out / "en" / "index.html").select_one('nav.md-nav--primary a[href$="menengage/code-of-conduct/"]')
    assert nav is not None, "the page left the navigation"

    outdated = soup(out / "en" / "menengage" / "core-principles" / "index.html")
    notice = outdated.select_one(".admonition.warning")
    assert "changed since this translation was made" in notice.get_text()
    assert "Sections concerned: Part of the accountability framework (edited)." in notice.get_text()
    assert notice.find("a", href="#accountability-framework") is not None

    home = soup(out / "en" / "index.html")
    fallback = home.select_one('.kb-coalitions span[lang="fr"]')
    assert fallback is not None and fallback.get_text() == "Violence sexiste"

    status = soup(out / "en" / "translation-status" / "index.html").article.get_text(" ")
    assert "content/en/menengage/code-of-conduct.md" in status
    assert "content/en/menengage/core-principles.md" in status
    assert "coalitions[gender-based-violence].name" in status
    # what changed in the original, with links to the section in both languages
    page = soup(out / "en" / "translation-status" / "index.html")
    item = next(p for p in page.article.select("p") if p.get_text().startswith("#accountability-framework, edited"))
    links = [(a["hreflang"], a["href"]) for a in item.find_all("a", hreflang=True)]
    assert links == [
        ("fr", "../../menengage/core-principles/#accountability-framework"),
        ("en", "../../en/menengage/core-principles/#accountability-framework"),
    ]
    diff = item.find_next_sibling("pre")
    assert diff["lang"] == "fr"
    assert diff.find("ins").get_text() == "+ Une phrase ajoutée à l'original."

    report = _report(project)
    assert report.returncode == 0
    assert "missing    en  content/en/menengage/code-of-conduct.md" in report.stdout
    assert "outdated   en  content/en/menengage/core-principles.md" in report.stdout
    assert "missing    en  data/coalitions.yml:" in report.stdout and "coalitions[gender-based-violence].name" in report.stdout
    strict = _report(project, "--strict")
    assert strict.returncode == 1


def test_a_page_only_in_english_is_on_the_french_site_too(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "content" / "fr" / "menengage" / "community.md").unlink()
    out = tmp_path / "out"
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    page = soup(out / "menengage" / "community" / "index.html")
    assert page.html["lang"] == "fr"
    notice = page.select_one(".admonition.warning")
    assert notice and "pas encore traduite en français" in notice.get_text()
    assert notice.find("a", href=True)["href"] == "../../en/menengage/community/"
    assert page.select_one('article div[lang="en"]'), "the original is not marked as English"
    assert soup(out / "index.html").select_one('nav.md-nav--primary a[href$="menengage/community/"]')
    switch = {a["hreflang"]: a["href"] for a in page.select("a.md-select__link[hreflang]")}
    assert switch["en"].endswith("en/menengage/community/")
    english = soup(out / "en" / "menengage" / "community" / "index.html")
    switch = {a["hreflang"]: a["href"] for a in english.select("a.md-select__link[hreflang]")}
    assert switch["fr"] == "../../../menengage/community/"
    assert "missing    fr  content/fr/menengage/community.md" in _report(project).stdout
