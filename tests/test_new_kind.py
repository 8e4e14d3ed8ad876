"""A new kind of data, added exactly as docs/data.md says: at most five files, no Python, and CI passes
(`make check` with no problem and no note, the build); each mistake on that path is refused at its file and line."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import LANGS, ROOT, build, copy_project, lang_root, pages, soup
from kb import data as data_module
from kb.data import load_data
from kb.problems import KbError
from kb.text import link

DOCS = ROOT / "docs" / "data.md"
# a fenced block of docs/data.md with a title: the file it writes or adds to
BLOCK = re.compile(r'^```\w+ title="([^"]+)"\n(.*?)^```$', re.MULTILINE | re.DOTALL)
MAX_FILES = 5  # what the issue asks and docs/data.md promises


def blocks() -> dict[str, str]:
    section = DOCS.read_text(encoding="utf-8").split("## Add a kind of data", 1)[1].split("### What the checks say")[0]
    return dict(BLOCK.findall(section))


def add_kind(project: Path) -> set[Path]:
    """Make the changes of docs/data.md's "Add a kind of data" in `project`; return the files changed."""
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    found = blocks()
    assert len(found) == MAX_FILES, sorted(found)
    for name, text in found.items():
        path = project / name
        if path.exists():  # data/kinds.yml, the pages: added at the end
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")
        else:
            path.write_text(text, encoding="utf-8")
    # step 5: the English page says it is up to date with the French page just changed
    english = project / "content" / "en" / "about.md"
    text = english.read_text(encoding="utf-8")
    english.write_text(re.sub(r"(?m)^translation_of: .*$", "translation_of: done", text, count=1), encoding="utf-8")
    return {p for p in project.rglob("*") if p.is_file() and before.get(p) != p.read_bytes()}


def check(project: Path) -> subprocess.CompletedProcess:
    """`make check` in `project`, as an editor or CI runs it."""
    return subprocess.run(
        [sys.executable, "-m", "kb.check"], cwd=project / "hooks", capture_output=True, text=True
    )


NAMES = {"fr": ["Réseau A", "Réseau B"], "en": ["Network A", "Network B"]}  # the records' names, in both examples


def checked_and_built(project: Path, out: Path, ids: tuple[str, str]) -> Path:
    """`make check` and the build of `project` pass; each record has its page, named, in every language."""
    result = check(project)
    assert result.returncode == 0, result.stdout + result.stderr
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    for lang in LANGS:
        for rid, name in zip(ids, NAMES[lang], strict=True):
            assert f"partners/{rid}/index.html" in pages(out, lang), f"{lang}: no page for {rid}"
            assert soup(lang_root(out, lang) / "partners" / rid / "index.html").h1.get_text(strip=True).startswith(name)
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("new-kind") / "project")


def test_the_docs_path_is_five_files_and_passes_the_check_and_the_build(project, tmp_path):
    touched = add_kind(project)
    names = sorted(p.relative_to(project).as_posix() for p in touched)
    assert len(touched) <= MAX_FILES and not any(p.suffix == ".py" for p in touched), names
    assert not any(name.startswith("translations/") for name in names), names

    result = check(project)
    assert ": 0 problem(s), 0 note(s)" in result.stdout, result.stdout  # translated, placed, described

    out = checked_and_built(project, tmp_path / "site", ("network-a", "network-b"))
    for lang in LANGS:
        root = lang_root(out, lang)
        page = soup(root / "partners" / "network-a" / "index.html")
        article = page.select_one("article")
        assert article.select_one('a[href="https://example.org/network-a"]').get_text() == "https://example.org/network-a"
        assert article.select_one('a[href="mailto:contact@example.org"]').get_text() == "contact@example.org"
        # no description field: the record's name and the kind's title
        kind_title = {"fr": "Réseau A\u00a0: Organisations partenaires", "en": "Network A: Partner organisations"}
        assert page.select_one('meta[name="description"]')["content"] == kind_title[lang]
        # the record without an e-mail address has no e-mail line
        assert not soup(root / "partners" / "network-b" / "index.html").select_one('article a[href^="mailto:"]')

        listing = soup(root / "about" / "index.html")
        table = listing.select_one("article table")
        assert [a.get_text() for a in table.select('a[href^="../partners/"]')] == NAMES[lang]
        assert [a["href"] for a in table.select('a[href^="https:"]')] == [
            "https://example.org/network-a",
            "https://example.org/network-b",
        ]
        assert listing.select_one('.kb-download a[href$="assets/data/partners.csv"]')
        open_data = soup(root / "open-data" / "index.html")
        assert open_data.select_one("h2#partners") and open_data.select_one('a[href$="assets/data/partners.json"]')
        # the record pages come right after the page that lists them
        nav = [a.get("href") or "" for a in open_data.select("nav.md-nav--primary a.md-nav__link")]
        after = nav.index("../partners/network-a/")
        assert nav[after - 1 : after + 2] == ["../about/", "../partners/network-a/", "../partners/network-b/"], nav
    rows = list(csv.DictReader(io.StringIO((out / "assets" / "data" / "partners.csv").read_text(encoding="utf-8"))))
    assert [(r["name_en"], r["url"], r["email"]) for r in rows] == [
        ("Network A", "https://example.org/network-a", "contact@example.org"),
        ("Network B", "https://example.org/network-b", ""),
    ]
    assert json.loads((out / "assets" / "data" / "partners.json").read_text())["partners"][0]["id"] == "network-a"


