"""Load and validate every data file once per build.

Each `data/<name>.yml` has a JSON Schema `data/schemas/<name>.schema.json`
(editors' IDEs use the same schemas). Beyond standard JSON Schema, the
schemas use keywords of ours, checked here:

- ``x-unique-ids``: on a list of records, the name of the field that must be
  unique (``"id"``);
- ``x-ref``: the value must be the id of a record of another data file
  (``"coalitions"``);
- ``x-country``: the value must be an ISO 3166-1 alpha-2 country code;
- ``x-date``: a full date (``"2021-06-30"``) must be a day that exists;
- ``x-page``: the value must be the path of a page under ``content/<language>/``;
- ``x-languages``: the keys of a text (``{fr: …, en: …}``) must be languages of
  mkdocs.yml, so that adding a language needs no schema edited.

Every data file is declared by a kind of `data/kinds.yml`, and every kind's
data file and templates exist (`kb.kinds.problems`): a misspelt name is a
problem at its line. Ids are unique in every file, with or without
``x-unique-ids``.

Every string of every file must also be in the safe inline Markdown subset
(`kb.safety.check_data_text`): it may reach a page as Markdown.

All problems of all files are collected and raised together as a `KbError`.
Validated data is cached by content (`load_data_cached`): the same data
files, schemas, loader code and library versions give the same result.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import pickle
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from babel import Locale

# jsonschema and referencing are imported where data is validated: a build
# whose data has not changed reads the validated data from the cache.
from .languages import project
from .problems import KbError, Problem, field_path
from .safety import check_data_text
from .yamlfile import YamlDoc, load_yaml


class MissingData(LookupError):
    """A data file that a page or a renderer needs does not exist."""



@dataclass
class Data:
    """Every data file, validated: ``data["coalitions"]`` is the parsed YAML."""

    files: dict[str, YamlDoc]
    # name -> indexes of the records with a problem: no page, export or chart is made from them
    invalid: dict[str, frozenset[int]] = field(default_factory=dict)

    def __getitem__(self, name: str):
        if name not in self.files:
            raise MissingData(name)
        data = self.files[name].data
        bad = self.invalid.get(name)
        if not bad:
            return data
        key = records_key(data)  # the records with problems left out, for every use of the data
        return {**data, key: [record for i, record in enumerate(data[key]) if i not in bad]}

    def __contains__(self, name: str) -> bool:
        return name in self.files

    def records(self, name: str) -> list[dict]:
        """The list of records of a data file (its single top-level list)."""
        data = self[name]
        return data[records_key(data)]

    def by_id(self, name: str) -> dict[str, dict]:
        return {r["id"]: r for r in self.records(name)}


def records_key(data: dict) -> str:
    keys = [k for k, v in data.items() if isinstance(v, list) and v and isinstance(v[0], dict)]
    return keys[0]


# Two-letter territory codes the locale library knows that do not name a country in
# ISO 3166-1: exceptionally reserved (AC, CP, DG, EA, EU, EZ, IC, TA, UN), user-assigned
# (QO, XA, XB, XK, ZZ: regions, pseudo-locales, Kosovo's provisional code) and CQ (Sark).
NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"})


@cache
def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of countries and territories (the locale library's list, less reserved codes)."""
    territories = Locale.parse(project().source).territories
    return frozenset(code for code in territories if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES)


def _ids_of(doc: YamlDoc | None) -> set[str] | None:
    if doc is None or not isinstance(doc.data, dict):
        return None
    try:
        return {r["id"] for r in doc.data[records_key(doc.data)] if isinstance(r, dict) and "id" in r}
    except (IndexError, KeyError, TypeError):
        return set()


