"""The side menu of a section with more pages than mkdocs.yml's `extra.kb.nav_section_limit`
(overrides/partials/nav-item.html): its first pages, the page being read, and a link to the
section's index page with the number of its pages; every page is still built and linked in order."""

from __future__ import annotations

import re

from conftest import build, copy_project, soup

SECTION = "menengage/annual-summary-2017/"


def _section_links(page):
    """The links of the side menu's list of the section, cut (it ends with the link to its 12 pages);
    the other sections of more than 3 pages are cut too."""
    for ul in page.select(".md-sidebar--primary ul.md-nav__list"):
        if ul.find_parent("nav", class_="md-nav--secondary"):
            continue  # the page's own table of contents
        links = [li.a for li in ul.find_all("li", recursive=False) if li.a]
        if any("kb-nav-more" in a.get("class", []) and "(12)" in a.get_text() for a in links):
            return [(a["href"], re.sub(r"[ \t\n]+", " ", a.get_text()).strip()) for a in links]
    raise AssertionError("the section's list is not in the side menu")


def test_a_long_section_lists_its_first_pages_the_open_one_and_a_link_to_all(tmp_path):
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"nav_section_limit: \d+", "nav_section_limit: 3", text), encoding="utf-8")
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    # the section: its index page and 12 pages (results, regions, 8 regional networks, ...)
    far = soup(site / SECTION / "regions" / "cambodia" / "index.html")
    assert _section_links(far) == [
        ("../../results/", "Résultats 2017\u00a0: les cinq domaines de l’Alliance"),
        ("../", "Faits marquants par région\u00a0: les réseaux en 2017"),
        ("../africa/", "MenEngage Afrique"),
        ("./", "Réseau des hommes cambodgiens"),
        ("../../", "Toutes les pages de la section (12)"),
    ]
    near = soup(site / "en" / SECTION / "results" / "index.html")
    links = _section_links(near)
    assert [href for href, _ in links] == ["./", "../regions/", "../regions/africa/", "../"]
    assert links[-1][1] == "All the section’s pages (12)"
    # the pages left out of the menu are built, and still chained by previous / next
    assert (site / SECTION / "regions" / "south-asia" / "index.html").is_file()
    footer = soup(site / SECTION / "regions" / "south-asia" / "index.html").select(".md-footer__link")
    assert len(footer) == 2
