"""The open data's machine-readable descriptor: a Frictionless Data Package.

`assets/data/datapackage.json` lists every published file (CSV and JSON, from
`export.published()`), with its size, its SHA-256 hash and its licence; each
CSV file has a Table Schema whose fields, types and descriptions come from the
data file's JSON Schema (`data/schemas/<name>.schema.json`). The directive
`<!-- kb:datapackage -->` shows the same on the open-data page: licence,
descriptor, and the size of every file; `<!-- kb:datasets -->` shows each
file and each of its CSV columns with its description in the page's language.

Descriptions for readers are the schemas' `x-description`, in every language
of the site (`{"fr": "…", "en": "…"}`); the standard `description` stays
English help for editors' IDEs. `description_problems` (run by `make check`)
requires one in every language for every published column.

Specification: https://datapackage.org/standard/data-package/
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from babel import Locale

from . import export, kinds
from .data import Data, records_key
from .directives import Context, DirectiveError
from .languages import PROJECT, project
from .problems import Problem, field_path
from .templates import render
from .text import label_field, plain
from .translations import DESCRIPTION  # the readers' description, by language, in a JSON Schema

SCHEMAS = PROJECT / "data" / "schemas"
PATH = "assets/data/datapackage.json"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
# JSON Schema type -> Table Schema type
TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


def _schema(name: str, folder: Path = SCHEMAS) -> dict:
    return _read_schema(folder / name, *_stamp(folder / name))


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=64)
def _read_schema(path: Path, mtime_ns: int, size: int) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# the keywords a property gives for itself, which come before those of what it refers to
OWN = ("description", DESCRIPTION)


def _resolve(node: dict, here: str, where: tuple = (), folder: Path = SCHEMAS) -> tuple[dict, str, tuple]:
    """Follow `$ref` (to this schema or another file of data/schemas/) until a node without one.
    Returns the node, its file and its path in that file; the referring properties' own
    descriptions (`description`, `x-description`) come first."""
    seen = 0
    own = {k: node[k] for k in OWN if k in node}
    while "$ref" in node and seen < 10:
        target, _, pointer = node["$ref"].partition("#")
        here = target or here
        node, where = _schema(here, folder), ()
        for part in [p for p in pointer.split("/") if p]:
            node, where = node[part], (*where, part)
        own.update({k: node[k] for k in OWN if k in node and k not in own})
        seen += 1
    return {**node, **own}, here, where


def _is_text(node: dict) -> bool:
    """A text in the site's languages: {fr: …, en: …}."""
    properties = set(node.get("properties", {}))
    return project().source in properties and properties <= set(project().all)


@dataclass(frozen=True)
class Column:
    """A CSV column and the JSON Schema property it comes from."""

    name: str  # `name_fr`, `figures.1.value`
    node: dict  # the property's schema, references followed
    lang: str | None  # the language of a column of a bilingual text
    file: str  # the schema file where the property is written (data/schemas/<file>)
    where: tuple  # the property's path in that file

    @property
    def descriptions(self) -> dict:
        """The readers' description of the column, by language (`x-description`)."""
        found = self.node.get(DESCRIPTION)
        return found if isinstance(found, dict) else {}

    @property
    def joined(self) -> bool:
        """A list of simple values, joined with " | " in one cell."""
        return self.node.get("type") == "array"

    @property
    def group(self) -> str:
        """The columns of one bilingual text share a group (`name` for `name_fr`, `name_en`)."""
        return self.name.removesuffix(f"_{self.lang}") if self.lang else self.name


def _column(name: str, records: dict, schema_file: str, where: tuple, folder: Path = SCHEMAS) -> Column:
    """The JSON Schema property of a CSV column (`name_fr`, `figures.1.value`) and its language, if any;
    `records` is the schema of the file's records, at `where` in `schema_file`."""
    node, here, where = _resolve(records, schema_file, where, folder)
    lang, written = None, (here, where)  # where the column's property is written: its description goes there
    for part in name.split("."):
        number, _, suffix = part.partition("_")
        if number.isdigit():  # the n-th item of a list, `1` or `1_fr`
            written = (here, (*where, "items"))
            node, here, where = _resolve(node.get("items", {}), *written, folder)
            lang = suffix if suffix in project().all else None
            continue
        properties = node.get("properties", {})
        if part not in properties:
            base, _, suffix = part.rpartition("_")
            if base in properties and suffix in project().all:
                part, lang = base, suffix
        written = (here, (*where, "properties", part))
        node, here, where = _resolve(properties.get(part, {}), *written, folder)
    if lang:
        node = {**node, "type": "string"}
    return Column(name, node, lang, *written)


def _language_in(lang: str, of: str) -> str:
    """The name of language `of` in language `lang` (Babel), e.g. français, French."""
    return Locale.parse(project().babel(lang)).languages.get(of, of)


