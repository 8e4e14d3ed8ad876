"""Search as readers use it, in Chromium: queries typed key by key in each language.

Readers do not type whole, correctly accented words: the table below holds
whole words, words checked at every prefix while they are typed, words without
their accents, elisions with either apostrophe, plural for singular, and words
found only on pages generated from data. Each must bring its page into the
first five results, and no result may be in the other language.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from conftest import LANGS, lang_root, url_of
from playwright.sync_api import expect

# (query, page it must return in the first five, check every prefix from this many letters: 0 = not)
QUERIES = {
    "fr": [
        ("redevabilité", "/menengage/accountability-standards/", 5),
        ("redevabilite", "/menengage/accountability-standards/", 0),
        ("la redevabilité", "/menengage/accountability-standards/", 0),
        ("l'égalité", "/generation-equality/action-coalitions/", 0),
        ("l’égalité", "/generation-equality/action-coalitions/", 0),
        ("egalite", "/generation-equality/action-coalitions/", 0),
        ("theorie du changement", "/menengage/theory-of-change/", 0),
        ("théorie du changement", "/menengage/theory-of-change/", 0),
        ("travailleuses domestiques", "/social-movements/domestic-workers/", 5),
        ("travailleuse", "/social-movements/domestic-workers/", 0),
        ("feministes", "/generation-equality/collective-commitments/collectives/alliance-for-feminist-movements/", 0),
        ("Katmandou", "/menengage/annual-summary-2017/regions/south-asia/", 4),
        ("masculinités patriarcales", "/menengage/patriarchal-masculinities/", 14),
        ("masculinite", "/menengage/patriarchal-masculinities/", 0),
        ("code de conduite", "/menengage/code-of-conduct/", 0),
        ("coalitions d'action", "/generation-equality/action-coalitions/", 0),
        ("Alliance mondiale pour les soins", "/generation-equality/collective-commitments/collectives/global-alliance-for-care/", 0),
        ("soins", "/generation-equality/collective-commitments/collectives/global-alliance-for-care/", 0),
        ("principes fondamentaux", "/menengage/core-principles/", 0),
        ("feuille de route", "/menengage/roadmap-2021-2024/", 0),
    ],
    "en": [
        ("accountability", "/en/menengage/accountability-standards/", 5),
        ("accountable", "/en/menengage/accountability-standards/", 0),
        ("domestic workers", "/en/social-movements/domestic-workers/", 5),
        ("domestic worker", "/en/social-movements/domestic-workers/", 0),
        ("women's movements", "/en/social-movements/", 0),
        ("women’s movements", "/en/social-movements/", 0),
        ("Kathmandu", "/en/menengage/annual-summary-2017/regions/south-asia/", 4),
        ("theory of change", "/en/menengage/theory-of-change/", 0),
        ("patriarchal masculinity", "/en/menengage/patriarchal-masculinities/", 0),
        ("feminist movements", "/en/generation-equality/collective-commitments/collectives/alliance-for-feminist-movements/", 0),
        ("Global Alliance for Care", "/en/generation-equality/collective-commitments/collectives/global-alliance-for-care/", 0),
        ("code of conduct", "/en/menengage/code-of-conduct/", 0),
        ("core principles", "/en/menengage/core-principles/", 0),
        ("roadmap", "/en/menengage/roadmap-2021-2024/", 0),
        ("coalitions", "/en/generation-equality/action-coalitions/", 0),
    ],
}

BOX = "input.md-search__input"
LIST = ".md-search-result__list"
PAGE_LINKS = ".md-search-result__item > a:first-child"


def open_search(page, base, lang, path="about/"):
    page.goto(url_of(base, lang, path))
    page.locator(BOX).click()


EMPTIED = """() => document.querySelector('.md-search__input').value === ''
    && document.querySelector('.md-search-result__list').childElementCount === 0
    && document.querySelector('.md-search-result__list').getAttribute('aria-busy') !== 'true'
    && document.querySelector('.kb-search-suggestion').textContent === ''"""


@pytest.fixture(scope="session")
def _search_tabs(browser):
    made: dict = {}
    yield made
    for page in made.values():
        page.context.close()


@pytest.fixture
def search(_search_tabs, browser, base_url):
    """`search(lang)`: this test process's desktop tab of `lang`'s about page, the search open and
    its box emptied, as a reader empties it for a next search. The tab and its loaded search are
    kept from test to test, since loading the page and starting Pagefind cost more than most
    searches; a first search on a page just opened is what the tests that open their own test."""

    def ready(lang):
        page = _search_tabs.get(lang)
        if page is None or page.is_closed():
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            _search_tabs[lang] = page
        if urlsplit(page.url).path != urlsplit(url_of(base_url, lang, "about/")).path or not page.locator("#__search").is_checked():
            open_search(page, base_url, lang)
        else:
            page.locator(BOX).fill("")
        page.wait_for_function(EMPTIED)
        expect(page.locator(BOX)).to_be_focused()
        return page

    yield ready
    for page in _search_tabs.values():
        for other in page.context.pages:
            if other is not page:
                other.close()


def settled(page, text):
    """Wait until the results for `text` (the box's whole value) are shown; return the pages, in order."""
    page.wait_for_function(
        """(text) => document.querySelector('.md-search__input').value === text
                  && document.querySelector('.md-search-result__list').getAttribute('aria-busy') === 'false'""",
        arg=text,
    )
    # the list the reader is left with: the same twice, a moment apart (kb-search.js draws only the
    # search of the box's last value and marks the list busy from its first key; this guards the rest)
    shown, previous = None, []
    while shown != previous:
        previous = shown
        if shown is not None:
            page.wait_for_timeout(100)
        shown = [urlsplit(h).path for h in page.eval_on_selector_all(PAGE_LINKS, "els => els.map(e => e.href)")]
    return shown


def in_language(lang, path):
    return path.startswith("/en/") == (lang == "en")


@pytest.mark.parametrize(
    "lang, query, expected, prefixes_from", [(lang, *row) for lang in LANGS for row in QUERIES[lang]]
)
def test_readers_queries_typed_key_by_key(search, lang, query, expected, prefixes_from):
    failures = []
    page = search(lang)
    for i, key in enumerate(query, start=1):
        page.keyboard.type(key)
        if prefixes_from and prefixes_from <= i < len(query):
            top = settled(page, query[:i])[:5]
            if expected not in top:
                failures.append(f"{query[:i]!r} (typing {query!r}): {expected} not in {top}")
    results = settled(page, query)
    if expected not in results[:5]:
        failures.append(f"{query!r}: {expected} not in the first five {results[:5]}")
    other = [r for r in results if not in_language(lang, r)]
    if other:
        failures.append(f"{query!r}: results in the other language {other}")
    assert not failures, f"{lang}:\n" + "\n".join(failures)


@pytest.mark.parametrize(
    "elided, word",
    [("l'égalité", "égalité"), ("l’égalité", "égalité"), ("L’Alliance", "Alliance"), ("d'action", "action")],
)
def test_a_french_elision_finds_what_the_word_finds(search, elided, word):
    # « l’égalité » is searched as « égalité » (mkdocs.yml, extra.kb.search_elisions), whichever
    # apostrophe: not led by the pages that happen to hold the elided form most often
    page = search("fr")
    page.keyboard.type(word)
    alone = settled(page, word)
    page = search("fr")
    page.keyboard.type(elided)
    assert settled(page, elided) == alone and alone


@pytest.mark.parametrize("lang, query, expected", [
    ("fr", "travailleuses domestiques", "/social-movements/domestic-workers/"),
    ("en", "domestic workers", "/en/social-movements/domestic-workers/"),
])
def test_text_entered_without_key_events_searches_too(search, lang, query, expected):
    # pasting, dictation and some phone keyboards change the text without key events
    page = search(lang)
    page.locator(BOX).fill(query)
    assert expected in settled(page, query)[:5]


@pytest.mark.parametrize("lang", LANGS)
def test_results_are_of_the_readers_language_only(search, site, lang):
    # words common to both languages' pages: "MenEngage", "CARE", "2017"
    for query in ("MenEngage", "CARE", "2017"):
        page = search(lang)
        page.keyboard.type(query)
        results = settled(page, query)
        assert results, f"{lang}: no result for {query!r}"
        assert all(in_language(lang, r) for r in results), f"{lang}: {query!r} gives {results}"
        # every result is a page of the site in that language
        for r in results:
            rel = r[len("/en/") if lang == "en" else 1 :]
            assert (lang_root(site, lang) / rel / "index.html").is_file(), r


@pytest.mark.parametrize("lang, query", [("fr", "genre"), ("en", "gender")])
def test_the_citation_block_is_not_searched(search, lang, query):
    """"Cite this page" repeats the site's name (« … justice de genre », "… gender justice")
    and "BibTeX" on every page: neither may make every page a result, nor show a page's
    citation as a result."""
    page = search(lang)
    page.keyboard.type(query)
    assert settled(page, query)
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert not [link for link in links if "#kb-cite" in link], links
    # a word of the citation alone: it matched every page (Pagefind may still find a near word)
    page = search(lang)
    page.keyboard.type("bibtex")
    assert len(settled(page, "bibtex")) < 5


@pytest.mark.parametrize("lang, query, words", [
    ("fr", "redevabilité", ["redevabilité"]),
    ("en", "domestic workers", ["domestic", "workers"]),
])
def test_results_show_title_and_excerpt_with_the_words_marked(search, lang, query, words):
    page = search(lang)
    page.keyboard.type(query)
    settled(page, query)
    first = page.locator(".md-search-result__item").first
    assert first.locator("h1").inner_text().strip()
    marked = [m.lower() for m in first.locator("mark").all_inner_texts()]
    assert any(w in m for m in marked for w in words), f"no marked word in {first.inner_text()!r}"
    text = page.locator(".md-search-result").inner_text()
    # nothing of the engine's inner workings: stems, markers, markup
    assert not re.search(r"PAGEFIND|~~|<mark|&lt;|&amp;|\bundefined\b|\bnull\b", text), text
    # the count is announced to screen readers
    meta = page.locator(".md-search-result__meta")
    assert meta.get_attribute("role") == "status"
    assert re.search(r"\d+ (documents trouvés|matching documents)", meta.inner_text()), meta.inner_text()


@pytest.mark.parametrize("lang", LANGS)
def test_a_search_has_a_shareable_address(fresh_page, base_url, lang):
    page = fresh_page  # counts requests, or changes the tab itself
    query = "redevabilité" if lang == "fr" else "accountability"
    open_search(page, base_url, lang)
    page.keyboard.type(query)
    settled(page, query)
    page.wait_for_function("(q) => new URL(location.href).searchParams.get('q') === q", arg=query)
    shared = page.url
    assert parse_qs(urlsplit(shared).query)["q"] == [query]
    # another reader opens the address: the search is open with the same results
    other = page.context.new_page()
    other.goto(shared)
    results = settled(other, query)
    assert results and results[0].endswith("/menengage/accountability-standards/")
    assert other.locator("#__search").is_checked()
    # open from the start, it keeps the keyboard like a search opened by the reader
    assert other.evaluate("document.querySelector('.md-container').inert")


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_opens_searches_moves_and_closes(page, base_url, lang):
    page.goto(url_of(base_url, lang, "menengage/code-of-conduct/"))
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.matches('.md-search__input')")
    query = "redevabilité" if lang == "fr" else "accountability"
    page.keyboard.type(query)
    first = settled(page, query)[0]
    page.keyboard.press("ArrowDown")
    assert urlsplit(page.evaluate("document.activeElement.href")).path == first
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    # opened with / from the page, closed: the focus is in the search box, not in a hidden result
    assert page.evaluate("document.activeElement.matches('.md-search__input')")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("s")
    page.keyboard.press("Enter")  # the first result
    page.wait_for_url(lambda url: urlsplit(url).path == first)


@pytest.mark.parametrize("lang", LANGS)
def test_search_on_a_phone(browser, base_url, lang):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url_of(base_url, lang, "menengage/code-of-conduct/"))
    page.locator("button.kb-button--search").click()
    box = page.locator(BOX)
    expect(box).to_be_focused()  # the search opened takes the focus: keys typed before would be lost
    query = "travailleuses" if lang == "fr" else "workers"
    page.keyboard.type(query)
    results = settled(page, query)
    assert "/social-movements/domestic-workers/" in [r.removeprefix("/en") for r in results[:5]]
    first = page.locator(PAGE_LINKS).first
    box_of = first.bounding_box()
    assert box_of["x"] >= 0 and box_of["x"] + box_of["width"] <= 361, box_of
    assert page.evaluate("document.documentElement.scrollWidth") <= 362
    context.close()


