"""The timeline page's filters, in a real browser, and the phone menu's focus.

The filters (templates/directives/timeline.md, templates/assets/timeline.css,
assets/javascripts/kb-timeline.js): by source and by theme, combined, each
with an "all" choice; years left empty are hidden; the count of the events
shown is said in a polite live region, in the page's language; the choice is
kept in the address and a shared address shows the same view. Without
JavaScript every event is shown and the filters still work.

What to expect is computed from data/timeline.yml and data/labels.yml, never
read back from the page.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import LANGS, ROOT, url_of
from playwright.sync_api import expect
from test_browser import WIDTHS, axe_violations

EVENTS = yaml.safe_load((ROOT / "data/timeline.yml").read_text(encoding="utf-8"))["events"]
LABELS = yaml.safe_load((ROOT / "data/labels.yml").read_text(encoding="utf-8"))["labels"]
SOURCES = sorted({e["source"] for e in EVENTS})
THEMES = sorted({t for e in EVENTS for t in e["themes"]})


def matching(source=None, theme=None) -> list[dict]:
    return [e for e in EVENTS if source in (None, e["source"]) and theme in (None, *e["themes"])]


def years(events) -> list[str]:
    return sorted({e["date"][:4] for e in events})


def pair_with(n: int) -> tuple[str, str]:
    """A source and a theme that leave exactly `n` events."""
    found = [(s, t) for s in SOURCES for t in THEMES if len(matching(s, t)) == n]
    assert found, f"no source and theme leave {n} event(s) in data/timeline.yml: choose another way to test this"
    return found[0]


def sentence(lang: str, n: int) -> str:
    """The count as the page must say it (French: 0 is "aucun", 1 singular; English: 1 singular)."""
    if n == 0:
        return LABELS["timeline_count_zero"][lang]
    form = LABELS["timeline_count_one" if n == 1 else "timeline_count_other"][lang]
    return form.replace("#", str(n))


# What the reader sees: the visible events' classes, the visible years, the count, the checked radios.
SEEN = """() => {
  const box = document.querySelector('.kb-timeline');
  const status = box.querySelector('.kb-timeline__count');
  return {
    events: [...box.querySelectorAll('.kb-timeline__list > li')].filter(li => li.checkVisibility()).map(li => [...li.classList]),
    years: [...box.querySelectorAll('h2.kb-timeline__year')].filter(h => h.checkVisibility()).map(h => h.id.replace('year-', '')),
    status: status.checkVisibility() ? status.textContent : null,
    checked: [...box.querySelectorAll('input[type=radio]:checked')].map(r => r.id),
  } }"""


def open_timeline(page, base_url, lang, query=""):
    page.goto(url_of(base_url, lang, "timeline/") + query)
    # the script is loaded by kb-reader.js: it shows the count once it runs
    page.locator(".kb-timeline__count:not([hidden])").wait_for()


def choose(page, group: str, value: str | None):
    page.locator(f'label[for="kb-f-{group}-{value or "-all"}"]').click()


def check_view(page, lang, source=None, theme=None):
    expected = matching(source, theme)
    expect(page.locator(".kb-timeline__count")).to_have_text(sentence(lang, len(expected)))
    seen = page.evaluate(SEEN)
    assert len(seen["events"]) == len(expected), f"{lang} {source} {theme}: {len(seen['events'])} events shown"
    for classes in seen["events"]:
        assert source is None or f"kb-src-{source}" in classes, classes
        assert theme is None or f"kb-theme-{theme}" in classes, classes
    # every year left has an event shown; no empty year heading
    assert seen["years"] == years(expected), f"{lang} {source} {theme}: years {seen['years']}"
    query = parse_qs(urlsplit(page.url).query)
    assert query == {k: [v] for k, v in (("source", source), ("theme", theme)) if v}, page.url
    return seen


@pytest.mark.parametrize("lang", LANGS)
def test_filter_by_source_then_theme_then_both_then_all(page, base_url, lang):
    open_timeline(page, base_url, lang)
    seen = check_view(page, lang)
    assert len(seen["events"]) == len(EVENTS) and seen["checked"] == ["kb-f-src--all", "kb-f-theme--all"]
    source, theme = pair_with(1)
    choose(page, "src", source)
    check_view(page, lang, source=source)
    choose(page, "src", None)
    choose(page, "theme", theme)
    check_view(page, lang, theme=theme)
    # the two groups combine
    choose(page, "src", source)
    check_view(page, lang, source=source, theme=theme)
    # "all" of one group keeps the other's choice
    choose(page, "theme", None)
    check_view(page, lang, source=source)
    choose(page, "src", None)
    check_view(page, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_a_theme_hides_the_years_it_leaves_empty(page, base_url, lang):
    # the case: SDSR/SRHR, one year of events among many
    open_timeline(page, base_url, lang)
    choose(page, "theme", "srhr")
    seen = check_view(page, lang, theme="srhr")
    assert len(seen["years"]) < len(years(EVENTS))


def test_a_year_with_the_source_and_the_theme_but_not_together_is_hidden(page, base_url):
    # Not in today's data: a year with an event of one source and an event of
    # one theme, none of both. Its list is rewritten so; the stylesheet must hide it.
    (s1, s2), (t1, t2) = SOURCES[:2], THEMES[:2]
    open_timeline(page, base_url, "en")
    page.evaluate(
        """([a, b]) => { const list = document.querySelector('.kb-timeline__list');
             const li = list.querySelector('li'); list.replaceChildren(li, li.cloneNode(true));
             list.children[0].className = a; list.children[1].className = b; }""",
        [f"kb-src-{s1} kb-theme-{t1}", f"kb-src-{s2} kb-theme-{t2}"],
    )
    year = page.locator("h2.kb-timeline__year").first
    choose(page, "src", s1)
    expect(year).to_be_visible()
    choose(page, "theme", t2)
    expect(year).to_be_hidden()
    choose(page, "theme", t1)
    expect(year).to_be_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_the_count_is_announced_with_the_right_plural(page, base_url, lang):
    open_timeline(page, base_url, lang)
    status = page.locator(".kb-timeline__count")
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    for n in (1, 0, 2):
        source, theme = pair_with(n)
        choose(page, "src", source)
        choose(page, "theme", theme)
        expect(status).to_have_text(sentence(lang, n))
    # French spells the plural form and puts no English word in the status
    assert sentence(lang, 2) != sentence("en" if lang == "fr" else "fr", 2)


@pytest.mark.parametrize("lang", LANGS)
def test_a_shared_address_shows_the_same_view_and_survives_a_reload(page, base_url, lang):
    source, theme = pair_with(2)
    open_timeline(page, base_url, lang, f"?source={source}&theme={theme}")
    seen = check_view(page, lang, source=source, theme=theme)
    assert seen["checked"] == [f"kb-f-src-{source}", f"kb-f-theme-{theme}"]
    # a choice changes the address in place (no new history entry), and a reload keeps it
    length = page.evaluate("history.length")
    choose(page, "theme", None)
    check_view(page, lang, source=source)
    assert page.evaluate("history.length") == length
    page.reload()
    page.locator(".kb-timeline__count:not([hidden])").wait_for()
    seen = check_view(page, lang, source=source)
    assert seen["checked"] == [f"kb-f-src-{source}", "kb-f-theme--all"]
    # the language switcher leads to the same view in the other language
    other = "en" if lang == "fr" else "fr"
    href = page.locator(f'.md-select__link[hreflang="{other}"]').get_attribute("href")
    assert href == url_of(base_url, other, "timeline/") + f"?source={source}", href
    # an address with an unknown value shows everything, and drops it
    open_timeline(page, base_url, lang, "?source=nowhere&theme=srhr&q=x")
    expect(page.locator(".kb-timeline__count")).to_have_text(sentence(lang, len(matching(theme="srhr"))))
    assert parse_qs(urlsplit(page.url).query) == {"theme": ["srhr"], "q": ["x"]}


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_every_event_shows_and_the_filters_still_work(browser, base_url, lang):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url_of(base_url, lang, "timeline/"))
    seen = page.evaluate(SEEN)
    assert len(seen["events"]) == len(EVENTS) and seen["years"] == years(EVENTS)
    assert seen["status"] is None, "without the script the count would not follow the filters: it is hidden"
    choose(page, "src", "menengage-2018")
    choose(page, "theme", "srhr")
    seen = page.evaluate(SEEN)
    assert len(seen["events"]) == len(matching("menengage-2018", "srhr"))
    assert seen["years"] == years(matching("menengage-2018", "srhr"))
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_filters_are_labelled_fieldsets_in_the_page_language(page, base_url, lang):
    open_timeline(page, base_url, lang)
    legends = page.locator(".kb-timeline fieldset > legend").all_text_contents()
    assert [x.strip() for x in legends] == [LABELS["filter_by_source"][lang], LABELS["filter_by_theme"][lang]]
    for group, key in (("src", "timeline_all_sources"), ("theme", "timeline_all_themes")):
        assert page.locator(f'label[for="kb-f-{group}--all"]').text_content() == LABELS[key][lang]
    # one radio group per fieldset, reached by the keyboard: arrows move within the group
    page.locator("#kb-f-src--all").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == f"kb-f-src-{page.locator('#kb-f-src--all ~ input').first.get_attribute('value')}"
    assert parse_qs(urlsplit(page.url).query).get("source"), "the keyboard's choice is not in the address"


def test_only_the_timeline_page_loads_its_script(fresh_page, base_url):
    page = fresh_page  # counts requests, or changes the tab itself
    loaded = []
    page.on("request", lambda r: loaded.append(urlsplit(r.url).path))
    page.goto(url_of(base_url, "fr", "menengage/code-of-conduct/"))
    page.wait_for_load_state("networkidle")
    assert not [p for p in loaded if p.endswith("kb-timeline.js")]
    open_timeline(page, base_url, "en")
    assert [p for p in loaded if p.endswith("kb-timeline.js")]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
def test_a_filtered_timeline_keeps_the_accessibility_rules(browser, base_url, lang, scheme, width):
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
    page = context.new_page()
    source, theme = pair_with(0)
    open_timeline(page, base_url, lang, f"?source={source}&theme={theme}")
    found = axe_violations(page)
    context.close()
    assert not found, f"{lang}, {scheme}, {width}:\n" + "\n".join(found)


# --- The phone menu keeps the keyboard's focus --------------------------------

FOCUS = """() => { const e = document.activeElement;
  return {at: [...document.querySelectorAll('*')].indexOf(e), inMenu: e.closest('.md-sidebar--primary') !== null,
          text: (e.textContent || '').trim().slice(0, 40), drawerButton: e.classList.contains('kb-button--drawer')} }"""


def open_menu_with_the_keyboard(page):
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS)["drawerButton"]:
            break
    assert page.evaluate(FOCUS)["drawerButton"], "Tab does not reach the menu button"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")


def tab_round(page, lang) -> list[dict]:
    """Tab from the focused element until it comes back: never out of the menu."""
    first = page.evaluate(FOCUS)
    visited = []
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS)
        assert info["inMenu"], f"{lang}: Tab left the open menu after {visited[-3:]}: {info}"
        visited.append(info)
        if info["at"] == first["at"]:
            break
    assert visited[-1] == first, f"{lang}: Tab did not come back round: {visited}"
    return visited


@pytest.mark.parametrize("lang", LANGS)
def test_the_open_phone_menu_keeps_the_focus(browser, base_url, lang):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url_of(base_url, lang, "timeline/"))
    open_menu_with_the_keyboard(page)
    visited = tab_round(page, lang)
    assert len(visited) > 5
    # Shift+Tab from the first goes to the last, still in the menu
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUS) == visited[-2]
    # in a level of the menu, the same
    page.keyboard.press("Shift+Tab")
    opener = page.locator(".md-sidebar--primary label.md-nav__link[for^='__nav']:visible").first
    opener.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('.md-sidebar--primary label.md-nav__title')")
    tab_round(page, lang)
    # Escape closes the menu and gives the focus back to the menu button
    page.keyboard.press("Escape")
    assert page.evaluate(FOCUS)["drawerButton"]
    expect(page.locator("button.kb-button--drawer")).to_have_attribute("aria-expanded", "false")
    # closed, the menu is out of the tab order (it is hidden once it has slid away)
    page.wait_for_function("() => !document.querySelector('.md-sidebar--primary').checkVisibility({visibilityProperty: true})")
    for _ in range(15):
        page.keyboard.press("Tab")
        assert not page.evaluate(FOCUS)["inMenu"], f"{lang}: Tab reaches the closed menu"
    context.close()


# --- The scripts' words come from the page -------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_header_buttons_are_named_in_the_page_language(page, base_url, lang):
    page.goto(url_of(base_url, lang, "timeline/"))
    nav = page.locator("nav.md-nav--primary").first.get_attribute("aria-label")
    search = page.locator("input.md-search__input").get_attribute("aria-label")
    assert nav and search
    expect(page.locator("button.kb-button--drawer")).to_have_attribute("aria-label", nav)
    expect(page.locator("button.kb-button--search")).to_have_attribute("aria-label", search)
    if lang == "fr":
        assert search != "Search", "the French page's search button is named in English"


def test_the_scripts_write_no_words():
    """Every word a script shows comes from the page (data-kb-* attributes from
    data/labels.yml, or the theme's own labels): no fallback in English."""
    words = {text for label in LABELS.values() for text in label.values() if isinstance(text, str)}
    words |= {"Menu", "Search", "Navigation", "Close", "Loading", "No results", "All", "event", "events"}
    for script in sorted((ROOT / "content/assets/javascripts").glob("kb-*.js")):
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script.read_text(encoding="utf-8"), flags=re.S)
        literals = re.findall(r'"((?:[^"\\\n]|\\.)*)"', code)
        found = [s for s in literals if s in words or re.search(r"\b(events?|results?)\b", s, re.I)]
        assert not found, f"{script.name} writes words of its own: {found}"
