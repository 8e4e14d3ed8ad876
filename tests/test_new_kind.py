"""Whole build: a new kind of data, added as docs/data.md says, touching no Python file."""

from __future__ import annotations

import csv
import io
import json

from conftest import LANGS, build, copy_project, lang_root, pages, soup

RECORDS = """\
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
          title: {fr: "Membres des partenaires", en: "Partners' members"}
          x: name
          y: members
          x_title: {fr: "Partenaire", en: "Partner"}
          y_title: {fr: "Membres", en: "Members"}
"""

LISTING = {
    "fr": "# Partenaires\n\nNos partenaires.\n\n<!-- kb:partners -->\n\n<!-- kb:chart partners-members -->\n",
    "en": "# Partners\n\nOur partners.\n\n<!-- kb:partners -->\n\n<!-- kb:chart partners-members -->\n",
}


def test_a_new_kind_needs_five_files_and_no_python(tmp_path):
    project = copy_project(tmp_path / "project")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    (project / "data" / "partners.yml").write_text(RECORDS, encoding="utf-8")
    (project / "data" / "schemas" / "partners.schema.json").write_text(json.dumps(SCHEMA, indent=2), encoding="utf-8")
    kinds = project / "data" / "kinds.yml"
    kinds.write_text(kinds.read_text(encoding="utf-8") + DECLARATION, encoding="utf-8")
    for lang, text in LISTING.items():
        (project / "content" / lang / "partners.md").write_text("---\nsources: [unwomen-2023]\n---\n\n" + text)
    touched = {p for p in project.rglob("*") if p.is_file() and before.get(p) != p.read_bytes()}
    assert len(touched) == 5 and not any(p.suffix == ".py" for p in touched)  # the number docs/data.md gives

    out = tmp_path / "site"
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    names = {"fr": ["Réseau A", "Réseau B"], "en": ["Network A", "Network B"]}
    for lang in LANGS:
        root = lang_root(out, lang)
        built = pages(out, lang)
        for rid, name in zip(("red-a", "red-b"), names[lang], strict=True):
            assert f"partners/{rid}/index.html" in built, f"{lang}: no page for {rid}"
            page = soup(root / "partners" / rid / "index.html")
            assert page.h1.get_text(strip=True).startswith(name)
        listing = soup(root / "partners" / "index.html")
        # the table, its links to the records' pages, formatted numbers
        table = listing.select_one("article table")
        assert [a.get_text() for a in table.select("a")] == names[lang]
        assert table.select_one('a[href="red-a/"]')
        assert ("1\u202f250" if lang == "fr" else "1,250") in table.get_text()
        # the chart, its text alternative and its data
        img = listing.select_one("figure.kb-chart img")
        assert img["src"].endswith(f"assets/charts/partners-members.{lang}.svg") and names[lang][0] in img["alt"]
        assert (out / "assets" / "charts" / f"partners-members.{lang}.svg").read_text().startswith("<svg")
        # the downloads, linked under the table and from the open-data page
        assert listing.select_one('.kb-download a[href$="assets/data/partners.csv"]')
        open_data = soup(root / "open-data" / "index.html")
        assert open_data.select_one("h2#partners") and open_data.select_one('a[href$="assets/data/partners.json"]')
        # in the navigation after the open-data page, its records after it
        nav = [a.get("href") for a in listing.select("nav.md-nav--primary a.md-nav__link")]
        assert any(h and h.endswith("red-a/") for h in nav)
    rows = list(csv.DictReader(io.StringIO((out / "assets" / "data" / "partners.csv").read_text(encoding="utf-8"))))
    assert [r["name_en"] for r in rows] == names["en"]
    assert json.loads((out / "assets" / "data" / "partners.json").read_text())["partners"][0]["id"] == "red-a"