# The text typed into the search box one letter at a time, `gap` ms apart (the input events a key makes)
TYPED_EVERY = """([text, gap]) => new Promise((done) => {
    const box = document.querySelector('.md-search__input');
    let i = 0;
    (function next() {
        box.value += text[i];
        box.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText', data: text[i]}));
        if (++i < text.length) setTimeout(next, gap); else done();
    })();
})"""


@pytest.mark.parametrize("lang, query", [("fr", "travailleuses domestiques"), ("en", "domestic workers")])
def test_typing_downloads_the_excerpts_of_the_last_query_only(fresh_page, base_url, lang, query):
    """Each result shown downloads its excerpt: a reader typing key by key on a slow phone
    (the CPU slowed 4 times, as Lighthouse's mobile emulation) downloads those of the results
    for what they typed, not those of a word half typed, even when the page takes longer to
    search for a key than the reader takes to type the next one."""
    page = fresh_page  # counts requests, or changes the tab itself
    fragments = []
    page.on("request", lambda r: "/pagefind/fragment/" in r.url and fragments.append(r.url))
    open_search(page, base_url, lang)
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    # a key every 150 ms of the page's own clock: keys sent from here, on a busy machine, would come
    # further apart than a reader types them, and the results of a word half typed would rightly show
    page.evaluate(TYPED_EVERY, [query, 150])
    shown = settled(page, query)
    page.wait_for_load_state("networkidle")
    assert 0 < len(shown) <= 5 and len(fragments) == len(shown), (shown, fragments)


