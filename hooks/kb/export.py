"""Open data: every data file as JSON and CSV, for readers to download.

JSON is the data file as it is. CSV has one row per record of the file's
list; bilingual fields become two columns (`name_fr`, `name_en`), nested
records are flattened with dotted names, and lists are joined with " | ".
"""

from __future__ import annotations

import csv
import io
import json

from .data import Data, records_key

# Data files published for download (labels.yml is interface text, not data).
PUBLISHED = (
    "coalitions",
    "collectives",
    "survey-2023",
    "c189-ratifications",
    "regional-highlights-2017",
    "results-2017",
    "calendar-2017",
    "glossary",
    "timeline",
    "bibliography",
)


def published(data: Data) -> list[str]:
    return [name for name in PUBLISHED if name in data]


def to_json(data: Data, name: str) -> str:
    return json.dumps(data[name], ensure_ascii=False, indent=2, default=str) + "\n"


def _flatten(value, prefix: str, row: dict) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(
                sub, f"{prefix}_{key}" if prefix and key in ("fr", "en") else f"{prefix}.{key}" if prefix else key, row
            )
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            row[prefix] = " | ".join(str(v) for v in value)
        else:
            for i, item in enumerate(value, start=1):
                _flatten(item, f"{prefix}.{i}", row)
    else:
        row[prefix] = "" if value is None else str(value)


def rows(data: Data, name: str) -> list[dict]:
    content = data[name]
    out = []
    for record in content[records_key(content)]:
        row: dict = {}
        _flatten(record, "", row)
        out.append(row)
    return out


def to_csv(data: Data, name: str) -> str:
    table = rows(data, name)
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
