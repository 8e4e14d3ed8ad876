"""Browser tests: a real Chromium (Debian's, driven by Playwright) against the built site on localhost.

What a reader experiences: the language switcher, search with stemming, the
phone drawer, the keyboard, accessibility rules (axe-core), privacy (no
request to another host) and printing. A missing browser fails these tests;
it never skips them.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from conftest import LANGS, SITE_PORT, lang_root
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# One page of each type, by its path below the language root.
PAGE_TYPES = {
    "home": "",
    "content": "menengage/code-of-conduct/",
    "generated": "menengage/annual-summary-2017/regions/south-asia/",
    "data": "generation-equality/collective-commitments/findings/",
}


def url_of(base: str, lang: str, path: str) -> str:
    return base + ("" if lang == "fr" else "en/") + path


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def base_url(site):
    # served where it was built for (see conftest.SITE_URL)
    server = ThreadingHTTPServer(("127.0.0.1", SITE_PORT), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    assert os.path.exists(CHROMIUM), (
        f"Chromium is needed for the browser tests and is not at {CHROMIUM}: "
        "install Debian's package `chromium` (make test does it as root) or set KB_CHROMIUM"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


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


def search(page, base_url, lang, query):
    page.goto(url_of(base_url, lang, ""))
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    page.wait_for_selector(".md-search-result__meta", state="attached")
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.match(/Initiali|Initializ|Saisi|Type/)"
    )
    page.wait_for_timeout(300)
    return [
        urlsplit(a).path
        for a in page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
    ]


# (query, a page the results must include): plurals, elisions and accents,
# words of data-generated pages
SEARCHES = {
    "fr": [
        ("redevabilité", "/menengage/accountability-standards/"),
        ("l’égalité", "/generation-equality/"),
        ("Katmandou", "/menengage/annual-summary-2017/regions/south-asia/"),
        ("coalitions", "/generation-equality/"),
    ],
    "en": [
        ("accountability", "/en/menengage/accountability-standards/"),
        ("Kathmandu", "/en/menengage/annual-summary-2017/regions/south-asia/"),
        ("coalitions", "/en/generation-equality/"),
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_pages_of_its_language_only(page, base_url, lang):
    for query, expected in SEARCHES[lang]:
        results = search(page, base_url, lang, query)
        assert results, f"{lang}: no result for {query!r}"
        assert any(r.startswith(expected) for r in results), (
            f"{lang}: {query!r} does not find {expected}: {results[:8]}"
        )
        if lang == "fr":
            assert not any(r.startswith("/en/") for r in results), f"fr search returned English pages for {query!r}"
        else:
            assert all(r.startswith("/en/") for r in results), f"en search returned French pages for {query!r}"


def _pages_with(site, lang, word, without):
    """Pages of the language's search index that contain `word` but never `without`."""
    import json

    index = lang_root(site, lang) / "search" / "search_index.json"
    text: dict[str, str] = {}
    for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
        key = doc["location"].split("#")[0]
        text[key] = text.get(key, "") + " " + doc["title"] + " " + doc["text"]
    prefix = "/" if lang == "fr" else "/en/"
    return {
        prefix + loc
        for loc, t in text.items()
        if re.search(rf"\b{word}\b", t, re.I) and not re.search(rf"\b{without}", t, re.I)
    }


@pytest.mark.parametrize("lang, plural, singular", [("fr", "principaux", "principal"), ("en", "allies", "ally")])
def test_search_stems_a_plural_to_find_the_singular(page, base_url, site, lang, plural, singular):
    # without stemming, the prefix query "principaux*" cannot match "principal"
    only_singular = _pages_with(site, lang, singular, without=plural)
    assert only_singular, f"no page has {singular!r} without {plural!r}: pick another pair"
    results = set(search(page, base_url, lang, plural))
    assert results & only_singular, f"{plural!r} does not find the pages saying {singular!r}: {sorted(results)}"


@pytest.mark.parametrize("lang, query", [("fr", "travailleuses domestiques"), ("en", "domestic workers")])
def test_search_does_not_call_found_words_missing(page, base_url, lang, query):
    # Material lists under a result the query words it lacks. With a stemmed index it
    # compared the typed word ("travailleuses") with the stem ("travailleus") and listed
    # the words of every result as missing, even of results that contain them.
    search(page, base_url, lang, query)
    results = page.eval_on_selector_all(
        ".md-search-result__article",
        """els => els.slice(0, 20).map(el => {
            const terms = el.querySelector(".md-search-result__terms");
            const copy = el.cloneNode(true);
            copy.querySelector(".md-search-result__terms")?.remove();
            return {text: copy.textContent.toLowerCase(), missing: terms ? terms.textContent : null};
        })""",
    )
    with_every_word = [r for r in results if all(word in r["text"] for word in query.split())]
    assert with_every_word, f"{lang}: none of the first results for {query!r} contains every word"
    wrong = [r["missing"] for r in with_every_word if r["missing"]]
    assert not wrong, f"{lang}: results containing {query!r} say {wrong[:3]}"