@pytest.mark.parametrize("lang", LANGS)
def test_first_visit_downloads_no_search_data(fresh_page, base_url, lang):
    page = fresh_page  # counts requests, or changes the tab itself
    # The engine and the index load when the reader opens the search, not with the pages.
    requests, failures = [], []
    page.on("request", lambda r: requests.append(urlsplit(r.url).path))
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
    # (Chromium asks for the site's icon again when the address takes the query, and drops
    # that request at the next change of address: not a failure)
    page.on("requestfailed", lambda r: r.url.endswith("favicon.png") or failures.append(f"failed {r.url}"))
    for path in ("", "menengage/code-of-conduct/", "menengage/annual-summary-2017/regions/south-asia/", "404.html"):
        page.goto(url_of(base_url, lang, path))
        page.wait_for_load_state("networkidle")
    search = [r for r in requests if "/pagefind/" in r or "search_index" in r or "/workers/" in r]
    assert not search, f"{lang}: a first visit downloaded search data: {search}"
    query = "genre" if lang == "fr" else "gender"
    page.locator(BOX).click()
    page.keyboard.type(query)
    assert settled(page, query)
    assert "/pagefind/pagefind.js" in requests
    assert any(r.startswith(f"/pagefind/index/{lang}_") for r in requests), requests
    assert not failures, f"{lang}: failed requests: {failures}"


