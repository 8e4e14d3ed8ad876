"""Open data: each published kind of data as JSON and CSV, for readers to download.

The kinds published are those declared `published: true` in data/kinds.yml.

Both carry plain text, not the inline Markdown the data files are written
in: `77^e^` becomes `77e`, `*Blueprints*{: lang=en }` becomes `Blueprints`,
a link `[text](https://…)` becomes `text (https://…)` (a link to a page of
the site, its text only). JSON is the data file's structure with its texts
so converted. CSV has one row per record of the file's list; bilingual
fields become two columns (`name_fr`, `name_en`), nested records are
flattened with dotted names, and lists are joined with " | ".
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import lru_cache
from html.parser import HTMLParser

from .data import Data, records_key

_MARKUP = re.compile(r"[*_^`\[\]{}<>&\\]")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href if re.match(r"(https?|mailto):", href) else None)

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f" ({href.removeprefix('mailto:')})")

    def handle_data(self, data):
        self.out.append(data)


@lru_cache(maxsize=1)
def _markdown():
    import markdown

    return markdown.Markdown(extensions=["attr_list", "pymdownx.caret"])


@lru_cache(maxsize=8192)
def plain_text(text: str) -> str:
    """Inline Markdown of data text as the plain text a reader sees (what a page shows, without the HTML)."""
    if not _MARKUP.search(text):
        return text
    md = _markdown()
    md.reset()
    parser = _Text()
    parser.feed(md.convert(text))
    parser.close()
    return re.sub(r"[ \t\r\n]+", " ", "".join(parser.out)).strip()  # ASCII spaces only: no-break ones stay


def plain_values(value):
    """The value with every string as plain text (dictionaries and lists walked)."""
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, dict):
        return {key: plain_values(sub) for key, sub in value.items()}
    if isinstance(value, list):
        return [plain_values(sub) for sub in value]
    return value


def to_json(data: Data, name: str) -> str:
    # compact: Python's JSON encoder is ten times slower with indentation (it cannot use its C code)
    return json.dumps(plain_values(data[name]), ensure_ascii=False, separators=(",", ":"), default=str) + "\n"


def _flatten(value, prefix: str, row: dict, langs) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(
                sub, f"{prefix}_{key}" if prefix and key in langs else f"{prefix}.{key}" if prefix else key, row, langs
            )
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            row[prefix] = " | ".join(plain_text(v) if isinstance(v, str) else str(v) for v in value)
        else:
            for i, item in enumerate(value, start=1):
                _flatten(item, f"{prefix}.{i}", row, langs)
    else:
        row[prefix] = "" if value is None else plain_text(value) if isinstance(value, str) else str(value)


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
