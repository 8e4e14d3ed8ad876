"""Generated pages: one page per record of the kinds that declare `pages:` in data/kinds.yml.

Adding a record adds its page in every language, in the navigation (after
the page that lists the records) and in each language's search index; a new
kind with pages needs a declaration and a template, no code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import yaml
from markupsafe import Markup, escape

from . import kinds, text
from .data import records_key
from .directives import Context, DirectiveError
from .problems import Problem, field_path
from .templates import render


@dataclass
class GeneratedPage:
    path: str  # relative to the language root, e.g. "menengage/annual-summary-2017/regions/africa.md"
    index: str  # the listing page it follows in the navigation
    title: Markup  # the record's name, HTML-escaped once (the theme prints navigation titles as HTML)
    markdown: str  # with front matter
    source: str = ""  # the data file of its record, e.g. "data/coalitions.yml"
    line: int | None = None  # the line of its record's id there


def _plain(markdown: str) -> str:
    """Markdown to plain text, for a meta description: links keep their text, emphasis, superscript and
    attribute lists (`*Trabajo Digno*{: lang=es }`, `6^e^`) go."""
    markdown = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    markdown = re.sub(r"<[^>]+>", "", markdown)
    markdown = re.sub(r"\{:[^}]*\}", "", markdown)
    markdown = re.sub(r"\^([^\^\s]+)\^", r"\1", markdown)
    return markdown.replace("*", "").replace("_", " ").strip()


def _field(record: dict, name: str, kind: str):
    if name not in record:
        raise DirectiveError(
            f'data/{kind}.yml: the record "{record.get("id", "?")}" has no field `{name}`, which its pages need '
            "(pages: in data/kinds.yml)"
        )
    return record[name]


def generated_pages(ctx: Context) -> list[GeneratedPage]:
    pages = []
    for kind in kinds.kinds(ctx.data):
        decl = kind.pages
        if decl is None:
            continue
        content = ctx.data.files[kind.name].data  # as written: the indexes give the lines
        key = records_key(content)
        bad = ctx.data.invalid.get(kind.name, ())
        for index, record in enumerate(content[key]):
            if index in bad:
                continue  # a record with problems (listed with the data's) makes no page
            name = text.plain(_field(record, decl.title, kind.name), ctx.lang, ctx.source)
            short = record.get(decl.short) if decl.short else None  # an acronym, say (`short:` in kinds.yml)
            name += f" ({text.plain(short, ctx.lang, ctx.source) if isinstance(short, dict) else short})" if short else ""
            if decl.description:
                summary = _plain(text.plain(_field(record, decl.description, kind.name), ctx.lang, ctx.source))
            else:  # no field to summarise: the record's name and what it is
                summary = f"{name}{text.colon(ctx.data, ctx.lang)} {text.plain(kind.title, ctx.lang, ctx.source)}"
            description = summary if len(summary) <= 155 else summary[:152].rsplit(" ", 1)[0] + "…"
            front = yaml.safe_dump(
                {"description": description, "sources": list(decl.sources), "generated_from": f"data/{kind.name}.yml"},
                allow_unicode=True,
                sort_keys=False,
            )
            path = f"{decl.folder}/{_field(record, 'id', kind.name)}.md"
            page_ctx = replace(ctx, page=f"content/{ctx.lang}/{path}", line_offset=0)
            body = render(
                ctx.templates,
                f"pages/{decl.template}",
                page_ctx,
                record=record,
                title=name,
                kind=kind.name,
                options=decl.options,
                description=decl.description,
            )
            pages.append(
                GeneratedPage(
                    path=path,
                    index=decl.follows,
                    title=escape(name),
                    markdown=f"---\n{front}---\n\n" + body,
                    source=f"data/{kind.name}.yml",
                    line=ctx.data.files[kind.name].line_of((key, index, "id")),
                )
            )
    return pages


def listings_to_place(data) -> list:
    """The per-record pages' declarations of the kinds that place their listing page in the navigation
    themselves (`listing_follows:`): the build places them (kb_site), `make check` accepts them."""
    return [k.pages for k in kinds.kinds(data) if k.pages and k.pages.listing_follows]


def placed_listings(data) -> set[str]:
    """The listing pages the kinds place in the navigation themselves, which mkdocs.yml's `nav` need not list."""
    return {decl.follows for decl in listings_to_place(data)}


# The longest part of an address (bytes; file systems allow 255, and a folder or `index.html` is added).
MAX_NAME = 100


def address_problem(site: Path, rel: str) -> str | None:
    """Why a file may not be written at `rel` under the site's folder `site` (None when it may): every
    output path is resolved and must lie inside the site's folder, whatever wrote it."""
    long = next((part for part in PurePosixPath(rel).parts if len(part.encode()) > MAX_NAME), None)
    if long is not None:
        return (
            f'the address "{rel[:60]}…" has a part of {len(long.encode())} bytes; addresses are limited to '
            f"{MAX_NAME} bytes between slashes: shorten the id"
        )
    root = site.resolve()
    target = (root / rel).resolve()
    if target == root or not target.is_relative_to(root):
        return f'the address "{rel}" would be written outside the site\'s folder: use a plain id (a-z, 0-9, -)'
    return None


def addresses(data) -> list[tuple[str, str, int | None, str]]:
    """(path under a language folder, data file, line and field of the id) of the page of every record with no problem
    of every kind with pages: what the build will write, known before any page is rendered."""
    out = []
    for kind in kinds.kinds(data):
        if kind.pages is None or kind.name not in data:
            continue
        content = data.files[kind.name].data
        key = records_key(content)
        bad = data.invalid.get(kind.name, ())
        for index, record in enumerate(content[key]):
            if index not in bad and isinstance(record, dict) and isinstance(record.get("id"), str):
                line = data.files[kind.name].line_of((key, index, "id"))
                where = (f"data/{kind.name}.yml", line, field_path((key, index, "id")))
                out.append((f"{kind.pages.folder}/{record['id']}.md", *where))
    return out


def refused(data, site: Path, content: Path, langs) -> tuple[set[str], list[Problem]]:
    """The generated pages that may not be written (paths under a language folder), and why: an address
    outside the site's folder or too long, or the address of a page written in content/ (neither page
    may replace the other)."""
    bad, problems = set(), []
    try:
        planned = addresses(data)
    except Exception:  # noqa: BLE001 (unreadable declarations: no page is made, the data's problems say why)
        return bad, problems
    for path, source, line, field in planned:
        why = address_problem(site, path.removesuffix(".md") + "/index.html")  # where MkDocs writes it
        written = [f"content/{lang}/{path}" for lang in langs if why is None and (content / lang / path).is_file()]
        if why is not None:
            problems.append(Problem(source, line, field, why))
        elif written:
            message = (
                f"this page has the address of the page made from {source}:{line}; one would replace the other: "
                "rename this page, or change the record's id"
            )
            problems.append(Problem(written[0], None, "", message))
        else:
            continue
        bad.add(path)
    return bad, problems