def test_one_index_per_language_with_every_page(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == set(LANGS)
    for lang in LANGS:
        root = lang_root(site, lang)
        pages = [
            p
            for p in root.rglob("index.html")
            if not (lang == "fr" and p.relative_to(root).parts[0] in LANGS) and "assets" not in p.parts
        ]
        assert entry["languages"][lang]["page_count"] == len(pages), lang
    # Material's own search is not built into the site
    assert not (site / "search" / "search_index.json").exists()
    assert not list((site / "assets" / "javascripts").glob("workers/search.*.js"))


def test_index_chunks_stay_small(site):
    # The chunk size is set through a setting Pagefind calls unstable (hooks/kb/search.py):
    # if an upgrade drops it, chunks grow back to about 40 KB and the search downloads double.
    chunks = list((site / "pagefind" / "index").glob("*.pf_index"))
    assert len(chunks) >= 8
    assert max(c.stat().st_size for c in chunks) < 20_000, sorted(c.stat().st_size for c in chunks)[-3:]


@pytest.mark.parametrize("lang, words", [("fr", "La recherche n’a pas pu se charger"), ("en", "The search could not load")])
def test_a_search_that_cannot_load_says_so_in_the_pages_language(fresh_page, base_url, lang, words):
    page = fresh_page  # counts requests, or changes the tab itself
    # offline, say: the browser's own error message would be in the browser's language
    page.route("**/pagefind/**", lambda route: route.abort())
    open_search(page, base_url, lang)
    page.locator(BOX).fill("genre" if lang == "fr" else "gender")
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text=words).wait_for()
    assert "Failed" not in meta.inner_text() and "fetch" not in meta.inner_text()