@pytest.mark.parametrize("lang", LANGS)
def test_phone_drawer_reaches_every_section(browser, base_url, lang):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url_of(base_url, lang, PAGE_TYPES["content"]))
    drawer = page.locator("nav.md-nav--primary").first
    assert not drawer.is_visible() or drawer.bounding_box()["x"] < 0
    page.locator(".md-header button.kb-button--drawer").click()
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


# Every type of page, for the accessibility rules: one page of each kind.
AXE_PAGES = {
    **PAGE_TYPES,
    "tabs": "generation-equality/collective-commitments/progress/",
    "charts": "menengage/annual-summary-2017/results/",
    "collective": "generation-equality/collective-commitments/collectives/global-alliance-for-care/",
    "timeline": "timeline/",
    "glossary": "glossary/",
    "open data": "open-data/",
    "translation status": "translation-status/",
    "404": "404.html",
}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
def test_accessibility_rules_on_every_page_type(browser, base_url, lang, scheme, width):
    # axe-core: WCAG 2.0, 2.1 and 2.2 A and AA and best practices, no violation of any impact
    from axe_playwright_python.sync_playwright import Axe

    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    found = []
    for kind, path in AXE_PAGES.items():
        page.goto(url_of(base_url, lang, path))
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        for v in axe.run(page, options=options).response["violations"]:
            found.append(f"{kind}: {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}")
    context.close()
    assert not found, f"{lang}, {scheme}, {width}:\n" + "\n".join(found)


def phone(browser, **extra):
    return browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, **extra)


# The focused element, or what shows it: the colour scheme's radio button is
# hidden by the theme and shows its focus on the label that follows it.
FOCUSED = """() => { const e = document.activeElement;
    const shown = e.matches('input.md-option') ? e.nextElementSibling : e;
    const r = shown.getBoundingClientRect(); const s = getComputedStyle(e);
    return {tag: e.tagName, name: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40),
            x: r.x, width: r.width, y: r.y, height: r.height,
            visible: shown.checkVisibility({visibilityProperty: true}),
            inMenu: e.closest('.md-sidebar--primary') !== null,
            expanded: e.getAttribute('aria-expanded'),
            ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'} }"""


@pytest.mark.parametrize("lang", LANGS)
def test_phone_keyboard_opens_the_menu_and_reaches_nothing_off_screen(browser, base_url, lang):
    context = phone(browser)
    page = context.new_page()
    page.goto(url_of(base_url, lang, PAGE_TYPES["content"]))
    # every element the Tab key reaches is on the screen and visible (the closed menu and search are not)
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info["tag"] == "BODY" or (seen and info == seen[0]):
            break
        seen.append(info)
        assert info["visible"], f"{lang}: Tab reaches a hidden element: {info}"
        assert info["x"] >= -1 and info["x"] + info["width"] <= 391, f"{lang}: Tab reaches an off-screen element: {info}"
    assert len(seen) > 10, f"{lang}: Tab reached only {seen}"
    # the menu button is reached by Tab, its focus is visible, and Enter opens the menu
    page.goto(url_of(base_url, lang, PAGE_TYPES["content"]))
    for _ in range(5):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info["expanded"] is not None:
            break
    assert info["tag"] == "BUTTON" and info["expanded"] == "false", f"{lang}: Tab does not reach the menu button: {info}"
    assert info["ring"], f"{lang}: the menu button's focus is not visible"
    page.keyboard.press("Enter")
    page.wait_for_timeout(600)
    assert page.locator("nav.md-nav--primary").first.bounding_box()["x"] >= 0, f"{lang}: Enter did not open the menu"
    assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null"), (
        f"{lang}: the open menu does not take the focus"
    )
    assert page.locator("button.kb-button--drawer").get_attribute("aria-expanded") == "true"
    # in the open menu, Tab reaches only the level on show (not the covered or waiting ones)
    width = page.locator(".md-sidebar--primary").first.bounding_box()["width"]
    for _ in range(30):
        info = page.evaluate(FOCUSED)
        if not info["inMenu"]:
            break
        assert info["visible"] and info["x"] >= -1 and info["x"] + info["width"] <= width + 1, (
            f"{lang}: in the open menu, Tab reaches a hidden element: {info}"
        )
        page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert page.evaluate("document.activeElement.classList.contains('kb-button--drawer')")
    assert page.locator("button.kb-button--drawer").get_attribute("aria-expanded") == "false"
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_phone_header_shows_the_short_site_name_whole(browser, base_url, lang):
    context = phone(browser)
    page = context.new_page()
    page.goto(url_of(base_url, lang, PAGE_TYPES["content"]))
    short = page.locator(".md-header__topic .kb-name--short").first
    assert short.is_visible(), f"{lang}: no short site name on phones"
    assert not page.locator(".md-header__topic .kb-name--long").first.is_visible()
    fits = short.evaluate("e => e.scrollWidth <= e.parentElement.clientWidth && e.getBoundingClientRect().right <= 390")
    assert fits, f"{lang}: the short site name is cut"
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_keeps_the_anchor_and_marks_the_current_language(page, base_url, lang):
    other = "en" if lang == "fr" else "fr"
    page.goto(url_of(base_url, lang, "about/#contribute"))
    links = page.locator(".md-select__link")
    marks = {link.get_attribute("hreflang"): (link.get_attribute("lang"), link.get_attribute("aria-current"))
             for link in links.all()}
    assert marks == {lang: (lang, "true"), other: (other, None)}, marks
    page.locator(".md-header__option .md-select").hover()
    page.locator(f'.md-select__link[hreflang="{other}"]').click()
    page.wait_for_load_state()
    assert page.url == url_of(base_url, other, "about/#contribute")