def _make_validator_class(known_ids: dict[str, set[str] | None], pages: frozenset[str] | None = None):
    from jsonschema import Draft202012Validator, validators

    def x_ref(validator, target, instance, schema):
        ids = known_ids.get(target)
        if ids is not None and isinstance(instance, str) and instance not in ids:
            choices = ", ".join(sorted(ids)) or "(none)"
            yield _Error(
                "x-ref", f'"{instance}" is not the id of any record in data/{target}.yml; use one of: {choices}'
            )

    def x_country(validator, enabled, instance, schema):
        if enabled and isinstance(instance, str) and instance not in countries():
            yield _Error(
                "x-country",
                f'"{instance}" is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. EC for Ecuador)',
            )

    def x_date(validator, enabled, instance, schema):
        # the pattern has checked the form; the day must exist (no 30 February)
        if enabled and isinstance(instance, str) and len(instance) == 10 and instance[4] == "-":
            try:
                datetime.date.fromisoformat(instance)
            except ValueError:
                yield _Error("x-date", f'"{instance}" is not a date (that day does not exist); check the day and month')

    def x_page(validator, enabled, instance, schema):
        if enabled and pages is not None and isinstance(instance, str) and instance.split("#")[0] not in pages:
            yield _Error(
                "x-page", f'there is no page "{instance}" in content/ (paths are relative to content/<language>/)'
            )

    def x_languages(validator, enabled, instance, schema):
        # a text's languages are mkdocs.yml's (common.schema.json lists none it would have to be edited for)
        if enabled and isinstance(instance, dict):
            languages = project().all
            for lang in [k for k in instance if k not in languages]:
                yield _Error(
                    "x-languages",
                    f'"{lang}" is not a language of the site (mkdocs.yml builds {", ".join(languages)}): check its '
                    "spelling, or add the language to mkdocs.yml",
                    path=(lang,),
                )

    def x_unique_ids(validator, key, instance, schema):
        if not isinstance(instance, list):
            return
        first: dict[str, int] = {}
        for i, item in enumerate(instance):
            if isinstance(item, dict) and isinstance(item.get(key), str):
                if item[key] in first:
                    error = _Error(
                        "x-unique-ids",
                        f'the id "{item[key]}" is already used by record {first[item[key]] + 1} (counted from 1); ids must be unique',
                        path=(i, key),
                    )
                    error._kb_first = (first[item[key]], key)  # for the first one's line
                    yield error
                else:
                    first[item[key]] = i

    return validators.extend(
        Draft202012Validator,
        {
            "x-ref": x_ref,
            "x-country": x_country,
            "x-date": x_date,
            "x-page": x_page,
            "x-unique-ids": x_unique_ids,
            "x-languages": x_languages,
        },
    )


def _Error(keyword: str, message: str, path=()):
    """An error of one of our keywords, already in plain words."""
    from jsonschema.exceptions import ValidationError

    err = ValidationError(message, validator=keyword, path=path)
    err._kb_plain = message
    return err


def _plain(error) -> tuple[tuple, str]:
    """A jsonschema error in plain words: (field path, message)."""
    path = tuple(error.absolute_path)
    v = error.validator
    if getattr(error, "_kb_plain", None):
        return path, error._kb_plain
    if v == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [k for k in error.validator_value if k not in present]
        name = missing[0] if missing else "?"
        languages = project()
        if name in languages.all:
            language = Locale.parse(name).english_name
            if name == languages.source:
                return (
                    *path,
                    name,
                ), f'the {language} text is missing ({language} is the source language); add `{name}: "…"`'
            return (*path, name), f'the {language} text is missing; add `{name}: "…"`'
        return (*path, name), f"the field `{name}` is missing; add it"
    if v == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        extra = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        name = extra[0] if extra else "?"
        return (*path, name), f"unknown field `{name}` (check its spelling); allowed here: {', '.join(allowed)}"
    if v == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        words = {
            "string": "text in quotes",
            "integer": "a whole number",
            "number": "a number",
            "array": "a list (lines starting with `- `)",
            "object": "a set of fields (`key: value`)",
            "boolean": "true or false",
        }
        want = " or ".join(words.get(e, e) for e in expected)
        found = _describe(error.instance)
        hint = ""
        if expected == ["string"] and type(error.instance).__name__ in ("date", "datetime"):
            hint = ' (write dates in quotes, e.g. "2021-06-30")'
        if expected == ["string"] and isinstance(error.instance, bool):
            hint = ' (YAML reads NO, YES, ON, OFF as true/false: write them in quotes, e.g. "NO" for Norway)'
        return path, f"should be {want}, but is {found}{hint}"
    if v == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return path, f"{_describe(error.instance)} is not allowed here; use one of: {choices}"
    if v == "pattern":
        return (
            path,
            f"{_describe(error.instance)} does not have the expected form ({error.schema.get('description') or error.validator_value})",
        )
    if v in ("minimum", "maximum"):
        bound = "smallest" if v == "minimum" else "largest"
        return path, f"{error.instance} is out of range: the {bound} value allowed here is {error.validator_value}"
    if v == "minItems":
        return path, f"the list needs at least {error.validator_value} item(s)"
    if v == "minLength":
        return path, "is empty; write the text"
    if v == "format":
        return path, f"{_describe(error.instance)} is not a valid {error.validator_value}"
    return path, error.message