# Typing mistakes: (language, typed, the words offered, the page that must be among the first five)
TYPOS = [
    ("fr", "stratgie", "stratégie", None),
    ("fr", "pricnipes", "principes", "/menengage/core-principles/"),
    ("fr", "redevabilté", "redevabilité", "/menengage/accountability-standards/"),
    ("fr", "domestiqeus", "domestiques", "/social-movements/domestic-workers/"),
    ("fr", "masculinté", "masculinité", "/menengage/patriarchal-masculinities/"),
    ("fr", "travailleuses domestiqeus", "travailleuses domestiques", "/social-movements/domestic-workers/"),
    ("en", "pricniples", "principles", "/en/menengage/core-principles/"),
    ("en", "accoutability", "accountability", "/en/menengage/accountability-standards/"),
    ("en", "acountabilty", "accountability", "/en/menengage/accountability-standards/"),  # two letters
    ("en", "stratgy", "strategy", None),
    ("en", "Kathmadu", "Kathmandu", "/en/menengage/annual-summary-2017/regions/south-asia/"),
    ("en", "domestic wrokers", "domestic workers", "/en/social-movements/domestic-workers/"),
    # a word being typed: the beginning of a word, one letter wrong
    ("fr", "stratg", "stratégie", None),
    ("en", "pricnip", "principles", "/en/menengage/core-principles/"),
]
SUGGESTION = ".kb-search-suggestion"


@pytest.mark.parametrize("lang, typed, offered, expected", TYPOS)
def test_a_typing_mistake_finds_the_page_and_offers_the_words(search, lang, typed, offered, expected):
    """A wrong, missing, extra or swapped letter, early in a word too: the pages of the nearest
    words of the site come first, and "did you mean…" offers them; the offer searches them."""
    page = search(lang)
    page.keyboard.type(typed)
    results = settled(page, typed)
    words = page.locator(f"{SUGGESTION} button")
    expect(words).to_have_text(offered)
    assert (("Vouliez-vous dire" in page.locator(SUGGESTION).inner_text()) == (lang == "fr"))
    # the words typed correctly find the same first page
    page = search(lang)
    page.keyboard.type(offered)
    right = settled(page, offered)
    assert results[0] == right[0], (results[:5], right[:5])
    if expected:
        assert expected in results[:5], results[:5]
    assert page.locator(SUGGESTION).inner_text() == "", "a right query is offered other words"
    # the offer, pressed with the keyboard, searches the words offered
    page = search(lang)
    page.keyboard.type(typed)
    settled(page, typed)
    words.focus()
    page.keyboard.press("Enter")
    assert settled(page, offered)[0] == right[0]
    expect(page.locator(BOX)).to_be_focused()


# Other names of the site's words (data/search-aliases.yml): (language, typed, the site's name)
ALIASES = [
    ("fr", "VBG", "VSS"),
    ("fr", "violences basées sur le genre", "VSS"),
    ("fr", "convention 189", "C189"),
    ("fr", "BIT", "OIT"),
    ("en", "SGBV", "GBV"),
    ("en", "convention 189", "C189"),
    ("en", "Domestic Workers Convention", "C189"),
]


