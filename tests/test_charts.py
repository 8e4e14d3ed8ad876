"""Charts as readers see them: legible on a phone, and in the colours of the reader's palette.

Each chart page is opened in Chromium at a phone's width (360 CSS px), at
640 px and at a desktop's. For the chart image the browser chose (<picture>: the narrow
layout on a phone), the size of every text is its SVG font size times the
width the image is displayed at over the SVG's own width: at least 11 CSS px.
Then, in Material's light and dark palettes (switched with the header's
toggle, as a reader does), the chart shown is the one drawn for that palette:
its background is not white in the dark one, and its texts and marks contrast
with the page's background (WCAG: 4.5:1 for text, 3:1 for marks).
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import LANGS, url_of

# Every page that shows a chart (grep -rl "kb:chart" content), by its path below the language root.
CHART_PAGES = {
    "results-2017": "menengage/annual-summary-2017/results/",
    "c189-by-year": "social-movements/domestic-workers/",
    "collectives-membership": "generation-equality/collective-commitments/progress/",
}
SMALLEST_TEXT = 11  # CSS px

# the chart images displayed (not hidden by the palette's stylesheet), once loaded
SHOWN = """() => [...document.querySelectorAll('figure.kb-chart img')]
    .filter(img => img.offsetParent !== null)
    .map(img => ({src: img.currentSrc, done: img.complete && img.naturalWidth > 0,
                  width: img.getBoundingClientRect().width}))"""


def shown_charts(page) -> list[dict]:
    """The chart images on screen, after they loaded (polled: the pages' CSP forbids eval)."""
    page.locator("figure.kb-chart").first.scroll_into_view_if_needed()
    for _ in range(100):
        images = page.evaluate(SHOWN)
        if images and all(i["done"] for i in images):
            return images
        page.wait_for_timeout(100)
    raise AssertionError(f"the charts did not load: {images}")


def svg_of(page, src: str) -> BeautifulSoup:
    response = page.request.get(src)
    assert response.ok, f"{src}: {response.status}"
    return BeautifulSoup(response.text(), "xml")


def own_width(svg: BeautifulSoup) -> float:
    """The SVG's width in its own units (its viewBox, else its width)."""
    root = svg.find("svg")
    if root.get("viewBox"):
        return float(root["viewBox"].split()[2])
    return float(root["width"].removesuffix("px"))


def font_sizes(svg: BeautifulSoup) -> list[tuple[float, str]]:
    """(font size, text) of every text with characters, its size from itself or its parents."""
    out = []
    for text in svg.find_all("text"):
        words = text.get_text().strip("\u200b \n")
        if not words:
            continue
        element, size = text, None
        while element is not None and size is None:
            size = element.get("font-size") if hasattr(element, "get") else None
            element = element.parent
        assert size is not None, f"no font size for the text {words!r}"
        out.append((float(size.removesuffix("px")), words))
    return out


def assert_legible(page, image: dict, svg: BeautifulSoup) -> None:
    """Every text of the chart, as displayed, is at least SMALLEST_TEXT px."""
    scale = image["width"] / own_width(svg)
    sizes = font_sizes(svg)
    assert sizes, "the chart has no text"
    too_small = sorted({(round(size * scale, 1), words) for size, words in sizes if size * scale < SMALLEST_TEXT})
    assert not too_small, (
        f"{image['src']} shown {image['width']:.0f} px wide (scale {scale:.2f}): texts under "
        f"{SMALLEST_TEXT} px: {too_small[:5]}"
    )
    width = page.viewport_size["width"]
    assert image["width"] <= width, f"{image['src']} is wider ({image['width']:.0f} px) than the screen"


# --- colours -----------------------------------------------------------------


def rgb(colour: str) -> tuple[float, float, float] | None:
    """#rgb, #rrggbb, rgb(…) or a few names as 0-255 channels; None for none/transparent."""
    colour = colour.strip().lower()
    names = {"white": "#ffffff", "black": "#000000"}
    colour = names.get(colour, colour)
    if colour in ("none", "transparent", "") or colour.startswith("url("):
        return None
    if colour.startswith("#"):
        hexa = colour[1:]
        if len(hexa) == 3:
            hexa = "".join(c * 2 for c in hexa)
        return tuple(int(hexa[i : i + 2], 16) for i in (0, 2, 4))
    found = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", colour)
    assert found, f"unknown colour {colour!r}"
    if found[4] is not None and float(found[4]) == 0:
        return None
    return tuple(float(found[i]) for i in (1, 2, 3))


def luminance(colour: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def colours(svg: BeautifulSoup) -> tuple[set, set, list]:
    """The SVG's text colours, its marks' colours, and its background's fill colours (opaque ones)."""
    texts, marks, backgrounds = set(), set(), []
    for text in svg.find_all("text"):
        if text.get_text().strip("\u200b \n") and text.get("opacity", "1") != "0":
            texts.add(text.get("fill", "black"))
    for group in svg.find_all("g", class_=re.compile(r"\brole-mark\b")):
        if "mark-text" in group.get("class", []):
            continue
        for shape in group.find_all(["path", "line", "rect", "circle"]):
            for attribute in ("fill", "stroke"):
                if shape.get(attribute) and rgb(shape[attribute]) is not None:
                    marks.add(shape[attribute])
    for shape in svg.find_all(["rect", "path"], class_=re.compile(r"\bbackground\b")):
        if rgb(shape.get("fill", "none")) is not None:
            backgrounds.append(shape["fill"])
    root = svg.find("svg")
    for top in root.find_all("rect", recursive=False):  # vl-convert's background: a rect first in the SVG
        if rgb(top.get("fill", "black")) is not None:
            backgrounds.append(top.get("fill", "black"))
    return texts, marks, backgrounds


PAGE_BACKGROUND = """() => {
    for (let e = document.querySelector('figure.kb-chart'); e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (c && c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) return c;
    }
    return getComputedStyle(document.body).backgroundColor;
}"""


def switch_palette(page, scheme: str) -> None:
    """Click the header's palette toggle until the page shows `scheme` (default or slate)."""
    for _ in range(3):
        if page.locator("body").get_attribute("data-md-color-scheme") == scheme:
            return
        page.locator("label.md-header__button[for^='__palette_']:visible").first.click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == scheme


# 360: a phone; 640: the narrowest screen given the wide layout; 1280: a desktop with both sidebars
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [360, 640, 1280])
@pytest.mark.parametrize("chart", CHART_PAGES)
def test_charts_are_legible_and_follow_the_palette(browser, base_url, chart, width, lang):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(url_of(base_url, lang, CHART_PAGES[chart]))
        for scheme in ("default", "slate"):
            switch_palette(page, scheme)
            images = shown_charts(page)
            assert len(images) == 1, f"{scheme}: one chart image should show, not {len(images)}"
            image = images[0]
            assert f"{chart}." in image["src"]
            svg = svg_of(page, image["src"])
            assert_legible(page, image, svg)
            assert_colours(page, image["src"], svg, scheme)
    finally:
        context.close()


def assert_colours(page, src: str, svg: BeautifulSoup, scheme: str) -> None:
    """No background box; texts and marks contrast with the page's background."""
    background = rgb(page.evaluate(PAGE_BACKGROUND))
    assert background is not None
    if scheme == "slate":
        assert luminance(background) < 0.1, f"the dark palette's page is not dark: {background}"
    box = page.evaluate(
        "() => [...document.querySelectorAll('figure.kb-chart img')].filter(i => i.offsetParent)"
        ".map(i => getComputedStyle(i).backgroundColor)[0]"
    )
    assert rgb(box) is None or rgb(box) == background, f"the image is drawn on {box}"
    texts, marks, backgrounds = colours(svg)
    for fill in backgrounds:
        assert contrast(rgb(fill), background) < 1.2, f"{src} has its own background {fill} on {background}"
    assert texts and marks, f"{src}: no text or no mark found"
    for fill in texts:
        ratio = contrast(rgb(fill), background)
        assert ratio >= 4.5, f"{src}: text in {fill} on {background}: contrast {ratio:.2f} < 4.5"
    for colour in marks:
        ratio = contrast(rgb(colour), background)
        assert ratio >= 3, f"{src}: mark in {colour} on {background}: contrast {ratio:.2f} < 3"



def test_a_chart_template_cannot_make_the_build_fetch_anything(tmp_path):
    """A chart's specification is a template of the repository: Vega-Lite can load its data, or an image,
    from any address, which the renderer would fetch while the site builds (from another host: a build
    that calls out, or sends the data away). Refused at the template, and the renderer allows no address."""
    from conftest import build, copy_project
    from kb import charts

    address = "https://evil.example/x.csv"
    # the renderer itself
    spec = {"data": {"url": address}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    with pytest.raises(ValueError, match="not allowed"):
        charts.svg(spec, "en", tmp_path / "cache")
    # a template asking for it
    project = copy_project(tmp_path / "project")
    template = project / "templates" / "charts" / "c189-by-year.vl.json"
    text = template.read_text(encoding="utf-8")
    assert '"data": {"values": [' in text
    template.write_text(text.replace('"data": {"values": [', f'"data": {{"url": "{address}", "values": [', 1),
                        encoding="utf-8")  # fmt: skip
    result = build(project, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "templates/charts/c189-by-year.vl.json may not load anything (url: https://evil.example/x.csv)" in out, out[-3000:]
    assert "Traceback" not in out