# --- Each mistake on that path, at its file and line ---------------------------------------------


@pytest.fixture
def added(tmp_path) -> Path:
    """A copy of the data and templates with the kind of docs/data.md added (the data is all that is read)."""
    project = tmp_path / "project"
    for name in ("data", "templates", "content"):
        shutil.copytree(ROOT / name, project / name)
    found = blocks()
    for name in ("data/partners.yml", "data/schemas/partners.schema.json"):
        (project / name).write_text(found[name], encoding="utf-8")
    kinds = project / "data" / "kinds.yml"
    kinds.write_text(kinds.read_text(encoding="utf-8") + found["data/kinds.yml"], encoding="utf-8")
    return project


def problems(project: Path) -> list[str]:
    try:
        load_data(project / "data", project)
    except KbError as exc:
        return [str(p) for p in exc.problems]
    return []


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once; return the line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_the_kind_as_documented_loads_without_a_problem(added):
    assert problems(added) == []


def test_a_misspelt_kind_name_is_refused_at_its_line_and_the_file_left_without_a_kind(added):
    line = edit(added / "data" / "kinds.yml", "  - name: partners                      # data", "  - name: partner  # data")
    found = problems(added)
    assert any(p.startswith(f"data/kinds.yml:{line}: kinds[partner].name: there is no data file data/partner.yml") for p in found), found
    assert any(p.startswith("data/partners.yml:1: no kind declares data/partners.yml in data/kinds.yml") for p in found), found


def test_a_missing_template_is_refused_at_the_declarations_line(added):
    kinds = added / "data" / "kinds.yml"
    line = edit(kinds, "template: table.md              #", "template: tabel.md  #")
    page_line = edit(kinds, "template: record.md               #", "template: recrod.md  #")
    found = problems(added)
    assert any(
        p.startswith(f"data/kinds.yml:{line}: kinds[partners].directives[partners].template: there is no template templates/directives/tabel.md")
        for p in found
    ), found
    assert any(p.startswith(f"data/kinds.yml:{page_line}: kinds[partners].pages.template: there is no template templates/pages/recrod.md") for p in found), found


def test_duplicate_ids_are_refused_without_x_unique_ids(added):
    schema = (added / "data" / "schemas" / "partners.schema.json").read_text(encoding="utf-8")
    assert "x-unique-ids" not in schema  # the schema of the docs does not ask for it
    line = edit(added / "data" / "partners.yml", "  - id: network-b", "  - id: network-a")
    assert problems(added) == [
        f'data/partners.yml:{line}: partners[2].id: the id "network-a" is already used by record 1 '
        "(counted from 1, line 3); ids must be unique"
    ]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("url: https://example.org/network-a", "url: example.org/network-a", "url"),
        ("url: https://example.org/network-a", 'url: "javascript:alert(1)"', "url"),
        ("email: contact@example.org", "email: contact-example.org", "email"),
    ],
)
def test_an_address_not_in_its_form_is_refused_at_its_line(added, old, new, field):
    line = edit(added / "data" / "partners.yml", old, new)
    [found] = problems(added)
    assert found.startswith(f"data/partners.yml:{line}: partners[network-a].{field}: ") and "expected form" in found