def _english_name(lang: str) -> str:
    """A language's name in English, for problem messages (which are in English)."""
    return Locale.parse(lang).english_name


def column_text(data: Data, column: Column, lang: str) -> str | None:
    """The description of a CSV column in `lang` (plain text), with its language and how lists are
    joined; None when the column has no description in `lang`."""
    text = column.descriptions.get(lang)
    if not text:
        return None
    label = partial(_label, data, lang)
    if column.lang:
        text += label("column_in_language").format(language=_language_in(lang, column.lang))
    if column.joined:
        text = text.rstrip(".") + ". " + label("column_joined")
    return text


def _label(data: Data, lang: str, key: str) -> str:
    return plain(label_field(data, key), lang, project().source)


def _size(content: str) -> tuple[int, str]:
    data = content.encode("utf-8")
    return len(data), "sha256:" + hashlib.sha256(data).hexdigest()


def _columns(data: Data, name: str) -> list[str]:
    columns: list[str] = []
    for row in export.rows(data, name, project().all):
        columns += [c for c in row if c not in columns]
    return columns


def columns(data: Data, name: str, folder: Path = SCHEMAS) -> list[Column]:
    """Every CSV column of a published kind, with the schema property it comes from."""
    schema_file = f"{name}.schema.json"
    key = records_key(data[name])
    records = _schema(schema_file, folder)["properties"][key]["items"]
    return [_column(c, records, schema_file, ("properties", key, "items"), folder) for c in _columns(data, name)]


def _published(data: Data) -> list[str]:
    return [kind.name for kind in kinds.published(data)]


def _content(data: Data, name: str, fmt: str) -> str:
    return export.to_csv(data, name, project().all) if fmt == "csv" else export.to_json(data, name)


def _in_every_language(texts: dict) -> str:
    """A text of the descriptor: each language's, the source first, joined with " / " like the title."""
    return " / ".join(texts[lang] for lang in project().all if texts.get(lang))


def _field(data: Data, column: Column) -> dict:
    node = column.node
    field: dict = {"name": column.name}
    kind = node.get("type")
    if kind == "array" or _is_text(node):
        kind = "string"
    field["type"] = TYPES.get(kind, "string") if kind else ("string" if "enum" in node else "any")
    texts = {lang: text for lang in project().all if (text := column_text(data, column, lang))}
    if texts:
        field["description"] = _in_every_language(texts)
        field[DESCRIPTION] = texts
    if "enum" in node:
        field["constraints"] = {"enum": [str(v) for v in node["enum"]]}
    if node.get("format") == "uri" or "url" in column.name:
        field["format"] = "uri" if field["type"] == "string" else field.get("format", "default")
    return field


def descriptor(data: Data, files: dict[str, str] | None = None) -> dict:
    """The Data Package. `files` maps each download's path to its content (built if not given).

    Its texts are in every language of the site: `title` and `description` each language's text,
    the source first, joined with " / "; `x-description` the same texts by language."""
    resources = []
    for kind in kinds.published(data):
        name = kind.name
        schema = _schema(f"{name}.schema.json")
        described = schema.get(DESCRIPTION) if isinstance(schema.get(DESCRIPTION), dict) else {}
        for fmt in ("csv", "json"):
            path = export.download_path(name, fmt)
            content = (files or {}).get(path)
            if content is None:
                content = _content(data, name, fmt)
            size, digest = _size(content)
            resource = {
                "name": f"{name}-{fmt}",
                "path": Path(path).name,
                "title": _in_every_language(kind.title),
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/json",
                "encoding": "utf-8",
                "bytes": size,
                "hash": digest,
                "licenses": [LICENCE],
            }
            if described:
                resource["description"] = _in_every_language(described)
                resource[DESCRIPTION] = {lang: described[lang] for lang in project().all if described.get(lang)}
            if fmt == "csv":
                resource["profile"] = "tabular-data-resource"
                resource["schema"] = {"fields": [_field(data, c) for c in columns(data, name)]}
            resources.append(resource)
    title, described = label_field(data, "data_package_title"), label_field(data, "data_package_description")
    return {
        "profile": "data-package",
        "name": _package_name(title.get(project().source, "")),
        "title": _in_every_language(title),
        "description": _in_every_language(described),
        DESCRIPTION: {lang: text for lang in project().all if (text := described.get(lang))},
        "languages": list(project().all),
        "licenses": [LICENCE],
        "resources": resources,
    }


