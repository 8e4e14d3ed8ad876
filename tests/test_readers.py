"""What readers meet at the edges (issue 26), in Chromium: the language switcher keeps the
section read, printing (a dark browser, a whole section as one document), forced colours,
narrow phones, wide tables, the timeline's empty choices, the C189 chart, the 404 title, and
the accessibility rules on the pages this adds or changes."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import LANGS, ROOT, lang_root, soup, url_of
from test_browser import PHONE, WIDTHS, axe_violations, phone

OTHER = {"fr": "en", "en": "fr"}


def _context(browser, width, **extra):
    w, h = WIDTHS[width]
    if width == "phone":
        return phone(browser, **extra)
    return browser.new_context(viewport={"width": w, "height": h}, **extra)


# --- 5. The language switcher keeps the section the reader scrolled to ---


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_keeps_the_section_scrolled_to(browser, base_url, lang, width):
    context = _context(browser, width)
    page = context.new_page()
    page.goto(url_of(base_url, lang, "menengage/code-of-conduct/"))
    headings = page.locator("article h2[id]")
    assert headings.count() >= 3
    target = headings.nth(2)
    heading_id = target.get_attribute("id")
    # the reader scrolls (no #anchor in the address): the heading reaches the top, then a little further
    target.evaluate("h => h.scrollIntoView({block: 'start'})")
    page.mouse.wheel(0, 120)
    page.wait_for_function(
        "id => [...document.querySelectorAll('.md-select__link[hreflang]')].every(a => a.hash === '#' + id)",
        arg=heading_id,
    )
    # by keyboard: the focus on the other language's link, then Enter
    link = page.locator(f'.md-select__link[hreflang="{OTHER[lang]}"]')
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(url_of(base_url, OTHER[lang], f"menengage/code-of-conduct/#{heading_id}"))
    # the same section, in the other language (headings share their ids)
    assert page.locator("html").get_attribute("lang") == OTHER[lang]
    assert page.locator(f"article h2#{heading_id}").count() == 1
    context.close()


def test_language_switcher_at_the_top_of_a_page_leads_to_its_top(page, base_url):
    page.goto(url_of(base_url, "fr", "menengage/code-of-conduct/"))
    assert page.locator('.md-select__link[hreflang="en"]').get_attribute("href").endswith("/code-of-conduct/")


# --- 6. Print ---


def _luminance(rgb: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"[\d.]+", rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("lang", LANGS)
def test_a_dark_browser_prints_dark_text_and_light_charts_once_each(browser, base_url, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.goto(url_of(base_url, lang, "social-movements/domestic-workers/"))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    page.emulate_media(media="print")
    shown = page.locator(".kb-chart img:visible")
    assert shown.count() == 1
    assert shown.evaluate("i => i.closest('picture').className") == "kb-chart__light"
    assert shown.evaluate("i => i.complete && i.naturalWidth > 0")
    text = page.locator("article p").first.evaluate("p => getComputedStyle(p).color")
    assert _luminance(text) < 0.3, f"{lang}: printed text is {text} on white paper"
    # the cited address is printed once (it is the link's text); the downloads and links not at all
    after = page.locator(".kb-cite__url").evaluate("a => getComputedStyle(a, '::after').content")
    assert after in ("none", "normal"), after
    for hidden in (".kb-cite__downloads", ".kb-cite__edit", ".kb-cite__report", ".kb-print-link"):
        assert not page.locator(hidden).is_visible(), hidden
    context.close()


SECTIONS = {"social-movements/": 8, "menengage/annual-summary-2017/": None}


@pytest.mark.parametrize("lang", LANGS)
def test_a_section_prints_as_one_document_in_its_language(browser, base_url, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests_failed = []
    page.on("response", lambda r: r.status >= 400 and requests_failed.append(f"{r.status} {r.url}"))
    page.goto(url_of(base_url, lang, "social-movements/key-steps/"))
    link = page.locator(".kb-print-link a")
    assert ("8" in link.inner_text()) and link.is_visible()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(url_of(base_url, lang, "social-movements/print.html"))
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == lang
    parts = page.locator(".kb-print__page")
    assert parts.count() == 8
    # each page with its sources and its address; the charts are there and loaded
    assert page.locator(".kb-print__page .kb-sources").count() == 8
    addresses = page.locator(".kb-print__address a").evaluate_all("links => links.map(a => a.href)")
    assert addresses[0] == url_of(base_url, lang, "social-movements/")
    assert url_of(base_url, lang, "social-movements/domestic-workers/") in addresses
    charts = page.locator(".kb-chart__light img")
    assert charts.count() >= 1 and charts.evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth > 0)")
    # one outline: a single h1; no id twice
    assert page.locator("article h1").count() == 1
    assert page.evaluate(
        "(() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id); return ids.length - new Set(ids).size; })()"
    ) == 0
    # a link inside the document still leads somewhere that exists
    assert not requests_failed, requests_failed
    # printed: each page on a new sheet, saved as one PDF
    page.emulate_media(media="print")
    assert parts.nth(1).evaluate("p => getComputedStyle(p).breakBefore") == "page"
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 8
    # the language switcher leads to the same document in the other language
    href = page.locator(f'.md-select__link[hreflang="{OTHER[lang]}"]').evaluate("a => a.href")
    assert href == url_of(base_url, OTHER[lang], "social-movements/print.html")
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_print_documents_link_only_within_the_site_that_exists(site, lang):
    root = lang_root(site, lang)
    for document in (root / "menengage").rglob("print.html"):
        doc = soup(document)
        for el in doc.select("article [href], article [src]"):
            url = el.get("href") or el.get("src")
            if re.match(r"^[a-z]+:|^#|^//", url):
                continue
            target = (document.parent / url.split("#")[0].split("?")[0]).resolve()
            assert target.exists() or (target / "index.html").exists(), f"{document}: {url}"
        ids = [el["id"] for el in doc.select("[id]")]
        assert len(ids) == len(set(ids)), f"{document}: an id twice"
        for anchor in doc.select('article a[href^="#"]'):
            assert anchor["href"][1:] in ids, f"{document}: {anchor['href']} leads nowhere"


# --- 7. Smaller edges ---


@pytest.mark.parametrize("lang", LANGS)
def test_forced_colours_mark_the_chosen_timeline_filter(browser, base_url, lang):
    context = browser.new_context(forced_colors="active")
    page = context.new_page()
    page.goto(url_of(base_url, lang, "timeline/"))
    chosen = page.locator(".kb-timeline__radio:checked + label").first
    other = page.locator(".kb-timeline__radio:not(:checked) + label").first

    def look(label):
        return label.evaluate(
            "l => { const s = getComputedStyle(l); return [s.backgroundColor, s.color, getComputedStyle(l, '::before').content]; }"
        )

    assert look(chosen) != look(other), (look(chosen), look(other))
    assert "✓" in look(chosen)[2]
    # chosen by keyboard: the newly chosen one changes its look
    page.locator(".kb-timeline__radio").nth(1).focus()
    page.keyboard.press("ArrowRight")
    assert look(page.locator(".kb-timeline__radio:checked + label").first) == look(chosen)
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_short_site_name_clears_the_header_icons_at_320_px(browser, base_url, lang):
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url_of(base_url, lang, "menengage/"))
    name = page.locator(".md-header__topic .kb-name--short").first.bounding_box()
    icons = [
        box["x"] for box in page.locator(".md-header .md-header__button, .md-header .md-header__option").evaluate_all(
            "els => els.filter(e => e.checkVisibility()).map(e => e.getBoundingClientRect().toJSON())"
        ) if box["x"] > 100
    ]  # fmt: skip
    assert name["x"] + name["width"] <= min(icons), (name, icons)
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_table_wider_than_a_phone_says_it_scrolls(browser, base_url, lang):
    context = phone(browser)
    page = context.new_page()
    page.goto(url_of(base_url, lang, "open-data/"))
    page.wait_for_load_state("load")
    page.locator(".md-typeset__scrollwrap.kb-scroll--right").first.wait_for()
    frame = page.locator(".md-typeset__scrollwrap.kb-scroll--right").first.element_handle()
    assert frame.evaluate("f => getComputedStyle(f).maskImage") != "none"
    # scrolled to its end: the cue moves to the side where the table goes on
    frame.evaluate("f => f.scrollTo(f.scrollWidth, 0)")
    page.wait_for_function("f => f.classList.contains('kb-scroll--left') && !f.classList.contains('kb-scroll--right')",
                           arg=frame)
    # a table that fits has no cue
    assert page.locator(".md-typeset__scrollwrap:not(.kb-scroll--left):not(.kb-scroll--right)").count() >= 1
    context.close()


def _empty_pair() -> tuple[str, str]:
    events = yaml.safe_load((ROOT / "data/timeline.yml").read_text(encoding="utf-8"))
    events = events.get("events", events) if isinstance(events, dict) else events
    sources = sorted({e["source"] for e in events})
    themes = sorted({t for e in events for t in e.get("themes", [])})
    for source in sources:
        for theme in themes:
            if not any(e["source"] == source and theme in e.get("themes", []) for e in events):
                return source, theme
    raise AssertionError("every source shares a theme with every other: no empty choice to test")


@pytest.mark.parametrize("script", [True, False])
@pytest.mark.parametrize("lang", LANGS)
def test_a_timeline_choice_without_events_says_so(browser, base_url, lang, script):
    source, theme = _empty_pair()
    context = browser.new_context(java_script_enabled=script)
    page = context.new_page()
    page.goto(url_of(base_url, lang, "timeline/"))
    page.locator(f'label[for="kb-f-src-{source}"]').click()
    page.locator(f'label[for="kb-f-theme-{theme}"]').click()
    assert page.locator(".kb-timeline__list li:visible").count() == 0
    if script:  # the count of events shown says it, in its live region
        status = page.locator(".kb-timeline__count")
        assert status.is_visible() and status.inner_text().strip()
        assert not page.locator(".kb-timeline__none").is_visible()
    else:
        message = page.locator(".kb-timeline__none")
        assert message.is_visible() and len(message.inner_text()) > 30
    context.close()


def test_c189_chart_labels_every_year_and_bar_on_phones(site):
    ratified = yaml.safe_load((ROOT / "data/c189-ratifications.yml").read_text(encoding="utf-8"))
    rows = ratified["ratifications"]
    years = sorted({int(r["year"]) for r in rows})
    counts = {y: sum(1 for r in rows if int(r["year"]) == y) for y in years}
    doc = soup(site / "social-movements/domestic-workers/index.html")
    light = next(p for p in doc.select("picture.kb-chart__light") if "c189" in p.img["src"])
    files = {"narrow": light.source["srcset"], "wide": light.img["src"]}
    for layout, src in files.items():
        svg = (site / "social-movements/domestic-workers" / src).resolve().read_text(encoding="utf-8")
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        for year in range(years[0], years[-1] + 1):
            assert str(year) in texts, f"{layout}: no label for {year}"
        tallest = max(counts, key=counts.get)
        assert texts.count(str(counts[tallest])) >= 1, f"{layout}: the tallest bar ({tallest}) has no count"


@pytest.mark.parametrize("lang", LANGS)
def test_404_title_says_what_happened(site, lang):
    title = soup(lang_root(site, lang) / "404.html").title.get_text()
    assert title.startswith({"fr": "Page introuvable - ", "en": "Page not found - "}[lang]), title


@pytest.mark.parametrize("lang", LANGS)
def test_translation_status_page_speaks_to_readers(site, lang):
    intro = soup(lang_root(site, lang) / "translation-status/index.html").select_one(".admonition").get_text()
    assert "make " not in intro and "docs/" not in intro and ".md" not in intro, intro


# --- Accessibility rules on what this adds ---


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
def test_accessibility_rules_on_print_and_about_pages(tab, base_url, lang, scheme, width):
    w, h = WIDTHS[width]
    page = tab(**(PHONE if width == "phone" else {"viewport": {"width": w, "height": h}}), color_scheme=scheme)
    found = []
    for path in ("social-movements/print.html", "about/", "open-data/"):
        page.goto(url_of(base_url, lang, path))
        page.wait_for_load_state("load")
        found += [f"{path}: {violation}" for violation in axe_violations(page)]
    assert not found, f"{lang}, {scheme}, {width}:\n" + "\n".join(found)


def test_forced_colours_timeline_keeps_the_accessibility_rules(browser, base_url):
    context = browser.new_context(forced_colors="active")
    page = context.new_page()
    page.goto(url_of(base_url, "fr", "timeline/"))
    assert not axe_violations(page)
    context.close()


def test_a_page_is_fitted_into_its_section_document():
    import sys

    sys.path.insert(0, str(ROOT / "hooks"))
    from kb import printing

    fragment = (
        '<h1 id="title">T</h1><h2 id="a">A</h2><a href="#a">a</a> <a href="../core-principles/#x">c</a>'
        '<a href="https://example.org/">e</a><input id="t1" name="g"><label for="t1">l</label>'
        '<source srcset="../../assets/charts/c.svg"><img src="../../assets/charts/c.svg">'
    )
    out = printing.fit(fragment, "menengage/code-of-conduct/", "menengage/print.html", "p2-", demote=True)
    assert '<h2 id="p2-title">T</h2><h3 id="p2-a">A</h3><a href="#p2-a">a</a>' in out
    assert 'href="core-principles/#x"' in out and 'href="https://example.org/"' in out
    assert 'id="p2-t1" name="p2-g"' in out and 'for="p2-t1"' in out
    assert 'srcset="../assets/charts/c.svg"' in out and 'src="../assets/charts/c.svg"' in out
    # the cite block and the print link of a page are left out of the document
    page = ('<article class="md-content__inner md-typeset" data-pagefind-body><p>x</p>'
            '<p class="kb-print-link"><a href="print.html">p</a></p><aside class="kb-cite"><h2>c</h2></aside></article>')
    assert printing.article(page) == "<p>x</p>"


def test_a_print_documents_words_come_from_its_template_escaped_once():
    """The introduction and the addresses of a printed section are templates/parts/print.html, rendered
    with autoescaping: a label holding markup is printed as text, a page as built is kept as it is."""
    from kb import printing, templates
    from kb.data import load_data
    from kb.directives import Context

    env = templates.environment(ROOT / "templates")
    ctx = Context(load_data(ROOT / "data", ROOT, ROOT / "content"), "fr", "", 0, "fr", ["fr", "en"], env, {}, ROOT)
    page = '<html><title>x</title><article class="md-content__inner md-typeset"><h1 id="t">Titre</h1></article></html>'
    section = printing.Section("Section", "fr/s/index.md", "s/", "Site", ["fr/s/index.md"])
    built = {"fr/s/index.md": printing.Built("s/", page, "https://example.org/s/")}
    words = {"print_intro": "<b>Tout</b> & plus", "print_address": "Adresse :", "print_version": "impression"}
    html = printing.document(section, built, words, lambda name, **v: templates.render(env, name, ctx, **v))
    assert '<p class="kb-print__intro">&lt;b&gt;Tout&lt;/b&gt; &amp; plus</p>' in html
    assert '<h1 id="t">Titre</h1>' in html
    assert 'Adresse : <a href="https://example.org/s/">https://example.org/s/</a>' in html