def test_a_text_in_a_language_the_site_does_not_build_is_refused_and_a_third_language_needs_no_schema(added, monkeypatch):
    path = added / "data" / "partners.yml"
    line = edit(path, 'name: {fr: "Réseau A", en: "Network A"}', 'name: {fr: "Réseau A", en: "Network A", es: "Red A"}')
    [found] = problems(added)
    assert found.startswith(f'data/partners.yml:{line}: partners[network-a].name.es: "es" is not a language of the site')
    # mkdocs.yml with a third language: the same file loads, common.schema.json unchanged
    three = replace(data_module.project(), all=(*data_module.project().all, "es"))
    monkeypatch.setattr(data_module, "project", lambda: three)
    assert problems(added) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [('defs/email"', 'defs/emial"'), ('"common.schema.json#/$defs/email"', '"comon.schema.json#/$defs/email"')],
)
def test_a_schema_reference_that_leads_nowhere_is_refused_at_its_line(added, old, new):
    line = edit(added / "data" / "schemas" / "partners.schema.json", old, new)
    [found] = problems(added)
    assert found.startswith(f"data/schemas/partners.schema.json:{line}: $ref: the reference ") and "leads nowhere" in found


def test_links_are_made_only_of_web_and_email_addresses_and_escaped():
    assert link("https://example.org/a_b?x=1&y=2", "url") == (
        '<a href="https://example.org/a_b?x=1&amp;y=2">https&#58;//example.org/a&#95;b?x=1&#38;y=2</a>'
    )
    assert link("contact@example.org", "email") == '<a href="mailto:contact@example.org">contact@example.org</a>'
    for value, format in [
        ("javascript:alert(1)", "url"),
        ('https://example.org/"><script>', "url"),
        ("data:text/html,x", "url"),
        ("https://example.org", "email"),
        ("a@b", "email"),
    ]:
        shown = link(value, format)
        assert "<a" not in shown and "<script" not in shown, shown


LISTED_RECORDS = """\
# Partner organisations (a kind added for the test).
partners:
  - id: red-a
    name: {fr: "Réseau A", en: "Network A"}
    summary: {fr: "Un réseau de l’essai.", en: "A network of the test."}
    country: EC
    members: 1250
  - id: red-b
    name: {fr: "Réseau B", en: "Network B"}
    summary: {fr: "Un autre réseau.", en: "Another network."}
    country: BO
    members: 40
"""

def described(fr: str, en: str) -> dict:
    return {"fr": fr, "en": en}


SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "partners.schema.json",
    "title": "Partner organisations",
    # the readers' description of the file and of each CSV column, in every language (open-data page)
    "x-description": {"fr": "Les organisations partenaires.", "en": "The partner organisations."},
    "type": "object",
    "properties": {
        "partners": {
            "type": "array",
            "minItems": 1,
            "x-unique-ids": "id",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"$ref": "common.schema.json#/$defs/id", "x-description": described("Identifiant", "Id")},
                    "name": {"$ref": "common.schema.json#/$defs/text", "x-description": described("Nom", "Name")},
                    "summary": {
                        "$ref": "common.schema.json#/$defs/text",
                        "x-description": described("Résumé", "Summary"),
                    },
                    "country": {"type": "string", "x-country": True, "x-description": described("Pays", "Country")},
                    "members": {"type": "integer", "minimum": 0, "x-description": described("Membres", "Members")},
                },
                "required": ["id", "name", "summary", "country", "members"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["partners"],
    "additionalProperties": False,
}

DECLARATION = """\
  - name: partners
    title: {fr: "Organisations partenaires", en: "Partner organisations"}
    published: true
    directives:
      - name: partners
        template: table.md
        options:
          columns:
            - {field: name, title: {fr: "Nom", en: "Name"}, link: true}
            - {field: country, title: {fr: "Pays", en: "Country"}, format: country}
            - {field: members, title: {fr: "Membres", en: "Members"}, format: number}
    pages:
      template: record.md
      folder: partners
      follows: partners.md
      listing_follows: open-data.md
      sources: [unwomen-2023]
      title: name
      description: summary
      options:
        fields:
          - {field: country, title: {fr: "Pays", en: "Country"}, format: country}
          - {field: members, title: {fr: "Membres", en: "Members"}, format: number}
    charts:
      - name: partners-members
        template: bar.vl.json
        options:
          title: {fr: "Membres des partenaires", en: "Partners’ members"}
          x: name
          y: members
          x_title: {fr: "Partenaire", en: "Partner"}
          y_title: {fr: "Membres", en: "Members"}
"""

LISTING = {
    "fr": "# Partenaires\n\nNos partenaires.\n\n<!-- kb:partners -->\n\n<!-- kb:chart partners-members -->\n",
    "en": "# Partners\n\nOur partners.\n\n<!-- kb:partners -->\n\n<!-- kb:chart partners-members -->\n",
}


# --- A kind with its own listing page (placed by `listing_follows`), a summary and a chart --------