@pytest.mark.parametrize("lang", LANGS)
def test_home_on_desktop_has_navigation_and_short_lines(page, base_url, lang):
    page.goto(url_of(base_url, lang, ""))
    assert page.locator("nav.md-nav--primary").first.is_visible(), f"{lang}: the home page has no navigation"
    # characters per line of every paragraph of running text
    widest = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('.md-content .md-typeset > p')].map(p => {
               const lines = Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
               return p.textContent.trim().length / Math.max(lines, 1); }))"""
    )
    assert widest <= 85, f"{lang}: lines of {widest:.0f} characters on the home page"


ABBR_PAGE = "menengage/annual-summary-2017/"


@pytest.mark.parametrize("lang", LANGS)
def test_an_abbreviation_explains_itself_on_focus_and_on_tap(browser, base_url, lang):
    context = phone(browser)
    page = context.new_page()
    page.goto(url_of(base_url, lang, ABBR_PAGE))
    abbr = page.locator(".md-typeset abbr[tabindex='0']").first
    expansion = abbr.get_attribute("title")
    assert expansion
    abbr.focus()
    tip = page.locator(".md-tooltip2--active")
    tip.wait_for(state="visible", timeout=3000)
    assert tip.text_content().strip() == expansion
    page.locator("h1").first.click()
    tip.wait_for(state="detached", timeout=3000)
    abbr.tap()
    page.locator(".md-tooltip2--active").wait_for(state="visible", timeout=3000)
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_no_request_leaves_localhost(browser, base_url, lang):
    context = browser.new_context()
    page = context.new_page()
    hosts = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    for path in [*PAGE_TYPES.values(), "404.html", "timeline/", "menengage/annual-summary-2017/results/"]:
        page.goto(url_of(base_url, lang, path))
        page.wait_for_load_state("networkidle")
    # open search too: it loads the index and the worker
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").fill("genre")
    page.wait_for_timeout(800)
    context.close()
    assert hosts == {urlsplit(base_url).netloc}, f"requests to other hosts: {hosts - {urlsplit(base_url).netloc}}"


@pytest.mark.parametrize("lang", LANGS)
def test_search_loads_when_opened_and_no_request_fails(page, base_url, lang):
    # A first visit downloads neither the search index nor the search engine;
    # opening the search does, and the reader's query waits for them.
    requests, failures = [], []
    page.on("request", lambda r: requests.append(urlsplit(r.url).path))
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: failures.append(f"failed {r.url}"))
    for path in PAGE_TYPES.values():
        page.goto(url_of(base_url, lang, path))
        page.wait_for_load_state("networkidle")
    loaded = [r for r in requests if r.endswith("search_index.json") or "/workers/search." in r]
    assert not loaded, f"{lang}: a first visit downloaded the search: {loaded}"
    # Material's look-up of a sitemap next to each hreflang address is answered without the network
    assert not [r for r in requests if r.endswith("sitemap.xml")], f"{lang}: sitemap requests: {requests}"
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("genre" if lang == "fr" else "gender")
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    index = "/search/search_index.json" if lang == "fr" else "/en/search/search_index.json"
    assert index in requests, f"{lang}: opening the search did not load {index}"
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