@pytest.mark.parametrize("lang, typed, name", ALIASES)
def test_other_names_of_the_sites_words_find_its_pages(search, lang, typed, name):
    """What the site's name finds first is among the first pages of the other name."""
    page = search(lang)
    page.keyboard.type(name)
    named = settled(page, name)
    page = search(lang)
    page.keyboard.type(typed)
    results = settled(page, typed)
    assert named[0] in results[:5], (results[:5], named[:5])
    assert all(in_language(lang, r) for r in results), results


@pytest.mark.parametrize("lang, right, wrong", [("fr", "travailleuses domestiques", "stratgie"),
                                                ("en", "accountability", "pricniples")])
def test_the_words_are_downloaded_for_a_mistyped_query_only(fresh_page, base_url, lang, right, wrong):
    """The words of the pages (about 15 KB) are not part of a search that finds its words."""
    page = fresh_page  # counts requests, or changes the tab itself
    asked = []
    page.on("request", lambda r: "/pagefind/kb-words." in r.url and asked.append(r.url))
    open_search(page, base_url, lang)
    page.keyboard.type(right, delay=30)
    settled(page, right)
    assert not asked, asked
    open_search(page, base_url, lang)
    page.keyboard.type(wrong, delay=30)
    settled(page, wrong)
    assert len(asked) == 1 and f"/kb-words.{lang}_" in asked[0], asked


@pytest.mark.parametrize("lang", LANGS)
def test_the_status_says_a_search_is_under_way_from_the_first_key(page, base_url, lang):
    placeholder = "Taper pour démarrer la recherche" if lang == "fr" else "Type to start searching"
    running = {"fr": ("Recherche en cours…", "Initialisation de la recherche"), "en": ("Searching…", "Initializing search")}
    open_search(page, base_url, lang)
    meta = page.locator(".md-search-result__meta")
    assert meta.inner_text().strip() == placeholder
    query = "travailleuses domestiques" if lang == "fr" else "domestic workers accountability"
    for i, key in enumerate(query, start=1):
        page.keyboard.type(key)
        if i >= 3:  # the search starts at three letters
            said = meta.inner_text().strip()
            assert said in running[lang] or re.search(r"\d", said), f"after {query[:i]!r}: {said!r}"
    settled(page, query)
    assert re.search(r"\d", meta.inner_text())


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("lang", LANGS)
def test_more_results_is_a_readable_button(browser, base_url, lang, width):
    context = browser.new_context(**VIEWPORTS[width])
    page = context.new_page()
    page.goto(url_of(base_url, lang, "about/"))
    page.locator("button.kb-button--search" if width == "phone" else BOX).click()
    expect(page.locator(BOX)).to_be_focused()
    query = "genre" if lang == "fr" else "gender"
    page.keyboard.type(query)
    settled(page, query)
    button = page.locator(".kb-search-more button")
    expect(button).to_have_text("Plus de résultats" if lang == "fr" else "More results")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box  # WCAG 2.5.8
    assert float(button.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 13
    assert page.locator(PAGE_LINKS).count() == 5
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(PAGE_LINKS)).to_have_count(10)
    # the focus goes to the first of the new results
    assert page.evaluate("document.activeElement.href") == page.locator(PAGE_LINKS).nth(5).evaluate("e => e.href")
    context.close()


VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
INERT = "[...document.querySelectorAll('[inert]')].map(e => e.className || e.tagName)"


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_open_search_keeps_the_keyboard_and_the_page_behind_is_inert(browser, base_url, lang, width):
    """Tab never leaves the open search for the links hidden behind it; the page behind is inert
    (no screen reader reads it); Escape closes it wherever the focus is, and the focus goes back
    to the search button (phone) or the search box (desktop)."""
    context = browser.new_context(**VIEWPORTS[width])
    page = context.new_page()
    page.goto(url_of(base_url, lang, "menengage/code-of-conduct/"))
    if width == "phone":
        page.locator("button.kb-button--search").click()
    else:
        page.keyboard.press("/")
    expect(page.locator(BOX)).to_be_focused()
    query = "genre" if lang == "fr" else "gender"
    page.keyboard.type(query)
    settled(page, query)
    assert page.evaluate("document.querySelector('.md-container').inert")
    assert page.evaluate("document.querySelector('.md-header__title').inert")
    assert not page.evaluate("document.querySelector('.md-search').closest('[inert]')")
    assert page.locator(".md-search").get_attribute("aria-modal") == "true"
    reached = set()
    for key in ["Tab"] * 20 + ["Shift+Tab"] * 25:
        page.keyboard.press(key)
        where = page.evaluate("""() => { const e = document.activeElement;
            return {inside: e.closest('.md-search') !== null, visible: e.checkVisibility({visibilityProperty: true}),
                    what: e.className || e.tagName} }""")
        assert where["inside"] and where["visible"], f"{key} reached {where}"
        reached.update(where["what"].split())
    assert {"md-search__input", "md-search-result__link", "kb-search-more__button"} <= reached, reached
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    assert page.evaluate(INERT) == []
    back = "button.kb-button--search" if width == "phone" else BOX
    expect(page.locator(back)).to_be_focused()
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_open_phone_menu_makes_the_page_behind_inert(browser, base_url, lang):
    context = browser.new_context(**VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(url_of(base_url, lang, "menengage/code-of-conduct/"))
    page.locator("button.kb-button--drawer").click()
    page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
    inert = page.evaluate(INERT)
    assert "md-content" in " ".join(inert) and "md-header" in " ".join(inert), inert
    assert not page.evaluate("document.querySelector('.md-sidebar--primary').closest('[inert]')")
    # the overlay beside the menu still closes it with a tap
    assert not page.evaluate("document.querySelector('label.md-overlay').inert")
    page.keyboard.press("Escape")
    assert page.evaluate(INERT) == []
    expect(page.locator("button.kb-button--drawer")).to_be_focused()
    context.close()


def test_desktop_tab_through_the_search_box_does_not_open_it(page, base_url):
    page.goto(url_of(base_url, "en", "about/"))
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.md-search__input')"):
            break
    else:
        pytest.fail("Tab does not reach the search box")
    assert not page.locator("#__search").is_checked()
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.closest('.md-search')"), "Tab went into the closed search"
    # typing in the box opens it
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("gender")
    assert page.locator("#__search").is_checked()
    assert settled(page, "gender")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang, query, words", [("fr", "travailleuses domestiques", {"travailleuses", "domestiques"}),
                                                ("en", "accoutability", {"accountability"})])
def test_the_page_opened_from_a_result_marks_the_words(browser, base_url, lang, query, words, scheme):
    """Pagefind's highlighting script marks the words searched (or offered) in the page's own
    text: the article, not the menus, the sources or the citation; same host only, no console
    error (the security policy), and the marks keep the accessibility rules in both schemes."""
    from test_browser import axe_violations

    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    hosts, errors = set(), []
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    open_search(page, base_url, lang)
    page.keyboard.type(query)
    first = settled(page, query)[0]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == first)
    assert set(parse_qs(urlsplit(page.url).query)["highlight"]) >= words
    marks = page.locator("mark.kb-highlight")
    marks.first.wait_for()
    texts = {m.lower() for m in marks.all_inner_texts()}
    assert all(any(w in t for t in texts) for w in words), texts
    outside = page.evaluate("""() => [...document.querySelectorAll('mark.kb-highlight')].filter(m =>
        !m.closest('[data-pagefind-body]') || m.closest('.kb-cite, .kb-sources, .headerlink, nav')).length""")
    assert outside == 0
    assert page.evaluate("[...document.querySelectorAll('mark.kb-highlight')].every(m => m.closest('[lang]').lang === document.documentElement.lang)")
    assert hosts == {urlsplit(base_url).netloc}, hosts
    assert not errors, errors
    assert not axe_violations(page)
    context.close()


def test_words_of_a_language_by_frequency():
    from kb import search

    text = search.words(["Stratégie stratégie stratégie ab 2017 C189", "stratégie principes Principes"])
    # bands of 20 times or more, 5 or more (none here), 2 or more, once; each word in its most
    # frequent spelling, alphabetical in its band; no word of fewer than four letters, no number
    assert text.split("\n\n") == ["", "", "principes\nstratégie", "C189"]


