"""Whole build: data records become pages, charts, downloads and a timeline, in both languages."""

from __future__ import annotations

import csv
import gzip
import io
import json

import yaml
from conftest import LANGS, ROOT, build, copy_project, lang_root, pages, soup


def test_one_page_per_collective_and_per_network_in_both_languages(site):
    for name, folder in (
        ("collectives", "generation-equality/collective-commitments/collectives"),
        ("regional-highlights-2017", "menengage/annual-summary-2017/regions"),
    ):
        records = yaml.safe_load((ROOT / "data" / f"{name}.yml").read_text(encoding="utf-8"))
        records = next(v for v in records.values() if isinstance(v, list))
        assert records
        for lang in LANGS:
            built = pages(site, lang)
            for r in records:
                rel = f"{folder}/{r['id']}/index.html"
                assert rel in built, f"{lang}: no page for {name} record {r['id']}"
                doc = soup(lang_root(site, lang) / rel)
                assert " ".join(doc.h1.get_text().split()).startswith(r["name"][lang].replace("*", "")[:20])
                # in the navigation of its language, seen from the page that lists the records
                # (navigation.prune leaves out the pages of sections the reader is not in)
                listing = soup(lang_root(site, lang) / folder / "index.html")
                assert listing.select_one(f'nav.md-nav--primary a[href$="{r["id"]}/"]'), (
                    f"{lang}/{rel} is not in the navigation"
                )


def _search_locations(site, lang):
    """Pages of the language's search index (Pagefind keeps one excerpt file per page)."""
    locations = set()
    for fragment in (site / "pagefind" / "fragment").glob(f"{lang}_*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        url = json.loads(data)["url"]
        locations.add(url.removeprefix("/en/" if lang == "en" else "/"))
    return locations


def test_generated_pages_are_in_their_language_search_index(site):
    for lang in LANGS:
        assert "menengage/annual-summary-2017/regions/south-asia/" in _search_locations(site, lang)
        assert "generation-equality/collective-commitments/collectives/global-alliance-for-care/" in _search_locations(
            site, lang
        )


def test_adding_a_record_adds_its_page_in_both_languages_without_code_change(tmp_path):
    project = copy_project(tmp_path / "project")
    data_file = project / "data" / "regional-highlights-2017.yml"
    record = (
        "  - id: test-network\n"
        '    name: {fr: "Réseau d’essai « R&D » a < b > c", en: "Test network \\"R&D\\" a < b > c"}\n'
        '    region: {fr: "Nulle part", en: "Nowhere"}\n'
        "    countries: [EC]\n"
        '    summary: {fr: "Un réseau pour le test.", en: "A network for the test."}\n'
        "    activities:\n"
        '      - {fr: "Tester le site.", en: "Testing the site."}\n'
        "    figures:\n"
        '      - {value: 1250, unit: count, label: {fr: "personnes", en: "people"}}\n'
    )
    data_file.write_text(data_file.read_text(encoding="utf-8").rstrip("\n") + "\n" + record, encoding="utf-8")
    out = tmp_path / "out"
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    for lang, country, number in (("fr", "Équateur", "1\u202f250"), ("en", "Ecuador", "1,250")):
        page = lang_root(out, lang) / "menengage/annual-summary-2017/regions/test-network/index.html"
        assert page.exists(), f"no {lang} page for the new record"
        doc = soup(page)
        # characters that mean something in HTML show as text (raw HTML itself is refused: test_safety.py)
        assert "R&D" in doc.h1.get_text() and "a < b > c" in doc.h1.get_text(), "the name does not show as text"
        assert "a &lt; b &gt; c" in page.read_text(encoding="utf-8")
        text = soup(page).article.get_text(" ")
        assert country in text and number in text
        index = soup(lang_root(out, lang) / "menengage/annual-summary-2017/regions/index.html")
        assert index.select_one('article a[href$="test-network/"]'), f"{lang}: the listing page does not link to it"


def test_charts_have_caption_text_alternative_and_table(site):
    for lang in LANGS:
        doc = soup(lang_root(site, lang) / "menengage/annual-summary-2017/results/index.html")
        figure = doc.select_one("figure.kb-chart")
        assert figure is not None
        img = figure.find("img")
        assert img["src"].endswith(f"results-2017.{lang}.svg")
        assert 40 < len(img["alt"]) < 400, "the text alternative says what the chart shows, in a sentence or two"
        assert figure.find("figcaption").get_text(strip=True)
        assert figure.find_next("table") is not None
        svg = (site / "assets" / "charts" / f"results-2017.{lang}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "<script" not in svg


def test_every_dataset_downloads_as_csv_and_json_and_is_linked(site):
    downloads = site / "assets" / "data"
    for name in ("coalitions", "collectives", "regional-highlights-2017", "timeline", "glossary", "calendar-2017"):
        data = json.loads((downloads / f"{name}.json").read_text(encoding="utf-8"))
        assert data
        rows = list(csv.DictReader(io.StringIO((downloads / f"{name}.csv").read_text(encoding="utf-8"))))
        assert rows and all(k for k in rows[0])
    coalitions = list(csv.DictReader(io.StringIO((downloads / "coalitions.csv").read_text(encoding="utf-8"))))
    assert coalitions[0]["name_fr"] == "Violence sexiste" and coalitions[0]["name_en"] == "Gender-Based Violence"
    for lang in LANGS:
        doc = soup(lang_root(site, lang) / "open-data/index.html")
        hrefs = {a["href"].rsplit("/", 1)[-1] for a in doc.select("article a[href]")}
        assert {"collectives.csv", "collectives.json", "timeline.csv"} <= hrefs


def test_timeline_filters_work_without_javascript(site):
    css = (site / "assets" / "stylesheets" / "kb-timeline.css").read_text(encoding="utf-8")
    for lang in LANGS:
        doc = soup(lang_root(site, lang) / "timeline/index.html")
        radios = doc.select("input.kb-timeline__radio[type=radio]")
        assert len(radios) >= 6 and all(doc.find("label", attrs={"for": r["id"]}) for r in radios)
        items = doc.select(".kb-timeline__list li")
        assert len(items) >= 50
        # its stylesheet is loaded by the timeline page only
        assert doc.select_one('link[rel=stylesheet][href$="assets/stylesheets/kb-timeline.css"]')
        other = soup(lang_root(site, lang) / "about/index.html")
        assert not other.select_one('link[href$="kb-timeline.css"]'), "every page loads the timeline's stylesheet"
        for radio in radios:
            if radio["id"].endswith("--all"):  # "all sources", "all themes"
                continue
            cls = radio["id"].replace("kb-f-src-", "kb-src-").replace("kb-f-theme-", "kb-theme-")
            assert f"#{radio['id']}:checked" in css and f"li:not(.{cls})" in css
            assert any(cls in li["class"] for li in items), f"filter {radio['id']} matches no event"
        # every entry links to the page that tells it
        assert all(li.find("a", href=True) for li in items)
        dates = [li.find("time")["datetime"] for li in items]
        assert dates == sorted(dates)
