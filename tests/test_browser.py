"""Browser tests: a real Chromium (Debian's, driven by Playwright) against the built site on localhost.

What a reader experiences: the language switcher (search: test_search.py), the
phone drawer, the keyboard, accessibility rules (axe-core), privacy (no
request to another host) and printing. A missing browser fails these tests;
it never skips them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from conftest import LANGS, url_of

# One page of each type, by its path below the language root.
PAGE_TYPES = {
    "home": "",
    "content": "menengage/code-of-conduct/",
    "generated": "menengage/annual-summary-2017/regions/south-asia/",
    "data": "generation-equality/collective-commitments/findings/",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", [*PAGE_TYPES, "404"])
def test_language_switcher_lands_on_the_same_page(page, base_url, lang, kind):
    other = "en" if lang == "fr" else "fr"
    path = "404.html" if kind == "404" else PAGE_TYPES[kind]
    page.goto(url_of(base_url, lang, path))
    page.locator(".md-header__option .md-select").hover()
    page.locator(f'.md-select__link[hreflang="{other}"]').click()
    page.wait_for_load_state()
    # a page not found has no translation: the switcher leads to the other language's home
    expected = url_of(base_url, other, "" if kind == "404" else path)
    assert page.url == expected
    assert page.locator("html").get_attribute("lang") == other


@pytest.mark.parametrize("lang", LANGS)
def test_phone_drawer_reaches_every_section(browser, base_url, lang):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url_of(base_url, lang, PAGE_TYPES["content"]))
    drawer = page.locator("nav.md-nav--primary").first
    assert not drawer.is_visible() or drawer.bounding_box()["x"] < 0
    page.locator('label.md-header__button[for="__drawer"]').click()
    page.wait_for_timeout(400)
    assert drawer.bounding_box()["x"] >= 0, "the drawer did not open"
    hrefs = page.eval_on_selector_all("nav.md-nav--primary a[href]", "els => els.map(e => e.href)")
    for section in (
        "generation-equality/collective-commitments/",
        "generation-equality/action-coalitions/",
        "social-movements/",
        "menengage/",
        "menengage/annual-summary-2017/",
        "timeline/",
        "glossary/",
    ):
        assert any(h.startswith(url_of(base_url, lang, section)) for h in hrefs), f"the drawer has no link to {section}"
    # no horizontal scrolling at 360 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 362
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_reaches_search_and_language_switcher_with_visible_focus(page, base_url, lang):
    page.goto(url_of(base_url, lang, PAGE_TYPES["content"]))
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                 return {tag: e.tagName, cls: e.className || '', hreflang: e.getAttribute('hreflang'),
                         name: e.getAttribute('name'),
                         outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                         shadow: s.boxShadow !== 'none'} }"""
        )
        if info["name"] == "query" or "md-search__input" in info["cls"]:
            reached.add("search")
        if info["hreflang"]:
            reached.add("language")
            assert info["outline"] or info["shadow"], "focus is not visible on the language switcher"
        if reached == {"search", "language"}:
            break
    assert reached == {"search", "language"}, f"keyboard reached only {reached}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", [*PAGE_TYPES, "404", "timeline"])
def test_accessibility_rules(page, base_url, lang, kind):
    from axe_playwright_python.sync_playwright import Axe

    path = {"404": "404.html", "timeline": "timeline/"}.get(kind, PAGE_TYPES.get(kind))
    page.goto(url_of(base_url, lang, path))
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in serious
    )


@pytest.mark.parametrize("lang", LANGS)
def test_no_request_leaves_localhost(browser, base_url, lang):
    context = browser.new_context()
    page = context.new_page()
    hosts = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    for path in [*PAGE_TYPES.values(), "404.html", "timeline/", "menengage/annual-summary-2017/results/"]:
        page.goto(url_of(base_url, lang, path))
        page.wait_for_load_state("networkidle")
    # open search too: it loads the engine and the index
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").fill("genre" if lang == "fr" else "gender")
    page.wait_for_selector(".md-search-result__list[aria-busy=false] .md-search-result__item")
    context.close()
    assert hosts == {urlsplit(base_url).netloc}, f"requests to other hosts: {hosts - {urlsplit(base_url).netloc}}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_sitemap_lookups_and_no_request_fails(page, base_url, lang):
    # Material's look-up of a sitemap next to each hreflang address is answered without the network
    # (assets/javascripts/kb-alternates.js); search is tested in test_search.py
    requests, failures = [], []
    page.on("request", lambda r: requests.append(urlsplit(r.url).path))
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: failures.append(f"failed {r.url}"))
    for path in PAGE_TYPES.values():
        page.goto(url_of(base_url, lang, path))
        page.wait_for_load_state("networkidle")
    assert not [r for r in requests if r.endswith("sitemap.xml")], f"{lang}: sitemap requests: {requests}"
    assert not failures, f"{lang}: failed requests: {failures}"


def test_case_study_prints_cleanly(page, base_url, tmp_path):
    # the case study's bibliography: many external links
    page.goto(url_of(base_url, "en", "generation-equality/collective-commitments/bibliography/"))
    page.emulate_media(media="print")
    assert not page.locator(".md-sidebar--primary").first.is_visible()
    assert not page.locator(".md-header").first.is_visible()
    after = page.evaluate(
        """() => { const a = [...document.querySelectorAll('.md-typeset a[href^="http"]')][0];
                   return a ? getComputedStyle(a, '::after').content : null }"""
    )
    assert after and "http" in after, "external links do not show their address in print"
    pdf = tmp_path / "case-study.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 10_000
    assert re.search(rb"/Type\s*/Page\b", pdf.read_bytes())
