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
from playwright.sync_api import expect
from test_search import settled

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
    start = page.url
    page.locator(".md-header__option .md-select").hover()
    page.locator(f'.md-select__link[hreflang="{other}"]').click()
    # a page not found has no translation: the switcher leads to the other language's home
    expected = url_of(base_url, other, "" if kind == "404" else path)
    page.wait_for_url(lambda url: url != start)  # the click's navigation (the old page had loaded already)
    page.wait_for_load_state()
    assert page.url == expected
    assert page.locator("html").get_attribute("lang") == other


@pytest.mark.parametrize("lang", LANGS)
def test_phone_drawer_reaches_every_section(browser, base_url, lang):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url_of(base_url, lang, PAGE_TYPES["content"]))
    drawer = page.locator("nav.md-nav--primary").first
    assert not drawer.is_visible() or drawer.bounding_box()["x"] < 0
    page.locator(".md-header button.kb-button--drawer").click()
    still(page)  # the slide
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


def still(page) -> None:
    """Wait until nothing moves on the page: every transition and animation started by what was
    just done (asking for them starts them) has ended."""
    page.wait_for_function(
        """() => document.getAnimations().every(a => a.playState !== 'running'
                   || a.effect.getComputedTiming().endTime === Infinity)"""
    )


def until(page, condition: str, message: str) -> None:
    """Wait until `condition` (JavaScript) holds in the page; fail with `message` if it never does."""
    from playwright.sync_api import TimeoutError

    try:
        page.wait_for_function(condition, timeout=15_000)
    except TimeoutError:
        raise AssertionError(message) from None


def axe_violations(page) -> list[str]:
    """axe-core on the page as it is: WCAG 2.0, 2.1 and 2.2 A and AA and best practices,
    every violation of any impact, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    # once the page is still: a colour measured while it fades in (a tooltip, a panel) is
    # neither the one before nor the one a reader reads
    still(page)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in Axe().run(page, options=options).response["violations"]
    ]


@pytest.mark.parametrize("kind", AXE_PAGES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
def test_accessibility_rules_on_every_page_type(tab, base_url, lang, scheme, width, kind):
    w, h = WIDTHS[width]
    page = tab(viewport={"width": w, "height": h}, color_scheme=scheme)
    page.goto(url_of(base_url, lang, AXE_PAGES[kind]))
    found = [f"{kind}: {violation}" for violation in axe_violations(page)]
    assert not found, f"{lang}, {scheme}, {width}:\n" + "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
def test_open_panels_keep_the_accessibility_rules(browser, base_url, lang, scheme, width):
    """What the page-type test cannot see, every panel closed: the search with its results
    shown, the language switcher open, and on phones the side menu open, at its top level
    (from the home page) and at a nested level (it opens at the level of the page read)."""
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
    page = context.new_page()
    found = []
    page.goto(url_of(base_url, lang, AXE_PAGES["content"]))
    page.locator("button.kb-button--search" if width == "phone" else "input.md-search__input").click()
    expect(page.locator("input.md-search__input")).to_be_focused()  # keys typed before would be lost
    query = "genre" if lang == "fr" else "gender"
    page.keyboard.type(query)
    assert settled(page, query)  # the results, with their marked words, drawn
    found += [f"search results: {violation}" for violation in axe_violations(page)]
    page.keyboard.press("Escape")
    page.locator(".md-header .md-select button").first.click()
    still(page)  # the list fades in
    found += [f"language switcher: {violation}" for violation in axe_violations(page)]
    if width == "phone":
        for kind in ("home", "generated"):
            page.goto(url_of(base_url, lang, AXE_PAGES[kind]))
            page.locator("button.kb-button--drawer").click()
            still(page)  # the slide
            assert page.evaluate("document.getElementById('__drawer').checked")
            found += [f"{kind}, menu open: {violation}" for violation in axe_violations(page)]
    context.close()
    assert not found, f"{lang}, {scheme}, {width}:\n" + "\n".join(found)


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def phone(browser, **extra):
    return browser.new_context(**PHONE, **extra)


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
    still(page)  # the slide
    assert page.locator("nav.md-nav--primary").first.bounding_box()["x"] >= 0, f"{lang}: Enter did not open the menu"
    # kb-reader.js moves the focus into the menu once the slide has made it visible
    until(page, "() => document.activeElement.closest('.md-sidebar--primary') !== null",
          f"{lang}: the open menu does not take the focus")
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
    still(page)  # the slide back
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
    # the switcher's links take the section in view once the page has scrolled to it
    until(page, "() => [...document.querySelectorAll('.md-select__link[hreflang]')].every(a => a.hash === '#contribute')",
          "the language switcher does not keep the anchor")
    start = page.url
    page.locator(".md-header__option .md-select").hover()
    page.locator(f'.md-select__link[hreflang="{other}"]').click()
    page.wait_for_url(lambda url: url != start)  # the click's navigation (the old page had loaded already)
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
    # open search too: it loads the engine and the index
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").fill("genre" if lang == "fr" else "gender")
    page.wait_for_selector(".md-search-result__list[aria-busy=false] .md-search-result__item")
    context.close()
    assert hosts == {urlsplit(base_url).netloc}, f"requests to other hosts: {hosts - {urlsplit(base_url).netloc}}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_sitemap_lookups_and_no_request_fails(fresh_page, base_url, lang):
    page = fresh_page  # counts requests, or changes the tab itself
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


def test_case_study_prints_cleanly(fresh_page, base_url, tmp_path):
    page = fresh_page  # counts requests, or changes the tab itself
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
