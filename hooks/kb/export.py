"""Open data: each published kind of data as JSON and CSV, for readers to download.

The kinds published are those declared `published: true` in data/kinds.yml.

JSON is the data file as it is. CSV has one row per record of the file's
list; bilingual fields become two columns (`name_fr`, `name_en`), nested
records are flattened with dotted names, and lists are joined with " | ".
"""

from __future__ import annotations

import csv
import io
import json

from .data import Data, records_key


def to_json(data: Data, name: str) -> str:
    # compact: Python's JSON encoder is ten times slower with indentation (it cannot use its C code)
    return json.dumps(data[name], ensure_ascii=False, separators=(",", ":"), default=str) + "\n"


def _flatten(value, prefix: str, row: dict, langs) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(
                sub, f"{prefix}_{key}" if prefix and key in langs else f"{prefix}.{key}" if prefix else key, row, langs
            )
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            row[prefix] = " | ".join(str(v) for v in value)
        else:
            for i, item in enumerate(value, start=1):
                _flatten(item, f"{prefix}.{i}", row, langs)
    else:
        row[prefix] = "" if value is None else str(value)


def rows(data: Data, name: str, langs) -> list[dict]:
    """One row per record; a bilingual field (keys in `langs`) becomes one column per language."""
    content = data[name]
    out = []
    for record in content[records_key(content)]:
        row: dict = {}
        _flatten(record, "", row, langs)
        out.append(row)
    return out


def to_csv(data: Data, name: str, langs) -> str:
    table = rows(data, name, langs)
    columns: list[str] = []
    for row in table:
        columns += [c for c in row if c not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue()


def download_path(name: str, fmt: str) -> str:
    return f"assets/data/{name}.{fmt}"
