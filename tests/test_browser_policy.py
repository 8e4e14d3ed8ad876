"""The Content-Security-Policy holds in a real browser, and the site still works under it.

Every page carries a policy that allows only the site's own files (see
kb/safety.py). Chromium reports any violation as a `securitypolicyviolation`
event: on every page type, in both languages, none may occur while a reader
uses the search, the language switcher, the timeline filters, the colour
scheme toggle and the charts.
"""

from __future__ import annotations

import pytest
from conftest import LANGS, url_of
from test_browser import PAGE_TYPES

RECORD = """
window.__kbViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__kbViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""

PAGES = {
    **PAGE_TYPES,
    "timeline": "timeline/",
    "chart": "menengage/annual-summary-2017/results/",
    "open data": "open-data/",
    "404": "404.html",
}


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    yield page, console
    context.close()


def violations(page, console) -> list[str]:
    return page.evaluate("window.__kbViolations") + console


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", PAGES)
def test_no_policy_violation_on_any_page_type(watched, base_url, lang, kind):
    page, console = watched
    page.goto(url_of(base_url, lang, PAGES[kind]))
    page.wait_for_load_state("networkidle")
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    # the search loads its engine and index when opened
    page.locator("input.md-search__input").click()
    page.keyboard.type("femmes" if lang == "fr" else "women")
    # the results drawn (kb-search.js marks the list busy from the first key until then), their excerpts loaded
    page.wait_for_function("() => document.querySelector('.md-search-result__list').getAttribute('aria-busy') === 'false'")
    page.wait_for_load_state("networkidle")
    assert violations(page, console) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_sites_features_work_under_the_policy(watched, base_url, lang):
    page, console = watched
    other = "en" if lang == "fr" else "fr"
    # colour scheme toggle
    page.goto(url_of(base_url, lang, PAGES["timeline"]))
    before = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator("label.md-header__button[for^='__palette_']:visible").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== {before!r}")
    # timeline filters (CSS only): choosing a source hides the other sources' events
    events = page.locator(".kb-timeline__list > li")
    shown = sum(1 for i in range(events.count()) if events.nth(i).is_visible())
    page.locator(".kb-timeline__filter label").nth(1).click()
    filtered = sum(1 for i in range(events.count()) if events.nth(i).is_visible())
    assert 0 < filtered < shown
    # charts are images of the site
    page.goto(url_of(base_url, lang, PAGES["chart"]))
    chart = page.locator("img[src*='assets/charts/']").first
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    # language switcher
    page.locator(".md-header__option .md-select").hover()
    page.locator(f'.md-select__link[hreflang="{other}"]').click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == other
    assert violations(page, console) == []


# Where content could put a script: a front-matter field the theme prints in the header and the
# navigation (subtitle, status…), the page's text, the head. The gate refuses each (test_gate.py);
# were one to get through, the policy, fixed before any page was built, blocks it.
INJECTED = {
    "in the navigation": ('<nav class="md-nav', "<script>window.__kbInjected = 'navigation'</script>"),
    "in the article": ("<article", "<script>window.__kbInjected = 'article'</script>"),
    "in the head": ("<title>", "<script>window.__kbInjected = 'head'</script>"),
    "as an event handler": ("<article", "<img src='x.png' onerror=\"window.__kbInjected = 'handler'\">"),
}


@pytest.mark.parametrize("where", INJECTED)
@pytest.mark.parametrize("lang", LANGS)
def test_an_injected_inline_script_does_not_run_under_the_policy(watched, base_url, lang, where):
    page, console = watched
    url = url_of(base_url, lang, "about/")
    before, script = INJECTED[where]

    def inject(route):
        response = route.fetch()
        body = response.text()
        assert before in body
        route.fulfill(response=response, body=body.replace(before, script + before, 1))

    page.route(url, inject)
    page.goto(url)
    page.wait_for_load_state("load")
    # the theme's own inline scripts ran (they are allowed by the fixed hashes) ...
    assert page.evaluate("typeof __md_scope") == "object"
    # ... the injected one did not, and the browser says the policy blocked it
    assert page.evaluate("window.__kbInjected") is None
    page.wait_for_function("window.__kbViolations.length > 0")
    assert any("script-src" in v for v in violations(page, console))