def _package_name(title: str) -> str:
    """The package's name, from its title in the source language: lower case, ASCII letters,
    digits and hyphens (Data Package's rule), e.g. "agir-ensemble-pour-la-justice-de-genre"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "data"


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


def datasets(ctx: Context, args: list[str]) -> str:
    """<!-- kb:datasets -->: every published data file: what it holds, how many records, each CSV
    column with its description in the page's language, CSV and JSON links."""
    if args:
        raise DirectiveError(f"takes no argument, but was given: {' '.join(args)}")
    folder = ctx.project / "data" / "schemas"
    found = []
    for kind in kinds.published(ctx.data):
        schema = _schema(f"{kind.name}.schema.json", folder)
        groups: dict[str, dict] = {}
        for column in columns(ctx.data, kind.name, folder):
            if _numbered(column.name):
                continue
            if not column.descriptions.get(ctx.source):
                raise DirectiveError(_undescribed(column, folder, ctx.source))
            group = groups.setdefault(
                column.group,
                {"names": [], "description": column.descriptions, "joined": column.joined, "bilingual": False},
            )
            group["names"].append(column.name)
            group["bilingual"] = group["bilingual"] or bool(column.lang)
        content = ctx.data[kind.name]
        found.append(
            {
                "name": kind.name,
                "title": kind.title,
                "count": len(content[records_key(content)]),
                "description": schema.get(DESCRIPTION) or {},
                "columns": list(groups.values()),
            }
        )
    return render(ctx.templates, "directives/datasets.md", ctx, datasets=found)


def _numbered(column: str) -> bool:
    """Columns of the 2nd, 3rd… item of a nested list repeat the 1st: list only the 1st."""
    return bool(re.search(r"\.([2-9]|[1-9][0-9]+)(\.|_|$)", column))


def _undescribed(column: Column, folder: Path, lang: str) -> str:
    line = _line(folder / column.file, column.where)
    where = f"data/schemas/{column.file}" + (f":{line}" if line else "")
    return (
        f"{where}: {field_path(column.where)}: the CSV column {column.name} has no description in "
        f"{_english_name(lang)}: add `\"{DESCRIPTION}\": {{\"{lang}\": \"…\"}}` to this property"
    )


def _line(path: Path, where: tuple) -> int | None:
    doc = _schema_doc(path, *_stamp(path))
    return doc.line_of(where) if doc else None


@lru_cache(maxsize=64)
def _schema_doc(path: Path, mtime_ns: int, size: int):
    """A schema read with the line of every value (JSON is YAML)."""
    from .yamlfile import load_yaml

    return load_yaml(path, f"data/schemas/{path.name}")[0]


def description_problems(root: Path, data: Data | None) -> list[Problem]:
    """Every CSV column published without a description in every language of the site, and every
    readers' description (`x-description` of a schema) that is not in the safe Markdown subset or
    breaks the typography rules: `data/schemas/<file>:line: field: what to fix`."""
    if data is None:  # the data's own problems come first
        return []
    from . import typography
    from .safety import check_data_text

    folder = root / "data" / "schemas"
    problems: dict[tuple, Problem] = {}
    for name in _published(data):
        by_place: dict[tuple, list[Column]] = {}
        for column in columns(data, name, folder):
            by_place.setdefault((column.file, column.where), []).append(column)
        for (file, where), found in by_place.items():
            missing = [lang for lang in project().all if not found[0].descriptions.get(lang)]
            if not missing:
                continue
            names = ", ".join(c.name for c in found[:3]) + (", …" if len(found) > 3 else "")
            in_langs = " and ".join(_english_name(lang) for lang in missing)
            example = ", ".join(f'"{lang}": "…"' for lang in project().all)
            message = (
                f"the published CSV column {names} ({name}.csv) has no description in {in_langs}: "
                f'add "{DESCRIPTION}": {{{example}}} to this property, one sentence for readers of the open data'
            )
            display = f"data/schemas/{file}"
            problems.setdefault(
                (display, where), Problem(display, _line(folder / file, where), field_path(where), message)
            )
    for path in sorted(folder.glob("*.schema.json")):
        doc = _schema_doc(path, *_stamp(path))
        for where, texts in _descriptions(doc.data if doc else None, ()):
            for lang, text in texts.items():
                display = f"data/schemas/{path.name}"
                place = (*where, lang)
                messages = check_data_text(text) if isinstance(text, str) else ["a description is a text in quotes"]
                if isinstance(text, str):  # the typography rules of the text's language, if it has any
                    messages += typography.check_line(text, lang)
                for message in messages:
                    problems.setdefault((display, place, message), doc.problem(place, message))
    return list(problems.values())


def _descriptions(node, where: tuple):
    """(path, {lang: text}) of every `x-description` of a schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == DESCRIPTION and isinstance(value, dict):
                yield (*where, key), value
            else:
                yield from _descriptions(value, (*where, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _descriptions(item, (*where, i))


def undocumented(data: Data) -> list[str]:
    """`file: column` of every CSV column without a description in every language."""
    return [
        f"{name}: {column.name}"
        for name in _published(data)
        for column in columns(data, name)
        if any(not column.descriptions.get(lang) for lang in project().all)
    ]
