"""The open data readers download: plain text, not Markdown, and valid for Frictionless (its reference library)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT
from kb import datapackage, export, kinds
from kb.data import load_data
from kb.languages import project

# What inline Markdown leaves in text: superscript marks, attribute lists, emphasis, links' brackets
MARKUP = re.compile(r"\^[^^\s]+\^|\{:|\*\S|\S\*|\]\(|\[[^\]]+\]\(")


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The published files and datapackage.json, as the build writes them, in a folder."""
    data = load_data(ROOT / "data", ROOT, ROOT / "content")
    files = {}
    for kind in kinds.published(data):
        files[export.download_path(kind.name, "json")] = export.to_json(data, kind.name)
        files[export.download_path(kind.name, "csv")] = export.to_csv(data, kind.name, project().all)
    files[datapackage.PATH] = datapackage.to_json(data, files)
    out = tmp_path_factory.mktemp("open-data")
    for path, content in files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(content, encoding="utf-8")
    return out / datapackage.PATH


def test_plain_text_of_data_markdown():
    assert export.plain_text("la 77^e^ session") == "la 77e session"
    assert export.plain_text("les *Blueprints*{: lang=en } et *la Guyane*{: lang=fr }") == "les Blueprints et la Guyane"
    assert export.plain_text("Un fait. *(Note du site\u00a0: déduit.)*") == "Un fait. (Note du site\u00a0: déduit.)"
    assert export.plain_text("**Gouvernance.** Le [site](https://menengage.org/) et le [glossaire](../glossary.md#x)") == (
        "Gouvernance. Le site (https://menengage.org/) et le glossaire"
    )
    assert export.plain_text("A & B, id_with_underscores, 2021-06") == "A & B, id_with_underscores, 2021-06"


def test_downloads_carry_plain_text_not_markdown(package):
    folder = package.parent
    offenders = []
    for path in sorted(folder.glob("*.csv")) + sorted(folder.glob("*.json")):
        if path.name == "datapackage.json":
            continue
        text = path.read_text(encoding="utf-8")
        values = (
            [v for row in csv.DictReader(io.StringIO(text)) for v in row.values()]
            if path.suffix == ".csv"
            else re.findall(r'"((?:[^"\\]|\\.)*)"', text)
        )
        offenders += [f"{path.name}: {v[:80]}" for v in values if v and MARKUP.search(v)]
    assert offenders == []
    calendar = (folder / "calendar-2017.csv").read_text(encoding="utf-8")
    assert "61e session" in calendar and "61^e^" not in calendar


def test_every_published_table_and_the_descriptor_are_valid_for_frictionless(package):
    from frictionless import Package, validate

    report = validate(str(package))
    errors = [f"{task.name}: {e.type}: {e.message}" for task in report.tasks for e in task.errors] + [
        f"{e.type}: {e.message}" for e in report.errors
    ]
    assert report.valid, "\n".join(errors[:20])
    paths = {resource.path for resource in Package(str(package)).resources}
    published = kinds.published(load_data(ROOT / "data", ROOT, ROOT / "content"))
    assert paths == {f"{k.name}.{fmt}" for k in published for fmt in ("csv", "json")}


def test_frictionless_finds_a_broken_table(package, tmp_path):
    """The validation can fail: a CSV whose row lost a column is reported."""
    from frictionless import validate

    descriptor = json.loads(package.read_text(encoding="utf-8"))
    csv_resource = next(r for r in descriptor["resources"] if r["path"].endswith(".csv"))
    broken = tmp_path / csv_resource["path"]
    broken.parent.mkdir(parents=True, exist_ok=True)
    lines = (package.parent / Path(csv_resource["path"]).name).read_text(encoding="utf-8").split("\n")
    broken.write_text("\n".join([lines[0], lines[1].rsplit(",", 3)[0]] + lines[2:]), encoding="utf-8")
    for key in ("bytes", "hash"):
        csv_resource.pop(key, None)
    (tmp_path / "datapackage.json").write_text(json.dumps({**descriptor, "resources": [csv_resource]}), encoding="utf-8")
    assert not validate(str(tmp_path / "datapackage.json")).valid
