"""The site's public address and what a shared link shows: no local address is ever
published, every page has a preview image in its language, and the theme's own words
speak the page's language."""

from __future__ import annotations

import json
import os
import subprocess
from urllib.parse import unquote, urlsplit

import pytest
from conftest import LANGS, MKDOCS, ROOT, SITE_URL, lang_root, pages, root_lock, soup

# one process builds this file's site and runs its tests in order (make test runs several)
pytestmark = pytest.mark.xdist_group("sharing")

SITE_NAMES = {"fr": "Agir ensemble pour la justice de genre", "en": "Acting together for gender justice"}


@pytest.fixture(scope="module")
def site_without_address(tmp_path_factory):
    """The site built as a newcomer would, without SITE_URL."""
    out = tmp_path_factory.mktemp("no-address")
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "REPO_URL")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    with root_lock():  # it writes the project's .cache/
        result = subprocess.run(
            [*MKDOCS, "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
            cwd=ROOT, capture_output=True, text=True, env=env,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result.stdout + result.stderr


def test_a_build_without_site_url_publishes_no_local_address(site_without_address):
    out, log = site_without_address
    found = []
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".js", ".css", ".txt") and path.suffix != ".map":
            text = path.read_text(encoding="utf-8", errors="replace")
            if "127.0.0.1" in text or "localhost:8000" in text:
                found.append(path.relative_to(out).as_posix())
    assert not found, f"a local address is published in {found[:10]}"
    # and the build says how to give it one
    assert "SITE_URL is not set" in log and "SITE_URL=https://" in log, log[-2000:]


@pytest.mark.parametrize("lang", LANGS)
def test_without_site_url_what_needs_an_address_is_left_out(site_without_address, lang):
    out, _ = site_without_address
    for rel in ("index.html", "menengage/code-of-conduct/index.html"):
        doc = soup(lang_root(out, lang) / rel)
        assert doc.find("link", rel="canonical") is None, rel
        assert not doc.select('link[rel="alternate"][hreflang]'), rel
        assert not doc.select('meta[property="og:url"], meta[property="og:image"]'), rel
        # the citation is still there, with the site's name, but without an address
        cite = doc.select_one("aside.kb-cite")
        assert cite is not None and SITE_NAMES[lang] in cite.get_text(), rel
        assert cite.select_one(".kb-cite__text a") is None, rel
        bib = unquote(cite.select_one('a[download$=".bib"]')["href"].partition(",")[2])
        assert bib.startswith("@misc{kb-") and "url =" not in bib, bib
        csl = json.loads(unquote(cite.select_one('a[download$=".json"]')["href"].partition(",")[2]))[0]
        assert "URL" not in csl and csl["container-title"] == SITE_NAMES[lang]
        # the language switcher still leads to the translation (a relative link)
        assert doc.select(".md-select__link[hreflang]"), rel
    assert "<url>" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    # a section's printable document gives no page address rather than a wrong one
    document = soup(lang_root(out, lang) / "social-movements/print.html")
    assert len(document.select(".kb-print__page")) == 8 and not document.select(".kb-print__address")


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_a_preview_image_in_its_language(site, lang):
    from PIL import Image

    checked = 0
    for rel in sorted(pages(site, lang) - {"404.html"}):
        doc = soup(lang_root(site, lang) / rel)
        meta = {m.get("property") or m.get("name"): m["content"] for m in doc.find_all("meta", content=True)}
        image = meta.get("og:image")
        assert image and image.startswith(SITE_URL), f"{lang}/{rel}: og:image {image!r}"
        assert meta.get("twitter:card") == "summary_large_image", f"{lang}/{rel}"
        title = meta["og:title"]
        alt = meta.get("og:image:alt", "")
        assert title in alt and SITE_NAMES[lang] in alt, f"{lang}/{rel}: og:image:alt {alt!r}"
        path = site / urlsplit(image).path.lstrip("/")
        assert path.is_file(), f"{lang}/{rel}: {image} is not in the site"
        with Image.open(path) as png:
            assert png.size == (1200, 630) and png.format == "PNG", (rel, png.size)
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        checked += 1
    assert checked > 40


def test_preview_images_differ_by_language_and_page(site):
    fr = (site / "menengage/core-principles/kb-card.png").read_bytes()
    en = (site / "en/menengage/core-principles/kb-card.png").read_bytes()
    other = (site / "menengage/code-of-conduct/kb-card.png").read_bytes()
    assert len({fr, en, other}) == 3


def test_preview_images_are_kept_in_the_cache(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "hooks"))
    from kb import cards

    first = cards.card("Titre « essai »", "Section", "Site", "example.org", tmp_path)
    assert len(list(tmp_path.glob("*.png"))) == 1
    (cached,) = tmp_path.glob("*.png")
    cached.write_bytes(b"cached")  # a second call reads the cache, it draws nothing
    assert cards.card("Titre « essai »", "Section", "Site", "example.org", tmp_path) == b"cached"
    assert first.startswith(b"\x89PNG")
    assert cards.card("Autre titre", "Section", "Site", "example.org", tmp_path) != b"cached"


@pytest.mark.parametrize("lang", LANGS)
def test_head_has_an_x_default_alternate(site, lang):
    doc = soup(lang_root(site, lang) / "menengage/index.html")
    links = {link["hreflang"]: link["href"] for link in doc.select('link[rel="alternate"][hreflang]')}
    assert links.get("x-default") == links.get("fr") == SITE_URL + "menengage/", links
    assert links.get("en") == SITE_URL + "en/menengage/"


