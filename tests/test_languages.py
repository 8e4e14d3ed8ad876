"""Languages come from mkdocs.yml alone: a third language builds with its pages,
fallbacks, search, 404, switcher, sitemap, translation status and formats."""

from __future__ import annotations

import io
import json
import re
import tokenize
import xml.etree.ElementTree as ET

from conftest import ROOT, build, copy_project, soup

ES = """\
        - locale: es
          name: Español
          build: true
          site_name: Actuar juntas por la justicia de género
"""


def _add_spanish(project):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    anchor = "      languages:\n"
    assert anchor in text
    at = text.index("          nav_translations:")  # the end of the English entry comes after its labels
    at = text.index("\nnav:", at)
    text = text[:at].rstrip("\n") + "\n" + ES.rstrip("\n") + "\n" + text[at:]
    config.write_text(text.replace("      en: en_GB\n", "      en: en_GB\n      es: es_ES\n"), encoding="utf-8")
    # bilingual texts may now have a Spanish text
    common = project / "data" / "schemas" / "common.schema.json"
    schema = json.loads(common.read_text(encoding="utf-8"))
    schema["$defs"]["text"]["properties"]["es"] = {"type": "string", "minLength": 1}
    common.write_text(json.dumps(schema, indent=2, ensure_ascii=False), encoding="utf-8")
    coalitions = project / "data" / "coalitions.yml"
    text = coalitions.read_text(encoding="utf-8")
    old = 'en: "Gender-Based Violence"'
    assert old in text
    coalitions.write_text(text.replace(old, old + ', es: "Violencia de género"', 1), encoding="utf-8")
    # the home page and one other page translated; every other page falls back to French
    (project / "content" / "es").mkdir()
    (project / "content" / "es" / "index.md").write_text(
        "---\nsources: [unwomen-2023]\n---\n\n# Inicio\n\nUna base de conocimientos.\n\n<!-- kb:coalitions -->\n",
        encoding="utf-8",
    )
    (project / "content" / "es" / "glossary.md").write_text(
        "---\nsources: [unwomen-2023]\n---\n\n# Glosario\n\n<!-- kb:glossary -->\n", encoding="utf-8"
    )


def test_a_third_language_from_mkdocs_yml_alone(tmp_path):
    project = copy_project(tmp_path / "project")
    _add_spanish(project)
    out = tmp_path / "site"
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    es = out / "es"
    home = soup(es / "index.html")
    assert home.html["lang"] == "es" and home.h1.get_text(strip=True).startswith("Inicio")
    assert "Violencia de género" in home.get_text()  # a data field with its Spanish text
    # a field without one falls back to the source text, marked with its language
    assert home.select_one('article span[lang="fr"]')
    # a page not translated: the French original under a notice, marked French
    about = soup(es / "about" / "index.html")
    assert about.select_one("article .admonition.warning") and about.select_one('article div[lang="fr"]')
    # Babel formats its dates: the "last updated" line is in Spanish
    assert re.search(r"\d{1,2} de [a-z]+ de \d{4}", about.select_one(".kb-updated time").get_text())
    # its own search index (Pagefind: one per <html lang>, with that language's stemmer)
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert "es" in entry["languages"] and entry["languages"]["es"]["page_count"] > 0
    # its 404, leading home in its language
    missing = soup(es / "404.html")
    assert missing.html["lang"] == "es" and missing.select_one('article a[href$="/es/"]')
    # the language switcher of every language offers it
    for page in (out / "index.html", out / "en" / "index.html", es / "index.html"):
        assert [a["hreflang"] for a in soup(page).select(".md-select a[hreflang]")] == ["fr", "en", "es"]
    # the sitemap lists its real translations as alternates
    sitemap = ET.parse(out / "sitemap.xml")
    links = [
        (el.get("hreflang"), el.get("href"))
        for el in sitemap.iter("{http://www.w3.org/1999/xhtml}link")
        if el.get("hreflang") == "es"
    ]
    assert any(href.endswith("/es/glossary/") for _, href in links)
    assert not any(href.endswith("/es/about/") for _, href in links)  # a fallback is no translation
    # the translation status lists what is missing in Spanish
    status = soup(out / "translation-status" / "index.html").get_text()
    assert "content/es/about.md" in status


def _literals(path):
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type == tokenize.STRING and token.string.strip("\"'") in ("fr", "en"):
            yield f"{path.relative_to(ROOT)}:{token.start[0]}: {token.string}"


def test_no_language_is_written_into_the_code():
    # the typography check's rules are French and English typography: their language is their subject
    code = [p for p in sorted((ROOT / "hooks").rglob("*.py")) if p.name != "typography.py"]
    found = [hit for path in code for hit in _literals(path)]
    for path in sorted((ROOT / "overrides").rglob("*.*")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"""["'](fr|en)["']|fr_FR|en_GB""", line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