def test_a_kind_with_its_own_listing_page_and_a_chart_is_five_files(tmp_path):
    project = copy_project(tmp_path / "project")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    (project / "data" / "partners.yml").write_text(LISTED_RECORDS, encoding="utf-8")
    (project / "data" / "schemas" / "partners.schema.json").write_text(json.dumps(SCHEMA, indent=2), encoding="utf-8")
    kinds = project / "data" / "kinds.yml"
    kinds.write_text(kinds.read_text(encoding="utf-8") + DECLARATION, encoding="utf-8")
    for lang, text in LISTING.items():
        (project / "content" / lang / "partners.md").write_text("---\nsources: [unwomen-2023]\n---\n\n" + text)
    touched = {p for p in project.rglob("*") if p.is_file() and before.get(p) != p.read_bytes()}
    assert len(touched) == 5 and not any(p.suffix == ".py" for p in touched)  # the number docs/data.md gives

    # the listing page is placed by the kind (`listing_follows`), not by mkdocs.yml's nav: no problem
    out = checked_and_built(project, tmp_path / "site", ("red-a", "red-b"))
    for lang in LANGS:
        root = lang_root(out, lang)
        listing = soup(root / "partners" / "index.html")
        # the table, its links to the records' pages, formatted numbers
        table = listing.select_one("article table")
        assert [a.get_text() for a in table.select("a")] == NAMES[lang]
        assert table.select_one('a[href="red-a/"]')
        assert ("1\u202f250" if lang == "fr" else "1,250") in table.get_text()
        # the chart, its text alternative and its data
        img = listing.select_one("figure.kb-chart img")
        assert img["src"].endswith(f"assets/charts/partners-members.{lang}.svg") and NAMES[lang][0] in img["alt"]
        assert (out / "assets" / "charts" / f"partners-members.{lang}.svg").read_text().startswith("<svg")
        # the downloads, linked under the table and from the open-data page
        assert listing.select_one('.kb-download a[href$="assets/data/partners.csv"]')
        open_data = soup(root / "open-data" / "index.html")
        assert open_data.select_one("h2#partners") and open_data.select_one('a[href$="assets/data/partners.json"]')
        # in the navigation after the open-data page, its records after it
        nav = [a.get("href") for a in listing.select("nav.md-nav--primary a.md-nav__link")]
        assert any(h and h.endswith("red-a/") for h in nav)
    rows = list(csv.DictReader(io.StringIO((out / "assets" / "data" / "partners.csv").read_text(encoding="utf-8"))))
    assert [r["name_en"] for r in rows] == NAMES["en"]
    assert json.loads((out / "assets" / "data" / "partners.json").read_text())["partners"][0]["id"] == "red-a"


def test_what_a_record_cites_is_declared_by_its_schema_not_by_a_field_name(added):
    """The quotations of a record are checked against the sources its schema says it refers to
    (`x-ref: bibliography`), whatever the field's name."""
    from kb.data import reference_fields

    path = added / "data" / "schemas" / "partners.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    fields = schema["properties"]["partners"]["items"]["properties"]
    fields["cited_in"] = {"$ref": "common.schema.json#/$defs/source_ids"}
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert reference_fields(added, "partners", "bibliography") == ("cited_in",)
    assert reference_fields(ROOT, "timeline", "bibliography") == ("source",)
    assert reference_fields(ROOT, "collectives", "bibliography") == ("sources",)


def test_a_short_name_after_the_title_is_declared_not_a_field_name_of_the_code(added):
    """`short: acronym` in data/kinds.yml adds the acronym to a record page's title; a kind that declares
    no `short` shows none, whatever its records hold."""
    from kb import pages, render, templates
    from kb.directives import Context

    def titles(project: Path) -> dict[str, str]:
        data = load_data(project / "data", project)
        env = templates.environment(project / "templates")
        ctx = Context(data, "fr", "", 0, "fr", LANGS, env, render.registry(data), project)
        return {p.path.rsplit("/", 1)[1]: str(p.title) for p in pages.generated_pages(ctx)}

    found = titles(added)
    assert found["global-alliance-for-care.md"].endswith(" (GAC)") and found["network-a.md"] == "Réseau A"
    # the same `short:` on the new kind, naming its `country`
    edit(added / "data" / "kinds.yml", "      title: name                       #", "      short: country\n      title: name  #")
    found = titles(added)
    assert found["network-a.md"] == "Réseau A (EC)" and found["global-alliance-for-care.md"].endswith(" (GAC)")