@pytest.mark.parametrize("lang", LANGS)
def test_theme_words_speak_the_page_language(site, lang):
    words = {
        "fr": ("Lien vers cette section", "Passer en mode sombre", "Passer en mode clair"),
        "en": ("Link to this section", "Switch to dark mode", "Switch to light mode"),
    }
    other = words["en" if lang == "fr" else "fr"]
    links = 0
    for rel in sorted(pages(site, lang)):
        html = (lang_root(site, lang) / rel).read_text(encoding="utf-8")
        links += html.count('class="headerlink"')
        doc = soup(lang_root(site, lang) / rel)
        titles = {a["title"] for a in doc.select("a.headerlink")}
        assert titles <= {words[lang][0]}, (rel, titles)
        toggles = {label["title"] for label in doc.select("form[data-md-component=palette] label[title]")}
        assert toggles == set(words[lang][1:]), (rel, toggles)
        assert not any(word in html for word in other), rel
        assert " / Link" not in html and "Mode sombre / " not in html, rel
    assert links > 300, f"{lang}: only {links} heading links checked"


# --- Who is behind the site, and how to report a mistake (kb/contact.py) ---


def test_report_links_are_prefilled_and_only_where_an_address_is_known():
    import sys
    from urllib.parse import parse_qs, urlsplit

    sys.path.insert(0, str(ROOT / "hooks"))
    from kb import contact

    words = {
        "report_mistake": "Report", "report_by_email": "Email", "report_title": "Mistake on “{title}”",
        "report_page": "Page", "report_wrong": "Wrong", "report_fix": "Fix", "colon": ":",
    }  # fmt: skip
    none = contact.site_contact(None, {}, "en", "fr")
    assert none == {"repo": None, "issues": None, "publisher": None, "email": None}
    assert contact.report_links(none, words, "T", "https://example.org/t/") == []
    github = contact.site_contact("https://github.com/o/r/", {}, "en", "fr")
    ((text, href),) = contact.report_links(github, words, "Core Principles", "https://example.org/en/x/")
    query = parse_qs(urlsplit(href).query)
    assert href.startswith("https://github.com/o/r/issues/new?") and text == "Report"
    assert query["title"] == ["Mistake on “Core Principles”"]
    assert query["body"][0].startswith("Page: https://example.org/en/x/\n\nWrong:")
    # another host: no guessed issue form; an email and a publisher only when configured
    other = contact.site_contact("https://git.example.org/o/r", {"contact_email": "kb@example.org",
                                 "publisher": {"name": {"fr": "Éditeur", "en": "Publisher"}}}, "en", "fr")
    assert other["issues"] is None and other["publisher"] == {"name": "Publisher", "url": None}
    ((text, href),) = contact.report_links(other, words, "T", "u")
    assert text == "Email" and href.startswith("mailto:kb@example.org?subject=Mistake%20on%20")


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_offers_to_report_a_mistake(site, lang):
    from conftest import REPO_URL

    words = {"fr": "Signaler une erreur", "en": "Report a mistake"}
    for rel in sorted(pages(site, lang) - {"404.html"}):
        doc = soup(lang_root(site, lang) / rel)
        links = doc.select(".kb-cite__report a")
        assert links, f"{lang}/{rel}: no way to report a mistake"
        href = links[0]["href"]
        assert href.startswith(f"{REPO_URL}/issues/new?title=") and words[lang] in links[0].get_text(), href
        canonical = doc.find("link", rel="canonical")["href"]
        assert canonical.replace(":", "%3A").replace("/", "%2F") in href, f"{lang}/{rel}: the page's address"


@pytest.mark.parametrize("lang", LANGS)
def test_about_page_links_the_repository_and_its_issues(site, lang):
    from conftest import REPO_URL

    doc = soup(lang_root(site, lang) / "about/index.html")
    section = doc.find(id="contact")
    assert section is not None and section.name == "h2"
    hrefs = [a["href"] for a in doc.select("article a[href]")]
    assert REPO_URL in hrefs and f"{REPO_URL}/issues/new" in hrefs, hrefs
    # no publisher is configured: none is named, and no email is invented
    assert not doc.select(".kb-cite__publisher") and not [h for h in hrefs if h.startswith("mailto:")]


def test_without_a_repository_the_about_page_has_no_empty_contact_section(site_without_address):
    out, _ = site_without_address
    doc = soup(out / "about/index.html")
    assert doc.find(id="contact") is None
    assert not doc.select(".kb-cite__report, .kb-cite__edit")


def test_a_missing_label_of_these_words_is_a_problem_not_a_traceback(tmp_path):
    from conftest import build, copy_project

    project = copy_project(tmp_path / "project")
    labels = project / "data/labels.yml"
    kept = [line for line in labels.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.lstrip().startswith(("report_page:", "print_link:", "permalink_title:"))]
    labels.write_text("".join(kept), encoding="utf-8")
    result = build(project, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in out, out[-3000:]
    for key in ("report_page", "print_link", "permalink_title"):
        assert f"data/labels.yml labels.{key}:" in out or f"labels.{key}" in out, (key, out[-3000:])
