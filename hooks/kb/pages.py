"""Generated pages: one page per record of the kinds that declare `pages:` in data/kinds.yml.

Adding a record adds its page in every language, in the navigation (after
the page that lists the records) and in each language's search index; a new
kind with pages needs a declaration and a template, no code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import yaml
from markupsafe import Markup, escape

from . import kinds, text
from .directives import Context, DirectiveError
from .templates import render


@dataclass
class GeneratedPage:
    path: str  # relative to the language root, e.g. "menengage/annual-summary-2017/regions/africa.md"
    index: str  # the listing page it follows in the navigation
    title: Markup  # the record's name, HTML-escaped once (the theme prints navigation titles as HTML)
    markdown: str  # with front matter


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
        for record in ctx.data.records(kind.name):
            name = text.plain(_field(record, decl.title, kind.name), ctx.lang, ctx.source)
            acronym = f" ({record['acronym']})" if record.get("acronym") else ""
            summary = _plain(text.plain(_field(record, decl.description, kind.name), ctx.lang, ctx.source))
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
                title=name + acronym,
                kind=kind.name,
                options=decl.options,
                description=decl.description,
            )
            pages.append(
                GeneratedPage(
                    path=path,
                    index=decl.follows,
                    title=escape(name + acronym),
                    markdown=f"---\n{front}---\n\n" + body,
                )
            )
    return pages