def test_aliases_hold_the_glossary_names(site):
    about = json.loads((site / "pagefind" / "kb-search.fr.json").read_text(encoding="utf-8"))
    groups = {tuple(g["site"]): g["other"] for g in about["aliases"]}
    vss = next(g for g in about["aliases"] if "VSS" in g["site"])
    assert "VBG" in vss["other"] and "violence sexiste et sexuelle" in vss["site"]
    assert any("C189" in site for site in groups)
    assert (site / "pagefind" / about["words"]).is_file()
    en = json.loads((site / "pagefind" / "kb-search.en.json").read_text(encoding="utf-8"))
    assert any("GBV" in g["site"] for g in en["aliases"])


def test_the_sites_names_of_the_aliases_are_on_its_pages(site):
    """A site's name in data/search-aliases.yml that no page of its language has (a typing
    mistake in the file) would make its group find nothing: every word of four letters or more
    of each site's name is a word of that language's pages."""
    import gzip

    from kb import search

    missing = []
    for lang in LANGS:
        about = json.loads((site / "pagefind" / f"kb-search.{lang}.json").read_text(encoding="utf-8"))
        words = gzip.decompress((site / "pagefind" / about["words"]).read_bytes()).decode("utf-8")
        known = {w.lower() for w in words.split()}
        for group in about["aliases"]:
            for name in group["site"]:
                for word in search.WORD.findall(name):
                    if len(word) >= search.SHORTEST_WORD and not word.isdigit() and word.lower() not in known:
                        missing.append(f"{lang}: {name!r} ({word!r})")
    assert not missing, "names of data/search-aliases.yml (or of the glossary) on no page:\n" + "\n".join(missing)


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang, typed", [("fr", "stratgie"), ("en", "pricniples")])
def test_did_you_mean_keeps_the_accessibility_rules(tab, base_url, lang, typed, scheme, width):
    from test_browser import axe_violations

    page = tab(**VIEWPORTS[width], color_scheme=scheme)
    page.goto(url_of(base_url, lang, "about/"))
    page.locator("button.kb-button--search" if width == "phone" else BOX).click()
    expect(page.locator(BOX)).to_be_focused()
    page.keyboard.type(typed)
    settled(page, typed)
    words = page.locator(f"{SUGGESTION} button")
    expect(words).to_be_visible()
    box = words.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box
    assert not axe_violations(page)


def test_page_text_that_looks_like_html_is_shown_as_text_in_the_results(browser, tmp_path):
    """Pagefind's excerpts are HTML and the results show page titles and headings: a page's text that
    looks like HTML (here in code, where Markdown keeps it as text) is shown as text, never made into
    elements (kb-search.js keeps only the text and Pagefind's <mark>s)."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from conftest import QuietHandler, build, copy_project

    payload = "<img src=x onerror=\"window.__kbInjected='search'\">"
    project = copy_project(tmp_path / "project")
    about = project / "content" / "en" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8")
        + f"\n## Zanzibarique `{payload}`\n\nZanzibarique words: `{payload}` and `<b>bold</b>`.\n",
        encoding="utf-8",
    )
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        open_search(page, f"http://127.0.0.1:{server.server_address[1]}/", "en")
        page.keyboard.type("zanzibarique")
        assert settled(page, "zanzibarique") == ["/en/about/"]
        results = page.locator(LIST)
        expect(results).to_contain_text(payload)  # the heading and the excerpt, as text
        assert results.locator("img, b").count() == 0
        assert results.locator("mark").count() > 0  # Pagefind's marks are kept
        assert page.evaluate("window.__kbInjected") is None
        # the words a shared address asks to mark (?highlight=) and to search (?q=) are text too
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/en/about/?q={quote(payload)}"
                  f"&highlight={quote(payload)}&highlight=Zanzibarique")  # fmt: skip
        expect(page.locator("mark.kb-highlight").first).to_be_attached()
        assert settled(page, payload) is not None
        assert page.locator("article img[src='x'], .md-search-result img").count() == 0
        assert page.evaluate("window.__kbInjected") is None
    finally:
        context.close()
        server.shutdown()