def _describe(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if hasattr(value, "isoformat"):  # YAML reads 2022-03-01 without quotes as a date
        return f"the date {value.isoformat()} without quotes"
    return f"a value of another kind ({type(value).__name__})"  # never Python's own notation


def _page_paths(content_dir: Path | None) -> frozenset[str]:
    """The pages a data record may point to: paths relative to a language folder of `content_dir`."""
    if content_dir is None or not content_dir.is_dir():
        return frozenset()
    return frozenset(
        path.relative_to(folder).as_posix()
        for folder in content_dir.iterdir()
        if folder.is_dir()
        for path in folder.rglob("*.md")
    )


def load_data_cached(data_dir: Path, root: Path | None, cache_dir: Path, content_dir: Path | None = None) -> Data:
    """`load_data`, remembered in `cache_dir` by a hash of everything its result depends on.

    Data with problems is never cached, so its problems are reported by every build.
    """
    digest = hashlib.sha256(sys.version.encode())
    for package in ("jsonschema", "referencing", "babel", "PyYAML"):
        digest.update(f"{package} {metadata.version(package)}".encode())
    code = Path(__file__).parent
    inputs = [code / "data.py", code / "yamlfile.py", code / "problems.py", code / "safety.py", code / "kinds.py"]
    inputs += sorted(data_dir.glob("*.yml")) + sorted((data_dir / "schemas").glob("*.json"))
    for path in inputs:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update("\0".join(sorted(_page_paths(content_dir))).encode())
    digest.update(repr(project()).encode())  # a text's languages (x-languages)
    templates = (root or data_dir.parent) / "templates"  # the templates the kinds name must exist (kb.kinds)
    digest.update("\0".join(sorted(p.relative_to(templates).as_posix() for p in templates.rglob("*"))).encode())
    target = cache_dir / f"data-{digest.hexdigest()[:32]}.pickle"
    try:
        return pickle.loads(target.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    data = load_data(data_dir, root, content_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob("data-*.pickle"):
        old.unlink(missing_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(target)  # atomic: a parallel build never reads half a file
    return data


def load_data(data_dir: Path, root: Path | None = None, content_dir: Path | None = None) -> Data:
    """Load and validate every ``*.yml`` of `data_dir`; raise `KbError` listing all problems."""
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    root = root or data_dir.parent
    schema_dir = data_dir / "schemas"
    problems: list[Problem] = []
    docs: dict[str, YamlDoc | None] = {}
    invalid: dict[str, frozenset[int]] = {}
    lines_of_problems: dict[str, list[tuple]] = {}  # name -> paths of the reading's problems (duplicate keys)
    for path in sorted(data_dir.glob("*.yml")):
        display = path.relative_to(root).as_posix()
        try:
            doc, found = load_yaml(path, display)
        except Exception as exc:  # noqa: BLE001 (a bug of ours: named with its file, never a traceback)
            doc, found = None, [unexpected(display, exc)]
        problems += found
        if doc is not None:
            lines_of_problems[path.stem] = [_path_of(doc, p.line) for p in found]
        docs[path.stem] = doc
        if not (schema_dir / f"{path.stem}.schema.json").exists():
            problems.append(
                Problem(display, None, "", f"no schema for this file: add data/schemas/{path.stem}.schema.json")
            )
    known_ids = {name: _ids_of(doc) for name, doc in docs.items()}
    validator_class = _make_validator_class(known_ids, _page_paths(content_dir) if content_dir else None)
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in schema_dir.glob("*.schema.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012)) for name, schema in schemas.items()
    )
    for name, doc in docs.items():
        schema = schemas.get(f"{name}.schema.json")
        if doc is None or schema is None:
            continue
        found = []
        try:
            errors = list(validator_class(schema, registry=registry).iter_errors(doc.data))
        except Unresolvable as exc:  # a `$ref` that leads nowhere (a misspelt definition): the schema's problem
            problems.append(_unresolvable(schema_dir / f"{name}.schema.json", root, exc))
            continue
        for error in errors:
            # report the deepest, most specific errors of a oneOf/anyOf
            for err in _leaves(error):
                path, message = _plain(err)
                first = getattr(err, "_kb_first", None)
                if first is not None:
                    message = message.replace(" (counted from 1); ids", f" (counted from 1, line {doc.line_of((*path[:-2], *first))}); ids")
                found.append((path, message))
        if "x-unique-ids" not in json.dumps(schema):  # ids are unique by default
            found += _duplicate_ids(doc)
        found += [(path, message) for path, message in _check_texts(doc)]
        problems += [doc.problem(path, message) for path, message in found]
        invalid[name] = _records_with_problems(doc, [path for path, _ in found] + lines_of_problems.get(name, []))
    if not any(p.file == "data/kinds.yml" for p in problems):  # declarations that could be read and validated
        from .kinds import DECLARATIONS, problems as kind_problems

        problems += kind_problems(docs.get(DECLARATIONS), set(docs), root / "templates")
    data = Data({name: doc for name, doc in docs.items() if doc is not None}, {k: v for k, v in invalid.items() if v})
    if problems:
        error = KbError(problems)
        error.data = data  # what could be read, so that pages can still be checked in the same run
        raise error
    return data


def reference_fields(root: Path, name: str, target: str) -> tuple[str, ...]:
    """The fields of the records of `data/<name>.yml` whose values are ids of `data/<target>.yml` (`x-ref`
    in its schema, on the field or on its items), in the schema's order: what a record refers to is
    declared by the schema, not by a field's name."""
    folder = root / "data" / "schemas"

    def read(file: str) -> dict:
        try:
            return json.loads((folder / file).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def resolve(node, here: str, depth: int = 0) -> tuple[dict, str]:
        while isinstance(node, dict) and "$ref" in node and depth < 10:
            file, _, pointer = node["$ref"].partition("#")
            here, node, depth = file or here, read(file or here), depth + 1
            for part in [p for p in pointer.split("/") if p]:
                node = node.get(part, {}) if isinstance(node, dict) else {}
        return (node if isinstance(node, dict) else {}), here

    here = f"{name}.schema.json"
    top, here = resolve(read(here), here)
    lists = [resolve(n, here) for n in (top.get("properties") or {}).values()]
    found = []
    for node, where in lists:
        items, where = resolve(node.get("items"), where)
        for key, prop in (items.get("properties") or {}).items():
            prop, at = resolve(prop, where)
            if target in (prop.get("x-ref"), resolve(prop.get("items"), at)[0].get("x-ref")):
                found.append(key)
    return tuple(dict.fromkeys(found))


def _unresolvable(path: Path, root: Path, exc: Exception) -> Problem:
    """A schema's `$ref` to a definition or a file that does not exist, at the line that names it."""
    ref = str(getattr(exc, "ref", "") or getattr(getattr(exc, "_wrapped", None), "ref", "") or "")
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next((n for n, text in enumerate(lines, 1) if ref and ref in text and "$ref" in text), None)
    defs = ", ".join(sorted(_common_defs(path.parent))) or "(none)"
    message = (
        f'the reference "{ref}" leads nowhere: check its spelling (a file of data/schemas/, then #/$defs/ and a '
        f"definition; common.schema.json defines: {defs})"
    )
    return Problem(path.relative_to(root).as_posix(), line, "$ref", message)


def _common_defs(folder: Path) -> list[str]:
    try:
        return list(json.loads((folder / "common.schema.json").read_text(encoding="utf-8")).get("$defs", {}))
    except (OSError, ValueError, AttributeError):
        return []


def _duplicate_ids(doc: YamlDoc) -> list[tuple[tuple, str]]:
    """Two records with the same id in a file whose schema does not say `x-unique-ids`: ids are unique
    by default (a record's id is its page's address and its key in translations)."""
    if not isinstance(doc.data, dict):
        return []
    try:
        key = records_key(doc.data)
    except IndexError:
        return []
    found, first = [], {}
    for i, record in enumerate(doc.data[key]):
        rid = record.get("id") if isinstance(record, dict) else None
        if not isinstance(rid, str):
            continue
        if rid in first:
            line = doc.line_of((key, first[rid], "id"))
            found.append(((key, i, "id"), f'the id "{rid}" is already used by record {first[rid] + 1} (counted from 1, line {line}); ids must be unique'))
        else:
            first[rid] = i
    return found


def _path_of(doc: YamlDoc, line: int | None) -> tuple:
    """The deepest field path that starts on `line`."""
    paths = [path for path, at in doc.lines.items() if at == line]
    return max(paths, key=len) if paths else ()


def _records_with_problems(doc: YamlDoc, paths) -> frozenset[int]:
    """The indexes of the records (items of the file's list of records) that the problems at `paths` are in."""
    if not isinstance(doc.data, dict):
        return frozenset()
    try:
        key = records_key(doc.data)
    except IndexError:
        return frozenset()
    return frozenset(path[1] for path in paths if len(path) > 1 and path[0] == key and isinstance(path[1], int))


def unexpected(display: str, exc: BaseException) -> Problem:
    """An error of the knowledge base's own code while reading a file: named with the file, no traceback
    (KB_DEBUG=1 raises it, with its traceback)."""
    if os.environ.get("KB_DEBUG"):
        raise exc
    what = f"{type(exc).__name__}: {exc}"[:200]
    return Problem(
        display,
        None,
        "",
        f"this file could not be processed ({what}); check it for unusual content, and report it to the "
        "site's maintainers if it looks right (KB_DEBUG=1 shows where the code failed)",
    )


def _check_texts(doc: YamlDoc) -> list[tuple[tuple, str]]:
    """Every string of a data file may reach a page as Markdown: it must be in the safe subset."""
    problems = []
    stack = [((), doc.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            problems += [(path, message) for message in check_data_text(value)]
        elif isinstance(value, dict):
            stack += [((*path, k), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [((*path, i), v) for i, v in enumerate(value)]
    return problems


def _leaves(error):
    if error.context:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)) * -1)
        depth = len(list(best.absolute_path))
        return [e for e in error.context if len(list(e.absolute_path)) == depth][:3]
    return [error]


__all__ = ["Data", "load_data", "load_data_cached", "countries", "field_path"]
