"""The open data's machine-readable descriptor: a Frictionless Data Package.

`assets/data/datapackage.json` lists every published file (CSV and JSON, from
`export.published()`), with its size, its SHA-256 hash and its licence; each
CSV file has a Table Schema whose fields, types and descriptions come from the
data file's JSON Schema (`data/schemas/<name>.schema.json`). The directive
`<!-- kb:datapackage -->` shows the same on the open-data page: licence,
descriptor, and the size of every file.

Specification: https://datapackage.org/standard/data-package/
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from babel import Locale

from . import export, kinds
from .data import Data, records_key
from .directives import Context, DirectiveError
from .languages import project
from .templates import render

SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "schemas"
PATH = "assets/data/datapackage.json"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
# JSON Schema type -> Table Schema type
TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


def _language_name(lang: str) -> str:
    """The language's name in English, for the descriptor (which is written in English)."""
    return Locale.parse(lang).english_name


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def _resolve(node: dict, here: str) -> tuple[dict, str]:
    """Follow `$ref` (to this schema or another file of data/schemas/) until a node without one."""
    seen = 0
    while "$ref" in node and seen < 10:
        target, _, pointer = node["$ref"].partition("#")
        here = target or here
        description = node.get("description")
        node = _schema(here)
        for part in [p for p in pointer.split("/") if p]:
            node = node[part]
        if description:  # the referring property's own description comes first
            node = {**node, "description": description}
        seen += 1
    return node, here


def _is_text(node: dict) -> bool:
    """A text in the site's languages: {fr: …, en: …}."""
    properties = set(node.get("properties", {}))
    return project().source in properties and properties <= set(project().all)


def _field_schema(column: str, records: dict, schema_file: str) -> tuple[dict, str | None]:
    """The JSON Schema node of a CSV column (`name_fr`, `figures.1.value`) and its language, if any."""
    node, here = _resolve(records, schema_file)
    lang = None
    for part in column.split("."):
        number, _, suffix = part.partition("_")
        if number.isdigit():  # the n-th item of a list, `1` or `1_fr`
            node, here = _resolve(node.get("items", {}), here)
            lang = suffix if suffix in project().all else None
            continue
        properties = node.get("properties", {})
        if part not in properties:
            base, _, suffix = part.rpartition("_")
            if base in properties and suffix in project().all:
                part, lang = base, suffix
        node, here = _resolve(properties.get(part, {}), here)
    if lang:
        node = {**node, "type": "string"}
    return node, lang


def _field(column: str, records: dict, schema_file: str) -> dict:
    node, lang = _field_schema(column, records, schema_file)
    field: dict = {"name": column}
    kind = node.get("type")
    if node.get("type") == "array" or _is_text(node):
        kind = "string"
    field["type"] = TYPES.get(kind, "string") if kind else ("string" if "enum" in node else "any")
    description = node.get("description") or node.get("title")
    if lang:
        if description == _resolve({"$ref": "common.schema.json#/$defs/text"}, schema_file)[0].get("description"):
            description = None  # the generic "text in both languages"
        description = (description.rstrip(".") + ", in " if description else "Text in ") + _language_name(lang)
    if description:
        field["description"] = description
    if node.get("type") == "array":
        field["description"] = (field.get("description", "") + " Several values are joined with “ | ”.").strip()
    if "enum" in node:
        field["constraints"] = {"enum": [str(v) for v in node["enum"]]}
    if node.get("format") == "uri" or "url" in column:
        field["format"] = "uri" if field["type"] == "string" else field.get("format", "default")
    return field


def _size(content: str) -> tuple[int, str]:
    data = content.encode("utf-8")
    return len(data), "sha256:" + hashlib.sha256(data).hexdigest()


def _columns(data: Data, name: str) -> list[str]:
    columns: list[str] = []
    for row in export.rows(data, name, project().all):
        columns += [c for c in row if c not in columns]
    return columns


def _published(data: Data) -> list[str]:
    return [kind.name for kind in kinds.published(data)]


def _content(data: Data, name: str, fmt: str) -> str:
    return export.to_csv(data, name, project().all) if fmt == "csv" else export.to_json(data, name)


def descriptor(data: Data, files: dict[str, str] | None = None) -> dict:
    """The Data Package. `files` maps each download's path to its content (built if not given)."""
    resources = []
    for name in _published(data):
        schema_file = f"{name}.schema.json"
        schema = _schema(schema_file)
        key = records_key(data[name])
        records = schema["properties"][key]["items"]
        title = schema.get("title", name)
        for fmt in ("csv", "json"):
            path = export.download_path(name, fmt)
            content = (files or {}).get(path)
            if content is None:
                content = _content(data, name, fmt)
            size, digest = _size(content)
            resource = {
                "name": f"{name}-{fmt}",
                "path": Path(path).name,
                "title": title,
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/json",
                "encoding": "utf-8",
                "bytes": size,
                "hash": digest,
                "licenses": [LICENCE],
            }
            if fmt == "csv":
                resource["profile"] = "tabular-data-resource"
                resource["schema"] = {"fields": [_field(c, records, schema_file) for c in _columns(data, name)]}
            else:
                resource["description"] = f"The data file data/{name}.yml as JSON, as validated by its JSON Schema."
            resources.append(resource)
    return {
        "profile": "data-package",
        "name": "agir-ensemble-justice-de-genre",
        "title": "Agir ensemble pour la justice de genre / Acting together for gender justice",
        "description": (
            "The knowledge base's data, drawn from five documents by UN Women, the Generation Equality Forum, "
            "CARE and the MenEngage Alliance. Bilingual texts have one column per language (_fr, _en). "
            "The source documents remain under their publishers' rights."
        ),
        "licenses": [LICENCE],
        "resources": resources,
    }


def to_json(data: Data, files: dict[str, str] | None = None, langs=None) -> str:
    return json.dumps(descriptor(data, files), ensure_ascii=False, indent=2) + "\n"


def datapackage(ctx: Context, args: list[str]) -> str:
    """<!-- kb:datapackage -->: licence, descriptor and size of every download (the open-data page)."""
    if args:
        raise DirectiveError(f"takes no argument, but was given: {' '.join(args)}")
    files = []
    for name in _published(ctx.data):
        sizes = {fmt: _size(_content(ctx.data, name, fmt))[0] for fmt in ("csv", "json")}
        files.append({"name": name, "count": len(ctx.data.records(name)), "sizes": sizes})
    return render(ctx.templates, "directives/datapackage.md", ctx, files=files, descriptor=PATH)


def undocumented(data: Data) -> list[str]:
    """`file: column` of every CSV column whose JSON Schema gives no description."""
    return [
        f"{resource['name'].removesuffix('-csv')}: {field['name']}"
        for resource in descriptor(data)["resources"]
        if "schema" in resource
        for field in resource["schema"]["fields"]
        if not field.get("description")
    ]

